/// Aggregate statistics for comparing RL runs, following rliable (Agarwal et al., 2021, "Deep
/// Reinforcement Learning at the Edge of the Statistical Precipice", NeurIPS).
public enum Statistics {
    /// The arithmetic mean (nan for no values).
    public static func mean(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        var s = 0.0
        for v in x { s += v }
        return s / Double(x.count)
    }

    /// Interquartile mean: the mean of the middle 50% of the values, exactly as rliable's
    /// `aggregate_iqm`, i.e. `scipy.stats.trim_mean(x, 0.25)`: sort, drop `floor(0.25 n)` values
    /// from each end, average the rest (so for n < 4 it is the plain mean).
    public static func iqm(_ x: [Double]) -> Double {
        guard !x.isEmpty else { return .nan }
        let sorted = x.sorted()
        return trimmedMeanOfSorted(sorted, cut: x.count / 4)
    }

    @inline(__always)
    static func trimmedMeanOfSorted(_ sorted: [Double], cut: Int) -> Double {
        var s = 0.0
        for i in cut..<(sorted.count - cut) { s += sorted[i] }
        return s / Double(sorted.count - 2 * cut)
    }

    /// The `p`-quantile (`0...1`) of sorted values with linear interpolation between order
    /// statistics (numpy's default `percentile` method): position `p (n - 1)`.
    public static func quantile(sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let pos = p * Double(sorted.count - 1)
        let lo = Int(pos.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        let frac = pos - Double(lo)
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac
    }

    /// A confidence interval (bounds may be nan when there is nothing to estimate from).
    public struct Interval: Sendable, Hashable, CustomStringConvertible {
        public var lower: Double
        public var upper: Double
        public init(_ lower: Double, _ upper: Double) {
            self.lower = lower
            self.upper = upper
        }
        public static let undefined = Interval(.nan, .nan)
        public var description: String { "[\(formatNumber(lower)), \(formatNumber(upper))]" }
    }

    /// Point estimates and percentile-bootstrap confidence intervals of the mean and the IQM.
    public struct Estimate: Sendable, Hashable {
        public var n: Int
        public var mean: Double
        public var meanCI: Interval
        public var iqm: Double
        public var iqmCI: Interval
    }

    /// The mean and IQM of `x` (one score per run) with stratified-bootstrap percentile
    /// intervals as rliable's `get_interval_estimates` computes them for a single task: draw
    /// `resamples` sets of `n` runs with replacement, evaluate both statistics on each (the same
    /// resampled sets serve both), and take the `(1 - confidence)/2` and `(1 + confidence)/2`
    /// quantiles of the replicates. Deterministic for a given `seed` and `stream`.
    public static func bootstrap(_ x: [Double], resamples: Int = 2000, confidence: Double = 0.95,
                                 seed: UInt64 = 0, stream: UInt64 = 0) -> Estimate {
        bootstrap(tasks: [x], resamples: resamples, confidence: confidence, seed: seed, stream: stream)
    }

    /// The multi-task form: `tasks[j]` holds the runs of task `j`; each bootstrap replicate
    /// resamples runs with replacement within every task separately (stratified bootstrap).
    /// The mean is the mean over tasks of per-task means (rliable's `aggregate_mean`); the IQM
    /// is the trimmed mean of all scores pooled (rliable's `aggregate_iqm`).
    public static func bootstrap(tasks: [[Double]], resamples: Int = 2000, confidence: Double = 0.95,
                                 seed: UInt64 = 0, stream: UInt64 = 0) -> Estimate {
        let tasks = tasks.filter { !$0.isEmpty }
        let total = tasks.reduce(0) { $0 + $1.count }
        guard total > 0 else { return Estimate(n: 0, mean: .nan, meanCI: .undefined, iqm: .nan, iqmCI: .undefined) }
        func meanOfMeans(_ ts: [[Double]]) -> Double { mean(ts.map(mean)) }
        let pointMean = meanOfMeans(tasks)
        let pointIQM = iqm(tasks.flatMap { $0 })
        guard resamples > 0 else {
            return Estimate(n: total, mean: pointMean, meanCI: Interval(pointMean, pointMean), iqm: pointIQM, iqmCI: Interval(pointIQM, pointIQM))
        }
        var rng = RandomSource(seed: seed, stream: stream)
        var means = [Double](repeating: 0, count: resamples)
        var iqms = [Double](repeating: 0, count: resamples)
        var pooled = [Double](repeating: 0, count: total)
        let cut = total / 4
        for b in 0..<resamples {
            var k = 0
            var meanSum = 0.0
            for t in tasks {
                var s = 0.0
                for _ in 0..<t.count {
                    let v = t[rng.int(below: t.count)]
                    pooled[k] = v
                    k += 1
                    s += v
                }
                meanSum += s / Double(t.count)
            }
            means[b] = meanSum / Double(tasks.count)
            pooled.sort()
            iqms[b] = trimmedMeanOfSorted(pooled, cut: cut)
        }
        means.sort()
        iqms.sort()
        let lo = (1 - confidence) / 2, hi = (1 + confidence) / 2
        func interval(_ s: [Double]) -> Interval { Interval(quantile(sorted: s, lo), quantile(sorted: s, hi)) }
        return Estimate(n: total, mean: pointMean, meanCI: interval(means), iqm: pointIQM, iqmCI: interval(iqms))
    }

    /// The Student t quantile `t_{0.975, df}` (two-sided 95%): table values for df 1...30 (the
    /// 0.975 quantiles of the t distribution to 6 decimals, as `scipy.stats.t.ppf(0.975, df)`
    /// gives them), and for larger df the Cornish-Fisher expansion around the normal quantile
    /// 1.959964 (Abramowitz & Stegun 26.7.5), within 2e-6 of the exact value there.
    public static func t975(df: Int) -> Double {
        let table: [Double] = [12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624,
                               2.306004, 2.262157, 2.228139, 2.200985, 2.178813, 2.160369, 2.144787,
                               2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963, 2.079614,
                               2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407,
                               2.045230, 2.042272]
        if df < 1 { return .nan }
        if df <= 30 { return table[df - 1] }
        let z = 1.959963984540054, n = Double(df)
        let z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z
        return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n)
            + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n)
    }

    /// Sample standard deviation (n - 1 denominator); nan for fewer than two values.
    public static func standardDeviation(_ x: [Double]) -> Double {
        guard x.count > 1 else { return .nan }
        let m = mean(x)
        var s = 0.0
        for v in x { s += (v - m) * (v - m) }
        return (s / Double(x.count - 1)).squareRoot()
    }
}
