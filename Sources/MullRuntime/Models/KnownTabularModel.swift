/// The exact model of an environment with tabular dynamics, queryable from any state.
///
/// The transition table is copied into flat arrays when the model is built; call `refresh()`
/// after the environment's dynamics change (e.g. a maze whose walls moved). Every state counts
/// as observed and every pair as known; `update` only counts real transitions.
public final class KnownTabularModel<Env: TabularDynamics>: TabularModel {
    public let environment: Env
    public let stateCount: Int
    public let actionCount: Int
    /// Outcome range of pair `sa` is `outcomeStart[sa]..<outcomeStart[sa + 1]`.
    @usableFromInline var outcomeStart: [Int] = []
    @usableFromInline var probability: [Double] = []
    @usableFromInline var nextState: [Int] = []
    @usableFromInline var rewards: [Double] = []
    @usableFromInline var terminal: [Bool] = []
    @usableFromInline var mostLikely: [Int] = []
    @usableFromInline var counts: [Int]
    /// Per state, outcome indices leading to it.
    @usableFromInline var predecessors: FlatLists
    @usableFromInline var outcomePair: [Int] = []

    public init(_ environment: Env) {
        self.environment = environment
        stateCount = environment.stateCount
        actionCount = environment.actionCount
        counts = [Int](repeating: 0, count: stateCount * actionCount)
        predecessors = FlatLists(keys: stateCount)
        refresh()
    }

    /// Re-reads the environment's transition table.
    public func refresh() {
        outcomeStart.removeAll(keepingCapacity: true)
        probability.removeAll(keepingCapacity: true)
        nextState.removeAll(keepingCapacity: true)
        rewards.removeAll(keepingCapacity: true)
        terminal.removeAll(keepingCapacity: true)
        mostLikely.removeAll(keepingCapacity: true)
        outcomePair.removeAll(keepingCapacity: true)
        predecessors.removeAll()
        for s in 0..<stateCount {
            for a in 0..<actionCount {
                let sa = s * actionCount + a
                outcomeStart.append(probability.count)
                var best = -1
                for o in environment.transitions(from: s, action: a) where o.probability > 0 {
                    let index = probability.count
                    probability.append(o.probability)
                    nextState.append(o.next)
                    rewards.append(o.reward)
                    terminal.append(o.terminated)
                    outcomePair.append(sa)
                    if best < 0 || o.probability > probability[best] { best = index }
                    // Self-loops of terminal states are not predecessors worth sweeping.
                    if !(o.next == s && o.terminated) { predecessors.prepend(o.next, index) }
                }
                mostLikely.append(best)
            }
        }
        outcomeStart.append(probability.count)
    }

    @inlinable @discardableResult
    public func update(_ state: Int, _ action: Int, reward: Double, next: Int, terminated: Bool) -> Bool {
        counts[state * actionCount + action] += 1
        return false
    }

    @inlinable
    public func sample(_ state: Int, _ action: Int, _ rng: inout RandomSource) -> ModelSample {
        let sa = state * actionCount + action
        let lo = outcomeStart[sa], hi = outcomeStart[sa + 1]
        if lo == hi { return ModelSample(next: state, reward: 0, terminated: false) }
        var o = lo
        if hi - lo > 1 {
            var u = rng.uniform()
            while o < hi - 1 {
                u -= probability[o]
                if u < 0 { break }
                o += 1
            }
        }
        return ModelSample(next: nextState[o], reward: rewards[o], terminated: terminal[o])
    }

    @inlinable
    public func predict(_ state: Int, _ action: Int) -> ModelSample? {
        let o = mostLikely[state * actionCount + action]
        return o < 0 ? nil : ModelSample(next: nextState[o], reward: rewards[o], terminated: terminal[o])
    }

    public func distribution(_ state: Int, _ action: Int) -> [Outcome] {
        let sa = state * actionCount + action
        return (outcomeStart[sa]..<outcomeStart[sa + 1]).map {
            Outcome(probability: probability[$0], next: nextState[$0], reward: rewards[$0], terminated: terminal[$0])
        }
    }

    /// Calls `body(probability, next, reward, terminated)` for each outcome, allocation-free.
    @inlinable
    public func forEachOutcome(_ state: Int, _ action: Int, _ body: (Double, Int, Double, Bool) -> Void) {
        let sa = state * actionCount + action
        for o in outcomeStart[sa]..<outcomeStart[sa + 1] { body(probability[o], nextState[o], rewards[o], terminal[o]) }
    }

    @inlinable public func isKnown(_ state: Int, _ action: Int) -> Bool { true }
    @inlinable public func count(_ state: Int, _ action: Int) -> Int { counts[state * actionCount + action] }
    @inlinable public var observedStateCount: Int { stateCount }
    @inlinable public func observedState(at index: Int) -> Int { index }
    @inlinable public func observedActionCount(_ state: Int) -> Int { actionCount }
    @inlinable public func observedAction(_ state: Int, at index: Int) -> Int { index }

    @inlinable
    public func forEachPredecessor(of state: Int, _ body: (Int, Int, Double, Bool) -> Void) {
        var e = predecessors.head[state]
        while e >= 0 {
            let o = predecessors.value[e]
            let sa = outcomePair[o]
            body(sa / actionCount, sa % actionCount, rewards[o], terminal[o])
            e = predecessors.nextEntry[e]
        }
    }

    public func reset() { for i in counts.indices { counts[i] = 0 } }
}
