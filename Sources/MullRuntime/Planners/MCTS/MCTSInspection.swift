/// Statistics of one action at a node of an MCTS tree.
public struct MCTSActionSummary<Action> {
    public var action: Action
    public var visits: Int
    /// Mean discounted return of the simulations through the action.
    public var meanValue: Double
    public var prior: Double
    /// Distinct outcomes (next states) in the tree.
    public var outcomes: Int
}

extension MCTSActionSummary: Sendable where Action: Sendable {}

/// One step of the principal variation: the most visited action and its most visited outcome.
public struct MCTSPathStep<State, Action> {
    public var action: Action
    public var visits: Int
    public var meanValue: Double
    /// The most visited next state (nil when the action has no outcome in the tree).
    public var nextState: State?
}

extension MCTS {
    /// Decision nodes and action nodes in the current tree.
    public var treeSize: (states: Int, actions: Int) { (tree.stateCount, tree.actionCount) }

    /// Visits of the root (simulations through it, including reused ones).
    public var rootVisits: Int { tree.stateCount > 0 ? tree.sVisits[tree.root] : 0 }

    func summaries(of node: Int) -> [MCTSActionSummary<Action>] {
        var out: [MCTSActionSummary<Action>] = []
        var a = tree.sFirstAction[node]
        while a >= 0 {
            out.append(MCTSActionSummary(action: tree.aAction[a], visits: tree.aVisits[a], meanValue: tree.aQ[a],
                                         prior: tree.aPrior[a], outcomes: tree.aEdgeCount[a]))
            a = tree.aNext[a]
        }
        return out
    }

    /// The root's actions in the order they were added, with visit counts, mean values and priors.
    public var rootChildren: [MCTSActionSummary<Action>] {
        tree.stateCount > 0 ? summaries(of: tree.root) : []
    }

    func mostVisitedAction(_ node: Int) -> Int {
        var best = -1
        var a = tree.sFirstAction[node]
        while a >= 0 {
            if best < 0 || tree.aVisits[a] > tree.aVisits[best] { best = a }
            a = tree.aNext[a]
        }
        return best
    }

    func mostVisitedOutcome(_ a: Int) -> Int {
        var best = -1
        var e = tree.aFirstEdge[a]
        while e >= 0 {
            if best < 0 || tree.eCount[e] > tree.eCount[best] { best = e }
            e = tree.eNext[e]
        }
        return best < 0 ? -1 : tree.eChild[best]
    }

    /// The principal variation: from the root, repeatedly the most visited action and its most
    /// sampled outcome, up to `maxLength` steps or an unvisited action.
    public func principalVariation(maxLength: Int = 20) -> [MCTSPathStep<State, Action>] {
        var out: [MCTSPathStep<State, Action>] = []
        guard tree.stateCount > 0 else { return out }
        var node = tree.root
        while out.count < maxLength {
            let a = mostVisitedAction(node)
            guard a >= 0, tree.aVisits[a] > 0 else { break }
            let c = mostVisitedOutcome(a)
            out.append(MCTSPathStep(action: tree.aAction[a], visits: tree.aVisits[a], meanValue: tree.aQ[a],
                                    nextState: c >= 0 ? tree.sState[c] : nil))
            guard c >= 0 else { break }
            node = c
        }
        return out
    }

    /// The tree as indented text to `depth` action levels, at most `maxChildren` actions and
    /// outcomes per node (most visited first). `describeState`/`describeAction` default to
    /// `String(describing:)`.
    public func treeText(depth: Int = 2, maxChildren: Int = 8,
                         describeState: ((State) -> String)? = nil,
                         describeAction: ((Action) -> String)? = nil) -> String {
        guard tree.stateCount > 0 else { return "(empty tree)\n" }
        let ds = describeState ?? { String(describing: $0) }
        let da = describeAction ?? { String(describing: $0) }
        var out = "root \(ds(tree.sState[tree.root]))  N=\(tree.sVisits[tree.root])\n"
        func fmt(_ x: Double) -> String {
            let r = (x * 1000).rounded() / 1000
            return String(r)
        }
        func walk(_ node: Int, _ level: Int, _ indent: String) {
            guard level < depth else { return }
            var acts: [Int] = []
            var a = tree.sFirstAction[node]
            while a >= 0 { acts.append(a); a = tree.aNext[a] }
            acts.sort { tree.aVisits[$0] > tree.aVisits[$1] }
            for a in acts.prefix(maxChildren) {
                var line = "\(indent)action \(da(tree.aAction[a]))  N=\(tree.aVisits[a])  Q=\(fmt(tree.aQ[a]))"
                if settings.selection == .puct { line += "  P=\(fmt(tree.aPrior[a]))" }
                out += line + "\n"
                var kids: [Int] = []
                var e = tree.aFirstEdge[a]
                while e >= 0 { kids.append(e); e = tree.eNext[e] }
                kids.sort { tree.eCount[$0] > tree.eCount[$1] }
                let showOutcomes = kids.count > 1 || level + 1 < depth
                for e in kids.prefix(maxChildren) where showOutcomes {
                    let c = tree.eChild[e]
                    let mark = tree.sTerminal[c] ? "  terminal" : ""
                    let p = tree.eProbability[e] > 0 ? "  p=\(fmt(tree.eProbability[e]))" : ""
                    out += "\(indent)  -> \(ds(tree.sState[c]))  n=\(tree.eCount[e])  N=\(tree.sVisits[c])  r=\(fmt(tree.eReward[e]))\(p)\(mark)\n"
                    walk(c, level + 1, indent + "     ")
                }
                if kids.count > maxChildren { out += "\(indent)  ... \(kids.count - maxChildren) more outcomes\n" }
            }
            if acts.count > maxChildren { out += "\(indent)... \(acts.count - maxChildren) more actions\n" }
        }
        walk(tree.root, 0, "  ")
        return out
    }
}
