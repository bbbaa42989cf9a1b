import Testing
@testable import Mull
import MullLanguage

/// The resolver is the one place names are bound: the compiler reads its slots, the checker its
/// declarations, and a REPL entry with an error leaves the session's names as they were.
@Suite("Resolver")
struct ResolverTests {
    static func resolve(_ text: String, builtins: Set<String> = ["print", "len"]) -> (Program, Resolution) {
        let (program, _) = Parser.parse(SourceFile(path: "t.mull", text: text))
        return (program, Resolver(builtins: builtins, schemas: ComponentRegistry.builtins()).resolve(program, globals: NameScope()))
    }

    @Test func everyNameGetsOneBindingAndFramesTheirSizes() {
        let (_, r) = Self.resolve("""
        let a = 1
        fn f(x, y = a) { let z = x + y; [z * w for w in [x, y]] }
        for i in [1, 2] { print(f(i), a) }
        """)
        #expect(r.diagnostics.isEmpty)
        // Uses: a, x, y, z, w, x, y, f, i, a, print (11 written names).
        #expect(r.uses.count == 11)
        #expect(!r.uses.values.contains(.unresolved))
        #expect(r.uses.values.filter { $0 == .builtin("print") }.count == 1)
        // f's frame: x, y, z; the comprehension's: w; the loop's: i.
        #expect(r.functionFrames.values.sorted() == [3])
        #expect(r.comprehensionFrames.values.sorted() == [1])
        #expect(r.loopFrames.values.sorted() == [1])
        #expect(r.declaredGlobals == ["f", "a"])
        // f reads `a` from the frame it was made in.
        #expect(r.freeVariables.values.flatMap { $0 }.map(\.name) == ["a"])
    }

    @Test func shadowingTakesAFreshSlotSoClosuresKeepWhatTheySaw() throws {
        let mull = Interpreter()
        let v = try mull.evaluate("fn h() {\n let x = 1\n let f = fn() { x }\n let x = 2\n [f(), x]\n}\nh()")
        #expect(v.repr == "[1, 2]")
        // At the top level, across entries of a session.
        _ = try mull.evaluate("let y = 1\nfn g() { y }")
        _ = try mull.evaluate("let y = 2")
        #expect(try mull.evaluate("[g(), y]").repr == "[1, 2]")
    }

    @Test func eachNameErrorIsReportedOnceByTheResolver() {
        let mull = Interpreter()
        let ds = mull.check("print(y)\nlet y = 1\nprint(undefind)\nlet g = GridWorld\n")
        #expect(ds.map(\.id.rawValue) == ["used-before-definition", "undefined-name", "component-without-body"])
    }

    @Test func aFailedEntryDeclaresNothing() throws {
        let mull = Interpreter()
        #expect(throws: DiagnosticsError.self) { try mull.evaluate("let x = nope") }
        #expect(!mull.globalNames.contains("x"))
        let ds = mull.check("print(x)")
        #expect(ds.first?.id == .undefinedName)
        _ = try mull.evaluate("let x = 4")
        #expect(try mull.evaluate("x * 2").repr == "8")
    }

    @Test func checkingAnEntryLeavesTheSessionAsItWas() throws {
        let mull = Interpreter()
        _ = try mull.evaluate("let a = 1")
        #expect(mull.check("let b = a + 1").isEmpty)
        #expect(mull.globalNames == ["a"])
    }

    /// A name bound in a block written at the top level (an `if`, a match arm) is local: the
    /// checker types it by that binding, not by a top-level declaration of the same name.
    @Test func aBlockAtTheTopLevelBindsLocalNames() throws {
        let text = "fn f(a) { a }\nif true {\n  let f = fn(a, b) { a + b }\n  print(f(1, 2))\n}\n"
        #expect(Interpreter().check(text).isEmpty)
        let (_, r) = Self.resolve(text)
        #expect(r.declarations.values.contains { if case .local = $0 { return true } else { return false } })
        let tooMany = "if true {\n  let g = fn(a) { a }\n  print(g(1, 2))\n}\n"
        #expect(Interpreter().check(tooMany).map(\.id.rawValue) == ["arity"])
    }
}
