/// Progressive widening: a node may gain a new child while its child count is at most
/// k * N^alpha, N its visit count (Couëtoux et al., 2011; the parameters of MCTS.jl's DPW solver,
/// `k_action`/`alpha_action` and `k_state`/`alpha_state`).
public struct ProgressiveWidening: Sendable, Equatable {
    public var k: Double
    public var alpha: Double
    public init(k: Double, alpha: Double) {
        self.k = k
        self.alpha = alpha
    }
}

/// How MCTS scores actions during selection.
public enum MCTSSelection: Sendable, Equatable {
    /// UCB1 applied to trees, UCT (Kocsis & Szepesvári, 2006): Q + c sqrt(ln N / n); untried
    /// actions first.
    case uct
    /// PUCT with prior probabilities P (Silver et al., 2017): Q + c P sqrt(N) / (1 + n).
    case puct
}

/// How MCTS turns simulation returns into action values.
public enum MCTSBackup: Sendable, Equatable {
    /// Q(s, a) is the mean discounted return of the simulations through (s, a) (UCT).
    case monteCarlo
    /// Partial Bellman backups over the outcomes in the tree (Keller & Helmert, 2013):
    /// Q(s, a) = sum_c p_c (r_c + gamma V_c) / sum_c p_c over the outcomes c seen so far, with
    /// V of a leaf its estimate and of an inner node the max of its visited actions' Q. p_c is the
    /// model's probability when `MCTS.outcomeProbability` is given (DP-UCT), otherwise the
    /// outcome's empirical frequency (MaxUCT).
    case partialBellman
    /// Q(s, a) = sum_c p_c (r_c + gamma V_c) / sum_c p_c over the outcomes seen so far, with V_c
    /// the mean discounted return of the simulations from c: the outcome-sampling noise of UCT's
    /// chance nodes is removed while values still average over simulations. p_c as for
    /// `partialBellman`.
    case expectedOutcomes
}

/// Which root action MCTS executes.
public enum MCTSFinalAction: Sendable, Equatable {
    /// The most visited action (ties: the higher mean value), as AlphaGo Zero plays.
    case mostVisited
    /// The action with the highest mean value, as MCTS.jl returns.
    case highestValue
}

/// Parameters of `MCTS`.
public struct MCTSSettings: Sendable, Equatable {
    /// Simulations per real step.
    public var simulations: Int
    /// Maximum depth of a simulation (tree descent plus rollout), counted from the root.
    public var depth: Int
    /// Exploration constant c.
    public var exploration: Double
    public var discount: Double
    public var selection: MCTSSelection
    /// Progressive widening of actions (nil: all actions of the finite action set at once).
    public var actionWidening: ProgressiveWidening?
    /// Progressive widening of next states (nil: every sampled next state is matched to an
    /// existing child by equality or added).
    public var stateWidening: ProgressiveWidening?
    /// Rollout length limit below a new leaf (nil: to `depth`).
    public var rolloutDepth: Int?
    /// Keep the subtree of the executed action and observed next state for the next step.
    public var reuseTree: Bool
    public var finalAction: MCTSFinalAction
    public var backup: MCTSBackup
    public var seed: UInt64

    public init(simulations: Int = 100, depth: Int = 50, exploration: Double = 1.0, discount: Double = 1.0,
                selection: MCTSSelection = .uct, actionWidening: ProgressiveWidening? = nil,
                stateWidening: ProgressiveWidening? = nil, rolloutDepth: Int? = nil, reuseTree: Bool = true,
                finalAction: MCTSFinalAction = .mostVisited, backup: MCTSBackup = .monteCarlo,
                seed: UInt64 = 0) {
        self.simulations = simulations
        self.depth = depth
        self.exploration = exploration
        self.discount = discount
        self.selection = selection
        self.actionWidening = actionWidening
        self.stateWidening = stateWidening
        self.rolloutDepth = rolloutDepth
        self.reuseTree = reuseTree
        self.finalAction = finalAction
        self.backup = backup
        self.seed = seed
    }

    func validate() throws {
        guard simulations >= 1 else { throw RuntimeError("MCTS simulations must be at least 1, got \(simulations)") }
        guard depth >= 1 else { throw RuntimeError("MCTS depth must be at least 1, got \(depth)") }
        guard exploration >= 0 else { throw RuntimeError("MCTS exploration constant must be non-negative") }
        guard discount > 0 && discount <= 1 else { throw RuntimeError("MCTS discount must be in (0, 1]") }
        for w in [actionWidening, stateWidening].compactMap({ $0 }) where !(w.k > 0) || !(w.alpha >= 0 && w.alpha < 1) {
            throw RuntimeError("progressive widening needs k > 0 and alpha in [0, 1)")
        }
        if let r = rolloutDepth, r < 0 { throw RuntimeError("MCTS rollout depth must be non-negative") }
    }
}
