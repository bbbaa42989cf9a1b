import Testing
@testable import MullRuntime

/// A model whose every transition lands in a new state (a counter plus noise), to count
/// progressive widening of states exactly.
struct FreshStateModel: SimulationModel {
    func step(_ s: Double, _ a: Double, _ rng: inout RandomSource) -> (state: Double, reward: Double, terminated: Bool) {
        (s + 1 + rng.uniform(), -abs(a), false)
    }
}

/// Children that MCTS.jl's widening rule `count <= k * n^alpha` allows after `visits` visits.
func wideningCount(visits: Int, k: Double, alpha: Double) -> Int {
    var count = 0
    for n in 0..<visits where Double(count) <= k * pow(Double(n), alpha) { count += 1 }
    return count
}

#if canImport(Glibc)
import Glibc
#endif

@Suite struct MCTSTests {
    let cartPole = DynamicsModel(CartPoleDynamics())

    // Deterministic given the seeds. With 100 simulations, depth 50 and c = 20 (about half of the
    // largest discounted return, 39.5 at gamma 0.99) UCT balanced every one of 6 release-mode test
    // episodes for 295 steps or more (most for all 500).
    @Test func uctBalancesCartPole() throws {
        let env = CartPole()
        let mcts = try MCTS(model: cartPole, actions: [0, 1],
                            settings: MCTSSettings(simulations: 100, depth: 50, exploration: 20, discount: 0.99, seed: 1))
        var rng = RandomSource(seed: 21)
        let episodes = PlannerEpisodes.run(env, planner: mcts, episodes: 2, rng: &rng, maxSteps: 200)
        for e in episodes {
            #expect(e.steps == 200 && !e.terminated)
            #expect(e.modelSteps > 200 * 100)
        }
    }

    @Test func sameSeedSameActions() throws {
        let lake = try FrozenLake(mapName: "4x4")
        func run(_ seed: UInt64) throws -> [Double] {
            let mcts = try MCTS(tabular: TabularSimulationModel(lake), settings: MCTSSettings(simulations: 50, depth: 20, seed: seed))
            var rng = RandomSource(seed: 5)
            return try PlannerEpisodes.run(lake, planner: mcts, episodes: 3, rng: &rng, recordActions: true)
                .flatMap { $0.actions! }
        }
        #expect(try run(1) == run(1))
        #expect(try run(1) != run(2))
    }

    @Test func treeIsReusedAlongTheExecutedAction() throws {
        let mcts = try MCTS(model: cartPole, actions: [0, 1],
                            settings: MCTSSettings(simulations: 200, depth: 30, exploration: 20, discount: 0.99))
        let d = CartPoleDynamics()
        let s0 = CartPoleDynamics.State(x: 0, xDot: 0, theta: 0.02, thetaDot: 0)
        let a = mcts.act(s0)
        let child = mcts.rootChildren.first { $0.action == a }!
        #expect(mcts.rootVisits == 200)
        let s1 = d.transition(s0, a).state
        // Visits of the outcome node = visits of its (deterministic) action.
        _ = mcts.act(s1)
        #expect(mcts.reusedVisits == child.visits)
        #expect(mcts.rootVisits == child.visits + 200)
        // An unrelated state starts a fresh tree.
        _ = mcts.act(CartPoleDynamics.State(x: 1, xDot: 0, theta: 0, thetaDot: 0))
        #expect(mcts.reusedVisits == 0)
        #expect(mcts.rootVisits == 200)
        // Without reuse the root always restarts.
        let fresh = try MCTS(model: cartPole, actions: [0, 1],
                             settings: MCTSSettings(simulations: 50, depth: 30, reuseTree: false))
        let b = fresh.act(s0)
        _ = fresh.act(d.transition(s0, b).state)
        #expect(fresh.reusedVisits == 0 && fresh.rootVisits == 50)
    }

    @Test func actionWideningFollowsTheRule() throws {
        for (k, alpha, sims) in [(1.0, 0.5, 100), (2.0, 0.3, 300), (0.5, 0.7, 64)] {
            let mcts = try MCTS(model: FreshStateModel(), actions: [],
                                settings: MCTSSettings(simulations: sims, depth: 3,
                                                       actionWidening: ProgressiveWidening(k: k, alpha: alpha),
                                                       stateWidening: ProgressiveWidening(k: 1, alpha: 0.5)),
                                actionSampler: { _, rng in rng.uniform(-2, 2) })
            _ = mcts.act(0)
            let children = mcts.rootChildren
            #expect(children.count == wideningCount(visits: sims, k: k, alpha: alpha))
            #expect(children.reduce(0) { $0 + $1.visits } == sims)
            // Every new transition is a new state, so each action has exactly as many outcomes as
            // the state rule allows for its visit count.
            for c in children {
                #expect(c.outcomes == wideningCount(visits: c.visits, k: 1, alpha: 0.5), "visits \(c.visits)")
            }
        }
    }

    @Test func discreteActionWideningAddsUntriedActions() throws {
        let lake = try FrozenLake(mapName: "4x4")
        let mcts = try MCTS(model: TabularSimulationModel(lake), actions: [0, 1, 2, 3],
                            settings: MCTSSettings(simulations: 10, depth: 5,
                                                   actionWidening: ProgressiveWidening(k: 1, alpha: 0.5)))
        _ = mcts.act(0)
        let actions = mcts.rootChildren.map(\.action)
        #expect(actions.count == min(4, wideningCount(visits: 10, k: 1, alpha: 0.5)))
        #expect(Set(actions).count == actions.count)
    }

    @Test func puctFollowsThePrior() throws {
        let mcts = try MCTS(model: cartPole, actions: [0, 1],
                            settings: MCTSSettings(simulations: 100, depth: 10, exploration: 50, selection: .puct),
                            prior: { _, p in p[0] = 0.1; p[1] = 0.9 })
        _ = mcts.act(CartPoleDynamics.State(x: 0, xDot: 0, theta: 0, thetaDot: 0))
        let children = mcts.rootChildren
        #expect(children.map(\.prior) == [0.1, 0.9])
        // Near the upright state both actions survive 10 steps, so the prior decides the visits.
        #expect(children[1].visits > 3 * children[0].visits)
    }

    @Test func inspectionShowsThePlan() throws {
        let mcts = try MCTS(model: cartPole, actions: [0, 1],
                            settings: MCTSSettings(simulations: 100, depth: 20, exploration: 20, discount: 0.99))
        let s = CartPoleDynamics.State(x: 0, xDot: 0, theta: 0.1, thetaDot: 0.5)
        let a = mcts.act(s)
        // Falling to the right: push right.
        #expect(a == 1)
        let pv = mcts.principalVariation(maxLength: 5)
        #expect(pv.first?.action == a)
        #expect(pv.count == 5)
        #expect(pv[0].nextState == CartPoleDynamics().transition(s, a).state)
        let text = mcts.treeText(depth: 2, describeAction: { $0 == 0 ? "left" : "right" })
        #expect(text.hasPrefix("root"))
        #expect(text.contains("action right  N="))
        #expect(mcts.treeSize.states > 50)
    }

    // The optimal policy of FrozenLake 4x4 (slippery, gamma 0.99) reaches the goal within the
    // 100-step limit with probability 0.739 (value iteration, 20000 simulated episodes). In
    // release runs of 400 episodes this configuration (transpositions, partial Bellman backups,
    // 50 simulations per step) succeeded in 0.66 of them; plain UCT on the history tree only in
    // 0.09 (1000 simulations) because its sampled chance nodes leave the action values too
    // noisy. Over 100 episodes the success rate has a standard error of about
    // sqrt(0.66 * 0.34 / 100) = 0.047, so 0.5 is more than three standard errors below it, and far
    // above a random policy (0.015).
    @Test func mctsNearlySolvesSlipperyFrozenLake() throws {
        let lake = try FrozenLake(mapName: "4x4")
        let mcts = try MCTS(tabular: TabularSimulationModel(lake),
                            settings: MCTSSettings(simulations: 50, depth: 100, exploration: 5, discount: 0.99,
                                                   finalAction: .highestValue, backup: .partialBellman, seed: 2),
                            transpositions: true)
        var rng = RandomSource(seed: 17)
        let episodes = try PlannerEpisodes.run(lake, planner: mcts, episodes: 100, rng: &rng)
        let successRate = PlannerEpisodeSummary(episodes).meanReturn
        #expect(successRate > 0.5, "success rate \(successRate)")
        // The graph holds one node per state reached, at most 16.
        #expect(mcts.treeSize.states <= 16)
    }

    @Test func transpositionsShareNodesAndKeepTheGraph() throws {
        let lake = try FrozenLake(mapName: "4x4")
        let mcts = try MCTS(tabular: TabularSimulationModel(lake),
                            settings: MCTSSettings(simulations: 30, depth: 20, backup: .partialBellman),
                            transpositions: true)
        _ = mcts.act(0)
        // In a graph a simulation can pass the root again (left from 0 may stay on 0), so the
        // root has at least one visit per simulation.
        #expect(mcts.rootVisits >= 30)
        // State 4 is reachable from 0, so its node exists and is reused as the next root.
        _ = mcts.act(4)
        #expect(mcts.reusedVisits > 0)
        #expect(mcts.rootVisits >= mcts.reusedVisits + 30)
        let tree = try MCTS(tabular: TabularSimulationModel(lake), settings: MCTSSettings(simulations: 30, depth: 20))
        _ = tree.act(0)
        #expect(tree.treeSize.states > mcts.treeSize.states)
    }

    @Test func stochasticOutcomesBecomeChanceChildren() throws {
        let lake = try FrozenLake(mapName: "4x4")
        let mcts = try MCTS(tabular: TabularSimulationModel(lake), settings: MCTSSettings(simulations: 400, depth: 10))
        _ = mcts.act(0)
        // From the start tile each action has at most three distinct outcomes; left: {0, 4}.
        for c in mcts.rootChildren { #expect(c.outcomes >= 1 && c.outcomes <= 3) }
        #expect(mcts.rootChildren.first { $0.action == 0 }!.outcomes == 2)
        #expect(throws: RuntimeError.self) { try MCTS(model: TabularSimulationModel(lake), actions: []) }
        #expect(throws: RuntimeError.self) {
            try MCTS(model: TabularSimulationModel(lake), actions: [0], settings: MCTSSettings(simulations: 0))
        }
    }
}
