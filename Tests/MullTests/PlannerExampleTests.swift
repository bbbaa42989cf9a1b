import Foundation
import Testing
@testable import Mull

/// The decision-time planning examples, reduced to run in a debug build in seconds. Seeds are
/// fixed, so each run is deterministic; the bounds are set from the full examples' figures
/// with margins for the smaller samples (see each comment).
@Suite("Planning examples", .serialized)
struct PlannerExampleTests {
    func returns(_ name: String, _ replacing: [(String, String)], agent: String? = nil) throws -> [Double] {
        let rows = try ExampleTests().run(name, replacing: replacing)
        return rows.filter { $0["metric"] == "return" && (agent == nil || $0["agent"] == agent) }.compactMap { Double($0["value"] ?? "") }
    }

    func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(1, xs.count)) }

    @Test("CEM swings the pendulum up (Pendulum-v1, true model)")
    func pendulumCEM() throws {
        // Population 100 and 3 iterations instead of 400 and 5, 4 starts: the full example
        // scores about -130; staying down scores about -1200 per episode. -400 is far from
        // both the noise of 4 starts (sd about 90) and from failure.
        let r = try returns("pendulum_cem", [("vary agent: [cem, icem, mppi, random]", "vary agent: [cem]"), ("seeds: 20", "seeds: 4"),
                                             ("population: 400, elites: 40, iterations: 5", "population: 100, elites: 10, iterations: 3")])
        #expect(r.count == 4)
        #expect(mean(r) > -400, "\(r)")
    }

    @Test("UCT keeps CartPole up for all 500 steps")
    func cartPoleUCT() throws {
        // The full example: 500 on all 20 seeds from 200 simulations on. Two seeds here.
        let r = try returns("cartpole_mcts", [("vary simulations: [25, 50, 100, 200, 400]", "vary simulations: [200]"), ("seeds: 20", "seeds: 2")])
        #expect(r == [500, 500], "\(r)")
    }

    @Test("MCTS with chance nodes on slippery FrozenLake is close to value iteration's optimum")
    func frozenLakeMCTS() throws {
        // 2 x 25 episodes instead of 10 x 100: a success rate near 0.72 has a standard error of
        // about 0.06 over 50 episodes, so 0.5 is more than three of them below.
        let rows = try ExampleTests().run("frozenlake_mcts", replacing: [("seeds: 10", "seeds: 2"), ("episodes: 100", "episodes: 25")])
        let tree = rows.filter { $0["agent"] == "tree" }.compactMap { Double($0["value"] ?? "") }
        let optimal = rows.filter { $0["agent"] == "optimal" }.compactMap { Double($0["value"] ?? "") }
        #expect(tree.count == 50 && optimal.count == 50)
        #expect(mean(tree) > 0.5, "\(mean(tree))")
        #expect(mean(optimal) > 0.5, "\(mean(optimal))")
    }

    @Test("iCEM's colored noise reaches the goal of MountainCarContinuous")
    func mountainCarICEM() throws {
        // The full example: about 96 on every start (goal +100 minus the cost of pushing).
        let r = try returns("mountaincar_continuous_cem", [("vary agent: [cem, icem]", "vary agent: [icem]"), ("seeds: 5", "seeds: 1")])
        #expect(r.count == 1)
        #expect((r.first ?? 0) > 90, "\(r)")
    }

    @Test("PETS runs through the language: warm-up, training rounds, a real-step budget, model error recorded")
    func petsCartPole() throws {
        // A small ensemble and planner, 60 real steps in episodes of at most 40: this checks the
        // example's wiring (the full example's figures are in docs/algorithms.md).
        let rows = try ExampleTests().run("pets_cartpole", replacing: [
            ("env cart = CartPoleContinuous {}", "env cart = CartPoleContinuous { max_episode_steps: 40 }"),
            ("members: 7, elites: 5", "members: 3, elites: 2"), ("hidden: [200, 200, 200, 200]", "hidden: [32, 32]"),
            ("particles: 10", "particles: 4"), ("population: 200", "population: 30"), ("warmup_steps: 200", "warmup_steps: 60"),
            ("train_every: 50", "train_every: 5"),
            ("seeds: 5", "seeds: 1"), ("steps: 1000", "steps: 60")])
        func values(_ metric: String) -> [Double] { rows.filter { $0["metric"] == metric }.compactMap { Double($0["value"] ?? "") } }
        let returns = values("return"), errors = values("model_error"), real = values("real_steps")
        #expect(returns.count >= 2 && returns.allSatisfy { $0 >= 1 && $0 <= 40 })
        // The budget counts real steps after the 60 warm-up steps; the last episode is cut there.
        #expect(real.count == returns.count && real.last == 120)
        #expect(errors.count == returns.count && errors.allSatisfy { $0 > 0 && $0.isFinite })
    }

    @Test("Model bias: k-step errors grow with k and shrink with more data")
    func modelBias() throws {
        // Small networks, 5-step episodes, 50 and 500 random steps of data. On every seed of
        // the full example the 10-step error is over ten times the 1-step one and ten times the
        // data lowers the 1-step error several-fold; the bounds here are far looser.
        let rows = try ExampleTests().run("model_bias", replacing: [
            ("env pend = Pendulum {}", "env pend = Pendulum { max_episode_steps: 5 }"),
            ("members: 7, elites: 5", "members: 3, elites: 2"),
            ("hidden: [200, 200, 200], activation: .silu\n    validation: 0.1, epochs: 50, patience: 5\n    particles: 1",
             "hidden: [32, 32], activation: .silu\n    validation: 0.1, epochs: 50, patience: 5\n    particles: 1"),
            ("hidden: [200, 200, 200], activation: .silu\n    validation: 0.1, epochs: 50, patience: 5\n    propagation",
             "hidden: [32, 32], activation: .silu\n    validation: 0.1, epochs: 50, patience: 5\n    propagation"),
            ("[500, 5000]", "[50, 500]"), ("population: 100", "population: 20"), ("seeds: 3", "seeds: 1")])
        var error: [String: [Int: Double]] = [:]
        for r in rows where r["metric"] == "rollout_error" {
            error["\(r["model"] ?? "")/\(r["warmup_steps"] ?? "")", default: [:]][Int(r["step"] ?? "") ?? 0] = Double(r["value"] ?? "")
        }
        #expect(error.count == 4)
        for (name, e) in error {
            #expect(e.count == 50, "\(name)")
            #expect((e[10] ?? 0) > 2 * (e[1] ?? .infinity), "\(name): 10-step error \(e[10] ?? .nan), 1-step \(e[1] ?? .nan)")
        }
        for m in ["net", "ens"] {
            #expect((error["\(m)/500"]?[1] ?? .infinity) < (error["\(m)/50"]?[1] ?? 0), "\(m)")
        }
        let truth = rows.filter { $0["experiment"] == "true_model" && $0["metric"] == "return" }
        #expect(truth.count == 1)
    }

    @Test("MCTS through a learned ensemble on CartPole, beside MCTS on the true model")
    func mctsLearnedCartPole() throws {
        // Wiring only, on 20-step episodes (the full example's figures are in docs/algorithms.md):
        // both sweeps run, the learned one trains and records its model error.
        let rows = try ExampleTests().run("mcts_learned_cartpole", replacing: [
            ("env cart = CartPole {}", "env cart = CartPole { max_episode_steps: 20 }"),
            ("members: 5, elites: 3", "members: 2, elites: 1"), ("hidden: [64, 64]", "hidden: [16]"),
            ("simulations: 200", "simulations: 20"), ("warmup_steps: 200, train_every: 100", "warmup_steps: 40, train_every: 10"),
            ("seeds: 5", "seeds: 1"), ("episodes: 10", "episodes: 2")])
        let learned = rows.filter { $0["experiment"] == "mcts_learned_model" && $0["metric"] == "return" }.compactMap { Double($0["value"] ?? "") }
        let truth = rows.filter { $0["experiment"] == "mcts_true_model" && $0["metric"] == "return" }.compactMap { Double($0["value"] ?? "") }
        let errors = rows.filter { $0["metric"] == "model_error" }.compactMap { Double($0["value"] ?? "") }
        #expect(learned.count == 2 && truth.count == 2)
        #expect(learned.allSatisfy { $0 >= 1 && $0 <= 20 })
        #expect(errors.count == 2 && errors.allSatisfy { $0 > 0 && $0.isFinite })
    }

    @Test("CEM plans through a continuous task written in Mull")
    func continuousMDP() throws {
        // Doing nothing costs about -50 over the 50 steps (the cart stays near 1); the full
        // example measures about -4 for CEM and -11 for random shooting over 5 starts.
        let rows = try ExampleTests().run("continuous_mdp", replacing: [("seeds: 5", "seeds: 3")])
        let cem = rows.filter { $0["agent"] == "cem" }.compactMap { Double($0["value"] ?? "") }
        let random = rows.filter { $0["agent"] == "random" }.compactMap { Double($0["value"] ?? "") }
        #expect(cem.count == 3 && random.count == 3)
        #expect(mean(cem) > -20, "\(cem)")
        #expect(mean(cem) > mean(random), "CEM \(cem), random \(random)")
    }

    @Test("UCT with an energy-pumping rollout policy solves Acrobot")
    func acrobotPumping() throws {
        // The full example: -84 over 10 starts, every start between about -63 and -111.
        // Three starts here; Gymnasium's threshold is a mean above -100.
        let r = try returns("acrobot_mcts", [("vary agent: [random_rollouts, pumping]", "vary agent: [pumping]"), ("seeds: 10", "seeds: 3")])
        #expect(r.count == 3)
        #expect(mean(r) > -100, "\(r)")
    }
}
