import Foundation
import Mull
import MullLanguage
@testable import MullREPL

/// Helpers shared by the REPL tests.
enum Fixture {
    /// True once the real parser is in: `1 + 2` evaluates to 3. Tests of evaluation need it.
    static let parserAvailable: Bool = {
        guard let v = try? Interpreter().evaluate("1 + 2") else { return false }
        return v.isEqual(to: .int(3))
    }()

    /// An interpreter whose `print` output is collected, with `TestWorld` registered.
    static func interpreter(printed: PrintBuffer = PrintBuffer()) -> Interpreter {
        var config = Interpreter.Configuration()
        config.output = { printed.append($0) }
        let i = Interpreter(configuration: config)
        i.register(component: testWorld)
        return i
    }

    static let testWorldSchema = ComponentSchema(
        name: "TestWorld", kind: .env,
        doc: "A corridor of cells for tests.",
        fields: [
            FieldSchema("width", .int, default: "5", min: 1, max: 100, doc: "number of cells"),
            FieldSchema("slip", .float, default: "0.0", min: 0, max: 1, doc: "chance a move fails"),
            FieldSchema("layout", .string, required: true, aliases: ["map"], doc: "the cells as text"),
        ],
        methods: [MethodSchema(name: "reset", signature: "reset()", doc: "back to the start cell")])

    static let testWorld = ComponentDefinition(schema: testWorldSchema, defaults: ["width": .int(5), "slip": .float(0)]) { _ in
        Corridor()
    }

    /// A stand-in for the parser's `needsMoreInput` that counts brackets, so gathering of
    /// multi-line entries can be tested on its own.
    static func bracketCounting(_ text: String) -> Bool {
        var depth = 0
        for c in text {
            if "([{".contains(c) { depth += 1 }
            if ")]}".contains(c) { depth -= 1 }
        }
        return depth > 0
    }
}

/// A live object with members and its own rendering.
final class Corridor: ComponentInstance, @unchecked Sendable {
    var typeName: String { "Corridor" }
    var memberNames: [String] { ["position", "reset"] }
    func member(_ name: String, context: CallContext) throws -> Value? {
        name == "position" ? .int(0) : nil
    }
    func render(width: Int) -> String { "S....G\n(width \(width))" }
}

final class PrintBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func append(_ s: String) {
        lock.lock()
        text += s
        lock.unlock()
    }
    var contents: String {
        lock.lock()
        defer { lock.unlock() }
        return text
    }
}
