import Foundation
import Testing
@testable import Mull

/// Replay learners learning, through the language, on tasks small enough for a debug build, and
/// the MBPO examples' wiring (their full figures are in docs/algorithms.md).
@Suite struct LearnerExampleTests {
    /// Evaluation returns by seed, in order of real steps.
    static func evaluations(_ rows: [[String: String]]) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for r in rows where r["metric"] == "eval_return" { out[r["seed"] ?? "", default: []].append(Double(r["value"] ?? "") ?? .nan) }
        return out
    }

    static func runInline(_ text: String) throws -> [[String: String]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mull-learner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("learner.mull")
        try text.write(to: script, atomically: true, encoding: .utf8)
        let (_, diagnostics) = runScript(path: script.path, outputDirectory: dir.appendingPathComponent("out").path)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        return try ExampleTests.readResults(dir.appendingPathComponent("out"))
    }

    @Test("SAC learns to balance CartPoleContinuous within 3,000 real steps")
    func sacLearns() throws {
        // In release builds the three seeds of this setting evaluate at 35-42 after the warm-up
        // and at 190-200 at 3,000 steps; an agent that does not learn stays near 40.
        let rows = try Self.runInline("""
            env cart = CartPoleContinuous {}
            agent sac = SAC { env: cart, hidden: [64, 64], batch_size: 64, warmup_steps: 500, evaluate_every: 500, evaluation_episodes: 3 }
            sweep a { agent: sac, seeds: 3, steps: 3000, record: [.eval_return] }
            run a
            """)
        let e = Self.evaluations(rows)
        #expect(e.count == 3 && e.values.allSatisfy { $0.count == 6 })
        let first = e.values.map { $0[0] }.reduce(0, +) / 3, last = e.values.map { $0[5] }.reduce(0, +) / 3
        #expect(first < 80, "\(e)")
        #expect(last > 150, "\(e)")
    }

    @Test("DQN learns CartPole-v1 within 15,000 real steps")
    func dqnLearns() throws {
        // In release builds the three seeds evaluate at 9-10 after 1,000 steps and their last
        // five evaluations average 110-330; an agent that does not learn stays near 10.
        let rows = try Self.runInline("""
            env cart = CartPole {}
            agent dqn = DQN { env: cart, hidden: [64, 64], epsilon_decay_steps: 3000, warmup_steps: 500, update_every: 4, updates_per_step: 1, target_update_interval: 250, learning_rate: 0.001, evaluate_every: 1000, evaluation_episodes: 3 }
            sweep c { agent: dqn, seeds: 3, steps: 15000, record: [.eval_return] }
            run c
            """)
        let e = Self.evaluations(rows)
        #expect(e.count == 3 && e.values.allSatisfy { $0.count == 15 })
        let first = e.values.map { $0[0] }.reduce(0, +) / 3
        let late = e.values.map { $0.suffix(5).reduce(0, +) / 5 }.reduce(0, +) / 3
        #expect(first < 30, "\(e)")
        #expect(late > 80, "\(e)")
    }

    @Test("The MBPO Pendulum example runs its three agents with evaluations every 250 real steps")
    func mbpoPendulum() throws {
        let rows = try ExampleTests().run("mbpo_pendulum", replacing: [
            ("env pend = Pendulum {}", "env pend = Pendulum { max_episode_steps: 50 }"),
            ("hidden: [200, 200, 200, 200], activation: .silu", "hidden: [16, 16], activation: .silu"),
            ("patience: 5, epochs: 100", "patience: 5, epochs: 3"),
            ("agent learner = SAC { env: pend }", "agent learner = SAC { env: pend, hidden: [16, 16], batch_size: 16 }"),
            ("rollouts_per_step: 400", "rollouts_per_step: 2"),
            ("warmup_steps: 1000, train_every: 250", "warmup_steps: 250, train_every: 250"),
            ("updates_per_step: 20\n", "updates_per_step: 2\n"),
            ("agent sac = SAC { env: pend, warmup_steps: 1000,", "agent sac = SAC { env: pend, hidden: [16, 16], batch_size: 16, warmup_steps: 250,"),
            ("agent sac_20_updates = SAC { env: pend, warmup_steps: 1000, updates_per_step: 20,",
             "agent sac_20_updates = SAC { env: pend, hidden: [16, 16], batch_size: 16, warmup_steps: 250, updates_per_step: 2,"),
            ("evaluation_episodes: 10", "evaluation_episodes: 1"),
            ("seeds: 5", "seeds: 1"), ("steps: 6000", "steps: 500"), ("steps: 15000", "steps: 750")])
        var steps: [String: [Int]] = [:]
        for r in rows where r["metric"] == "eval_return" && r["experiment"] == "mbpo_pendulum" {
            steps[r["agent"] ?? "", default: []].append(Int(r["step"] ?? "") ?? -1)
        }
        #expect(steps == ["mbpo": [250, 500], "sac_20_updates": [250, 500], "sac": [250, 500]], "\(steps)")
        // The long one-update SAC run draws the same streams as the example's `sac` trials: its
        // first evaluations are theirs.
        let value = { (e: String, step: String) in rows.first { $0["experiment"] == e && $0["agent"] == "sac" && $0["metric"] == "eval_return" && $0["step"] == step }?["value"] }
        #expect(rows.filter { $0["experiment"] == "sac_pendulum_long" && $0["metric"] == "eval_return" }.count == 3)
        #expect(value("sac_pendulum_long", "500") != nil && value("sac_pendulum_long", "500") == value("mbpo_pendulum", "500"))
    }

    @Test("The MBPO CartPole example runs MBPO with DQN and DQN alone")
    func mbpoCartPole() throws {
        let rows = try ExampleTests().run("mbpo_cartpole", replacing: [
            ("hidden: [200, 200, 200], activation: .silu", "hidden: [16], activation: .silu"),
            ("patience: 5, epochs: 25", "patience: 5, epochs: 3"),
            ("agent learner = DQN { env: cart, epsilon_decay_steps: 4000 }", "agent learner = DQN { env: cart, hidden: [16], batch_size: 8, epsilon_decay_steps: 400 }"),
            ("rollouts_per_step: 100", "rollouts_per_step: 2"), ("warmup_steps: 1000, train_every: 250", "warmup_steps: 100, train_every: 100"),
            ("agent dqn = DQN { env: cart, evaluate_every: 1000,", "agent dqn = DQN { env: cart, hidden: [16], warmup_steps: 100, update_every: 16, updates_per_step: 2, evaluate_every: 1000,"),
            ("seeds: 5", "seeds: 1"), ("steps: 10000", "steps: 1000"), ("steps: 50000", "steps: 2000")])
        let e = rows.filter { $0["metric"] == "eval_return" }
        #expect(e.filter { $0["experiment"] == "mbpo_cartpole" }.count == 1)
        #expect(e.filter { $0["experiment"] == "dqn_cartpole" }.count == 2)
        #expect(e.allSatisfy { (Double($0["value"] ?? "") ?? 0) >= 8 })
    }

    @Test("The rollout-length example runs fixed and adaptive lengths and records the length chosen")
    func mbpoRolloutLength() throws {
        let rows = try ExampleTests().run("mbpo_rollout_length", replacing: [
            ("env pend = Pendulum {}", "env pend = Pendulum { max_episode_steps: 50 }"),
            ("hidden: [200, 200, 200, 200], activation: .silu", "hidden: [16, 16], activation: .silu"),
            ("patience: 5, epochs: 100", "patience: 5, epochs: 3"),
            ("agent learner = SAC { env: pend }", "agent learner = SAC { env: pend, hidden: [16, 16], batch_size: 16 }"),
            ("warmup_steps: 1000, updates_per_step: 10", "warmup_steps: 100, train_every: 100, rollouts_per_step: 1, updates_per_step: 1"),
            ("evaluation_episodes: 10", "evaluation_episodes: 1"), ("seeds: 3", "seeds: 1"), ("steps: 4000", "steps: 300")])
        var lengths: [String: Set<Double>] = [:]
        for r in rows where r["metric"] == "rollout_length" { lengths[r["agent"] ?? "", default: []].insert(Double(r["value"] ?? "") ?? .nan) }
        #expect(lengths["k1"] == [1] && lengths["k5"] == [5] && lengths["k15"] == [15] && lengths["k30"] == [30], "\(lengths)")
        #expect((lengths["adaptive"] ?? []).allSatisfy { $0 >= 1 && $0 <= 30 }, "\(lengths)")
        #expect(rows.filter { $0["metric"] == "eval_return" }.count == 5 * 1)
    }

    @Test("Tabular MBPO-lite and Dyna-Q on the Dyna maze both find short paths")
    func mbpoTabular() throws {
        // Full example, 30 runs: in release builds every variant averages 16-19 steps per
        // episode from episode 10 on (the shortest path is 14 steps; epsilon is 0.1).
        let rows = try ExampleTests().run("mbpo_tabular")
        var late: [String: [Double]] = [:]
        for r in rows where r["metric"] == "steps" && (Int(r["episode"] ?? "") ?? 0) >= 10 {
            late[r["agent"] ?? "", default: []].append(Double(r["value"] ?? "") ?? .nan)
        }
        #expect(Set(late.keys) == ["dyna", "k1", "k5", "k10"])
        for (agent, v) in late { #expect(v.reduce(0, +) / Double(v.count) < 22, "\(agent)") }
    }
}
