import Testing
@testable import MullRuntime

/// Reduced reproductions of Sutton & Barto (2018), chapter 8. Every run is seeded, so each test
/// is deterministic; the run counts are chosen so the statements hold with a wide margin for
/// any seed (margins are stated next to each check).
@Suite struct ChapterEightTests {
    static let dynaSettings = TabularSettings(alpha: 0.1, gamma: 0.95, epsilon: 0.1)

    /// Mean steps per episode over `runs` runs of Dyna-Q with `n` planning steps on the Dyna maze.
    static func dynaMazeSteps(n: Int, runs: Int, episodes: Int = 50) throws -> [Double] {
        var mean = [Double](repeating: 0, count: episodes)
        for run in 0..<runs {
            var rng = RandomSource(seed: 82, stream: UInt64(run))
            let env = try GridWorld.dynaMaze()
            let agent = try DynaQ(stateCount: env.stateCount, actionCount: 4, settings: dynaSettings, planningSteps: n)
            let m = try runTabular(agent: agent, environment: env, options: .init(budget: .episodes(episodes)), rng: &rng)
            for (i, s) in m.steps.enumerated() { mean[i] += Double(s) / Double(runs) }
        }
        return mean
    }

    @Test func figure8_2() throws {
        // 10 runs (the book averages 30). After convergence an episode of the 14-step optimal
        // path under epsilon = 0.1 takes about 16-17 steps on average (measured: 16.4 over
        // episodes 3-50), with a per-episode standard deviation of about 3-4 steps; averaged
        // over 10 runs the standard error is about 1 step, so the bound of 20 sits three or more
        // standard errors above the mean (the largest of the 48 means measured was 18.5).
        let planned = try Self.dynaMazeSteps(n: 50, runs: 10)
        for e in 2..<50 { #expect(planned[e] < 20, "n=50, episode \(e + 1): \(planned[e]) steps") }
        // Without planning the 10th episode still takes well over 40 steps (measured: about 150
        // with these seeds; the book's curve is of that order); run-to-run spread is large, but
        // even a spread of 100% gives a standard error near 50 steps over 10 runs.
        let direct = try Self.dynaMazeSteps(n: 0, runs: 10)
        #expect(direct[9] > 40, "n=0, episode 10: \(direct[9]) steps")
        // The first episode is a random walk for both (no reward has been seen yet).
        #expect(planned[0] > 100 && direct[0] > 100)
    }

    struct ChangingMazeResult {
        var finalReward: Double = 0
        var usesShortcut = 0
    }

    /// Mean final cumulative reward and count of runs whose final greedy path is the shortest.
    static func changingMaze(plus: Bool, blocking: Bool, runs: Int) throws -> ChangingMazeResult {
        var result = ChangingMazeResult()
        let settings = TabularSettings(alpha: 1.0, gamma: 0.95, epsilon: 0.1)
        let n = blocking ? 10 : 50
        let kappa = blocking ? 1e-4 : 1e-3
        let steps = blocking ? 3000 : 6000
        for run in 0..<runs {
            var rng = RandomSource(seed: blocking ? 84 : 85, stream: UInt64(run))
            let env = try blocking ? GridWorld.blockingMaze() : GridWorld.shortcutMaze()
            let options = TabularRunOptions(budget: .steps(steps), recordCumulativeReward: true)
            let m: TabularRunMetrics
            let policy: [Int]
            if plus {
                let agent = try DynaQPlus(stateCount: env.stateCount, actionCount: 4, settings: settings, planningSteps: n, kappa: kappa)
                m = try runTabular(agent: agent, environment: env, options: options, rng: &rng)
                policy = agent.greedyPolicy()
            } else {
                let agent = try DynaQ(stateCount: env.stateCount, actionCount: 4, settings: settings, planningSteps: n)
                m = try runTabular(agent: agent, environment: env, options: options, rng: &rng)
                policy = agent.greedyPolicy()
            }
            #expect(m.cumulativeReward.count == steps)
            result.finalReward += m.cumulativeReward[steps - 1] / Double(runs)
            if env.pathLength(maxSteps: 10, policy: { policy[$0] }) != nil { result.usesShortcut += 1 }
        }
        return result
    }

    @Test func figure8_4BlockingMaze() throws {
        // 5 runs (the book averages 20). Dyna-Q often stays stuck behind the new wall for the
        // rest of the run (its old values keep pulling it to the blocked side), while Dyna-Q+
        // re-explores; measured means: Dyna-Q 36, Dyna-Q+ 136, a gap far larger than the
        // run-to-run spread (a run ends between 0 and about 150) divided by sqrt(5).
        let q = try Self.changingMaze(plus: false, blocking: true, runs: 5)
        let plus = try Self.changingMaze(plus: true, blocking: true, runs: 5)
        #expect(plus.finalReward > q.finalReward, "Dyna-Q+ \(plus.finalReward) vs Dyna-Q \(q.finalReward)")
    }

    @Test func figure8_5ShortcutMaze() throws {
        // 3 runs (the book averages 5). Finding the shortcut is an all-or-nothing event: the book
        // reports Dyna-Q never finds it and Dyna-Q+ does; we require that in every run.
        let q = try Self.changingMaze(plus: false, blocking: false, runs: 3)
        let plus = try Self.changingMaze(plus: true, blocking: false, runs: 3)
        #expect(plus.finalReward > q.finalReward, "Dyna-Q+ \(plus.finalReward) vs Dyna-Q \(q.finalReward)")
        #expect(plus.usesShortcut == 3)
        #expect(q.usesShortcut == 0)
    }

    /// Mean planning updates and mean total updates (real + planning) until the first-greedy
    /// path from the start is within 1.2x the shortest path (the relaxed optimality test of the
    /// reference implementation of Example 8.4).
    static func updatesToSolve(sweeping: Bool, resolution: Int, runs: Int, initialQ: Double = 0) throws -> (planning: Double, total: Double) {
        let settings = TabularSettings(alpha: 0.5, gamma: 0.95, epsilon: 0.1, initialQ: initialQ)
        var planning = 0.0, total = 0.0
        for run in 0..<runs {
            var rng = RandomSource(seed: 844, stream: UInt64(run))
            let env = try GridWorld.dynaMaze(resolution: resolution)
            let options = TabularRunOptions(budget: .episodes(10_000), stopWhenGreedyPathWithin: 1.2)
            let m: TabularRunMetrics
            if sweeping {
                let agent = try PrioritizedSweeping(stateCount: env.stateCount, actionCount: 4, settings: settings, planningSteps: 5, theta: 1e-4)
                m = try runTabular(agent: agent, environment: env, options: options, rng: &rng)
            } else {
                let agent = try DynaQ(stateCount: env.stateCount, actionCount: 4, settings: settings, planningSteps: 5)
                m = try runTabular(agent: agent, environment: env, options: options, rng: &rng)
            }
            #expect(m.stopReason == .greedyPathFound)
            planning += Double(m.totalPlanningUpdates) / Double(runs)
            total += Double(m.totalPlanningUpdates + m.totalRealSteps) / Double(runs)
        }
        return (planning, total)
    }

    @Test func example8_4PrioritizedSweeping() throws {
        // Resolution 2 (216 cells, shortest path 28), alpha 0.5, n = 5, theta 1e-4 as in the
        // reference implementation. Initial Q = 1 (the goal reward, an upper bound on any
        // return): optimism in the face of uncertainty, as in Moore & Atkeson (1993), makes
        // exploration systematic so the count measures planning efficiency rather than luck in
        // the epsilon-greedy search. (With Q0 = 0 both methods are bound by exploration and the
        // totals differ by less than 2x at this size.) Over 20 runs the ratio of means was
        // about 3.2; per-run totals vary by roughly +-30%, so with 10 runs each the standard
        // error of each mean is about 10% and a required factor of 2 leaves a wide margin.
        let dyna = try Self.updatesToSolve(sweeping: false, resolution: 2, runs: 10, initialQ: 1)
        let sweep = try Self.updatesToSolve(sweeping: true, resolution: 2, runs: 10, initialQ: 1)
        #expect(sweep.total * 2 < dyna.total, "prioritized sweeping \(sweep) vs Dyna-Q \(dyna) updates")
        #expect(sweep.planning * 2 < dyna.planning)
    }
}
