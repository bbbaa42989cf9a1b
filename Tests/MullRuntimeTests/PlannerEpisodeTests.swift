import Testing
@testable import MullRuntime

/// A planner that always returns the same action and simulates nothing.
final class ConstantPlanner<S, A>: DecisionTimePlanner {
    let action: A
    var resets = 0
    var calls = 0
    init(_ action: A) { self.action = action }
    func reset() { resets += 1 }
    func act(_ state: S) -> A { calls += 1; return action }
    var modelSteps: Int { 0 }
}

@Suite struct PlannerEpisodeTests {
    @Test func controlEpisodesFollowTheTrueDynamics() throws {
        let env = CartPole()
        let planner = ConstantPlanner<CartPoleDynamics.State, Int>(1)
        var rng = RandomSource(seed: 3)
        var check = RandomSource(seed: 3)
        let episodes = PlannerEpisodes.run(env, planner: planner, episodes: 3, rng: &rng, recordActions: true)
        #expect(episodes.count == 3 && planner.resets == 3)
        for e in episodes {
            // Replaying the same start and pushes gives the same episode.
            var s = CartPoleDynamics().initialState(&check)
            var steps = 0
            while true {
                let t = CartPoleDynamics().transition(s, 1)
                steps += 1
                s = t.state
                if t.terminated { break }
            }
            #expect(e.steps == steps && e.terminated)
            #expect(e.totalReward == Double(steps))
            #expect(e.modelSteps == 0)
            #expect(e.actions == [Double](repeating: 1, count: steps))
        }
        #expect(planner.calls == episodes.reduce(0) { $0 + $1.steps })
    }

    @Test func stepLimitTruncates() {
        let env = Pendulum()
        let planner = ConstantPlanner<PendulumDynamics.State, Double>(0)
        var rng = RandomSource(seed: 1)
        let e = PlannerEpisodes.run(env, planner: planner, episodes: 1, rng: &rng, maxSteps: 17)[0]
        #expect(e.steps == 17 && !e.terminated)
        let full = PlannerEpisodes.run(env, planner: planner, episodes: 1, rng: &rng)[0]
        #expect(full.steps == 200)
    }

    @Test func toyTextEpisodesUseResetAndStep() throws {
        let lake = try FrozenLake(mapName: "4x4", isSlippery: false)
        // Always right from the start tile: 0 -> 1 -> 2 -> 3, then stuck against the wall until
        // the 100-step limit.
        let planner = ConstantPlanner<Int, Int>(2)
        var rng = RandomSource(seed: 0)
        let e = try PlannerEpisodes.run(lake, planner: planner, episodes: 2, rng: &rng)
        #expect(e.map(\.steps) == [100, 100])
        #expect(e.allSatisfy { !$0.terminated && $0.totalReward == 0 })
        // Down, down, right, right, down, right reaches the goal; a planner on the true model finds
        // it; discounting makes the shortest path the best.
        let settings = MCTSSettings(simulations: 200, depth: 12, discount: 0.9, finalAction: .highestValue,
                                    backup: .partialBellman)
        let mcts = try MCTS(tabular: TabularSimulationModel(lake), settings: settings, transpositions: true)
        let solved = try PlannerEpisodes.run(lake, planner: mcts, episodes: 1, rng: &rng)[0]
        #expect(solved.terminated && solved.totalReward == 1 && solved.steps == 6)
        #expect(solved.modelSteps > 0)
    }

    @Test func cemEpisodeCountsEveryModelTransition() throws {
        let env = Pendulum()
        let cem = try CEM(model: DynamicsModel(env), horizon: 5, low: [-2], high: [2], population: 8,
                          elites: .count(2), iterations: 2, seed: 0)
        var rng = RandomSource(seed: 2)
        let episodes = PlannerEpisodes.run(env, planner: cem, episodes: 2, rng: &rng, maxSteps: 10)
        for e in episodes { #expect(e.modelSteps == 10 * 8 * 2 * 5) }
        let summary = PlannerEpisodeSummary(episodes)
        #expect(summary.episodes == 2 && summary.modelSteps == 1600 && summary.meanSteps == 10)
        #expect(summary.meanReturn == (episodes[0].totalReward + episodes[1].totalReward) / 2)
        #expect(summary.seconds > 0 && summary.modelStepsPerSecond > 0)
    }
}
