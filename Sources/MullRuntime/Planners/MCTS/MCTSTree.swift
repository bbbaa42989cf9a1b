/// The search tree of `MCTS` in flat arrays: decision (state) nodes and action nodes indexed by
/// integers, children as linked lists through sibling indices. Clearing keeps the capacity, so
/// a warmed-up tree grows and is rebuilt without allocating.
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
    /// Reward of the transition into the node (as first sampled).
    @usableFromInline var sReward: [Double] = []
    /// How many entries of its parent's transition list name this node (progressive widening).
    @usableFromInline var sMultiplicity: [Int] = []
    /// Value estimate of the node for partial Bellman backups (leaf estimate, then max of its Q).
    @usableFromInline var sValue: [Double] = []
    /// Probability of the transition into the node (from the model's distribution; 0 unknown).
    @usableFromInline var sProbability: [Double] = []
    /// Next outcome of the same action node, -1 at the end.
    @usableFromInline var sNext: [Int] = []
    // Action nodes.
    @usableFromInline var aAction: [Action] = []
    @usableFromInline var aVisits: [Int] = []
    @usableFromInline var aQ: [Double] = []
    @usableFromInline var aPrior: [Double] = []
    @usableFromInline var aFirstChild: [Int] = []
    @usableFromInline var aLastChild: [Int] = []
    @usableFromInline var aChildCount: [Int] = []
    /// Transitions generated under progressive widening of states.
    @usableFromInline var aTransitions: [Int] = []
    @usableFromInline var aNext: [Int] = []
    // Scratch of one simulation.
    @usableFromInline var pathState: [Int] = []
    @usableFromInline var pathAction: [Int] = []
    @usableFromInline var pathReward: [Double] = []
    @usableFromInline var priors: [Double] = []

    @usableFromInline init() {}

    @usableFromInline var stateCount: Int { sState.count }
    @usableFromInline var actionCount: Int { aAction.count }

    @usableFromInline
    mutating func prepareScratch(depth: Int, actions: Int) {
        if pathState.count < depth + 1 {
            pathState = [Int](repeating: 0, count: depth + 1)
            pathAction = [Int](repeating: 0, count: depth + 1)
            pathReward = [Double](repeating: 0, count: depth + 1)
        }
        if priors.count < actions { priors = [Double](repeating: 0, count: actions) }
    }

    @usableFromInline
    mutating func clear() {
        sState.removeAll(keepingCapacity: true)
        sTerminal.removeAll(keepingCapacity: true)
        sVisits.removeAll(keepingCapacity: true)
        sFirstAction.removeAll(keepingCapacity: true)
        sLastAction.removeAll(keepingCapacity: true)
        sActionCount.removeAll(keepingCapacity: true)
        sExpanded.removeAll(keepingCapacity: true)
        sReward.removeAll(keepingCapacity: true)
        sMultiplicity.removeAll(keepingCapacity: true)
        sNext.removeAll(keepingCapacity: true)
        sValue.removeAll(keepingCapacity: true)
        sProbability.removeAll(keepingCapacity: true)
        aAction.removeAll(keepingCapacity: true)
        aVisits.removeAll(keepingCapacity: true)
        aQ.removeAll(keepingCapacity: true)
        aPrior.removeAll(keepingCapacity: true)
        aFirstChild.removeAll(keepingCapacity: true)
        aLastChild.removeAll(keepingCapacity: true)
        aChildCount.removeAll(keepingCapacity: true)
        aTransitions.removeAll(keepingCapacity: true)
        aNext.removeAll(keepingCapacity: true)
    }

    /// A new unlinked decision node.
    @usableFromInline @inline(__always)
    mutating func newState(_ s: State, terminal: Bool, reward: Double) -> Int {
        sState.append(s)
        sTerminal.append(terminal)
        sVisits.append(0)
        sFirstAction.append(-1)
        sLastAction.append(-1)
        sActionCount.append(0)
        sExpanded.append(false)
        sReward.append(reward)
        sMultiplicity.append(1)
        sNext.append(-1)
        sValue.append(0)
        sProbability.append(0)
        return sState.count - 1
    }

    /// Appends decision node `child` to the outcomes of action node `a`.
    @usableFromInline @inline(__always)
    mutating func link(_ child: Int, to a: Int) {
        if aLastChild[a] < 0 { aFirstChild[a] = child } else { sNext[aLastChild[a]] = child }
        aLastChild[a] = child
        aChildCount[a] += 1
    }

    /// A new action node under decision node `s`.
    @usableFromInline @inline(__always)
    mutating func newAction(_ action: Action, under s: Int, prior: Double) -> Int {
        aAction.append(action)
        aVisits.append(0)
        aQ.append(0)
        aPrior.append(prior)
        aFirstChild.append(-1)
        aLastChild.append(-1)
        aChildCount.append(0)
        aTransitions.append(0)
        aNext.append(-1)
        let a = aAction.count - 1
        if sLastAction[s] < 0 { sFirstAction[s] = a } else { aNext[sLastAction[s]] = a }
        sLastAction[s] = a
        sActionCount[s] += 1
        return a
    }

    /// Copies the subtree of `old` below decision node `s` into `self`; returns the copy's index.
    @usableFromInline
    mutating func copySubtree(of old: MCTSTree, _ s: Int) -> Int {
        let ns = newState(old.sState[s], terminal: old.sTerminal[s], reward: old.sReward[s])
        sVisits[ns] = old.sVisits[s]
        sExpanded[ns] = old.sExpanded[s]
        sMultiplicity[ns] = old.sMultiplicity[s]
        sValue[ns] = old.sValue[s]
        sProbability[ns] = old.sProbability[s]
        var a = old.sFirstAction[s]
        while a >= 0 {
            let na = newAction(old.aAction[a], under: ns, prior: old.aPrior[a])
            aVisits[na] = old.aVisits[a]
            aQ[na] = old.aQ[a]
            aTransitions[na] = old.aTransitions[a]
            var c = old.aFirstChild[a]
            while c >= 0 {
                let nc = copySubtree(of: old, c)
                link(nc, to: na)
                c = old.sNext[c]
            }
            a = old.aNext[a]
        }
        return ns
    }
}
