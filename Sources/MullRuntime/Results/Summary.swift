import Foundation

/// How one trial's series becomes one number before comparing across seeds.
public enum SummaryReduction: Sendable, Hashable, CustomStringConvertible {
    /// Mean over the whole series (area under the learning curve per point).
    case mean
    /// The last value.
    case final
    /// Mean of the last `k` values (all of them if the series is shorter).
    case lastMean(Int)
    /// Sum over the series.
    case sum

    /// The scalar of one series (nan for an empty series).
    public func reduce(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        switch self {
        case .mean: return Statistics.mean(values)
        case .final: return values[values.count - 1]
        case .lastMean(let k): return Statistics.mean(Array(values.suffix(max(1, k))))
        case .sum: return values.reduce(0, +)
        }
    }

    public var description: String {
        switch self {
        case .mean: "mean"
        case .final: "final"
        case .lastMean(let k): "mean of last \(k)"
        case .sum: "sum"
        }
    }
}

/// Options of `Summary.summarize`.
public struct SummaryOptions: Sendable, Hashable {
    public var reduction: SummaryReduction
    /// Bootstrap resamples per interval.
    public var resamples: Int
    public var confidence: Double
    /// Fixed seed of the bootstrap, so a summary is the same every time.
    public var bootstrapSeed: UInt64
    /// Summarise only these metrics (nil: all).
    public var metrics: [String]?

    public init(reduction: SummaryReduction = .mean, resamples: Int = 2000, confidence: Double = 0.95,
                bootstrapSeed: UInt64 = 0x5EED, metrics: [String]? = nil) {
        self.reduction = reduction
        self.resamples = resamples
        self.confidence = confidence
        self.bootstrapSeed = bootstrapSeed
        self.metrics = metrics
    }
}

/// Statistics of one metric in one setting, across its seeds.
public struct MetricSummary: Sendable, Hashable {
    public var settingIndex: Int
    public var parameters: [TrialSpec.Parameter]
    public var metric: String
    public var axis: SeriesAxis
    /// One reduced scalar per finished seed, in seed order.
    public var perTrial: [Double]
    /// n, mean, IQM and their bootstrap intervals.
    public var estimate: Statistics.Estimate
    /// Mean over seeds of real environment steps and planning updates per trial.
    public var realSteps: Double
    public var planningUpdates: Double
    /// Planning updates per wall-clock second over the setting's trials (nan without timing).
    public var updatesPerSecond: Double

    public var n: Int { estimate.n }
}

/// Per-setting summaries of a sweep and their text table.
public enum Summary {
    /// One summary per (setting, metric), settings in order and metrics in order of first
    /// appearance. Failed trials (nil results) are left out, so `n` counts finished seeds.
    public static func summarize(trials: [TrialSpec], results: [TrialResult?],
                                 options: SummaryOptions = SummaryOptions()) -> [MetricSummary] {
        var settingOrder: [Int] = []
        var bySetting: [Int: [(TrialSpec, TrialResult)]] = [:]
        for (t, r) in zip(trials, results) {
            if bySetting[t.settingIndex] == nil {
                settingOrder.append(t.settingIndex)
                bySetting[t.settingIndex] = []
            }
            if let r { bySetting[t.settingIndex]!.append((t, r)) }
        }
        var out: [MetricSummary] = []
        for si in settingOrder {
            let runs = bySetting[si]!.sorted { $0.0.seed < $1.0.seed }
            guard let first = runs.first else { continue }
            var keys: [(SeriesAxis, String)] = []
            var seen = Set<String>()
            for (_, r) in runs {
                for s in r.series where seen.insert(s.axis.rawValue + ":" + s.name).inserted {
                    if let wanted = options.metrics, !wanted.contains(s.name) { continue }
                    keys.append((s.axis, s.name))
                }
            }
            let realSteps = Statistics.mean(runs.map { Double($0.1.realSteps) })
            let updates = Statistics.mean(runs.map { Double($0.1.planningUpdates) })
            let wall = runs.reduce(0.0) { $0 + $1.1.wallSeconds }
            let totalUpdates = runs.reduce(0.0) { $0 + Double($1.1.planningUpdates) }
            let rate = wall > 0 ? totalUpdates / wall : .nan
            for (axis, name) in keys {
                let scalars = runs.compactMap { _, r in
                    r.series.first { $0.axis == axis && $0.name == name }.map { options.reduction.reduce($0.values) }
                }
                var h = FNV1a()
                h.add(first.0.settingLabel)
                h.add("\u{0}\(axis.rawValue)\u{0}\(name)")
                let est = Statistics.bootstrap(scalars, resamples: options.resamples, confidence: options.confidence,
                                               seed: options.bootstrapSeed, stream: h.value)
                out.append(MetricSummary(settingIndex: si, parameters: first.0.parameters, metric: name, axis: axis,
                                         perTrial: scalars, estimate: est, realSteps: realSteps,
                                         planningUpdates: updates, updatesPerSecond: rate))
            }
        }
        return out
    }

    /// An aligned text table: one column per parameter, then metric, n, mean [CI], IQM [CI],
    /// real steps, planning updates, updates/s. Numbers have 4 significant digits.
    public static func table(_ summaries: [MetricSummary]) -> String {
        var params: [String] = []
        for s in summaries { for p in s.parameters where !params.contains(p.name) { params.append(p.name) } }
        let header = params + ["metric", "n", "mean [95% CI]", "IQM [95% CI]", "real steps/run", "updates/run", "updates/s"]
        let numeric = Set(params.count..<header.count).subtracting([params.count])
        var rows: [[String]] = [header]
        for s in summaries {
            var row = params.map { name in s.parameters.first { $0.name == name }?.value.text ?? "" }
            let e = s.estimate
            row += [s.metric, String(e.n),
                    "\(short(e.mean)) [\(short(e.meanCI.lower)), \(short(e.meanCI.upper))]",
                    "\(short(e.iqm)) [\(short(e.iqmCI.lower)), \(short(e.iqmCI.upper))]",
                    short(s.realSteps), short(s.planningUpdates), rate(s.updatesPerSecond)]
            rows.append(row)
        }
        var widths = [Int](repeating: 0, count: header.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for (k, r) in rows.enumerated() {
            var line = ""
            for (i, c) in r.enumerated() {
                if i > 0 { line += "  " }
                let pad = String(repeating: " ", count: widths[i] - c.count)
                line += numeric.contains(i) ? pad + c : c + pad
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
            if k == 0 {
                out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
            }
        }
        return out
    }

    /// A rate with a unit prefix: `2.24M`, `156.4k`, `-` when there is none.
    public static func rate(_ x: Double) -> String {
        if x.isNaN || x <= 0 { return "-" }
        if x >= 1e9 { return String(format: "%.2fG", x / 1e9) }
        if x >= 1e6 { return String(format: "%.2fM", x / 1e6) }
        if x >= 1e3 { return String(format: "%.1fk", x / 1e3) }
        return String(format: "%.0f", x)
    }

    /// A number with 4 significant digits (`%.4g`), integers up to 10^9 printed whole.
    public static func short(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e9 { return String(Int(x)) }
        if abs(x) >= 1e4 && abs(x) < 1e9 { return String(format: "%.0f", x) }
        return String(format: "%.4g", x)
    }
}
