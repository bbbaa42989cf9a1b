/// The search tree (or, with transpositions, graph) of `MCTS` in flat arrays: decision (state)
/// nodes, action nodes and outcome edges indexed by integers, children as linked lists through
/// sibling indices. Clearing keeps the capacity, so a warmed-up tree grows and is rebuilt
/// without allocating.
@usableFromInline
struct MCTSTree<State, Action> {
    // Decision nodes.
    @usableFromInline var sState: [State] = []
    @usableFromInline var sTerminal: [Bool] = []
    @usableFromInline var sVisits: [Int] = []
    @usableFromInline var sFirstAction: [Int] = []
    @usableFromInline var sLastAction: [Int] = []
    @usableFromInline var sActionCount: [Int] = []
    @usableFromInline var sExpanded: [Bool] = []
    /// Value estimate for partial Bellman and expected-outcome backups.
    @usableFromInline var sValue: [Double] = []
    /// Transposition key of the node (-1 without transpositions).
    @usableFromInline var sKey: [Int] = []
    // Action nodes.
    @usableFromInline var aAction: [Action] = []
    @usableFromInline var aVisits: [Int] = []
    @usableFromInline var aQ: [Double] = []
    @usableFromInline var aPrior: [Double] = []
    @usableFromInline var aFirstEdge: [Int] = []
    @usableFromInline var aLastEdge: [Int] = []
    @usableFromInline var aEdgeCount: [Int] = []
    /// Transitions sampled from the model under the action.
    @usableFromInline var aTransitions: [Int] = []
    @usableFromInline var aNext: [Int] = []
    // Outcome edges from an action node to a decision node.
    @usableFromInline var eChild: [Int] = []
    /// Reward of the transition (as first sampled).
    @usableFromInline var eReward: [Double] = []
    /// Model probability of the outcome (0: unknown).
    @usableFromInline var eProbability: [Double] = []
    /// Times the outcome was sampled.
    @usableFromInline var eCount: [Int] = []
    @usableFromInline var eNext: [Int] = []
    /// Decision node of each transposition key (-1: none).
    @usableFromInline var nodeOfKey: [Int] = []
    @usableFromInline var root = 0
    // Scratch of one simulation.
    @usableFromInline var pathState: [Int] = []
    @usableFromInline var pathAction: [Int] = []
    @usableFromInline var pathReward: [Double] = []
    @usableFromInline var priors: [Double] = []

    @usableFromInline init() {}

    @usableFromInline var stateCount: Int { sState.count }
    @usableFromInline var actionCount: Int { aAction.count }

    @usableFromInline
    mutating func prepareScratch(depth: Int, actions: Int, keys: Int) {
        if pathState.count < depth + 1 {
            pathState = [Int](repeating: 0, count: depth + 1)
            pathAction = [Int](repeating: 0, count: depth + 1)
            pathReward = [Double](repeating: 0, count: depth + 1)
        }
        if priors.count < actions { priors = [Double](repeating: 0, count: actions) }
        if nodeOfKey.count < keys { nodeOfKey = [Int](repeating: -1, count: keys) }
    }

    @usableFromInline
    mutating func clear() {
        for k in sKey where k >= 0 { nodeOfKey[k] = -1 }
        sState.removeAll(keepingCapacity: true)
        sTerminal.removeAll(keepingCapacity: true)
        sVisits.removeAll(keepingCapacity: true)
        sFirstAction.removeAll(keepingCapacity: true)
        sLastAction.removeAll(keepingCapacity: true)
        sActionCount.removeAll(keepingCapacity: true)
        sExpanded.removeAll(keepingCapacity: true)
        sValue.removeAll(keepingCapacity: true)
        sKey.removeAll(keepingCapacity: true)
        aAction.removeAll(keepingCapacity: true)
        aVisits.removeAll(keepingCapacity: true)
        aQ.removeAll(keepingCapacity: true)
        aPrior.removeAll(keepingCapacity: true)
        aFirstEdge.removeAll(keepingCapacity: true)
        aLastEdge.removeAll(keepingCapacity: true)
        aEdgeCount.removeAll(keepingCapacity: true)
        aTransitions.removeAll(keepingCapacity: true)
        aNext.removeAll(keepingCapacity: true)
        eChild.removeAll(keepingCapacity: true)
        eReward.removeAll(keepingCapacity: true)
        eProbability.removeAll(keepingCapacity: true)
        eCount.removeAll(keepingCapacity: true)
        eNext.removeAll(keepingCapacity: true)
        root = 0
    }

    /// A new decision node (registered under `key` when it is not negative).
    @usableFromInline @inline(__always)
    mutating func newState(_ s: State, terminal: Bool, key: Int) -> Int {
        sState.append(s)
        sTerminal.append(terminal)
        sVisits.append(0)
        sFirstAction.append(-1)
        sLastAction.append(-1)
        sActionCount.append(0)
        sExpanded.append(false)
        sValue.append(0)
        sKey.append(key)
        let n = sState.count - 1
        if key >= 0 { nodeOfKey[key] = n }
        return n
    }

    /// Appends an outcome edge to decision node `child` under action node `a`.
    @usableFromInline @inline(__always)
    mutating func addEdge(from a: Int, to child: Int, reward: Double, probability: Double, count: Int = 1) -> Int {
        eChild.append(child)
        eReward.append(reward)
        eProbability.append(probability)
        eCount.append(count)
        eNext.append(-1)
        let e = eChild.count - 1
        if aLastEdge[a] < 0 { aFirstEdge[a] = e } else { eNext[aLastEdge[a]] = e }
        aLastEdge[a] = e
        aEdgeCount[a] += 1
        return e
    }

    /// A new action node under decision node `s`.
    @usableFromInline @inline(__always)
    mutating func newAction(_ action: Action, under s: Int, prior: Double) -> Int {
        aAction.append(action)
        aVisits.append(0)
        aQ.append(0)
        aPrior.append(prior)
        aFirstEdge.append(-1)
        aLastEdge.append(-1)
        aEdgeCount.append(0)
        aTransitions.append(0)
        aNext.append(-1)
        let a = aAction.count - 1
        if sLastAction[s] < 0 { sFirstAction[s] = a } else { aNext[sLastAction[s]] = a }
        sLastAction[s] = a
        sActionCount[s] += 1
        return a
    }

    /// Copies the subtree of `old` below decision node `s` into `self` (a tree: every node has
    /// one parent); returns the copy's index.
    @usableFromInline
    mutating func copySubtree(of old: MCTSTree, _ s: Int) -> Int {
        let ns = newState(old.sState[s], terminal: old.sTerminal[s], key: -1)
        sVisits[ns] = old.sVisits[s]
        sExpanded[ns] = old.sExpanded[s]
        sValue[ns] = old.sValue[s]
        var a = old.sFirstAction[s]
        while a >= 0 {
            let na = newAction(old.aAction[a], under: ns, prior: old.aPrior[a])
            aVisits[na] = old.aVisits[a]
            aQ[na] = old.aQ[a]
            aTransitions[na] = old.aTransitions[a]
            var e = old.aFirstEdge[a]
            while e >= 0 {
                let nc = copySubtree(of: old, old.eChild[e])
                _ = addEdge(from: na, to: nc, reward: old.eReward[e], probability: old.eProbability[e], count: old.eCount[e])
                e = old.eNext[e]
            }
            a = old.aNext[a]
        }
        return ns
    }
}
