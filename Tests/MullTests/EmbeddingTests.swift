import Foundation
import Testing
@testable import Mull
import MullLanguage

/// What a host sees when it embeds the interpreter.
@Suite("Embedding")
struct EmbeddingTests {
    struct HostFailure: Error, CustomStringConvertible { var description: String { "the device is offline" } }

    func interpreter(stepBudget: Int? = nil) -> Interpreter {
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.progress = false
        config.stepBudget = stepBudget
        return Interpreter(configuration: config)
    }

    @Test func aSwiftErrorFromANativeFunctionIsADiagnosticAtTheCall() throws {
        let i = interpreter()
        i.register(function: "sensor", doc: "fails") { _, _ in throw HostFailure() }
        do {
            _ = try i.evaluate("let x = 1\nprint(sensor())")
            Issue.record("the error was not reported")
        } catch let e as DiagnosticsError {
            let d = try #require(e.diagnostics.first)
            #expect(d.id.rawValue == "host-error")
            #expect(d.hostError is HostFailure)
            #expect(d.message.contains("the device is offline"))
            #expect(d.range?.startLocation.line == 2)
        }
    }

    @Test func eachHostCallHasItsOwnStepBudget() throws {
        let i = interpreter(stepBudget: 50_000)
        _ = try i.evaluate("fn work(n) { let xs = [k * k for k in 0..<n]\n len(xs) }")
        guard case .function(let work)? = i.global("work") else { Issue.record("no function"); return }
        // Each call takes about 20,000 steps; together they pass the budget of one evaluation.
        for _ in 0..<5 { #expect(try i.call(work, [.int(20_000)]).isEqual(to: .int(20_000))) }
    }

    @Test func aCancellationDoesNotStopTheNextEvaluation() throws {
        let i = interpreter()
        i.configuration.cancellation.cancel()
        #expect(try i.evaluate("1 + 1").isEqual(to: .int(2)))
    }
}
