#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Model-predictive path integral control, MPPI (Williams et al., 2017, "Information theoretic
/// MPC for model-based reinforcement learning").
///
/// Each call perturbs the nominal plan with `population` Gaussian noise sequences (std `sigma`
/// per action component, time-correlated as a stationary AR(1) process
/// e_t = beta e_{t-1} + sqrt(1 - beta^2) w_t, so beta 0 is white noise), clips to the bounds,
/// rolls out, and replaces the plan by the average of the sampled sequences weighted by
/// exp((R - max R) / lambda). It executes the plan's first action and, with `warmStart`, keeps
/// the plan shifted by one step (initial mean appended) for the next call. The control-cost term
/// lambda u' Sigma^-1 e of the paper is not included: rewards alone score the samples.
public final class MPPI<Model: SimulationModel>: DecisionTimePlanner where Model.Action: PlanAction {
    public typealias State = Model.State
    public typealias Action = Model.Action

    public let core: ShootingCore<Model>
    public let distribution: SequenceDistribution
    public let population: Int
    public let iterations: Int
    public let lambda: Double
    public let beta: Double
    public var warmStart: Bool
    @usableFromInline var rng: RandomSource
    @usableFromInline let weights: UnsafeMutablePointer<Double>
    @usableFromInline let noiseState: UnsafeMutablePointer<Double>

    /// - Parameters:
    ///   - lambda: temperature; smaller values weight the best samples more.
    ///   - sigma: noise std per dimension (one number for all); default a quarter of the range.
    ///   - beta: AR(1) correlation of the noise between consecutive steps, in [0, 1).
    public init(model: Model, horizon: Int, low: [Double], high: [Double], population: Int = 400,
                iterations: Int = 1, lambda: Double = 1.0, sigma: [Double]? = nil, beta: Double = 0,
                initialMean: [Double]? = nil, warmStart: Bool = true, discount: Double = 1,
                seed: UInt64 = 0, threads: Int = 1) throws {
        guard population >= 1 else { throw RuntimeError("MPPI population must be at least 1") }
        guard iterations >= 1 else { throw RuntimeError("MPPI iterations must be at least 1") }
        guard lambda > 0 else { throw RuntimeError("MPPI lambda must be positive, got \(lambda)") }
        guard beta >= 0 && beta < 1 else { throw RuntimeError("MPPI beta must be in [0, 1), got \(beta)") }
        core = try ShootingCore(model: model, horizon: horizon, low: low, high: high, capacity: population,
                                discount: discount, seed: seed, threads: threads)
        let d = low.count
        let mean = try perDimension(initialMean ?? zip(low, high).map { ($0 + $1) / 2 }, d, "MPPI initial mean")
        let std = try perDimension(sigma ?? zip(low, high).map { ($1 - $0) / 4 }, d, "MPPI sigma", nonNegative: true)
        distribution = SequenceDistribution(horizon: horizon, initialMean: mean, initialStd: std)
        self.population = population
        self.iterations = iterations
        self.lambda = lambda
        self.beta = beta
        self.warmStart = warmStart
        rng = RandomSource(seed: seed, stream: 0x1199)
        weights = .allocate(capacity: population)
        weights.initialize(repeating: 0, count: population)
        noiseState = .allocate(capacity: d)
        noiseState.initialize(repeating: 0, count: d)
    }

    deinit {
        weights.deallocate()
        noiseState.deallocate()
    }

    public var modelSteps: Int { core.modelSteps }

    public func reset() { distribution.hasPrevious = false }

    @inlinable
    public func act(_ state: State) -> Action {
        let c = core, dist = distribution
        let n = c.sequenceLength, d = c.dimension, h = c.horizon
        let innovation = (1 - beta * beta).squareRoot()
        dist.begin(warmStart: warmStart)
        for it in 0..<iterations {
            for k in 0..<population {
                let p = c.candidate(k)
                for j in 0..<d { noiseState[j] = rng.normal() }
                for t in 0..<h {
                    for j in 0..<d {
                        if t > 0 { noiseState[j] = beta * noiseState[j] + innovation * rng.normal() }
                        let i = t * d + j
                        p[i] = c.clipComponent(dist.mean[i] + dist.std[i] * noiseState[j], j)
                    }
                }
            }
            c.evaluate(state, count: population, iteration: it)
            var top = -Double.infinity
            for k in 0..<population { top = max(top, c.returns[k]) }
            var total = 0.0
            for k in 0..<population {
                let w = top.isFinite ? exp((c.returns[k] - top) / lambda) : 1
                weights[k] = w
                total += w
            }
            let inv = 1 / total
            for i in 0..<n {
                var m = 0.0
                for k in 0..<population { m += weights[k] * c.samples[k * n + i] }
                dist.mean[i] = m * inv
            }
        }
        dist.hasPrevious = true
        c.calls &+= 1
        return Action(planVector: dist.mean, count: d)
    }

    /// The nominal plan after the last call.
    public var meanPlan: [Double] { distribution.meanPlan }
    /// Sampled sequences of the last iteration with their returns and normalised weights, heaviest first.
    public var weightedSamples: [(plan: ScoredPlan, weight: Double)] {
        var total = 0.0
        for k in 0..<population { total += weights[k] }
        return (0..<population).map { k in
            (ScoredPlan(actions: Array(UnsafeBufferPointer(start: core.candidate(k), count: core.sequenceLength)),
                        predictedReturn: core.returns[k]), weights[k] / total)
        }.sorted { $0.weight > $1.weight }
    }
}
