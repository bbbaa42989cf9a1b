import Dispatch

/// What a shooting planner executes: the first action of its distribution's mean or of the best
/// sequence it evaluated.
public enum PlanOutput: Sendable, Equatable {
    /// The first action of the (smoothed) elite mean, as PETS returns (Chua et al., 2018).
    case mean
    /// The first action of the best-scoring sequence seen during this call.
    case best
}

/// How many elites a CEM-family planner keeps: a count, or a ratio of the population.
public enum EliteCount: Sendable, Equatable {
    case count(Int)
    case ratio(Double)

    func resolve(population: Int) -> Int {
        switch self {
        case .count(let k): return max(1, min(k, population))
        case .ratio(let r): return max(1, min(population, Int((r * Double(population)).rounded())))
        }
    }
}

/// A scored action sequence, for inspection.
public struct ScoredPlan: Sendable, Equatable {
    /// `horizon * dimension` numbers, time-major.
    public var actions: [Double]
    /// Predicted (discounted) return of the sequence from the planning state.
    public var predictedReturn: Double
}

/// The buffers and rollout machinery shared by the shooting planners: a flat population of
/// action sequences (`capacity * horizon * dimension` doubles, time-major per candidate), their
/// returns, and deterministic, optionally parallel evaluation.
///
/// Candidate `c` of iteration `i` of planning call `k` is rolled out with its own generator
/// `RandomSource(seed: mix(seed, k, i), stream: c)`, so results do not depend on the number of
/// threads. All buffers are allocated once, in `init`.
public final class ShootingCore<Model: SimulationModel> where Model.Action: PlanAction {
    public let model: Model
    public let horizon: Int
    public let dimension: Int
    public let low: [Double]
    public let high: [Double]
    /// Discount of rewards along a rollout (1: plain sum, as PETS and iCEM use).
    public let discount: Double
    /// Number of threads rolling out candidates (1: serial).
    @exclusivity(unchecked) public var threads: Int
    public let seed: UInt64
    /// Number of candidates the buffers hold.
    public let capacity: Int
    /// Model transitions simulated so far.
    @exclusivity(unchecked) public var modelSteps = 0
    /// Planning calls so far (used to derive rollout streams).
    @exclusivity(unchecked) public var calls: UInt64 = 0

    @usableFromInline let lowP: UnsafeMutablePointer<Double>
    @usableFromInline let highP: UnsafeMutablePointer<Double>
    @usableFromInline let samples: UnsafeMutablePointer<Double>
    @usableFromInline let returns: UnsafeMutablePointer<Double>
    @usableFromInline let stepCounts: UnsafeMutablePointer<Int>

    /// Length of one sequence in the flat buffers.
    public var sequenceLength: Int { horizon * dimension }

    public init(model: Model, horizon: Int, low: [Double], high: [Double], capacity: Int,
                discount: Double = 1, seed: UInt64 = 0, threads: Int = 1) throws {
        guard horizon >= 1 else { throw RuntimeError("planner horizon must be at least 1, got \(horizon)") }
        guard !low.isEmpty, low.count == high.count else {
            throw RuntimeError("planner action bounds need one low and one high per action dimension")
        }
        for j in low.indices where !(low[j] <= high[j]) || !low[j].isFinite || !high[j].isFinite {
            throw RuntimeError("planner action bounds must be finite with low <= high (dimension \(j))")
        }
        guard capacity >= 1 else { throw RuntimeError("planner population must be at least 1") }
        guard threads >= 1 else { throw RuntimeError("planner threads must be at least 1, got \(threads)") }
        let numbers = Double(capacity) * Double(horizon) * Double(low.count)
        guard numbers <= 250_000_000 else {
            throw RuntimeError("a population of \(capacity) sequences of \(horizon) steps x \(low.count) action numbers needs "
                               + "\(String(format: "%.1f", numbers * 8 / 1e9)) GB (at most 2 GB); lower `population` or `horizon`")
        }
        self.model = model
        self.horizon = horizon
        self.dimension = low.count
        self.low = low
        self.high = high
        self.discount = discount
        self.seed = seed
        self.threads = threads
        self.capacity = capacity
        let d = low.count
        lowP = .allocate(capacity: d)
        highP = .allocate(capacity: d)
        for j in 0..<d { lowP[j] = low[j]; highP[j] = high[j] }
        samples = .allocate(capacity: capacity * horizon * d)
        samples.initialize(repeating: 0, count: capacity * horizon * d)
        returns = .allocate(capacity: capacity)
        returns.initialize(repeating: 0, count: capacity)
        stepCounts = .allocate(capacity: capacity)
        stepCounts.initialize(repeating: 0, count: capacity)
    }

    deinit {
        lowP.deallocate()
        highP.deallocate()
        samples.deallocate()
        returns.deallocate()
        stepCounts.deallocate()
    }

    /// `x` clipped to the bounds of action component `j`.
    @inlinable @inline(__always)
    func clipComponent(_ x: Double, _ j: Int) -> Double { min(max(x, lowP[j]), highP[j]) }

    /// Pointer to the start of candidate `c`'s sequence.
    @inlinable @inline(__always)
    func candidate(_ c: Int) -> UnsafeMutablePointer<Double> { samples + c * horizon * dimension }

    /// Rolls out one action sequence from `state`: (discounted return, transitions simulated).
    @inlinable @inline(__always)
    static func rollout(_ model: Model, _ state: Model.State, _ actions: UnsafePointer<Double>,
                        _ horizon: Int, _ d: Int, _ discount: Double,
                        _ rng: inout RandomSource) -> (Double, Int) {
        var s = state
        var total = 0.0
        var w = 1.0
        for t in 0..<horizon {
            let a = Model.Action(planVector: actions + t * d, count: d)
            let r = model.step(s, a, &rng)
            total += w * r.reward
            w *= discount
            if r.terminated { return (total, t + 1) }
            s = r.state
        }
        return (total, horizon)
    }

    /// The seed of the rollout streams of iteration `iteration` of the current call.
    @inlinable
    func streamSeed(_ iteration: Int) -> UInt64 {
        var sm = SplitMix64(state: seed ^ (calls &* 0x9E37_79B9_7F4A_7C15) ^ (UInt64(iteration) &* 0xC2B2_AE3D_27D4_EB4F))
        return sm.next()
    }

    /// Evaluates candidates `0 ..< count` from `state`, writing `returns`; NaN returns count as -inf.
    @inlinable
    func evaluate(_ state: Model.State, count: Int, iteration: Int) {
        let base = streamSeed(iteration)
        if model.evaluateBatch(from: state, sequences: samples, count: count, horizon: horizon, dimension: dimension,
                               discount: discount, seed: base, returns: returns, steps: stepCounts) {
            var steps = 0
            for c in 0..<count { steps += stepCounts[c] }
            modelSteps += steps
            return
        }
        let chunks = min(threads, count)
        if chunks <= 1 {
            evaluateRange(state, 0, count, base)
        } else {
            let work = UncheckedWork { k in
                self.evaluateRange(state, k * count / chunks, (k + 1) * count / chunks, base)
            }
            DispatchQueue.concurrentPerform(iterations: chunks) { k in work.run(k) }
        }
        var steps = 0
        for c in 0..<count { steps += stepCounts[c] }
        modelSteps += steps
    }

    @inlinable
    func evaluateRange(_ state: Model.State, _ lo: Int, _ hi: Int, _ base: UInt64) {
        let h = horizon, d = dimension, g = discount
        var c = lo
        while hi - c >= 4 {
            evaluateFour(state, c, base)
            c += 4
        }
        while c < hi {
            var rng = RandomSource(seed: base, stream: UInt64(c))
            let (r, n) = Self.rollout(model, state, samples + c * h * d, h, d, g, &rng)
            returns[c] = r.isNaN ? -.infinity : r
            stepCounts[c] = n
            c += 1
        }
    }

    /// Rolls out candidates `c ..< c + 4` side by side, one time step of each in turn. A rollout
    /// is one long chain of dependent model steps (Pendulum: `sin` of the angle every step), so
    /// four independent chains let the processor overlap them. Each candidate's arithmetic, and
    /// so its return, is exactly that of `rollout`.
    @inlinable @inline(__always)
    func evaluateFour(_ state: Model.State, _ c: Int, _ base: UInt64) {
        let h = horizon, d = dimension, g = discount
        let p0 = samples + c * h * d, p1 = p0 + h * d, p2 = p1 + h * d, p3 = p2 + h * d
        var r0 = RandomSource(seed: base, stream: UInt64(c)), r1 = RandomSource(seed: base, stream: UInt64(c + 1))
        var r2 = RandomSource(seed: base, stream: UInt64(c + 2)), r3 = RandomSource(seed: base, stream: UInt64(c + 3))
        var s0 = state, s1 = state, s2 = state, s3 = state
        var g0 = 0.0, g1 = 0.0, g2 = 0.0, g3 = 0.0
        var n0 = h, n1 = h, n2 = h, n3 = h
        var on0 = true, on1 = true, on2 = true, on3 = true
        var w = 1.0
        var t = 0
        while t < h {
            let o = t * d
            if on0 {
                let r = model.step(s0, Model.Action(planVector: p0 + o, count: d), &r0)
                g0 += w * r.reward
                if r.terminated { on0 = false; n0 = t + 1 } else { s0 = r.state }
            }
            if on1 {
                let r = model.step(s1, Model.Action(planVector: p1 + o, count: d), &r1)
                g1 += w * r.reward
                if r.terminated { on1 = false; n1 = t + 1 } else { s1 = r.state }
            }
            if on2 {
                let r = model.step(s2, Model.Action(planVector: p2 + o, count: d), &r2)
                g2 += w * r.reward
                if r.terminated { on2 = false; n2 = t + 1 } else { s2 = r.state }
            }
            if on3 {
                let r = model.step(s3, Model.Action(planVector: p3 + o, count: d), &r3)
                g3 += w * r.reward
                if r.terminated { on3 = false; n3 = t + 1 } else { s3 = r.state }
            }
            if !(on0 || on1 || on2 || on3) { break }
            w *= g
            t += 1
        }
        returns[c] = g0.isNaN ? -.infinity : g0
        returns[c + 1] = g1.isNaN ? -.infinity : g1
        returns[c + 2] = g2.isNaN ? -.infinity : g2
        returns[c + 3] = g3.isNaN ? -.infinity : g3
        stepCounts[c] = n0
        stepCounts[c + 1] = n1
        stepCounts[c + 2] = n2
        stepCounts[c + 3] = n3
    }

    /// Writes the indices of the `k` highest returns among `0 ..< count` into `out`, best first
    /// (ties keep the lower index first). Insertion into a sorted prefix: O(count * k), no allocation.
    @inlinable
    func topK(count: Int, k: Int, into out: UnsafeMutablePointer<Int>) {
        var filled = 0
        for c in 0..<count {
            let r = returns[c]
            if filled == k && !(r > returns[out[k - 1]]) { continue }
            var pos = filled < k ? filled : k - 1
            while pos > 0 && r > returns[out[pos - 1]] {
                out[pos] = out[pos - 1]
                pos -= 1
            }
            out[pos] = c
            if filled < k { filled += 1 }
        }
    }
}

/// Carries a chunk of rollout work into worker threads. Safe because workers only read the
/// model and the planning state and write disjoint candidate slots.
@usableFromInline
struct UncheckedWork: @unchecked Sendable {
    @usableFromInline let run: (Int) -> Void
    @usableFromInline init(_ run: @escaping (Int) -> Void) { self.run = run }
}
