import Testing
@testable import MullRuntime

/// A chain 0 - 1 - ... - (n-1) with the goal at the right end: not a GoalPathEnvironment.
final class ChainEnvironment: DiscreteEnvironment {
    let stateCount: Int
    let actionCount = 2
    var state = 0
    var maxEpisodeSteps: Int? { nil }
    var observationSpace: Space { .discrete(stateCount) }
    var actionSpace: Space { .discrete(2) }
    init(length: Int) { stateCount = length }
    func reset(_ rng: inout RandomSource) throws -> Int { state = 0; return 0 }
    func step(_ action: Int, _ rng: inout RandomSource) throws -> StepResult<Int> {
        state = action == 1 ? state + 1 : max(0, state - 1)
        let done = state == stateCount - 1
        return StepResult(observation: state, reward: done ? 1 : 0, terminated: done, truncated: false)
    }
}

@Suite struct RunnerTests {
    static func dyna(_ n: Int = 5) throws -> DynaQ<DeterministicTabularModel> {
        try DynaQ(stateCount: 54, actionCount: 4, settings: .init(alpha: 0.1, gamma: 0.95, epsilon: 0.1), planningSteps: n)
    }

    @Test func episodeBudgetAndMetrics() throws {
        var rng = RandomSource(seed: 1)
        let agent = try Self.dyna()
        let m = try runTabular(agent: agent, environment: try GridWorld.dynaMaze(), options: .init(budget: .episodes(12)), rng: &rng)
        #expect(m.episodeCount == 12 && m.stopReason == .budget)
        #expect(m.terminated.allSatisfy { $0 } && m.truncated.allSatisfy { !$0 })
        #expect(m.returns.allSatisfy { $0 == 1 })
        var sum = 0
        for i in 0..<12 { sum += m.steps[i]; #expect(m.cumulativeRealSteps[i] == sum) }
        #expect(m.cumulativePlanningUpdates.last == sum * 5)
        #expect(m.wallSeconds.count == 12 && m.wallSeconds.allSatisfy { $0 >= 0 })
        #expect(m.cumulativeReward.isEmpty)
    }

    @Test func stepBudgetCutsTheLastEpisode() throws {
        var rng = RandomSource(seed: 2)
        let m = try runTabular(agent: try Self.dyna(), environment: try GridWorld.dynaMaze(),
                               options: .init(budget: .steps(777), recordCumulativeReward: true), rng: &rng)
        #expect(m.steps.reduce(0, +) == 777 && m.totalRealSteps == 777)
        #expect(m.cumulativeReward.count == 777)
        #expect(m.cumulativeReward.last == m.returns.reduce(0, +))
        #expect(m.truncated.last == true || m.terminated.last == true)
        #expect(m.truncated.dropLast().allSatisfy { !$0 })
    }

    @Test func runnerStepLimitTruncates() throws {
        var rng = RandomSource(seed: 3)
        let m = try runTabular(agent: try Self.dyna(0), environment: try GridWorld.dynaMaze(),
                               options: .init(budget: .episodes(5), maxEpisodeSteps: 10), rng: &rng)
        for i in 0..<5 { #expect(m.steps[i] <= 10); #expect(m.terminated[i] || (m.truncated[i] && m.steps[i] == 10)) }
    }

    @Test func sameSeedSameMetrics() throws {
        func once(_ seed: UInt64) throws -> TabularRunMetrics {
            var rng = RandomSource(seed: seed)
            let agent = try PrioritizedSweeping(stateCount: 54, actionCount: 4, settings: .init(alpha: 0.5), planningSteps: 5, theta: 1e-4)
            return try runTabular(agent: agent, environment: try GridWorld.dynaMaze(),
                                  options: .init(budget: .steps(2000), recordCumulativeReward: true), rng: &rng)
        }
        let a = try once(42), b = try once(42), c = try once(43)
        #expect(a.sameOutcome(as: b))
        #expect(!a.sameOutcome(as: c))
        var r1 = RandomSource(seed: 9), r2 = RandomSource(seed: 9)
        let e1 = try runTabular(agent: try Self.dyna(50), environment: try GridWorld.shortcutMaze(changeAfter: 300), options: .init(budget: .steps(600)), rng: &r1)
        let e2 = try runTabular(agent: try Self.dyna(50), environment: try GridWorld.shortcutMaze(changeAfter: 300), options: .init(budget: .steps(600)), rng: &r2)
        #expect(e1.sameOutcome(as: e2))
    }

    @Test func cancellationKeepsFinishedEpisodes() throws {
        var rng = RandomSource(seed: 4)
        var calls = 0
        let m = try runTabular(agent: try Self.dyna(), environment: try GridWorld.dynaMaze(), options: .init(budget: .episodes(100)), rng: &rng) { metrics in
            calls += 1
            #expect(metrics.episodeCount == calls)
            return calls < 3
        }
        #expect(m.episodeCount == 3 && m.stopReason == .cancelled)
    }

    @Test func hugeGreedyPathFactorStopsAtTheFirstPathFound() throws {
        // 1e19 times the shortest path does not fit an Int, and a greedy walk that loops must
        // not be followed that far: any path to the goal satisfies the criterion.
        var rng = RandomSource(seed: 5)
        let agent = try Self.dyna(5)
        let env = try GridWorld.dynaMaze()
        let m = try runTabular(agent: agent, environment: env, options: .init(budget: .episodes(500), stopWhenGreedyPathWithin: 1e19), rng: &rng)
        #expect(m.stopReason == .greedyPathFound && m.episodeCount < 500)
        #expect(m.greedyPathLength.map { $0 <= env.stateCount } == true)
    }

    @Test func stopCriteria() throws {
        var rng = RandomSource(seed: 5)
        let agent = try Self.dyna(50)
        let env = try GridWorld.dynaMaze()
        let m = try runTabular(agent: agent, environment: env, options: .init(budget: .episodes(500), stopWhenGreedyPathWithin: 1), rng: &rng)
        #expect(m.stopReason == .greedyPathFound && m.greedyPathLength == 14)
        #expect(env.pathLength(maxSteps: 14) { agent.firstGreedyAction($0) } == 14)
        // The criterion was not met one episode earlier, or the run would have stopped there.
        #expect(m.episodeCount < 500)

        var rng2 = RandomSource(seed: 6)
        let chain = ChainEnvironment(length: 6)
        let q = try QLearning(stateCount: 6, actionCount: 2, settings: .init(alpha: 0.5, gamma: 0.9, epsilon: 0.1))
        let s = try runTabular(agent: q, environment: chain, options: .init(budget: .episodes(1000), maxEpisodeSteps: 8, stopAfterConsecutiveSuccesses: 5), rng: &rng2)
        #expect(s.stopReason == .consecutiveSuccesses)
        #expect(s.terminated.suffix(5).allSatisfy { $0 })
        #expect(throws: RuntimeError.self) {
            var r = RandomSource(seed: 1)
            _ = try runTabular(agent: q, environment: chain, options: .init(budget: .episodes(1), stopWhenGreedyPathWithin: 1.2), rng: &r)
        }
        #expect(throws: RuntimeError.self) {
            var r = RandomSource(seed: 1)
            _ = try runTabular(agent: q, environment: try GridWorld.dynaMaze(), options: .init(budget: .episodes(1)), rng: &r)
        }
    }
}
