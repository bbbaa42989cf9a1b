import Foundation
import Testing
@testable import Mull
import MullLanguage

/// The step budget counts native work a script starts, and the memory limit stops a script
/// whose values or runs would outgrow it, each with a located diagnostic (docs/language.md,
/// "Limits").
@Suite("Work and memory limits", .serialized)
struct WorkLimitTests {
    static let maze = """
    env maze = GridWorld { layout: \"\"\"
    S..
    ..G
    \"\"\" }
    agent q = DynaQ { env: maze, planning_steps: 5 }

    """

    /// The diagnostics of evaluating `text` with the given limits.
    static func failure(_ text: String, stepBudget: Int? = nil, memoryLimit: Int? = nil, jobs: Int = 1) -> [Diagnostic] {
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.outputDirectory = nil
        config.run.progress = false
        config.run.jobs = jobs
        config.run.stepBudget = stepBudget
        config.run.memoryLimit = memoryLimit
        do {
            try Interpreter(configuration: config).evaluate(text, path: "limits.mull")
            return []
        } catch let e as DiagnosticsError {
            return e.diagnostics
        } catch {
            return [Diagnostic("unexpected", .error, "\(error)", at: nil)]
        }
    }

    static func line(_ d: Diagnostic?, in text: String) -> Int? {
        guard let r = d?.range else { return nil }
        return text.utf8.prefix(r.start).filter { $0 == 10 }.count + 1
    }

    @Test(arguments: [1, 2])
    func aSweepOfAMillionEpisodesStopsAtTheStepBudget(jobs: Int) {
        let text = WorkLimitTests.maze + "sweep s { agent: q, seeds: 2, episodes: 1000000000 }\nrun s\n"
        let start = Date()
        let d = WorkLimitTests.failure(text, stepBudget: 200_000, jobs: jobs)
        #expect(d.first?.id.rawValue == "step-budget", "\(d)")
        #expect(WorkLimitTests.line(d.first, in: text) == 7)
        #expect(Date().timeIntervalSince(start) < 60)
    }

    @Test func trainingAndPlanningInTheSessionCountAgainstTheBudget() {
        for call in ["q.train(episodes: 1000000000)", "q.plan(1000000000000)"] {
            let text = WorkLimitTests.maze + "q.train(episodes: 1)\nprint(\(call))\n"
            let d = WorkLimitTests.failure(text, stepBudget: 500_000)
            #expect(d.first?.id.rawValue == "step-budget", "\(call): \(d)")
            #expect(WorkLimitTests.line(d.first, in: text) == 7, "\(call)")
        }
    }

    @Test func aLearnerAndAPlannerStopAtTheBudget() {
        let learner = "env pend = Pendulum {}\nagent sac = SAC { env: pend, warmup_steps: 100000 }\nprint(sac.train(steps: 1000000))\n"
        let d = WorkLimitTests.failure(learner, stepBudget: 3_000)
        #expect(d.first?.id.rawValue == "step-budget", "\(d)")
        #expect(WorkLimitTests.line(d.first, in: learner) == 3)
        let planner = """
        env cart = CartPole {}
        agent m = MCTS { env: cart, simulations: 100000 }
        sweep s { agent: m, seeds: 1, episodes: 1 }
        run s

        """
        let p = WorkLimitTests.failure(planner, stepBudget: 100)
        #expect(p.first?.id.rawValue == "step-budget", "\(p)")
        #expect(WorkLimitTests.line(p.first, in: planner) == 4)
    }

    @Test func withinTheBudgetTheNumbersDoNotChange() {
        let text = WorkLimitTests.maze + "sweep s { agent: q, seeds: 2, episodes: 20 }\nrun s\nprint(q.train(episodes: 5).episodes)\n"
        #expect(WorkLimitTests.failure(text, stepBudget: 10_000_000).isEmpty)
    }

    @Test func manySmallValuesStopAtTheMemoryLimit() {
        let text = "fn tree(d) { if d == 0 { [1, 2, 3] } else { [tree(d - 1), tree(d - 1)] } }\nlet t = tree(30)\nprint(len(t))\n"
        let limit = ResidentMemory.bytes() + 200_000_000
        let d = WorkLimitTests.failure(text, memoryLimit: limit)
        #expect(d.first?.id.rawValue == "memory-limit", "\(d)")
        #expect(WorkLimitTests.line(d.first, in: text) == 1)
        #expect(ResidentMemory.bytes() < limit + 300_000_000)
    }

    @Test func oneLargeValueIsRefusedBeforeItIsBuilt() {
        let text = "let a = [0] * 5000000\nlet b = [a + a for i in 0..<100]\nprint(len(b))\n"
        let limit = ResidentMemory.bytes() + 400_000_000
        let d = WorkLimitTests.failure(text, memoryLimit: limit)
        #expect(d.first?.id.rawValue == "memory-limit", "\(d)")
        #expect(WorkLimitTests.line(d.first, in: text) == 2)
        #expect(d.first?.message.contains("more asked for here") == true, "\(d)")
    }

    @Test func aRunWhoseResultsOutgrowTheLimitStops() {
        let text = WorkLimitTests.maze + "sweep s { agent: q, seeds: 1, episodes: 1000000000 }\nrun s\n"
        let d = WorkLimitTests.failure(text, memoryLimit: ResidentMemory.bytes() + 40_000_000)
        #expect(d.first?.id.rawValue == "memory-limit", "\(d)")
        #expect(WorkLimitTests.line(d.first, in: text) == 7)
    }

    @Test func sizesParse() {
        #expect(ResidentMemory.parse("4G") == 4_000_000_000)
        #expect(ResidentMemory.parse("512mb") == 512_000_000)
        #expect(ResidentMemory.parse("1.5G") == 1_500_000_000)
        #expect(ResidentMemory.parse("2000") == 2000)
        for bad in ["", "G", "-1G", "1e30G", "four"] { #expect(ResidentMemory.parse(bad) == nil, "\(bad)") }
        #expect(ResidentMemory.bytes() > 1_000_000)
        #expect(ResidentMemory.defaultLimit > 1 << 28)
    }
}
