import Testing
import Mull

/// The host-facing side of `Value`: accessors, equality, literals.
@Suite struct ValueHostTests {
    @Test func accessors() throws {
        let interpreter = Interpreter()
        let v = try interpreter.evaluate("(name: \"cart\", steps: [1, 2.5, 3], done: true, action: .left, n: 7)")
        #expect(v[field: "name"]?.stringValue == "cart")
        #expect(v[field: "steps"]?.doublesValue == [1, 2.5, 3])
        #expect(v[field: "done"]?.boolValue == true)
        #expect(v[field: "action"]?.symbolValue == "left")
        #expect(v[field: "n"]?.intValue == 7 && v[field: "n"]?.doubleValue == 7)
        #expect(v[field: "missing"] == nil && v.intValue == nil && v.listValue == nil)
        #expect(try interpreter.evaluate("[1, .a]").doublesValue == nil)
        #expect(try interpreter.evaluate("none").isNone)
    }

    @Test func equalityAndLiterals() throws {
        let interpreter = Interpreter()
        #expect(try interpreter.evaluate("[1, 2.0, \"x\", true]") == [1, 2, "x", true])
        #expect(try interpreter.evaluate("1") == 1.0)
        #expect(try interpreter.evaluate("[1, 2]") != [1, 3])
        guard case .function(let f) = try interpreter.evaluate("fn add(a, b) { a + b }\nadd") else {
            Issue.record("no function")
            return
        }
        #expect(try interpreter.call(f, [2, 40]) == 42)
        #expect(try interpreter.call(f, ["a", "b"]) == "ab")
    }

    /// Mull's `none` is `Value.null`: in a `Value?` it is a value, not the missing one (it was
    /// `.none`, which Swift reads as `Optional.none` there).
    @Test func mullsNoneIsAValueInAnOptional() throws {
        let v: Value? = .null
        #expect(v != nil)
        #expect(v?.typeName == "none")
        #expect(try Interpreter().evaluate("none") == .null)
        let fromHost: Value? = ["a": 1].isEmpty ? nil : .null
        #expect(fromHost?.isNone == true)
    }

    /// Typed unpacking: by position or label, converted, with located diagnostics.
    @Test func typedArgumentsAndABuiltinRegistry() throws {
        let mull = Interpreter(registry: ComponentRegistry.builtins())
        mull.register(function: "scale", parameters: ["x", "by"]) { args, _ in
            .float(try args.double(0, "x") * (try args.optionalDouble(1, "by") ?? 2))
        }
        #expect(try mull.evaluate("scale(3)") == 6.0)
        #expect(try mull.evaluate("scale(3, by: 0.5)") == 1.5)
        #expect(try mull.evaluate("scale(x: 1, by: 4)") == 4.0)
        for (text, message) in [("scale()", "missing argument `x` (argument 1)"), ("scale(\"a\")", "`x` must be a number, got string"),
                                ("scale(1, 2, 3)", "`scale(x, by)` takes at most 2 arguments but 3 were given")] {
            do {
                _ = try mull.evaluate(text)
                Issue.record("\(text) was accepted")
            } catch let e as DiagnosticsError {
                #expect(e.diagnostics.first?.message == message)
                #expect(e.diagnostics.first?.range != nil, "\(text)")
            }
        }
        #expect(try mull.evaluate("env m = GridWorld { layout: \"S.G\" }\n1") == 1)
    }

    /// A native component's default is given once: in the schema's text or as a value.
    @Test func aDefaultIsGivenOnce() throws {
        let fromText = ComponentDefinition(schema: ComponentSchema(name: "A", kind: .env, doc: "a", fields: [
            FieldSchema("length", .int, default: "8", doc: "cells"), FieldSchema("rates", .list(.float), default: "[0.5, -1]", doc: "r"),
            FieldSchema("mode", .symbol(["fast", "slow"]), default: ".fast", doc: "m"),
        ])) { _ in throw MullError("x", "x", at: nil) }
        #expect(fromText.defaults["length"] == 8)
        #expect(fromText.defaults["rates"] == [0.5, -1.0])
        #expect(fromText.defaults["mode"] == .symbol("fast"))
        let fromValue = ComponentDefinition(schema: ComponentSchema(name: "B", kind: .env, doc: "b", fields: [
            FieldSchema("length", .int, doc: "cells"),
        ]), defaults: ["length": 12]) { _ in throw MullError("x", "x", at: nil) }
        #expect(fromValue.schema.field(named: "length")?.defaultText == "12")
    }
}

/// A member of a live component whose name is also a plain field of its schema is unreachable:
/// `agent.name` reads the field first (MBPO's current rollout length was hidden by the
/// `rollout_length` setting). Component-valued fields (`env`, `model`) are answered by the live
/// instance when left out, and by the component written otherwise.
@Suite("Component members")
struct ComponentMemberNameTests {
    @Test func noDocumentedMemberIsHiddenByAPlainField() {
        var hidden: [String] = []
        for schema in ComponentRegistry.builtins().allSchemas {
            for method in schema.methods {
                guard let field = schema.field(named: method.name) else { continue }
                if case .component = field.type { continue }
                hidden.append("\(schema.name).\(method.name)")
            }
        }
        #expect(hidden.isEmpty, "members hidden by fields of the same name: \(hidden)")
    }
}
