import Testing
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
