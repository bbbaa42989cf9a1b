/// Per-column standardisation of network inputs, refitted on all the data before each training
/// round (mbrl-lib's `Normalizer`): `(x - mean) / std`, with the sample standard deviation
/// (n - 1), and a standard deviation below 1e-12 replaced by 1 so constant columns pass through
/// centred.
public struct Normalizer: Sendable, Equatable {
    public private(set) var mean: [Float]
    public private(set) var std: [Float]

    public init(columns: Int) {
        mean = [Float](repeating: 0, count: columns)
        std = [Float](repeating: 1, count: columns)
    }

    public var columns: Int { mean.count }

    /// Fits mean and sample standard deviation to `rows` rows of `data` (row-major).
    public mutating func fit(_ data: UnsafePointer<Float>, rows: Int) {
        let c = columns
        guard rows > 0 else { return }
        for j in 0..<c {
            var s = 0.0
            for r in 0..<rows { s += Double(data[r * c + j]) }
            let m = s / Double(rows)
            var v = 0.0
            for r in 0..<rows { let d = Double(data[r * c + j]) - m; v += d * d }
            let sd = (v / Double(max(rows - 1, 1))).squareRoot()
            mean[j] = Float(m)
            std[j] = sd < 1e-12 ? 1 : Float(sd)
        }
    }

    /// Normalises one value of column `j`.
    @inlinable @inline(__always)
    public func apply(_ x: Float, _ j: Int) -> Float { (x - mean[j]) / std[j] }
}
