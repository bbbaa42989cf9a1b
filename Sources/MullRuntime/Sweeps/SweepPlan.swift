#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// What a `sweep` block declares: which parameters vary and how, and how many replicate seeds
/// each setting gets. `trials()` expands it into the list the runner executes.
///
/// ## Order of trials
/// Dimensions form *blocks*: a grid dimension is a block of its values, a zipped group is a
/// block of its rows (values paired, not combined), and all random dimensions together form
/// one block of `samples` draws, placed where the first random dimension was declared.
/// Settings are the cartesian product of the blocks in declaration order, like nested loops
/// with the first block outermost and the last block varying fastest. Trials list the settings
/// in that order with the seeds innermost: trial `i` is setting `i / seeds`, seed `i % seeds`.
/// Each trial's parameters are listed in declaration order of their names.
public struct SweepPlan: Sendable, Hashable {
    /// One declared way of varying parameters.
    public enum Dimension: Sendable, Hashable {
        /// `name` takes each value in turn (combined with the other blocks as a product).
        case grid(name: String, values: [ParamValue])
        /// Several names varied together: `rows[k]` holds one value per name, in `names` order.
        case zip(names: [String], rows: [[ParamValue]])
        /// `name` is drawn from `distribution` once per random sample.
        case random(name: String, distribution: Distribution)

        /// A zipped group from one column of values per name; throws
        /// `SweepPlanError.zipLengthMismatch` unless the columns have equal lengths.
        public static func zipped(_ columns: [(name: String, values: [ParamValue])]) throws -> Dimension {
            let counts = columns.map(\.values.count)
            if Set(counts).count > 1 {
                throw SweepPlanError.zipLengthMismatch(columns.map { "'\($0.name)' has \($0.values.count)" })
            }
            let n = counts.first ?? 0
            return .zip(names: columns.map(\.name), rows: (0..<n).map { k in columns.map { $0.values[k] } })
        }

        /// The parameter names this dimension declares.
        public var names: [String] {
            switch self {
            case .grid(let n, _): [n]
            case .zip(let ns, _): ns
            case .random(let n, _): [n]
            }
        }
    }

    /// A distribution for random search.
    public enum Distribution: Sendable, Hashable {
        /// A float uniform in `[low, high)`.
        case uniform(low: Double, high: Double)
        /// A float whose logarithm is uniform: `exp(uniform(log low, log high))`; needs `low > 0`.
        case logUniform(low: Double, high: Double)
        /// An integer uniform in `low...high` (both included).
        case intUniform(low: Int, high: Int)
        /// One of the listed values, each equally likely.
        case choice([ParamValue])

        /// Draws one value.
        public func sample(_ rng: inout RandomSource) -> ParamValue {
            switch self {
            case .uniform(let lo, let hi): return .float(rng.uniform(lo, hi))
            case .logUniform(let lo, let hi):
                return .float(_exp(rng.uniform(_log(lo), _log(hi))))
            case .intUniform(let lo, let hi):
                return .int(lo + rng.int(below: hi - lo + 1))
            case .choice(let values): return values[rng.int(below: values.count)]
            }
        }
    }

    public var dimensions: [Dimension]
    /// Replicate seeds per setting (the `seeds: N` of a sweep).
    public var seeds: Int
    /// How many random samples the random dimensions draw (ignored without random dimensions).
    public var samples: Int
    /// Seed of the random-search draws; the same seed gives the same samples.
    public var sampleSeed: UInt64

    public init(dimensions: [Dimension] = [], seeds: Int = 1, samples: Int = 0, sampleSeed: UInt64 = 0) {
        self.dimensions = dimensions
        self.seeds = seeds
        self.samples = samples
        self.sampleSeed = sampleSeed
    }

    /// Adds a grid dimension.
    public mutating func grid(_ name: String, _ values: [ParamValue]) {
        dimensions.append(.grid(name: name, values: values))
    }

    /// Adds a zipped group from one column of values per name (values paired by position,
    /// not combined). Throws `SweepPlanError.zipLengthMismatch` unless the columns have equal
    /// lengths.
    public mutating func zipped(_ columns: [(name: String, values: [ParamValue])]) throws {
        dimensions.append(try .zipped(columns))
    }

    /// Adds a random dimension.
    public mutating func random(_ name: String, _ distribution: Distribution) {
        dimensions.append(.random(name: name, distribution: distribution))
    }

    /// The declared parameter names, in declaration order.
    public var parameterNames: [String] { dimensions.flatMap(\.names) }

    /// Names that cannot be parameters because they are columns of the results tables.
    public static let reservedNames: Set<String> = ["experiment", "trial", "seed", "episode", "step", "metric", "value"]

    /// Checks the plan; throws `SweepPlanError` describing the first problem.
    public func validate() throws {
        guard seeds >= 1 else { throw SweepPlanError.invalidSeeds(seeds) }
        var seen = Set<String>()
        for name in parameterNames {
            if SweepPlan.reservedNames.contains(name) { throw SweepPlanError.reservedName(name) }
            if !seen.insert(name).inserted { throw SweepPlanError.duplicateParameter(name) }
        }
        var hasRandom = false
        for d in dimensions {
            switch d {
            case .grid(let name, let values):
                if values.isEmpty { throw SweepPlanError.emptyDimension(name) }
            case .zip(let names, let rows):
                if rows.isEmpty { throw SweepPlanError.emptyDimension(names.joined(separator: ", ")) }
                for r in rows where r.count != names.count {
                    throw SweepPlanError.zipLengthMismatch(["\(names.count) names but a row of \(r.count) values"])
                }
            case .random(let name, let dist):
                hasRandom = true
                switch dist {
                case .uniform(let lo, let hi):
                    guard lo.isFinite, hi.isFinite, lo <= hi else { throw SweepPlanError.invalidDistribution(name, "uniform needs finite low <= high") }
                case .logUniform(let lo, let hi):
                    guard lo.isFinite, hi.isFinite, lo > 0, lo <= hi else { throw SweepPlanError.invalidDistribution(name, "log-uniform needs 0 < low <= high") }
                case .intUniform(let lo, let hi):
                    let (span, overflow) = hi.subtractingReportingOverflow(lo)
                    guard lo <= hi, !overflow, span < Int.max else {
                        throw SweepPlanError.invalidDistribution(name, "integer uniform needs low <= high")
                    }
                case .choice(let values):
                    if values.isEmpty { throw SweepPlanError.invalidDistribution(name, "choice needs at least one value") }
                }
            }
        }
        if hasRandom && samples < 1 { throw SweepPlanError.missingSamples }
    }

    /// The settings (parameter combinations) in the documented order.
    public func settings() throws -> [[TrialSpec.Parameter]] {
        try validate()
        // Each block: names (in declaration order) and rows of values.
        struct Block { var names: [String]; var rows: [[ParamValue]] }
        var blocks: [Block] = []
        var randomBlock: Int? = nil
        var randomDims: [(String, Distribution)] = []
        for d in dimensions {
            switch d {
            case .grid(let name, let values):
                blocks.append(Block(names: [name], rows: values.map { [$0] }))
            case .zip(let names, let rows):
                blocks.append(Block(names: names, rows: rows))
            case .random(let name, let dist):
                if randomBlock == nil {
                    randomBlock = blocks.count
                    blocks.append(Block(names: [], rows: []))
                }
                randomDims.append((name, dist))
            }
        }
        if let rb = randomBlock {
            var rng = RandomSource(seed: sampleSeed, stream: 0x5357_4545_50)  // "SWEEP"
            var rows: [[ParamValue]] = []
            rows.reserveCapacity(samples)
            for _ in 0..<samples { rows.append(randomDims.map { $0.1.sample(&rng) }) }
            blocks[rb] = Block(names: randomDims.map(\.0), rows: rows)
        }
        let order = parameterNames
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var result: [[TrialSpec.Parameter]] = [[]]
        for b in blocks {
            var next: [[TrialSpec.Parameter]] = []
            next.reserveCapacity(result.count * b.rows.count)
            for prefix in result {
                for row in b.rows {
                    next.append(prefix + Swift.zip(b.names, row).map { TrialSpec.Parameter($0, $1) })
                }
            }
            result = next
        }
        return result.map { $0.sorted { position[$0.name]! < position[$1.name]! } }
    }

    /// Every trial, settings in order and seeds innermost (see the type's documentation).
    public func trials() throws -> [TrialSpec] {
        let s = try settings()
        var out: [TrialSpec] = []
        out.reserveCapacity(s.count * seeds)
        for (si, params) in s.enumerated() {
            for seed in 0..<seeds {
                out.append(TrialSpec(index: out.count, settingIndex: si, parameters: params, seed: seed))
            }
        }
        return out
    }
}

/// A problem with a sweep plan.
public enum SweepPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    case zipLengthMismatch([String])
    case emptyDimension(String)
    case duplicateParameter(String)
    case invalidSeeds(Int)
    case invalidDistribution(String, String)
    case missingSamples
    case reservedName(String)

    public var description: String {
        switch self {
        case .zipLengthMismatch(let parts):
            "zipped parameters must have the same number of values (\(parts.joined(separator: ", ")))"
        case .emptyDimension(let name): "parameter '\(name)' has no values"
        case .duplicateParameter(let name): "parameter '\(name)' is varied more than once"
        case .invalidSeeds(let n): "seeds must be at least 1 (got \(n))"
        case .invalidDistribution(let name, let why): "random parameter '\(name)': \(why)"
        case .missingSamples: "random parameters need a sample count of at least 1"
        case .reservedName(let name): "'\(name)' cannot be a sweep parameter: it names a column of the results"
        }
    }
}

@usableFromInline func _exp(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.exp(x)
    #else
    return Foundation.exp(x)
    #endif
}
