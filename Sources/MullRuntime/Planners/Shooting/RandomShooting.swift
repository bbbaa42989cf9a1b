/// Random shooting: evaluate `population` action sequences drawn uniformly within the bounds and
/// execute the first action of the best (Nagabandi et al., 2018, use it with learned models).
public final class RandomShooting<Model: SimulationModel>: DecisionTimePlanner where Model.Action: PlanAction {
    public typealias State = Model.State
    public typealias Action = Model.Action

    public let core: ShootingCore<Model>
    public let population: Int
    @usableFromInline var rng: RandomSource
    @usableFromInline var bestIndex = 0

    public init(model: Model, horizon: Int, low: [Double], high: [Double], population: Int = 1000,
                discount: Double = 1, seed: UInt64 = 0, threads: Int = 1) throws {
        guard population >= 1 else { throw RuntimeError("random shooting population must be at least 1") }
        core = try ShootingCore(model: model, horizon: horizon, low: low, high: high, capacity: population,
                                discount: discount, seed: seed, threads: threads)
        self.population = population
        rng = RandomSource(seed: seed, stream: 0x4A4D)
    }

    public var modelSteps: Int { core.modelSteps }

    public func reset() {}

    @inlinable
    public func act(_ state: State) -> Action {
        let c = core
        let n = c.sequenceLength, d = c.dimension
        for k in 0..<population {
            let p = c.candidate(k)
            for i in 0..<n {
                let j = i % d
                p[i] = rng.uniform(c.lowP[j], c.highP[j])
            }
        }
        c.evaluate(state, count: population, iteration: 0)
        var b = 0
        for k in 1..<max(1, population) where c.returns[k] > c.returns[b] { b = k }
        bestIndex = b
        c.calls &+= 1
        return Action(planVector: c.candidate(b), count: d)
    }

    /// The best sequence of the last call.
    public var bestPlan: ScoredPlan {
        ScoredPlan(actions: Array(UnsafeBufferPointer(start: core.candidate(bestIndex), count: core.sequenceLength)),
                   predictedReturn: core.returns[bestIndex])
    }
}
