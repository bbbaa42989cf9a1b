/// Settings of a decision-time planner, independent of the task it will plan for. The factory
/// in `PlanningAgents` turns a spec and a task into a planner of concrete types, so the
/// planning loops specialise.
public enum PlannerSpec: Sendable {
    case shooting(ShootingSpec)
    case mcts(MCTSSpec)
}

/// Settings of the shooting planners over action sequences.
public struct ShootingSpec: Sendable {
    public enum Kind: String, Sendable { case cem, icem, mppi, randomShooting }
    public var kind: Kind
    public var horizon = 30
    public var population = 400
    public var elites: EliteCount = .count(40)
    public var iterations = 5
    public var alpha = 0.1
    /// Initial standard deviation of the action distribution (nil: half the action range).
    public var initialStd: Double?
    public var warmStart = true
    public var discount = 1.0
    public var threads = 1
    /// iCEM: colored-noise exponent, population decay, fraction of elites kept, mean added.
    public var beta = 2.0
    public var decay = 1.25
    public var keepElites = 0.3
    public var addMean = true
    public var minPopulation: Int?
    /// MPPI: temperature, noise standard deviation (nil: half the action range), AR(1) smoothing.
    public var lambda = 1.0
    public var sigma: Double?
    public var noiseSmoothing = 0.0
    /// The action returned: the elite mean (CEM's default) or the best sequence (iCEM's).
    public var output: PlanOutput?

    public init(kind: Kind) { self.kind = kind }
}

/// Settings of Monte Carlo tree search.
public struct MCTSSpec: Sendable {
    public var settings: MCTSSettings
    /// One node per state, with exact-probability backups (tabular tasks).
    public var transpositions: Bool
    /// An estimate of a new leaf's value from its state values, used instead of a rollout.
    public var leafValue: (@Sendable ([Double]) -> Double)?
    /// The rollout policy for discrete actions: an action index from the state values
    /// (nil: uniformly random actions).
    public var rolloutPolicy: (@Sendable ([Double]) -> Int)?
    public init(settings: MCTSSettings, transpositions: Bool = false, leafValue: (@Sendable ([Double]) -> Double)? = nil,
                rolloutPolicy: (@Sendable ([Double]) -> Int)? = nil) {
        self.settings = settings
        self.transpositions = transpositions
        self.leafValue = leafValue
        self.rolloutPolicy = rolloutPolicy
    }
}
