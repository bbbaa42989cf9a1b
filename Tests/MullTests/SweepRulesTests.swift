import Foundation
import Testing
@testable import Mull
import MullLanguage

/// Rules that sweeps, the checker and the builder share through the schema.
@Suite("Sweep rules from the schema")
struct SweepRulesTests {
    /// Per-trial returns of the sweep named `name` after evaluating `text`.
    static func returns(_ text: String, sweep name: String) throws -> [[Double]] {
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.progress = false
        config.run.jobs = 1
        let mull = Interpreter(configuration: config)
        try mull.evaluate(text, path: "rules.mull")
        let record = try #require(mull.runs.first { $0.name == name })
        return record.trials.map { $0.result?.series.first { $0.name == "return" }?.values ?? [] }
    }

    /// Varying a field of a model left out (the schema's default component, `Tabular {}`)
    /// changes that model: the same as writing the model out (it used to be dropped, so the
    /// trials ran the deterministic default).
    @Test func varyingAFieldOfTheDefaultModelReachesIt() throws {
        let text = """
            env lake = FrozenLake {}
            agent implicit = DynaQ { env: lake, planning_steps: 10 }
            agent explicit = DynaQ { env: lake, planning_steps: 10, model: Tabular {} }
            sweep a { agent: implicit, vary stochastic: [true], seeds: 3, episodes: 150 }
            sweep b { agent: explicit, vary stochastic: [true], seeds: 3, episodes: 150 }
            run a
            run b
            """
        let a = try SweepRulesTests.returns(text, sweep: "a"), b = try SweepRulesTests.returns(text, sweep: "b")
        #expect(a.count == 3 && !a[0].isEmpty)
        #expect(a == b)
    }
}
