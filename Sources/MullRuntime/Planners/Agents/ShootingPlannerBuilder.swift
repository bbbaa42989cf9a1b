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
