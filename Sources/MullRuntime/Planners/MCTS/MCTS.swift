#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Monte Carlo tree search through a `SimulationModel` at every real step.
///
/// Selection is UCT (Kocsis & Szepesvári, 2006) or PUCT with prior probabilities from a closure
/// (Silver et al., 2017). A new leaf is valued by a rollout (uniformly random actions, or
/// `rolloutPolicy`) to `depth`, or by `leafValue`. Stochastic models are handled by sampling:
/// each descent draws a next state from the model and follows the child equal to it (adding it
/// when new), so a chance node's children are the outcomes seen so far. Double progressive
/// widening (Couëtoux et al., 2011, with MCTS.jl's `k`/`alpha` rule `children <= k N^alpha`)
/// limits new actions (drawn from `actionSampler` or untried members of `actions`) and new
/// outcomes (afterwards an existing outcome is revisited in proportion to how often it was
/// generated, as MCTS.jl does). With `reuseTree` the subtree under the executed action and the
/// observed next state becomes the next root.
///
/// With a `stateKey` (a small integer per state, below `keyCount`) the search merges
/// transpositions: one decision node per state, shared by every path that reaches it, so the
/// tree becomes a graph (Childs, Brodeur & Kocsis, 2008). With `.partialBellman` backups this is
/// a trial-based asynchronous value iteration over the states seen, which is what small
/// stochastic tasks such as FrozenLake need; the graph is kept between steps when reusing.
///
/// The tree lives in flat arrays that keep their capacity; after warm-up, planning allocates
/// nothing per simulation (closures supplied by the caller aside).
public final class MCTS<Model: SimulationModel>: DecisionTimePlanner
where Model.State: Equatable, Model.Action: Equatable {
    public typealias State = Model.State
    public typealias Action = Model.Action

    public let model: Model
    /// See `DecisionTimePlanner.setInterruption`.
    @usableFromInline var interruption: (() -> Bool)?
    public func setInterruption(_ interrupted: (() -> Bool)?) { interruption = interrupted }
    @exclusivity(unchecked) public var settings: MCTSSettings
    /// The finite action set (empty when actions come only from `actionSampler`).
    public let actions: [Action]
    /// Draws a candidate action in a state, for progressive widening of continuous action sets
    /// and for rollouts when `actions` is empty.
    @exclusivity(unchecked) public var actionSampler: ((State, inout RandomSource) -> Action)?
    /// Rollout policy (default: uniform over `actions`, else `actionSampler`).
    @exclusivity(unchecked) public var rolloutPolicy: ((State, inout RandomSource) -> Action)?
    /// Writes the prior probabilities of `actions` (in order) in a state, for PUCT
    /// (default uniform).
    @exclusivity(unchecked) public var prior: ((State, UnsafeMutableBufferPointer<Double>) -> Void)?
    /// Value of a new leaf, replacing the rollout.
    @exclusivity(unchecked) public var leafValue: ((State) -> Double)?
    /// Probability that `action` in `state` leads to `next`, for partial Bellman backups (DP-UCT).
    @exclusivity(unchecked) public var outcomeProbability: ((State, Action, State) -> Double)?
    /// Transposition key of a state, in `0 ..< keyCount` (nil: a tree without transpositions).
    public let stateKey: ((State) -> Int)?
    public let keyCount: Int

    @exclusivity(unchecked) @usableFromInline var tree = MCTSTree<State, Action>()
    @exclusivity(unchecked) @usableFromInline var spare = MCTSTree<State, Action>()
    @exclusivity(unchecked) @usableFromInline var rng: RandomSource
    /// Root action node executed last (-1: none), for tree reuse.
    @exclusivity(unchecked) @usableFromInline var lastActionNode = -1
    @exclusivity(unchecked) @usableFromInline var _modelSteps = 0
    @exclusivity(unchecked) @usableFromInline var _reusedVisits = 0
    /// `log(max(n, 1))` for visit counts `n` below its size: UCT's `log N` without a call to
    /// `log` at every node of every descent (the same values, computed once).
    @usableFromInline let logTable: [Double]
    /// Root visits inherited from the previous step's tree at the last call (0: fresh tree).
    public var reusedVisits: Int { _reusedVisits }

    public init(model: Model, actions: [Action], settings: MCTSSettings = MCTSSettings(),
                actionSampler: ((State, inout RandomSource) -> Action)? = nil,
                rolloutPolicy: ((State, inout RandomSource) -> Action)? = nil,
                prior: ((State, UnsafeMutableBufferPointer<Double>) -> Void)? = nil,
                leafValue: ((State) -> Double)? = nil,
                outcomeProbability: ((State, Action, State) -> Double)? = nil,
                stateKey: ((State) -> Int)? = nil, keyCount: Int = 0) throws {
        try settings.validate()
        guard !actions.isEmpty || actionSampler != nil else {
            throw RuntimeError("MCTS needs a finite action set or an action sampler")
        }
        guard !actions.isEmpty || settings.actionWidening != nil else {
            throw RuntimeError("MCTS with an action sampler needs progressive widening of actions")
        }
        guard settings.selection == .uct || !actions.isEmpty else {
            throw RuntimeError("PUCT needs a finite action set for its priors")
        }
        self.model = model
        self.actions = actions
        self.settings = settings
        self.actionSampler = actionSampler
        self.rolloutPolicy = rolloutPolicy
        self.prior = prior
        self.leafValue = leafValue
        self.outcomeProbability = outcomeProbability
        guard stateKey == nil || keyCount > 0 else { throw RuntimeError("MCTS transpositions need a positive key count") }
        self.stateKey = stateKey
        self.keyCount = stateKey == nil ? 0 : keyCount
        rng = RandomSource(seed: settings.seed, stream: 0x4C75)
        logTable = (0..<min(settings.simulations + 2, 1 << 16)).map { log(max(Double($0), 1)) }
        tree.prepareScratch(depth: settings.depth, actions: actions.count, keys: self.keyCount)
    }

    public var modelSteps: Int { _modelSteps }

    public func reset() {
        lastActionNode = -1
        tree.clear()
    }

    @inlinable
    public func act(_ state: State) -> Action {
        var t = tree
        var r = rng
        defer {
            tree = t
            rng = r
        }
        t.prepareScratch(depth: settings.depth, actions: actions.count, keys: keyCount)
        _reusedVisits = 0
        var rooted = false
        if let stateKey {
            let k = stateKey(state)
            precondition(k >= 0 && k < keyCount, "MCTS: state key \(k) is outside 0..<\(keyCount)")
            if settings.reuseTree && t.nodeOfKey[k] >= 0 {
                t.root = t.nodeOfKey[k]
                _reusedVisits = t.sVisits[t.root]
                rooted = true
            } else {
                t.clear()
                t.root = t.newState(state, terminal: false, key: k)
                rooted = true
            }
        } else if settings.reuseTree && lastActionNode >= 0 && lastActionNode < t.actionCount {
            var e = t.aFirstEdge[lastActionNode]
            while e >= 0 && t.sState[t.eChild[e]] != state { e = t.eNext[e] }
            if e >= 0 {
                spare.clear()
                _ = spare.copySubtree(of: t, t.eChild[e])
                swap(&t, &spare)
                t.prepareScratch(depth: settings.depth, actions: actions.count, keys: keyCount)
                t.sTerminal[0] = false
                _reusedVisits = t.sVisits[0]
                rooted = true
            }
        }
        if !rooted {
            t.clear()
            t.root = t.newState(state, terminal: false, key: -1)
        }
        t.sTerminal[t.root] = false
        // An interrupt is asked every 256 simulations: a search of millions of simulations
        // stops within a few milliseconds.
        if let stop = interruption {
            for i in 0..<settings.simulations {
                if i & 255 == 0 && i > 0 && stop() { break }
                simulate(&t, &r)
            }
        } else {
            for _ in 0..<settings.simulations { simulate(&t, &r) }
        }
        let best = chooseRootAction(t)
        lastActionNode = best
        if best < 0 { return actions.isEmpty ? actionSampler!(state, &r) : actions[0] }
        return t.aAction[best]
    }

    /// One simulation from the root: descend, value the leaf, back up.
    @inlinable
    func simulate(_ t: inout MCTSTree<State, Action>, _ rng: inout RandomSource) {
        let maxDepth = settings.depth, gamma = settings.discount
        let root = t.root
        var node = root, depth = 0, length = 0
        var leaf = 0.0
        while true {
            if t.sTerminal[node] || depth >= maxDepth { break }
            if node != root && t.sVisits[node] == 0 {
                leaf = estimate(t.sState[node], maxDepth - depth, &rng)
                break
            }
            let a = selectAction(&t, node, &rng)
            let (child, reward) = transition(&t, node, a, &rng)
            t.pathState[length] = node
            t.pathAction[length] = a
            t.pathReward[length] = reward
            length += 1
            node = child
            depth += 1
        }
        t.sVisits[node] += 1
        if settings.backup == .monteCarlo {
            var g = leaf
            var i = length - 1
            while i >= 0 {
                g = t.pathReward[i] + gamma * g
                t.sVisits[t.pathState[i]] += 1
                let a = t.pathAction[i]
                t.aVisits[a] += 1
                t.aQ[a] += (g - t.aQ[a]) / Double(t.aVisits[a])
                i -= 1
            }
            return
        }
        let maxBackup = settings.backup == .partialBellman
        if maxBackup {
            if !t.sExpanded[node] { t.sValue[node] = leaf }
        } else {
            t.sValue[node] += (leaf - t.sValue[node]) / Double(t.sVisits[node])
        }
        var g = leaf
        var i = length - 1
        while i >= 0 {
            let s = t.pathState[i], a = t.pathAction[i]
            g = t.pathReward[i] + gamma * g
            t.sVisits[s] += 1
            t.aVisits[a] += 1
            var num = 0.0, den = 0.0
            var e = t.aFirstEdge[a]
            while e >= 0 {
                let p = t.eProbability[e] > 0 ? t.eProbability[e] : Double(t.eCount[e])
                num += p * (t.eReward[e] + gamma * t.sValue[t.eChild[e]])
                den += p
                e = t.eNext[e]
            }
            t.aQ[a] = den > 0 ? num / den : 0
            if maxBackup {
                var v = -Double.infinity
                var b = t.sFirstAction[s]
                while b >= 0 {
                    if t.aVisits[b] > 0 && t.aQ[b] > v { v = t.aQ[b] }
                    b = t.aNext[b]
                }
                t.sValue[s] = v
            } else {
                t.sValue[s] += (g - t.sValue[s]) / Double(t.sVisits[s])
            }
            i -= 1
        }
    }

    /// Value of a new leaf: `leafValue`, or the discounted return of a rollout.
    @inlinable
    func estimate(_ state: State, _ remaining: Int, _ rng: inout RandomSource) -> Double {
        if let leafValue { return leafValue(state) }
        let steps = min(remaining, settings.rolloutDepth ?? remaining)
        var s = state, g = 0.0, w = 1.0
        let gamma = settings.discount
        for _ in 0..<steps {
            let a: Action
            if let rolloutPolicy { a = rolloutPolicy(s, &rng) }
            else if !actions.isEmpty { a = actions[rng.int(below: actions.count)] }
            else { a = actionSampler!(s, &rng) }
            let r = model.step(s, a, &rng)
            _modelSteps += 1
            g += w * r.reward
            w *= gamma
            if r.terminated { break }
            s = r.state
        }
        return g
    }

    /// Writes the priors of `actions` in `state` into the tree's scratch (uniform without a closure).
    @inlinable
    func fillPriors(_ t: inout MCTSTree<State, Action>, _ state: State) {
        let n = actions.count
        if let prior, settings.selection == .puct {
            prior(state, t.priors.buffer(n))
        } else {
            for i in 0..<n { t.priors[i] = 1 / Double(n) }
        }
    }

    /// Expands or widens `node` as needed and returns the action node selection picks.
    @inlinable
    func selectAction(_ t: inout MCTSTree<State, Action>, _ node: Int, _ rng: inout RandomSource) -> Int {
        if !t.sExpanded[node] {
            t.sExpanded[node] = true
            if settings.actionWidening == nil {
                fillPriors(&t, t.sState[node])
                for i in 0..<actions.count { _ = t.newAction(actions[i], under: node, prior: t.priors[i]) }
            }
        }
        if let pw = settings.actionWidening,
           Double(t.sActionCount[node]) <= pw.k * pow(Double(t.sVisits[node]), pw.alpha) {
            widen(&t, node, &rng)
        }
        let c = settings.exploration
        let visits = t.sVisits[node]
        let n = Double(visits)
        let logN = visits < logTable.count ? logTable[visits] : log(max(n, 1)), sqrtN = n.squareRoot()
        var best = -1
        var bestScore = -Double.infinity
        var a = t.sFirstAction[node]
        while a >= 0 {
            let visits = t.aVisits[a]
            let score: Double
            switch settings.selection {
            case .uct:
                if visits == 0 { return a }
                score = t.aQ[a] + c * (logN / Double(visits)).squareRoot()
            case .puct:
                score = t.aQ[a] + c * t.aPrior[a] * sqrtN / Double(1 + visits)
            }
            if score > bestScore || best < 0 {
                best = a
                bestScore = score
            }
            a = t.aNext[a]
        }
        return best
    }

    /// Adds one new action to `node`: from `actionSampler`, else an untried member of `actions`
    /// chosen uniformly (nothing when all are tried or the sampled action is already a child).
    @inlinable
    func widen(_ t: inout MCTSTree<State, Action>, _ node: Int, _ rng: inout RandomSource) {
        let state = t.sState[node]
        if let actionSampler {
            let candidate = actionSampler(state, &rng)
            var a = t.sFirstAction[node]
            while a >= 0 {
                if t.aAction[a] == candidate { return }
                a = t.aNext[a]
            }
            _ = t.newAction(candidate, under: node, prior: 1)
            return
        }
        let untried = actions.count - t.sActionCount[node]
        guard untried > 0 else { return }
        var pick = rng.int(below: untried)
        for i in 0..<actions.count {
            var tried = false
            var a = t.sFirstAction[node]
            while a >= 0 {
                if t.aAction[a] == actions[i] { tried = true; break }
                a = t.aNext[a]
            }
            if tried { continue }
            if pick == 0 {
                fillPriors(&t, state)
                _ = t.newAction(actions[i], under: node, prior: t.priors[i])
                return
            }
            pick -= 1
        }
    }

    /// The next decision node and reward under action node `a` of `parent`: a fresh model sample
    /// matched to an existing outcome (by equality, or by transposition key across the graph) or
    /// added, or (progressive widening of states, when the action has enough outcomes) a
    /// revisited outcome, drawn in proportion to how often it was sampled, with its stored reward.
    @inlinable
    func transition(_ t: inout MCTSTree<State, Action>, _ parent: Int, _ a: Int,
                    _ rng: inout RandomSource) -> (Int, Double) {
        if let pw = settings.stateWidening,
           !(Double(t.aTransitions[a]) <= pw.k * pow(Double(t.aVisits[a]), pw.alpha)) {
            var pick = rng.int(below: t.aTransitions[a])
            var e = t.aFirstEdge[a]
            while pick >= t.eCount[e] {
                pick -= t.eCount[e]
                e = t.eNext[e]
            }
            return (t.eChild[e], t.eReward[e])
        }
        let r = model.step(t.sState[parent], t.aAction[a], &rng)
        _modelSteps += 1
        t.aTransitions[a] += 1
        var e = t.aFirstEdge[a]
        while e >= 0 {
            if t.sState[t.eChild[e]] == r.state {
                t.eCount[e] += 1
                return (t.eChild[e], r.reward)
            }
            e = t.eNext[e]
        }
        let p = outcomeProbability?(t.sState[parent], t.aAction[a], r.state) ?? 0
        var child = -1
        var key = -1
        if let stateKey {
            key = stateKey(r.state)
            precondition(key >= 0 && key < keyCount, "MCTS: state key \(key) is outside 0..<\(keyCount)")
            child = t.nodeOfKey[key]
        }
        if child < 0 { child = t.newState(r.state, terminal: r.terminated, key: key) }
        _ = t.addEdge(from: a, to: child, reward: r.reward, probability: p)
        return (child, r.reward)
    }

    /// The root action to execute (-1 when the root has none).
    @inlinable
    func chooseRootAction(_ t: MCTSTree<State, Action>) -> Int {
        var best = t.sFirstAction[t.root]
        if best < 0 { return -1 }
        var a = t.aNext[best]
        while a >= 0 {
            switch settings.finalAction {
            case .mostVisited:
                if t.aVisits[a] > t.aVisits[best] || (t.aVisits[a] == t.aVisits[best] && t.aQ[a] > t.aQ[best]) { best = a }
            case .highestValue:
                if t.aVisits[a] > 0 && (t.aVisits[best] == 0 || t.aQ[a] > t.aQ[best]) { best = a }
            }
            a = t.aNext[a]
        }
        return best
    }
}

extension MCTS where Model == TabularSimulationModel {
    /// MCTS on a tabular model: actions `0 ..< actionCount`, the table's outcome probabilities
    /// (used by the non-Monte-Carlo backups) and, with `transpositions`, one node per state.
    public convenience init(tabular model: TabularSimulationModel, settings: MCTSSettings = MCTSSettings(),
                            transpositions: Bool = false) throws {
        try self.init(model: model, actions: Array(0..<model.actionCount), settings: settings,
                      outcomeProbability: { s, a, next in model.probability(of: next, from: s, a) },
                      stateKey: transpositions ? { $0 } : nil, keyCount: transpositions ? model.stateCount : 0)
    }
}
