import Foundation
import Testing
import Synchronization
import MullRuntime
@testable import Mull
import MullLanguage

/// What a host sees when it embeds the interpreter.
@Suite("Embedding")
struct EmbeddingTests {
    struct HostFailure: Error, CustomStringConvertible { var description: String { "the device is offline" } }

    func interpreter(stepBudget: Int? = nil) -> Interpreter {
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.progress = false
        config.run.stepBudget = stepBudget
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

    @Test func threadsSharingOneInterpreterAreSerialised() throws {
        // Two threads evaluating and calling on one interpreter crashed in the frame pool; the
        // interpreter now takes their requests one at a time on its own thread.
        let i = interpreter()
        _ = try i.evaluate("fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }")
        guard case .function(let fib)? = i.global("fib") else { Issue.record("no function"); return }
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { k in
            for j in 0..<50 {
                do {
                    if k % 2 == 0 {
                        guard try i.call(fib, [.int(15)]).isEqual(to: .int(610)) else { failures.add(1, ordering: .relaxed); continue }
                    } else {
                        guard try i.evaluate("let x\(k)_\(j) = fib(10)\nx\(k)_\(j)").isEqual(to: .int(55)) else { failures.add(1, ordering: .relaxed); continue }
                    }
                } catch {
                    failures.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }

    @Test func aNativeFunctionMayCallBackIntoTheInterpreter() throws {
        let i = interpreter()
        _ = try i.evaluate("fn double(x) { 2 * x }")
        guard case .function(let double)? = i.global("double") else { Issue.record("no function"); return }
        i.register(function: "via_host", parameters: ["x"]) { args, _ in try i.call(double, args.positional) }
        #expect(try i.evaluate("via_host(21)").isEqual(to: .int(42)))
    }


    @Test func sweepResultsReachTheHostAsData() throws {
        // No output folder: the host still gets every trial's series and the summary rows.
        let i = interpreter()
        _ = try i.evaluate("""
            env maze = GridWorld { layout: "S..G" }
            agent q = QLearning { env: maze }
            sweep s { agent: q, vary alpha: [0.1, 0.5], seeds: 3, episodes: 4 }
            run s
            """)
        let run = try #require(i.runs.last)
        #expect(run.outputDirectory == nil)
        #expect(run.trials.count == 6)
        #expect(run.trials.allSatisfy { $0.result?.series.first(where: { $0.name == "steps" })?.values.count == 4 })
        let rows = run.summaries.filter { $0.metric == "steps" }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.n == 3 && $0.estimate.mean > 0 && $0.estimate.meanCI.lower <= $0.estimate.mean })
        #expect(Set(rows.map { $0.parameters.map(\.value.text).joined() }) == ["0.1", "0.5"])
    }

    /// Run options given to one evaluation replace the configuration's for it only: another
    /// seed gives other numbers, a step budget stops that evaluation, and the next evaluation
    /// is back to the configuration's.
    @Test func runOptionsPerEvaluation() throws {
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.progress = false
        let mull = Interpreter(configuration: config)
        let text = """
            env maze = GridWorld { layout: \"\"\"
            S..
            ..G
            \"\"\" }
            agent q = QLearning { env: maze, epsilon: 0.5 }
            sweep s { agent: q, seeds: 3, episodes: 5 }
            run s
            """
        func steps(_ options: RunOptions?) throws -> [Double] {
            try mull.evaluate(text, path: "options.mull", options: options)
            return mull.runs.last?.trials.flatMap { $0.result?.series.first { $0.name == "steps" }?.values ?? [] } ?? []
        }
        let plain = try steps(nil)
        var other = RunOptions()
        other.seed = 7
        other.progress = false
        let seeded = try steps(other)
        #expect(!plain.isEmpty && plain != seeded)
        #expect(mull.runOptions.seed == 0)
        #expect(try steps(nil) == plain)
        var tight = RunOptions()
        tight.stepBudget = 10
        #expect(throws: DiagnosticsError.self) { try mull.evaluate("for i in 0..<1000 { i }", options: tight) }
        _ = try mull.evaluate("for i in 0..<1000 { i }")
    }
}
