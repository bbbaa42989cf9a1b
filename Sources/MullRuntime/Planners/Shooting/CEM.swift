/// The cross-entropy method over action sequences (Rubinstein, 1999), as model-predictive
/// control in PETS (Chua et al., 2018).
///
/// Each call samples `population` sequences from a diagonal Gaussian (clipped to the action
/// bounds), rolls them out in the model for `horizon` steps, refits the Gaussian to the
/// `elites` best with smoothing `alpha` (new = alpha * old + (1 - alpha) * elite statistic, for
/// mean and variance), and repeats for `iterations`. It executes the first action of the mean
/// (the smoothed mean of the elites, as PETS does) or, with `output: .best`, of the best sequence.
/// With `warmStart` the next call starts from the previous mean shifted by one step with the
/// initial mean appended; the std restarts at `initialStd` every call. The Gaussian samples come
/// from the ziggurat stream of `RandomSource.fastNormal()`.
public final class CEM<Model: SimulationModel>: DecisionTimePlanner where Model.Action: PlanAction {
    public typealias State = Model.State
    public typealias Action = Model.Action

    public let core: ShootingCore<Model>
    public let distribution: SequenceDistribution
    public let population: Int
    public let elites: Int
    public let iterations: Int
    public let alpha: Double
    public var warmStart: Bool
    public var output: PlanOutput
    @exclusivity(unchecked) @usableFromInline var rng: RandomSource
    @usableFromInline let eliteIndex: UnsafeMutablePointer<Int>
    @usableFromInline let best: UnsafeMutablePointer<Double>
    @exclusivity(unchecked) @usableFromInline var _bestReturn = -Double.infinity
    /// Return of the best sequence of the last call.
    public var bestReturn: Double { _bestReturn }

    /// - Parameters:
    ///   - low, high: action bounds per dimension (the dimension is their length).
    ///   - initialMean: per dimension (one number for all); default the middle of the bounds.
    ///   - initialStd: per dimension; default a quarter of the range (PETS' (high - low)^2 / 16 variance).
    public init(model: Model, horizon: Int, low: [Double], high: [Double], population: Int = 400,
                elites: EliteCount = .count(40), iterations: Int = 5, alpha: Double = 0.1,
                initialMean: [Double]? = nil, initialStd: [Double]? = nil, warmStart: Bool = true,
                output: PlanOutput = .mean, discount: Double = 1, seed: UInt64 = 0, threads: Int = 1) throws {
        guard population >= 1 else { throw RuntimeError("CEM population must be at least 1") }
        guard iterations >= 1 else { throw RuntimeError("CEM iterations must be at least 1") }
        guard alpha >= 0 && alpha < 1 else { throw RuntimeError("CEM alpha must be in [0, 1), got \(alpha)") }
        core = try ShootingCore(model: model, horizon: horizon, low: low, high: high, capacity: population,
                                discount: discount, seed: seed, threads: threads)
        let d = low.count
        let mean = try perDimension(initialMean ?? zip(low, high).map { ($0 + $1) / 2 }, d, "CEM initial mean")
        let std = try perDimension(initialStd ?? zip(low, high).map { ($1 - $0) / 4 }, d, "CEM initial std", nonNegative: true)
        distribution = SequenceDistribution(horizon: horizon, initialMean: mean, initialStd: std)
        self.population = population
        self.elites = elites.resolve(population: population)
        self.iterations = iterations
        self.alpha = alpha
        self.warmStart = warmStart
        self.output = output
        rng = RandomSource(seed: seed, stream: 0x5EED_CE)
        eliteIndex = .allocate(capacity: self.elites)
        eliteIndex.initialize(repeating: 0, count: self.elites)
        best = .allocate(capacity: horizon * d)
        best.initialize(repeating: 0, count: horizon * d)
    }

    deinit {
        eliteIndex.deallocate()
        best.deallocate()
    }

    public var modelSteps: Int { core.modelSteps }

    public func reset() {
        distribution.hasPrevious = false
    }

    @inlinable
    public func act(_ state: State) -> Action {
        let c = core, dist = distribution
        let n = c.sequenceLength, d = c.dimension
        dist.begin(warmStart: warmStart)
        _bestReturn = -.infinity
        for it in 0..<iterations {
            sampleCandidates(c, dist)
            c.evaluate(state, count: population, iteration: it)
            c.topK(count: population, k: elites, into: eliteIndex)
            let top = eliteIndex[0]
            if c.returns[top] > _bestReturn {
                _bestReturn = c.returns[top]
                best.update(from: c.candidate(top), count: n)
            }
            dist.refit(c, eliteIndex, elites, alpha: alpha)
        }
        dist.hasPrevious = true
        c.calls &+= 1
        return Action(planVector: output == .mean ? dist.mean : best, count: d)
    }

    /// Writes the population's sequences: `mean + std * z`, clipped to the bounds, with `z` from
    /// the ziggurat normal stream (`RandomSource.fastNormal()`), candidate by candidate, time-major.
    @inlinable
    func sampleCandidates(_ c: ShootingCore<Model>, _ dist: SequenceDistribution) {
        let n = c.sequenceLength, d = c.dimension
        let mean = dist.mean, std = dist.std, lowP = c.lowP, highP = c.highP
        let zig = NormalZiggurat.shared
        var r = rng
        defer { rng = r }
        var p = c.samples
        if d == 1 {
            let lo = lowP[0], hi = highP[0]
            for _ in 0..<population {
                for i in 0..<n { p[i] = min(max(mean[i] + std[i] * zig.sample(&r), lo), hi) }
                p += n
            }
        } else {
            for _ in 0..<population {
                var i = 0
                while i < n {
                    for j in 0..<d { p[i + j] = min(max(mean[i + j] + std[i + j] * zig.sample(&r), lowP[j]), highP[j]) }
                    i += d
                }
                p += n
            }
        }
    }

    /// The elites of the last iteration of the last call, best first, with predicted returns.
    public var eliteSequences: [ScoredPlan] {
        (0..<elites).map { e in
            let k = eliteIndex[e]
            return ScoredPlan(actions: Array(UnsafeBufferPointer(start: core.candidate(k), count: core.sequenceLength)),
                              predictedReturn: core.returns[k])
        }
    }
    /// The current mean plan (after the last call: the plan whose first action was returned with `.mean`).
    public var meanPlan: [Double] { distribution.meanPlan }
    /// The best sequence of the last call.
    public var bestPlan: ScoredPlan {
        ScoredPlan(actions: Array(UnsafeBufferPointer(start: best, count: core.sequenceLength)), predictedReturn: _bestReturn)
    }
}
