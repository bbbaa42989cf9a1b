/// One predicted transition of a tabular model.
public struct ModelSample: Sendable, Equatable {
    public var next: Int
    public var reward: Double
    public var terminated: Bool
    @inlinable
    public init(next: Int, reward: Double, terminated: Bool) {
        self.next = next
        self.reward = reward
        self.terminated = terminated
    }
}

/// A model of a discrete environment's dynamics over `(state, action)` pairs, learned from real
/// transitions or known exactly; what Dyna-style planners sample from.
///
/// Pairs are indexed flat as `state * actionCount + action`. Models are owned by one agent and
/// one trial: never shared between threads.
public protocol TabularModel: AnyObject {
    var stateCount: Int { get }
    var actionCount: Int { get }

    /// Records a real transition; returns whether the model's prediction for the pair changed
    /// (a learned stochastic model always changes; a known model never does).
    @discardableResult
    func update(_ state: Int, _ action: Int, reward: Double, next: Int, terminated: Bool) -> Bool
    /// Draws an outcome for the pair; for an unknown pair, a self-loop with reward 0.
    func sample(_ state: Int, _ action: Int, _ rng: inout RandomSource) -> ModelSample
    /// The most likely outcome, or nil for an unknown pair.
    func predict(_ state: Int, _ action: Int) -> ModelSample?
    /// All outcomes with their probabilities (empty for an unknown pair).
    func distribution(_ state: Int, _ action: Int) -> [Outcome]
    /// Calls `body(probability, next, reward, terminated)` for each outcome of the pair, without
    /// allocating (nothing for an unknown pair).
    func forEachOutcome(_ state: Int, _ action: Int, _ body: (Double, Int, Double, Bool) -> Void)
    /// Whether the model has an outcome for the pair.
    func isKnown(_ state: Int, _ action: Int) -> Bool
    /// How many real transitions from the pair were recorded.
    func count(_ state: Int, _ action: Int) -> Int

    /// Number of distinct states in which an action was recorded (all states for a known model).
    var observedStateCount: Int { get }
    /// The `index`-th observed state, in order of first observation.
    func observedState(at index: Int) -> Int
    /// Number of distinct actions recorded in `state`.
    func observedActionCount(_ state: Int) -> Int
    /// The `index`-th action recorded in `state`.
    func observedAction(_ state: Int, at index: Int) -> Int

    /// Calls `body(predecessorState, action, reward, terminated)` for every pair the model
    /// predicts can lead to `state`, with the reward and terminal flag of that transition.
    func forEachPredecessor(of state: Int, _ body: (Int, Int, Double, Bool) -> Void)

    /// Forgets everything learned (a known model keeps its dynamics).
    func reset()
}

extension TabularModel {
    /// A uniformly random previously observed state, then a uniformly random action previously
    /// taken in it (the sampling of Sutton & Barto's tabular Dyna-Q); nil before any update.
    @inlinable
    public func sampleObservedPair(_ rng: inout RandomSource) -> (state: Int, action: Int)? {
        let n = observedStateCount
        if n == 0 { return nil }
        let s = observedState(at: rng.int(below: n))
        let a = observedAction(s, at: rng.int(below: observedActionCount(s)))
        return (s, a)
    }

    /// Whether `state` has at least one recorded action.
    @inlinable
    public func isObserved(_ state: Int) -> Bool { observedActionCount(state) > 0 }
}

/// A singly linked list per key over flat arrays: O(1) insertion at the head, no per-list
/// allocation. Used for predecessor lists and per-pair outcome lists.
@usableFromInline
struct FlatLists {
    @usableFromInline var head: [Int]
    @usableFromInline var nextEntry: [Int] = []
    @usableFromInline var value: [Int] = []

    @usableFromInline init(keys: Int) { head = [Int](repeating: -1, count: keys) }

    @inlinable mutating func prepend(_ key: Int, _ v: Int) {
        nextEntry.append(head[key])
        value.append(v)
        head[key] = value.count - 1
    }

    @inlinable func contains(_ key: Int, _ v: Int) -> Bool {
        var e = head[key]
        while e >= 0 {
            if value[e] == v { return true }
            e = nextEntry[e]
        }
        return false
    }

    @inlinable mutating func removeAll() {
        for i in head.indices { head[i] = -1 }
        nextEntry.removeAll(keepingCapacity: true)
        value.removeAll(keepingCapacity: true)
    }
}
