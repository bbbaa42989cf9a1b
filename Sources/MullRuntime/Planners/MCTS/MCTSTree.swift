/// The search tree (or, with transpositions, graph) of `MCTS` in flat columns: decision (state)
/// nodes, action nodes and outcome edges indexed by integers, children as linked lists through
/// sibling indices. Clearing keeps the capacity, so a warmed-up tree grows and is rebuilt
/// without allocating. The columns are references (`TreeColumn`): a copy of the struct shares
/// them, so each tree value in use must be made with `init()`.
@usableFromInline
struct MCTSTree<State, Action> {
    // Decision nodes.
    @usableFromInline let sState = TreeColumn<State>()
    @usableFromInline let sTerminal = TreeColumn<Bool>()
    @usableFromInline let sVisits = TreeColumn<Int>()
    @usableFromInline let sFirstAction = TreeColumn<Int>()
    @usableFromInline let sLastAction = TreeColumn<Int>()
    @usableFromInline let sActionCount = TreeColumn<Int>()
    @usableFromInline let sExpanded = TreeColumn<Bool>()
    /// Value estimate for partial Bellman and expected-outcome backups.
    @usableFromInline let sValue = TreeColumn<Double>()
    /// Transposition key of the node (-1 without transpositions).
    @usableFromInline let sKey = TreeColumn<Int>()
    // Action nodes.
    @usableFromInline let aAction = TreeColumn<Action>()
    @usableFromInline let aVisits = TreeColumn<Int>()
    @usableFromInline let aQ = TreeColumn<Double>()
    @usableFromInline let aPrior = TreeColumn<Double>()
    @usableFromInline let aFirstEdge = TreeColumn<Int>()
    @usableFromInline let aLastEdge = TreeColumn<Int>()
    @usableFromInline let aEdgeCount = TreeColumn<Int>()
    /// Transitions sampled from the model under the action.
    @usableFromInline let aTransitions = TreeColumn<Int>()
    @usableFromInline let aNext = TreeColumn<Int>()
    // Outcome edges from an action node to a decision node.
    @usableFromInline let eChild = TreeColumn<Int>()
    /// Reward of the transition (as first sampled).
    @usableFromInline let eReward = TreeColumn<Double>()
    /// Model probability of the outcome (0: unknown).
    @usableFromInline let eProbability = TreeColumn<Double>()
    /// Times the outcome was sampled.
    @usableFromInline let eCount = TreeColumn<Int>()
    @usableFromInline let eNext = TreeColumn<Int>()
    /// Decision node of each transposition key (-1: none).
    @usableFromInline let nodeOfKey = TreeColumn<Int>()
    @usableFromInline var root = 0
    // Scratch of one simulation.
    @usableFromInline let pathState = TreeColumn<Int>()
    @usableFromInline let pathAction = TreeColumn<Int>()
    @usableFromInline let pathReward = TreeColumn<Double>()
    @usableFromInline let priors = TreeColumn<Double>()

    @usableFromInline init() {}

    @usableFromInline var stateCount: Int { sState.count }
    @usableFromInline var actionCount: Int { aAction.count }

    @usableFromInline
    mutating func prepareScratch(depth: Int, actions: Int, keys: Int) {
        if pathState.count < depth + 1 {
            pathState.reset(count: depth + 1, repeating: 0)
            pathAction.reset(count: depth + 1, repeating: 0)
            pathReward.reset(count: depth + 1, repeating: 0)
        }
        if priors.count < actions { priors.reset(count: actions, repeating: 0) }
        if nodeOfKey.count < keys { nodeOfKey.reset(count: keys, repeating: -1) }
    }

    @usableFromInline
    mutating func clear() {
        for i in 0..<sKey.count where sKey[i] >= 0 { nodeOfKey[sKey[i]] = -1 }
        sState.removeAll()
        sTerminal.removeAll()
        sVisits.removeAll()
        sFirstAction.removeAll()
        sLastAction.removeAll()
        sActionCount.removeAll()
        sExpanded.removeAll()
        sValue.removeAll()
        sKey.removeAll()
        aAction.removeAll()
        aVisits.removeAll()
        aQ.removeAll()
        aPrior.removeAll()
        aFirstEdge.removeAll()
        aLastEdge.removeAll()
        aEdgeCount.removeAll()
        aTransitions.removeAll()
        aNext.removeAll()
        eChild.removeAll()
        eReward.removeAll()
        eProbability.removeAll()
        eCount.removeAll()
        eNext.removeAll()
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
