/// A learned model that remembers the last outcome seen for each `(state, action)` pair, as in
/// Sutton & Barto's tabular Dyna-Q (Fig. 8.2): exact for deterministic environments.
///
/// Storage is flat arrays of size `stateCount * actionCount`; observed states and, per state,
/// observed actions are kept in lists so that a random observed pair is drawn in O(1).
public final class DeterministicTabularModel: TabularModel {
    public let stateCount: Int
    public let actionCount: Int
    @usableFromInline let nextState: FixedBuffer<Int>
    @usableFromInline let rewards: FixedBuffer<Double>
    @usableFromInline let terminal: FixedBuffer<Bool>
    @usableFromInline let counts: FixedBuffer<Int>
    /// Observed states in order of first observation; `observedCount` of them are valid.
    @usableFromInline let observedStates: FixedBuffer<Int>
    @exclusivity(unchecked) @usableFromInline var observedCount = 0
    @usableFromInline let actionsSeen: FixedBuffer<Int>
    @usableFromInline let actionsSeenCount: FixedBuffer<Int>
    /// Pair indices whose (last) outcome led to each state; stale entries are skipped on use.
    @exclusivity(unchecked) @usableFromInline var predecessors: FlatLists

    public init(stateCount: Int, actionCount: Int) {
        self.stateCount = stateCount
        self.actionCount = actionCount
        let n = stateCount * actionCount
        nextState = FixedBuffer(repeating: -1, count: n)
        rewards = FixedBuffer(repeating: 0, count: n)
        terminal = FixedBuffer(repeating: false, count: n)
        counts = FixedBuffer(repeating: 0, count: n)
        actionsSeen = FixedBuffer(repeating: 0, count: n)
        actionsSeenCount = FixedBuffer(repeating: 0, count: stateCount)
        observedStates = FixedBuffer(repeating: 0, count: stateCount)
        predecessors = FlatLists(keys: stateCount)
    }

    @inlinable @discardableResult
    public func update(_ state: Int, _ action: Int, reward: Double, next: Int, terminated: Bool) -> Bool {
        let sa = state * actionCount + action
        let old = nextState[sa]
        if counts[sa] == 0 {
            if actionsSeenCount[state] == 0 {
                observedStates[observedCount] = state
                observedCount += 1
            }
            actionsSeen[state * actionCount + actionsSeenCount[state]] = action
            actionsSeenCount[state] += 1
        }
        counts[sa] += 1
        let changed = old != next || rewards[sa] != reward || terminal[sa] != terminated
        nextState[sa] = next
        rewards[sa] = reward
        terminal[sa] = terminated
        if old != next && !predecessors.contains(next, sa) { predecessors.prepend(next, sa) }
        return changed
    }

    @inlinable
    public func sample(_ state: Int, _ action: Int, _ rng: inout RandomSource) -> ModelSample {
        let sa = state * actionCount + action
        if counts[sa] == 0 { return ModelSample(next: state, reward: 0, terminated: false) }
        return ModelSample(next: nextState[sa], reward: rewards[sa], terminated: terminal[sa])
    }

    @inlinable
    public func predict(_ state: Int, _ action: Int) -> ModelSample? {
        let sa = state * actionCount + action
        if counts[sa] == 0 { return nil }
        return ModelSample(next: nextState[sa], reward: rewards[sa], terminated: terminal[sa])
    }

    public func distribution(_ state: Int, _ action: Int) -> [Outcome] {
        guard let p = predict(state, action) else { return [] }
        return [Outcome(probability: 1, next: p.next, reward: p.reward, terminated: p.terminated)]
    }

    @inlinable
    public func forEachOutcome(_ state: Int, _ action: Int, _ body: (Double, Int, Double, Bool) -> Void) {
        let sa = state * actionCount + action
        if counts[sa] > 0 { body(1, nextState[sa], rewards[sa], terminal[sa]) }
    }

    @inlinable public func isKnown(_ state: Int, _ action: Int) -> Bool { counts[state * actionCount + action] > 0 }
    @inlinable public func count(_ state: Int, _ action: Int) -> Int { counts[state * actionCount + action] }
    @inlinable public var observedStateCount: Int { observedCount }
    @inlinable public func observedState(at index: Int) -> Int { observedStates[index] }
    @inlinable public func observedActionCount(_ state: Int) -> Int { actionsSeenCount[state] }
    @inlinable public func observedAction(_ state: Int, at index: Int) -> Int { actionsSeen[state * actionCount + index] }

    @inlinable
    public func forEachPredecessor(of state: Int, _ body: (Int, Int, Double, Bool) -> Void) {
        var e = predecessors.head[state]
        while e >= 0 {
            let sa = predecessors.value[e]
            if nextState[sa] == state { body(sa / actionCount, sa % actionCount, rewards[sa], terminal[sa]) }
            e = predecessors.nextEntry[e]
        }
    }

    public func reset() {
        nextState.fill(-1)
        rewards.fill(0)
        terminal.fill(false)
        counts.fill(0)
        actionsSeenCount.fill(0)
        observedCount = 0
        predecessors.removeAll()
    }
}
