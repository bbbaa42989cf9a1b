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

    /// A field of any component the agent holds may be varied (MBPO's `learner`), and `mull
    /// check` and the sweep take the same rule (`VaryPaths`): the checker passed
    /// `vary learner.learning_rate` and the sweep refused it.
    @Test func varyingAFieldOfTheLearnerOfMBPOReachesIt() throws {
        let text = """
            env p = Pendulum {}
            model ens = Ensemble { members: 2, elites: 1, hidden: [8], epochs: 1 }
            agent l = SAC { env: p, hidden: [8] }
            agent m = MBPO { learner: l, model: ens, warmup_steps: 10, train_every: 10, epoch_length: 10, rollouts_per_step: 2, updates_per_step: 1 }
            agent m_slow = MBPO { learner: l.with(learning_rate: 0.00001), model: ens, warmup_steps: 10, train_every: 10, epoch_length: 10, rollouts_per_step: 2, updates_per_step: 1 }
            sweep varied { agent: m, vary learner.learning_rate: [0.00001], seeds: 2, steps: 40 }
            sweep written { agent: m_slow, vary learner.learning_rate: [0.00001], seeds: 2, steps: 40 }
            run varied
            run written
            """
        #expect(Interpreter().check(text).isEmpty)
        let a = try SweepRulesTests.returns(text, sweep: "varied"), b = try SweepRulesTests.returns(text, sweep: "written")
        // Trials of the same parameters share random streams, so the two differ only if the
        // varied value did not reach `m`'s learner (it would then learn at 3e-4).
        #expect(a.count == 2 && !a[0].isEmpty)
        #expect(a == b)
    }

    /// A path naming nothing is refused by both with the caret on the path.
    @Test func aPathNamingNoComponentIsRefusedByCheckAndRun() throws {
        let text = """
            env p = Pendulum {}
            agent s = SAC { env: p }
            sweep x { agent: s, vary critic.learning_rate: [0.001], seeds: 1, steps: 10 }
            """
        let checked = Interpreter().check(text)
        #expect(checked.map(\.message) == ["`critic` is neither `s` (SAC) nor a component it uses"])
        #expect(checked.first?.range?.startLocation.description == "3:26")
    }

    /// `model: none` leaves the model out: a varied field of it reaches the default model, in
    /// the checker and in the sweep alike (the sweep used to drop the value silently).
    @Test func varyingAFieldOfAModelWrittenAsNoneReachesTheDefault() throws {
        let text = """
            env lake = FrozenLake {}
            agent none_model = DynaQ { env: lake, planning_steps: 10, model: none }
            agent explicit = DynaQ { env: lake, planning_steps: 10, model: Tabular {} }
            sweep a { agent: none_model, vary stochastic: [true], seeds: 3, episodes: 150 }
            sweep b { agent: explicit, vary stochastic: [true], seeds: 3, episodes: 150 }
            run a
            run b
            """
        #expect(Interpreter().check(text).isEmpty)
        let a = try SweepRulesTests.returns(text, sweep: "a"), b = try SweepRulesTests.returns(text, sweep: "b")
        #expect(a.count == 3 && !a[0].isEmpty)
        #expect(a == b)
    }
}
