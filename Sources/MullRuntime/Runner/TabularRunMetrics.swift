/// Why a run ended.
public enum TabularStopReason: String, Sendable, Equatable {
    /// The episode or step budget was used up.
    case budget
    /// The greedy path from the start reached a goal within the requested factor of the shortest path.
    case greedyPathFound
    /// The requested number of consecutive successful episodes was reached.
    case consecutiveSuccesses
    /// The episode callback asked to stop.
    case cancelled
}

/// What a run records, as flat arrays with one entry per episode (the last one possibly cut
/// short by a step budget) and, optionally, one per real step.
///
/// Everything is deterministic given the seed except `wallSeconds`.
public struct TabularRunMetrics: Sendable, Equatable {
    /// Undiscounted return of each episode.
    public var returns: [Double] = []
    /// Real steps of each episode.
    public var steps: [Int] = []
    /// The agent's `realSteps` counter at the end of each episode.
    public var cumulativeRealSteps: [Int] = []
    /// The agent's `planningUpdates` counter at the end of each episode.
    public var cumulativePlanningUpdates: [Int] = []
    /// Whether each episode ended in a terminal state.
    public var terminated: [Bool] = []
    /// Whether each episode was cut by a step limit (environment's, run's or the step budget).
    public var truncated: [Bool] = []
    /// Wall-clock seconds of each episode: the only non-deterministic figure.
    public var wallSeconds: [Double] = []
    /// Cumulative reward after each real step of the run (only when requested).
    public var cumulativeReward: [Double] = []
    /// Why the run ended.
    public var stopReason: TabularStopReason = .budget
    /// For the greedy-path criterion: the greedy path length found at the stop.
    public var greedyPathLength: Int? = nil

    public init() {}

    public var episodeCount: Int { returns.count }
    /// Real steps taken by the agent in total when the run ended.
    public var totalRealSteps: Int { cumulativeRealSteps.last ?? 0 }
    /// Planning updates done by the agent in total when the run ended.
    public var totalPlanningUpdates: Int { cumulativePlanningUpdates.last ?? 0 }

    /// Equality ignoring wall time (for determinism checks).
    public func sameOutcome(as other: TabularRunMetrics) -> Bool {
        var a = self, b = other
        a.wallSeconds = []; b.wallSeconds = []
        return a == b
    }
}
