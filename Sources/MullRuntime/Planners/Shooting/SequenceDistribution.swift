/// A diagonal Gaussian over action sequences (mean and standard deviation per time step and
/// action component), with warm starting and smoothed refits from elites.
public final class SequenceDistribution {
    public let horizon: Int
    public let dimension: Int
    @usableFromInline let mean: UnsafeMutablePointer<Double>
    @usableFromInline let std: UnsafeMutablePointer<Double>
    @usableFromInline let initialMean: UnsafeMutablePointer<Double>
    @usableFromInline let initialStd: UnsafeMutablePointer<Double>
    /// Whether `mean` holds a previous solution to shift.
    public var hasPrevious = false

    init(horizon: Int, initialMean: [Double], initialStd: [Double]) {
        let d = initialMean.count
        self.horizon = horizon
        self.dimension = d
        mean = .allocate(capacity: horizon * d)
        std = .allocate(capacity: horizon * d)
        self.initialMean = .allocate(capacity: d)
        self.initialStd = .allocate(capacity: d)
        for j in 0..<d {
            self.initialMean[j] = initialMean[j]
            self.initialStd[j] = initialStd[j]
        }
        for t in 0..<horizon {
            for j in 0..<d {
                mean[t * d + j] = initialMean[j]
                std[t * d + j] = initialStd[j]
            }
        }
    }

    deinit {
        mean.deallocate()
        std.deallocate()
        initialMean.deallocate()
        initialStd.deallocate()
    }

    /// The mean plan, `horizon * dimension` numbers, time-major.
    public var meanPlan: [Double] { Array(UnsafeBufferPointer(start: mean, count: horizon * dimension)) }
    /// The standard deviations, same layout as `meanPlan`.
    public var stdPlan: [Double] { Array(UnsafeBufferPointer(start: std, count: horizon * dimension)) }

    /// Starts a planning call: the previous mean shifted one step earlier with the initial mean
    /// appended (warm start), or the initial mean everywhere; the initial std everywhere.
    @inlinable
    func begin(warmStart: Bool) {
        let d = dimension, n = horizon * d
        if warmStart && hasPrevious {
            for i in 0..<(n - d) { mean[i] = mean[i + d] }
            for j in 0..<d { mean[n - d + j] = initialMean[j] }
        } else {
            for t in 0..<horizon { for j in 0..<d { mean[t * d + j] = initialMean[j] } }
        }
        for t in 0..<horizon { for j in 0..<d { std[t * d + j] = initialStd[j] } }
    }

    /// Refits to the elites `idx[0 ..< k]` of `core`'s population: mean and variance of the
    /// elites, smoothed as `alpha * old + (1 - alpha) * new` (PETS' update of mean and variance).
    @inlinable
    func refit<M>(_ core: ShootingCore<M>, _ idx: UnsafePointer<Int>, _ k: Int, alpha: Double) {
        let n = horizon * dimension
        let inv = 1.0 / Double(k)
        for i in 0..<n {
            var m = 0.0
            for e in 0..<k { m += core.samples[idx[e] * n + i] }
            m *= inv
            var v = 0.0
            for e in 0..<k {
                let x = core.samples[idx[e] * n + i] - m
                v += x * x
            }
            v *= inv
            let oldVar = std[i] * std[i]
            mean[i] = alpha * mean[i] + (1 - alpha) * m
            std[i] = (alpha * oldVar + (1 - alpha) * v).squareRoot()
        }
    }
}

/// `values` spread to one number per action dimension (a single number applies to all).
func perDimension(_ values: [Double], _ d: Int, _ name: String, nonNegative: Bool = false) throws -> [Double] {
    let out = values.count == 1 ? [Double](repeating: values[0], count: d) : values
    guard out.count == d else { throw RuntimeError("\(name) needs 1 or \(d) numbers, got \(values.count)") }
    for v in out where !v.isFinite || (nonNegative && v < 0) {
        throw RuntimeError("\(name) must be finite\(nonNegative ? " and non-negative" : "")")
    }
    return out
}
