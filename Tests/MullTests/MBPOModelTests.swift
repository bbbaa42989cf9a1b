import Foundation
import Testing
@testable import Mull
import MullLanguage

/// MBPO's ensemble is compared with the true dynamics as a PETS agent's is: sweeps record its
/// k-step `.rollout_error`, and `model.rollout(...)` in a session gives the true trajectory.
@Suite("MBPO's model against the truth")
struct MBPOModelTests {
    static let script = """
        env pend = Pendulum {}
        model ens = Ensemble { members: 3, elites: 2, hidden: [32, 32], epochs: 5 }
        agent learner = SAC { env: pend, hidden: [32, 32], batch_size: 32 }
        agent mbpo = MBPO { learner: learner, model: ens, warmup_steps: 200, train_every: 100, rollouts_per_step: 5, updates_per_step: 1 }
        sweep s { agent: mbpo, seeds: 1, steps: 300, record: [.return, .rollout_error] }
        run s
        """

    @Test func aSweepRecordsMBPOsRolloutError() throws {
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.progress = false
        let mull = Interpreter(configuration: config)
        try mull.evaluate(MBPOModelTests.script, path: "mbpo.mull")
        let series = try #require(mull.runs.last?.trials.first?.result?.series.first { $0.name == "rollout_error" })
        #expect(series.values.count == 50)
        #expect(series.values.allSatisfy { $0.isFinite && $0 >= 0 })
        // The error grows with the horizon (a model trained on 300 steps drifts).
        #expect(series.values[49] > series.values[0])
    }

    @Test func theSessionsModelRolloutHasTheTruth() throws {
        var config = Interpreter.Configuration()
        config.output = { _ in }
        let mull = Interpreter(configuration: config)
        let text = MBPOModelTests.script.replacingOccurrences(of: "run s", with: "")
            + "mbpo.train(steps: 300)\nlet r = mbpo.model.rollout([1.0, 0.0, 0.0], [[0.5], [0.5], [0.5]])\n"
        try mull.evaluate(text, path: "mbpo.mull")
        let r = try #require(mull.global("r")?.recordValue)
        #expect(r["truth"]?.listValue?.count == 3)
        #expect(r["error"]?.doublesValue?.count == 3)
    }
}
