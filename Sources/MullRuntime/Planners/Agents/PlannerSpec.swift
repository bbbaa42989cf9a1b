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

/// Receives a shooting planner of a concrete type, so its loops specialise, with the function
/// that describes its last plan. Each way of binding a planner to a task (the true dynamics, a
/// learned ensemble, a task written in Mull) is one sink; the planners are built in one place,
/// `ShootingSpec.build`.
protocol ShootingPlannerSink {
    associatedtype Model: SimulationModel where Model.Action: PlanAction
    associatedtype Output
    func take<P: DecisionTimePlanner>(_ planner: P, report: @escaping (P, Int) -> String) throws -> Output
    where P.State == Model.State, P.Action == Model.Action
}

extension ShootingSpec {
    /// The planner these settings describe, searching `model` between the action bounds, handed
    /// to `sink`. A new shooting planner is one case here (and one of `Kind`).
    func build<S: ShootingPlannerSink>(model: S.Model, low: [Double], high: [Double], seed: UInt64, threads: Int,
                                       into sink: S) throws -> S.Output {
        let s = self
        let std = s.initialStd.map { [Double](repeating: $0, count: low.count) }
        switch s.kind {
        case .cem:
            let p = try CEM(model: model, horizon: s.horizon, low: low, high: high, population: s.population, elites: s.elites,
                            iterations: s.iterations, alpha: s.alpha, initialStd: std, warmStart: s.warmStart,
                            output: s.output ?? .mean, discount: s.discount, seed: seed, threads: threads)
            return try sink.take(p) { p, d in PlanningAgents.shootingReport("CEM", p.eliteSequences, p.meanPlan, depth: d) }
        case .icem:
            let p = try ICEM(model: model, horizon: s.horizon, low: low, high: high, population: s.population, elites: s.elites,
                             iterations: s.iterations, alpha: s.alpha, beta: s.beta, decay: s.decay, keepElites: s.keepElites,
                             addMean: s.addMean, minPopulation: s.minPopulation, initialStd: std, warmStart: s.warmStart,
                             output: s.output ?? .best, discount: s.discount, seed: seed, threads: threads)
            return try sink.take(p) { p, d in PlanningAgents.shootingReport("iCEM", p.eliteSequences, p.meanPlan, depth: d) }
        case .mppi:
            let sigma = s.sigma.map { [Double](repeating: $0, count: low.count) }
            let p = try MPPI(model: model, horizon: s.horizon, low: low, high: high, population: s.population,
                             iterations: s.iterations, lambda: s.lambda, sigma: sigma, beta: s.noiseSmoothing,
                             warmStart: s.warmStart, discount: s.discount, seed: seed, threads: threads)
            return try sink.take(p) { p, d in PlanningAgents.shootingReport("MPPI", [], p.meanPlan, depth: d) }
        case .randomShooting:
            let p = try RandomShooting(model: model, horizon: s.horizon, low: low, high: high, population: s.population,
                                       discount: s.discount, seed: seed, threads: threads)
            return try sink.take(p) { p, d in PlanningAgents.shootingReport("random shooting", [p.bestPlan], p.bestPlan.actions, depth: d) }
        }
    }
}
