import Testing
#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif
@testable import MullRuntime

/// Exact-result checks for the runtime's optimised paths: seeded runs whose Q tables and counters
/// are pinned bit for bit (a fingerprint over the raw bits of every Q value), so that a change
/// meant only to make the code faster cannot change any number. The pinned values were taken
/// with the straightforward implementations the optimised ones replaced.
@Suite struct RuntimeFingerprintTests {
    /// FNV-1a over the bit patterns of `values`, then the counters.
    static func fingerprint(_ values: [Double], _ counters: [Int]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in values { h = (h ^ v.bitPattern) &* 0x0000_0100_0000_01b3 }
        for c in counters { h = (h ^ UInt64(bitPattern: Int64(c))) &* 0x0000_0100_0000_01b3 }
        return h
    }

    static func run(_ agent: any TabularAgent, resolution: Int, episodes: Int, seed: UInt64) throws -> UInt64 {
        var rng = RandomSource(seed: seed)
        let env = try GridWorld.dynaMaze(resolution: resolution)
        _ = try runTabular(agent: agent, environment: env, options: .init(budget: .episodes(episodes)), rng: &rng)
        return fingerprint(agent.q, [agent.realSteps, agent.planningUpdates])
    }

    static let settings = TabularSettings(alpha: 0.5, gamma: 0.95, epsilon: 0.1, initialQ: 1)

    /// Pinned (prioritized sweeping, Dyna-Q, Dyna-Q+) fingerprints for each learned model: 20
    /// episodes on the Dyna maze at resolution 2, seed 7.
    static let pinned: [LearnedModelKind: [UInt64]] = [
        .deterministic: [1602751286470832739, 5732854490430497864, 11368802067783133104],
        .stochastic: [10308361134517169906, 5374534372051503749, 1072448930677441779],
    ]

    @Test(arguments: LearnedModelKind.allCases)
    func modelBasedAgentsGiveThePinnedNumbers(_ kind: LearnedModelKind) throws {
        let states = 54 * 4
        let ps = try TabularAgents.prioritizedSweeping(stateCount: states, actionCount: 4, settings: Self.settings, planningSteps: 5,
                                                      theta: 1e-4, model: kind)
        let dq = try TabularAgents.dynaQ(stateCount: states, actionCount: 4, settings: Self.settings, planningSteps: 10, model: kind)
        let dp = try TabularAgents.dynaQPlus(stateCount: states, actionCount: 4, settings: Self.settings, planningSteps: 10,
                                             kappa: 1e-3, model: kind)
        let got = try [ps, dq, dp].map { try Self.run($0, resolution: 2, episodes: 20, seed: 7) }
        #expect(got == Self.pinned[kind])
    }

    /// The textbook binary heap (sift-down stops at the first child not higher than the moving
    /// entry), as a reference for the pop order of `IndexedMaxHeap`, ties included.
    struct TextbookHeap {
        var keys: [Int] = [], priorities: [Double] = [], position: [Int]
        init(capacity: Int) { position = [Int](repeating: -1, count: capacity) }
        mutating func push(_ key: Int, _ priority: Double) {
            var i = position[key]
            if i >= 0 {
                if priority <= priorities[i] { return }
            } else {
                i = keys.count
                keys.append(key)
                priorities.append(priority)
            }
            while i > 0 {
                let parent = (i - 1) / 2
                if priorities[parent] >= priority { break }
                keys[i] = keys[parent]; priorities[i] = priorities[parent]; position[keys[i]] = i
                i = parent
            }
            keys[i] = key; priorities[i] = priority; position[key] = i
        }
        mutating func pop() -> (Int, Double)? {
            guard let topKey = keys.first else { return nil }
            let topPriority = priorities[0]
            position[topKey] = -1
            let key = keys.removeLast(), priority = priorities.removeLast()
            let count = keys.count
            if count > 0 {
                var i = 0
                while true {
                    let left = 2 * i + 1
                    if left >= count { break }
                    var child = left
                    if left + 1 < count && priorities[left + 1] > priorities[left] { child = left + 1 }
                    if priorities[child] <= priority { break }
                    keys[i] = keys[child]; priorities[i] = priorities[child]; position[keys[i]] = i
                    i = child
                }
                keys[i] = key; priorities[i] = priority; position[key] = i
            }
            return (topKey, topPriority)
        }
    }

    @Test(arguments: [2, 5, 1000])
    func heapPopsInTheTextbookOrderTiesIncluded(_ distinctPriorities: Int) {
        // Priorities drawn from `distinctPriorities` values, so that with few values most pushes tie.
        let heap = IndexedMaxHeap(capacity: 300)
        var reference = TextbookHeap(capacity: 300)
        var rng = RandomSource(seed: 11)
        for _ in 0..<20_000 {
            if rng.uniform() < 0.6 {
                let k = rng.int(below: 300), p = Double(rng.int(below: distinctPriorities))
                heap.push(k, priority: p)
                reference.push(k, p)
            } else {
                let a = heap.pop(), b = reference.pop()
                #expect(a?.key == b?.0 && a?.priority == b?.1)
            }
            #expect(heap.count == reference.keys.count)
        }
    }
}

/// Exact-result checks for the decision-time planners: seeded searches whose actions, model-step
/// counts and root statistics are pinned bit for bit.
@Suite struct PlannerFingerprintTests {
    static func uct(reuse: Bool, selection: MCTSSelection) throws -> UInt64 {
        let dynamics = CartPoleDynamics()
        let mcts = try MCTS(model: DynamicsModel(dynamics), actions: [0, 1],
                            settings: MCTSSettings(simulations: 60, depth: 30, exploration: 5, discount: 0.99,
                                                   selection: selection, reuseTree: reuse, seed: 3))
        var rng = RandomSource(seed: 4)
        var s = dynamics.initialState(&rng)
        var bits: [UInt64] = []
        for _ in 0..<15 {
            let a = mcts.act(s)
            bits.append(UInt64(a))
            for summary in mcts.rootChildren {
                bits += [UInt64(summary.visits), summary.meanValue.bitPattern]
            }
            let r = dynamics.transition(s, a)
            s = r.terminated ? dynamics.initialState(&rng) : r.state
        }
        bits += [UInt64(mcts.modelSteps), UInt64(mcts.treeSize.states), UInt64(mcts.treeSize.actions)]
        return RuntimeFingerprintTests.fingerprint(bits.map { Double(bitPattern: $0) }, [])
    }

    static func lake(backup: MCTSBackup) throws -> UInt64 {
        let lake = try FrozenLake(mapName: "4x4")
        let mcts = try MCTS(tabular: TabularSimulationModel(lake),
                            settings: MCTSSettings(simulations: 80, depth: 20, backup: backup, seed: 9), transpositions: true)
        var rng = RandomSource(seed: 5)
        let episodes = try PlannerEpisodes.run(lake, planner: mcts, episodes: 3, rng: &rng, recordActions: true)
        let actions = episodes.flatMap { $0.actions! }
        return RuntimeFingerprintTests.fingerprint(actions, [mcts.modelSteps, mcts.treeSize.states, mcts.rootVisits])
    }

    /// Pinned UCT on CartPole: without reuse, with reuse, PUCT with reuse.
    @Test func mctsOnCartPoleGivesThePinnedNumbers() throws {
        #expect(try Self.uct(reuse: false, selection: .uct) == 2871467679765172814)
        #expect(try Self.uct(reuse: true, selection: .uct) == 3556204000183512378)
        #expect(try Self.uct(reuse: true, selection: .puct) == 17212470948122414291)
    }

    /// Pinned MCTS with transpositions on FrozenLake (a graph kept between steps).
    @Test func mctsWithTranspositionsGivesThePinnedNumbers() throws {
        #expect(try Self.lake(backup: .partialBellman) == 17684204708380906211)
        #expect(try Self.lake(backup: .monteCarlo) == 888046126635979030)
    }

    /// `sineCosine` (one `sincos` call where the C library has it) gives exactly `sin` and `cos`:
    /// 200,000 arguments in the ranges the classic-control tasks use and far beyond.
    @Test func sineCosineIsBitIdenticalToSinAndCos() {
        var rng = RandomSource(seed: 12)
        var mismatches = 0
        for i in 0..<200_000 {
            let scale = [0.5, 8.0, 1e3, 1e9][i % 4]
            let x = (rng.uniform() - 0.5) * scale
            let (s, c) = sineCosine(x)
            if s.bitPattern != sin(x).bitPattern || c.bitPattern != cos(x).bitPattern { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// The ziggurat sampler's moments and tails. With n = 400,000 standard normal samples the
    /// standard errors are 0.0016 (mean), 0.0022 (variance), 0.0039 (skewness), 0.0077 (excess
    /// kurtosis), 0.00034 for P(|z| > 2) = 0.0455 and 0.000086 for P(|z| > 3) = 0.0027; every
    /// bound is about five standard errors. The tail beyond r = 3.654 (0.026% of samples, 104
    /// expected) is drawn by a separate branch, so it is checked on its own: more than 60.
    @Test func fastNormalHasStandardNormalMomentsAndTails() {
        var rng = RandomSource(seed: 31)
        let n = 400_000
        var s1 = 0.0, s2 = 0.0, s3 = 0.0, s4 = 0.0
        var beyond2 = 0, beyond3 = 0, beyondR = 0
        for _ in 0..<n {
            let z = rng.fastNormal()
            s1 += z; s2 += z * z; s3 += z * z * z; s4 += z * z * z * z
            if abs(z) > 2 { beyond2 += 1 }
            if abs(z) > 3 { beyond3 += 1 }
            if abs(z) > 3.6541528853610088 { beyondR += 1 }
        }
        let N = Double(n)
        #expect(abs(s1 / N) < 0.008)
        #expect(abs(s2 / N - 1) < 0.011)
        #expect(abs(s3 / N) < 0.02)
        #expect(abs(s4 / N - 3) < 0.04)
        #expect(abs(Double(beyond2) / N - 0.0455) < 0.0017)
        #expect(abs(Double(beyond3) / N - 0.0027) < 0.00045)
        #expect(beyondR > 60)
    }

    @Test func fillNormalIsTheFastNormalStream() {
        var a = RandomSource(seed: 5), b = a
        var buffer = [Double](repeating: 0, count: 1000)
        buffer.withUnsafeMutableBufferPointer { a.fillNormal($0) }
        #expect(buffer == (0..<1000).map { _ in b.fastNormal() })
        #expect(a.next() == b.next())
    }

    /// Pinned CEM on Pendulum (the ziggurat stream): the first actions and the model steps.
    @Test func cemOnPendulumGivesThePinnedNumbers() throws {
        let dynamics = PendulumDynamics()
        let cem = try CEM(model: DynamicsModel(dynamics), horizon: 15, low: [-2], high: [2], population: 60,
                          elites: .count(6), iterations: 3, alpha: 0.1, seed: 2)
        var rng = RandomSource(seed: 8)
        var s = dynamics.initialState(&rng)
        var actions: [Double] = []
        for _ in 0..<12 {
            let u = cem.act(s)
            actions.append(u)
            s = dynamics.transition(s, u).state
        }
        #expect(RuntimeFingerprintTests.fingerprint(actions, [cem.modelSteps]) == Self.pinnedCEM)
    }
    static let pinnedCEM: UInt64 = 9948472687032339206
}
