import Foundation
import Mull
import Testing

/// An embedded interpreter frees what its scripts made once the host lets it go, even though
/// functions and the top-level frame that holds them refer to each other.
@Suite("Interpreter lifetime")
struct InterpreterLifetimeTests {
    /// A live object whose release the test can observe.
    final class Tracked: MullObject, @unchecked Sendable {
        var typeName: String { "tracked" }
        var memberNames: [String] { [] }
        func member(_ name: String, context: CallContext) throws -> Value? { nil }
        func render(width: Int) -> String { "tracked" }
    }

    final class WeakBox: @unchecked Sendable {
        weak var object: Tracked?
    }

    @Test func globalsAreFreedWithTheInterpreter() throws {
        let box = WeakBox()
        do {
            let interpreter = Interpreter()
            interpreter.register(function: "tracked") { _, _ in
                let t = Tracked()
                box.object = t
                return .object(t)
            }
            // A function in the same frame as the object: frame -> function -> frame.
            _ = try interpreter.evaluate("""
                let kept = tracked()
                fn uses() { kept }
                let again = uses()
                """)
            #expect(box.object != nil)
        }
        #expect(box.object == nil, "the object outlived its interpreter")
    }

    @Test func aDeeplyNestedValueIsFreedWithoutOverflowingTheStack() throws {
        do {
            let interpreter = Interpreter()
            _ = try interpreter.evaluate("let deep = reduce(fn(acc, x) { [acc] }, [], 0..<200000)")
        }
        // Reaching this line is the test: freeing 200,000 levels recursed on a large stack.
    }

    @Test func aFunctionKeptByTheHostStillRunsWithoutItsGlobals() throws {
        var kept: Value?
        do {
            let interpreter = Interpreter()
            _ = try interpreter.evaluate("let base = 10\nfn add(x) { x + base }\nfn twice(x) { x * 2 }")
            kept = interpreter.global("twice")
            #expect(kept != nil)
        }
        // `twice` uses no global: it still works once the interpreter is gone.
        guard case .function(let f)? = kept else { Issue.record("not a function"); return }
        let r = try f.call([.int(21)], CallContext())
        guard case .int(42) = r else { Issue.record("got \(r)"); return }
    }
}
