/// Action values stored flat: `q[state * actionCount + action]`, with the greedy and
/// epsilon-greedy choices every tabular agent needs.
///
/// The values live in one fixed buffer shared by copies of the table (reference semantics), so
/// agents update them in place with no copy-on-write or exclusivity checks.
public struct QTable {
    public let stateCount: Int
    public let actionCount: Int
    @usableFromInline let storage: FixedBuffer<Double>

    public init(stateCount: Int, actionCount: Int, initial: Double) {
        self.stateCount = stateCount
        self.actionCount = actionCount
        storage = FixedBuffer(repeating: initial, count: stateCount * actionCount)
    }

    /// A snapshot of all values, flat (`state * actionCount + action`).
    public var values: [Double] { storage.array }

    @inlinable @inline(__always)
    public subscript(_ state: Int, _ action: Int) -> Double {
        get { storage[state * actionCount + action] }
        nonmutating set { storage[state * actionCount + action] = newValue }
    }

    @inlinable @inline(__always)
    public subscript(flat i: Int) -> Double {
        get { storage[i] }
        nonmutating set { storage[i] = newValue }
    }

    /// max_a Q(state, a).
    @inlinable
    public func maxValue(_ state: Int) -> Double {
        let base = state * actionCount
        var best = storage[base]
        for a in 1..<actionCount where storage[base + a] > best { best = storage[base + a] }
        return best
    }

    /// The first action with the largest value (deterministic).
    @inlinable
    public func firstGreedyAction(_ state: Int) -> Int {
        let base = state * actionCount
        var best = 0
        for a in 1..<actionCount where storage[base + a] > storage[base + best] { best = a }
        return best
    }

    /// An action with the largest value, ties broken uniformly at random (draws from `rng`
    /// only when there is a tie).
    @inlinable
    public func greedyAction(_ state: Int, _ rng: inout RandomSource) -> Int {
        let base = state * actionCount
        var best = storage[base]
        var ties = 1
        var first = 0
        for a in 1..<actionCount {
            let v = storage[base + a]
            if v > best { best = v; ties = 1; first = a } else if v == best { ties += 1 }
        }
        if ties == 1 { return first }
        var k = rng.int(below: ties)
        for a in first..<actionCount where storage[base + a] == best {
            if k == 0 { return a }
            k -= 1
        }
        return first
    }

    /// With probability `epsilon` a uniformly random action, otherwise a greedy one.
    @inlinable
    public func epsilonGreedy(_ state: Int, epsilon: Double, _ rng: inout RandomSource) -> Int {
        if epsilon > 0 && rng.uniform() < epsilon { return rng.int(below: actionCount) }
        return greedyAction(state, &rng)
    }

    /// Expected value of Q(state, ·) under the epsilon-greedy policy (all maxima have the same value, so tie-breaking does not matter).
    @inlinable
    public func expectedValue(_ state: Int, epsilon: Double) -> Double {
        let base = state * actionCount
        let best = maxValue(state)
        var sum = 0.0
        for a in 0..<actionCount { sum += storage[base + a] }
        return epsilon * sum / Double(actionCount) + (1 - epsilon) * best
    }

    public func fill(_ value: Double) { storage.fill(value) }
}
