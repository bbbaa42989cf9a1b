import MullRuntime

/// Summary statistics of a set of runs, as recommended by Agarwal et al. (2021), "Deep
/// Reinforcement Learning at the Edge of the Statistical Precipice": the mean and the
/// interquartile mean (IQM), each with a 95% percentile-bootstrap confidence interval. With one
/// task, the stratified bootstrap resamples runs with replacement.
public struct Estimate: Sendable, Equatable {
    public var value: Double
    public var low: Double
    public var high: Double
}

public enum Statistics {
    public static func mean(_ xs: [Double]) -> Double {
        xs.isEmpty ? .nan : xs.reduce(0, +) / Double(xs.count)
    }

    /// The mean of the middle 50% of the values (scipy.stats.trim_mean(x, 0.25), as rliable uses):
    /// `floor(0.25 n)` values are cut from each end.
    public static func iqm(_ xs: [Double]) -> Double {
        guard !xs.isEmpty else { return .nan }
        let s = xs.sorted()
        let cut = Int((0.25 * Double(s.count)).rounded(.down))
        let middle = s[cut..<(s.count - cut)]
        return middle.reduce(0, +) / Double(middle.count)
    }

    /// A percentile bootstrap CI of `statistic` with `resamples` draws from a fixed seed, so the
    /// summary is the same on every run.
    public static func bootstrap(_ xs: [Double], resamples: Int = 2000, level: Double = 0.95, seed: UInt64 = 0x5EED,
                                 _ statistic: ([Double]) -> Double) -> Estimate {
        let point = statistic(xs)
        guard xs.count > 1 else { return Estimate(value: point, low: point, high: point) }
        var rng = RandomSource(seed: seed)
        var stats: [Double] = []
        stats.reserveCapacity(resamples)
        var sample = [Double](repeating: 0, count: xs.count)
        for _ in 0..<resamples {
            for i in 0..<xs.count { sample[i] = xs[rng.int(below: xs.count)] }
            stats.append(statistic(sample))
        }
        stats.sort()
        let alpha = (1 - level) / 2
        return Estimate(value: point, low: quantile(stats, alpha), high: quantile(stats, 1 - alpha))
    }

    /// Linear-interpolation quantile of sorted values (numpy's default).
    public static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// Mean and a normal-approximation 95% interval (mean ± 1.96 standard errors), for plot bands.
    public static func meanBand(_ xs: [Double]) -> Estimate {
        let m = mean(xs)
        guard xs.count > 1 else { return Estimate(value: m, low: m, high: m) }
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count - 1)
        let h = 1.96 * (v / Double(xs.count)).squareRoot()
        return Estimate(value: m, low: m - h, high: m + h)
    }
}
