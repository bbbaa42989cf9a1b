/// A learned model that counts outcomes: for each `(state, action)` the observed
/// `(next, terminated)` outcomes with their counts and mean rewards. Sampling draws an outcome
/// in proportion to its count; `predict` gives the most frequent one.
///
/// Outcomes are kept in per-pair linked lists over flat arrays (no dense S x A x S table).
public final class StochasticTabularModel: TabularModel {
    public let stateCount: Int
    public let actionCount: Int
    @exclusivity(unchecked) @usableFromInline var counts: [Int]
    /// Per pair, the list of outcome entries.
    @exclusivity(unchecked) @usableFromInline var outcomes: FlatLists
    @exclusivity(unchecked) @usableFromInline var outcomeNext: [Int] = []
    @exclusivity(unchecked) @usableFromInline var outcomeTerminal: [Bool] = []
    @exclusivity(unchecked) @usableFromInline var outcomeCount: [Int] = []
    @exclusivity(unchecked) @usableFromInline var outcomeRewardSum: [Double] = []
    @exclusivity(unchecked) @usableFromInline var outcomePair: [Int] = []
    @exclusivity(unchecked) @usableFromInline var observedStates: [Int] = []
    @exclusivity(unchecked) @usableFromInline var actionsSeen: [Int]
    @exclusivity(unchecked) @usableFromInline var actionsSeenCount: [Int]
    /// Per state, outcome entries leading to it.
    @exclusivity(unchecked) @usableFromInline var predecessors: FlatLists

    public init(stateCount: Int, actionCount: Int) {
        self.stateCount = stateCount
        self.actionCount = actionCount
        let n = stateCount * actionCount
        counts = [Int](repeating: 0, count: n)
        outcomes = FlatLists(keys: n)
        actionsSeen = [Int](repeating: 0, count: n)
        actionsSeenCount = [Int](repeating: 0, count: stateCount)
        predecessors = FlatLists(keys: stateCount)
    }

    @inlinable @discardableResult
    public func update(_ state: Int, _ action: Int, reward: Double, next: Int, terminated: Bool) -> Bool {
        let sa = state * actionCount + action
        if counts[sa] == 0 {
            if actionsSeenCount[state] == 0 { observedStates.append(state) }
            actionsSeen[state * actionCount + actionsSeenCount[state]] = action
            actionsSeenCount[state] += 1
        }
        counts[sa] += 1
        var e = outcomes.head[sa]
        while e >= 0 {
            let o = outcomes.value[e]
            if outcomeNext[o] == next && outcomeTerminal[o] == terminated {
                outcomeCount[o] += 1
                outcomeRewardSum[o] += reward
                return true
            }
            e = outcomes.nextEntry[e]
        }
        let o = outcomeNext.count
        outcomeNext.append(next)
        outcomeTerminal.append(terminated)
        outcomeCount.append(1)
        outcomeRewardSum.append(reward)
        outcomePair.append(sa)
        outcomes.prepend(sa, o)
        predecessors.prepend(next, o)
        return true
    }

    @inlinable
    func sampleFrom(_ o: Int) -> ModelSample {
        ModelSample(next: outcomeNext[o], reward: outcomeRewardSum[o] / Double(outcomeCount[o]), terminated: outcomeTerminal[o])
    }

    @inlinable
    public func sample(_ state: Int, _ action: Int, _ rng: inout RandomSource) -> ModelSample {
        let sa = state * actionCount + action
        let total = counts[sa]
        if total == 0 { return ModelSample(next: state, reward: 0, terminated: false) }
        var pick = rng.int(below: total)
        var e = outcomes.head[sa]
        var o = outcomes.value[e]
        while true {
            o = outcomes.value[e]
            pick -= outcomeCount[o]
            if pick < 0 { break }
            e = outcomes.nextEntry[e]
        }
        return sampleFrom(o)
    }

    /// The most frequent outcome (ties: the first observed).
    @inlinable
    public func predict(_ state: Int, _ action: Int) -> ModelSample? {
        let sa = state * actionCount + action
        var best = -1
        var e = outcomes.head[sa]
        while e >= 0 {
            let o = outcomes.value[e]
            if best < 0 || outcomeCount[o] >= outcomeCount[best] { best = o }
            e = outcomes.nextEntry[e]
        }
        return best < 0 ? nil : sampleFrom(best)
    }

    /// Outcomes in order of first observation, probability = count / total.
    public func distribution(_ state: Int, _ action: Int) -> [Outcome] {
        let sa = state * actionCount + action
        let total = Double(counts[sa])
        var result: [Outcome] = []
        var e = outcomes.head[sa]
        while e >= 0 {
            let o = outcomes.value[e]
            let s = sampleFrom(o)
            result.append(Outcome(probability: Double(outcomeCount[o]) / total, next: s.next, reward: s.reward, terminated: s.terminated))
            e = outcomes.nextEntry[e]
        }
        return result.reversed()
    }

    /// Calls `body(probability, next, meanReward, terminated)` for each outcome, allocation-free.
    @inlinable
    public func forEachOutcome(_ state: Int, _ action: Int, _ body: (Double, Int, Double, Bool) -> Void) {
        let sa = state * actionCount + action
        let total = Double(counts[sa])
        var e = outcomes.head[sa]
        while e >= 0 {
            let o = outcomes.value[e]
            body(Double(outcomeCount[o]) / total, outcomeNext[o], outcomeRewardSum[o] / Double(outcomeCount[o]), outcomeTerminal[o])
            e = outcomes.nextEntry[e]
        }
    }

    /// How many times `(state, action)` led to `next`.
    public func count(_ state: Int, _ action: Int, next: Int) -> Int {
        var n = 0
        var e = outcomes.head[state * actionCount + action]
        while e >= 0 {
            let o = outcomes.value[e]
            if outcomeNext[o] == next { n += outcomeCount[o] }
            e = outcomes.nextEntry[e]
        }
        return n
    }

    @inlinable public func isKnown(_ state: Int, _ action: Int) -> Bool { counts[state * actionCount + action] > 0 }
    @inlinable public func count(_ state: Int, _ action: Int) -> Int { counts[state * actionCount + action] }
    @inlinable public var observedStateCount: Int { observedStates.count }
    @inlinable public func observedState(at index: Int) -> Int { observedStates[index] }
    @inlinable public func observedActionCount(_ state: Int) -> Int { actionsSeenCount[state] }
    @inlinable public func observedAction(_ state: Int, at index: Int) -> Int { actionsSeen[state * actionCount + index] }

    @inlinable
    public func forEachPredecessor(of state: Int, _ body: (Int, Int, Double, Bool) -> Void) {
        var e = predecessors.head[state]
        while e >= 0 {
            let o = predecessors.value[e]
            let sa = outcomePair[o]
            body(sa / actionCount, sa % actionCount, outcomeRewardSum[o] / Double(outcomeCount[o]), outcomeTerminal[o])
            e = predecessors.nextEntry[e]
        }
    }

    public func reset() {
        for i in counts.indices { counts[i] = 0 }
        for i in actionsSeenCount.indices { actionsSeenCount[i] = 0 }
        outcomes.removeAll()
        predecessors.removeAll()
        outcomeNext.removeAll(keepingCapacity: true)
        outcomeTerminal.removeAll(keepingCapacity: true)
        outcomeCount.removeAll(keepingCapacity: true)
        outcomeRewardSum.removeAll(keepingCapacity: true)
        outcomePair.removeAll(keepingCapacity: true)
        observedStates.removeAll(keepingCapacity: true)
    }
}
