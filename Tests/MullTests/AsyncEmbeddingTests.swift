import Foundation
import Testing
import Mull
import MullLanguage

/// The async API: awaiting an evaluation, cancelling it through its Task, and what is left for
/// the next one.
@Suite struct AsyncEmbeddingTests {
    @Test func awaitsAValue() async throws {
        let interpreter = Interpreter()
        let v = try await interpreter.evaluate("let x = 20\nx + 22")
        #expect(v.repr == "42")
        guard case .function(let f) = try await interpreter.evaluate("fn twice(x) { 2 * x }\ntwice") else {
            Issue.record("no function")
            return
        }
        #expect(try await interpreter.call(f, [.int(21)]).repr == "42")
    }

    @Test func cancellingTheTaskInterruptsTheEvaluation() async throws {
        let interpreter = Interpreter()
        let task = Task { try await interpreter.evaluate("for i in 0..<1000000000000 { i * 2 }") }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("the loop ended by itself")
        } catch let e as DiagnosticsError {
            #expect(e.diagnostics.first?.id.rawValue == "interrupted", "\(e.diagnostics)")
        } catch is CancellationError {
            // On a loaded machine the cancellation may come before the evaluation started.
        }
        // The next evaluation is not affected.
        #expect(try await interpreter.evaluate("1 + 1").repr == "2")
    }

    @Test func aTaskCancelledBeforehandRunsNothing() async throws {
        let interpreter = Interpreter()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await interpreter.evaluate("let ran = true\nran")
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(throws: DiagnosticsError.self) { try interpreter.evaluate("ran") }
    }
}

extension AsyncEmbeddingTests {
    /// A long `plan(n)` of a tabular agent stops at an interrupt, keeping the updates made.
    @Test func planningStopsWhenInterrupted() async throws {
        let interpreter = Interpreter()
        try await interpreter.evaluate("""
            import "std/mazes"
            env maze = GridWorld { layout: mazes.dyna }
            agent dyna = DynaQ { env: maze, planning_steps: 0 }
            dyna.train(episodes: 1)
            """)
        let task = Task { try await interpreter.evaluate("dyna.plan(1000000000000)") }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()
        var reported = -1
        do {
            _ = try await task.value
            Issue.record("planning ended by itself")
        } catch let e as DiagnosticsError {
            let message = e.diagnostics.first?.message ?? ""
            #expect(e.diagnostics.first?.id.rawValue == "interrupted", "\(e.diagnostics)")
            #expect(message.contains("planning updates (they are kept)"), "\(message)")
            reported = Int(message.components(separatedBy: "after ").dropFirst().first?.split(separator: " ").first ?? "") ?? -1
        } catch is CancellationError {
            reported = 0  // cancelled before the evaluation started (a loaded machine)
        }
        // The updates made before the interrupt are kept, and the account says how many.
        let updates = try await interpreter.evaluate("dyna.planning_updates")
        #expect(Int(updates.repr) == reported, "\(updates.repr) against \(reported)")
    }
}

extension AsyncEmbeddingTests {
    /// One MCTS step of a hundred million simulations stops soon after an interrupt.
    @Test func aLongPlanningStepStopsWhenInterrupted() async throws {
        let interpreter = Interpreter()
        try await interpreter.evaluate("""
            env cart = CartPole {}
            agent big = MCTS { env: cart, simulations: 100000000, depth: 20 }
            """)
        let task = Task { try await interpreter.evaluate("big.run(episodes: 1)") }
        try await Task.sleep(for: .milliseconds(200))
        let start = ContinuousClock.now
        task.cancel()
        _ = try? await task.value
        // Alone it stops within milliseconds; the bound leaves room for a machine loaded by the
        // rest of the suite, while the whole step would take hours.
        #expect(ContinuousClock.now - start < .seconds(30), "took \(ContinuousClock.now - start) to stop")
    }
}
