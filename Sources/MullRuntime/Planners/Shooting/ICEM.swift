#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The improved cross-entropy method, iCEM (Pinneri et al., 2020): CEM with colored sampling
/// noise, a population that shrinks over iterations, elites carried between iterations and
/// shifted to the next step, and the mean evaluated as a candidate at the last iteration.
///
/// Iteration i samples max(minPopulation, floor(population * decay^-i)) sequences of colored
/// noise (exponent `beta` along the horizon, `ColoredNoise`) around the Gaussian, clipped to the
/// bounds. To them it adds the `keepElites` fraction of the elites of the previous iteration (at
/// the first iteration: of the previous call, shifted one step with the initial mean appended)
/// and, at the last iteration, the mean itself. Refits are CEM's (smoothing `alpha` on mean and
/// variance). By default it executes the first action of the best sequence found in the call, as
/// iCEM does; `output: .mean` executes the mean's instead.
public final class ICEM<Model: SimulationModel>: DecisionTimePlanner where Model.Action: PlanAction {
    public typealias State = Model.State
    public typealias Action = Model.Action

    public let core: ShootingCore<Model>
    public let distribution: SequenceDistribution
    public let noise: ColoredNoise
    public let population: Int
    public let elites: Int
    public let iterations: Int
    public let alpha: Double
    public let decay: Double
    public let minPopulation: Int
    /// Number of elites carried to the next iteration and the next call.
    public let keptElites: Int
    public let addMean: Bool
    public var warmStart: Bool
    public var output: PlanOutput
    @usableFromInline var rng: RandomSource
    @usableFromInline let eliteIndex: UnsafeMutablePointer<Int>
    /// Elites of the last iteration, `elites * sequenceLength`, best first, and their returns.
    @usableFromInline let eliteStore: UnsafeMutablePointer<Double>
    @usableFromInline let eliteReturns: UnsafeMutablePointer<Double>
    @usableFromInline var storedElites = 0
    @usableFromInline let best: UnsafeMutablePointer<Double>
    @usableFromInline var _bestReturn = -Double.infinity
    /// Candidates evaluated at each iteration of the last call.
    public var lastPopulationSizes: [Int] { _populationSizes }
    @usableFromInline var _populationSizes: [Int] = []

    /// - Parameters:
    ///   - beta: colored-noise exponent (Pinneri et al. use 2 to 2.5 for most tasks).
    ///   - decay: population decay factor gamma (1.25 in the paper).
    ///   - keepElites: fraction of the elites carried over (0.3 in the paper).
    ///   - minPopulation: floor of the decayed population; default twice the elites.
    public init(model: Model, horizon: Int, low: [Double], high: [Double], population: Int = 400,
                elites: EliteCount = .count(40), iterations: Int = 5, alpha: Double = 0.1,
                beta: Double = 2.0, decay: Double = 1.25, keepElites: Double = 0.3, addMean: Bool = true,
                minPopulation: Int? = nil, initialMean: [Double]? = nil, initialStd: [Double]? = nil,
                warmStart: Bool = true, output: PlanOutput = .best, discount: Double = 1,
                seed: UInt64 = 0, threads: Int = 1) throws {
        guard population >= 1 else { throw RuntimeError("iCEM population must be at least 1") }
        guard iterations >= 1 else { throw RuntimeError("iCEM iterations must be at least 1") }
        guard alpha >= 0 && alpha < 1 else { throw RuntimeError("iCEM alpha must be in [0, 1), got \(alpha)") }
        guard decay >= 1 else { throw RuntimeError("iCEM population decay must be at least 1, got \(decay)") }
        guard keepElites >= 0 && keepElites <= 1 else { throw RuntimeError("iCEM keepElites must be in [0, 1]") }
        let e = elites.resolve(population: population)
        let kept = Int((keepElites * Double(e)).rounded(.down))
        let minPop = max(1, min(population, minPopulation ?? 2 * e))
        core = try ShootingCore(model: model, horizon: horizon, low: low, high: high,
                                capacity: population + kept + 1, discount: discount, seed: seed, threads: threads)
        let d = low.count
        let mean = try perDimension(initialMean ?? zip(low, high).map { ($0 + $1) / 2 }, d, "iCEM initial mean")
        let std = try perDimension(initialStd ?? zip(low, high).map { ($1 - $0) / 4 }, d, "iCEM initial std", nonNegative: true)
        distribution = SequenceDistribution(horizon: horizon, initialMean: mean, initialStd: std)
        noise = ColoredNoise(length: horizon, beta: beta)
        self.population = population
        self.elites = e
        self.iterations = iterations
        self.alpha = alpha
        self.decay = decay
        self.minPopulation = minPop
        self.keptElites = kept
        self.addMean = addMean
        self.warmStart = warmStart
        self.output = output
        rng = RandomSource(seed: seed, stream: 0x1CE3)
        eliteIndex = .allocate(capacity: e)
        eliteIndex.initialize(repeating: 0, count: e)
        eliteStore = .allocate(capacity: e * horizon * d)
        eliteStore.initialize(repeating: 0, count: e * horizon * d)
        eliteReturns = .allocate(capacity: e)
        eliteReturns.initialize(repeating: 0, count: e)
        best = .allocate(capacity: horizon * d)
        best.initialize(repeating: 0, count: horizon * d)
        _populationSizes.reserveCapacity(iterations)
    }

    deinit {
        eliteIndex.deallocate()
        eliteStore.deallocate()
        eliteReturns.deallocate()
        best.deallocate()
    }

    public var modelSteps: Int { core.modelSteps }
    public var bestReturn: Double { _bestReturn }

    /// Sampled candidates at iteration `i` (before kept elites and the mean are added).
    public func sampledPopulation(iteration i: Int) -> Int {
        max(minPopulation, Int(Double(population) * pow(decay, -Double(i))))
    }

    public func reset() {
        distribution.hasPrevious = false
        storedElites = 0
    }

    @inlinable
    public func act(_ state: State) -> Action {
        let c = core, dist = distribution
        let n = c.sequenceLength, d = c.dimension
        dist.begin(warmStart: warmStart)
        // Shift the carried elites of the previous call by one step, appending the initial mean.
        let carry = warmStart && dist.hasPrevious ? min(keptElites, storedElites) : 0
        if carry > 0 {
            for e in 0..<carry {
                let p = eliteStore + e * n
                for i in 0..<(n - d) { p[i] = p[i + d] }
                for j in 0..<d { p[n - d + j] = dist.initialMean[j] }
            }
        }
        var available = carry
        _bestReturn = -.infinity
        _populationSizes.removeAll(keepingCapacity: true)
        for it in 0..<iterations {
            let sampled = sampledPopulation(iteration: it)
            for k in 0..<sampled {
                let p = c.candidate(k)
                for j in 0..<d { noise.generate(into: p + j, stride: d, &rng) }
                for i in 0..<n { p[i] = c.clipComponent(dist.mean[i] + dist.std[i] * p[i], i % d) }
            }
            var total = sampled
            let keep = min(keptElites, available)
            for e in 0..<keep {
                c.candidate(total).update(from: eliteStore + e * n, count: n)
                total += 1
            }
            if addMean && it == iterations - 1 {
                c.candidate(total).update(from: dist.mean, count: n)
                total += 1
            }
            _populationSizes.append(total)
            c.evaluate(state, count: total, iteration: it)
            let k = min(elites, total)
            c.topK(count: total, k: k, into: eliteIndex)
            let top = eliteIndex[0]
            if c.returns[top] > _bestReturn {
                _bestReturn = c.returns[top]
                best.update(from: c.candidate(top), count: n)
            }
            for e in 0..<k {
                (eliteStore + e * n).update(from: c.candidate(eliteIndex[e]), count: n)
                eliteReturns[e] = c.returns[eliteIndex[e]]
            }
            storedElites = k
            available = k
            dist.refit(c, eliteIndex, k, alpha: alpha)
        }
        dist.hasPrevious = true
        c.calls &+= 1
        return Action(planVector: output == .mean ? dist.mean : best, count: d)
    }

    /// The elites of the last iteration of the last call, best first, with predicted returns.
    public var eliteSequences: [ScoredPlan] {
        (0..<storedElites).map { e in
            ScoredPlan(actions: Array(UnsafeBufferPointer(start: eliteStore + e * core.sequenceLength, count: core.sequenceLength)),
                       predictedReturn: eliteReturns[e])
        }
    }
    public var meanPlan: [Double] { distribution.meanPlan }
    public var bestPlan: ScoredPlan {
        ScoredPlan(actions: Array(UnsafeBufferPointer(start: best, count: core.sequenceLength)), predictedReturn: _bestReturn)
    }
}
