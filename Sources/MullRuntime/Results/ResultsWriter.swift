import Foundation

/// The results of one experiment (one sweep) ready to be written: trials, their results (nil
/// for failed or unstarted trials, which are left out of the tables) and configurations.
public struct ExperimentResults: Sendable {
    /// The experiment's name, the `experiment` column of the tables.
    public var name: String
    public var scriptSeed: UInt64
    public var trials: [TrialSpec]
    public var results: [TrialResult?]
    /// `configurations[i]` is the resolved configuration of `trials[i]`.
    public var configurations: [ResolvedConfiguration]

    public init(name: String, scriptSeed: UInt64, trials: [TrialSpec], results: [TrialResult?],
                configurations: [ResolvedConfiguration]) {
        precondition(trials.count == results.count && trials.count == configurations.count)
        self.name = name
        self.scriptSeed = scriptSeed
        self.trials = trials
        self.results = results
        self.configurations = configurations
    }

    /// From a runner's outcome, with the same configuration function the runner used.
    public init(name: String, scriptSeed: UInt64, outcome: SweepOutcome,
                configuration: (TrialSpec) -> ResolvedConfiguration = { _ in [:] }) {
        self.init(name: name, scriptSeed: scriptSeed, trials: outcome.trials, results: outcome.results,
                  configurations: outcome.trials.map(configuration))
    }

    /// Parameter names in order of first appearance.
    public var parameterNames: [String] {
        var seen = Set<String>(), names: [String] = []
        for t in trials { for p in t.parameters where seen.insert(p.name).inserted { names.append(p.name) } }
        return names
    }
}

/// Writes a run's combined files:
/// - `results.csv`: tidy long table, one row per measured point, columns `experiment`, one per
///   sweep parameter, `seed`, `episode` and/or `step` (whichever axes occur; the other cell is
///   empty), `metric`, `value`. Deterministic: same seed, same bytes.
/// - `timing.csv`: per trial `real_steps`, `planning_updates`, `wall_seconds`,
///   `updates_per_second` (wall-clock figures vary between runs, so they live here).
/// - `config.json`: every trial's parameters, resolved configuration and fingerprint.
/// - `script.mull`: the script text, when given.
public enum ResultsWriter {
    /// The tidy `results.csv` text of `experiments`.
    public static func resultsCSV(_ experiments: [ExperimentResults]) -> String {
        let params = unionParameterNames(experiments)
        var axes: [SeriesAxis] = []
        for axis in SeriesAxis.allCases where experiments.contains(where: { e in
            e.results.contains { r in r?.series.contains { $0.axis == axis } ?? false }
        }) { axes.append(axis) }
        if axes.isEmpty { axes = [.episode] }
        var out = CSV.line(["experiment"] + params + ["seed"] + axes.map(\.rawValue) + ["metric", "value"])
        for e in experiments {
            let expCell = CSV.quote(e.name)
            for (t, r) in zip(e.trials, e.results) {
                guard let r else { continue }
                var prefix = expCell
                for name in params {
                    prefix += ","
                    if let v = t[name] { prefix += CSV.quote(v.text) }
                }
                prefix += ","
                prefix += String(t.seed)
                for s in r.series {
                    let metric = CSV.quote(s.name)
                    for k in 0..<s.values.count {
                        out += prefix
                        for axis in axes {
                            out += ","
                            if axis == s.axis { out += String(s.x[k]) }
                        }
                        out += ","
                        out += metric
                        out += ","
                        out += formatNumber(s.values[k])
                        out += "\n"
                    }
                }
            }
        }
        return out
    }

    /// The `timing.csv` text: one row per finished trial.
    public static func timingCSV(_ experiments: [ExperimentResults]) -> String {
        let params = unionParameterNames(experiments)
        var out = CSV.line(["experiment", "trial"] + params +
                           ["seed", "real_steps", "planning_updates", "wall_seconds", "updates_per_second"])
        for e in experiments {
            for (t, r) in zip(e.trials, e.results) {
                guard let r else { continue }
                let rate = r.wallSeconds > 0 ? formatNumber(Double(r.planningUpdates) / r.wallSeconds) : ""
                out += CSV.line([e.name, String(t.index)] + params.map { t[$0]?.text ?? "" } +
                                [String(t.seed), String(r.realSteps), String(r.planningUpdates),
                                 formatNumber(r.wallSeconds), rate])
            }
        }
        return out
    }

    /// The `config.json` contents: per experiment, every trial's spec and resolved configuration.
    public static func configJSON(_ experiments: [ExperimentResults]) throws -> Data {
        struct Experiment: Encodable {
            var name: String
            var scriptSeed: String
            var parameters: [String]
            var trials: [TrialRecord.Config]
        }
        struct File: Encodable { var format = "mull-config-1"; var experiments: [Experiment] }
        let file = File(experiments: experiments.map { e in
            Experiment(name: e.name, scriptSeed: String(e.scriptSeed), parameters: e.parameterNames,
                       trials: zip(e.trials, e.configurations).map { t, c in
                           TrialRecord.Config(TrialRecord(spec: t, configuration: c,
                                                          fingerprint: c.fingerprint(for: t, scriptSeed: e.scriptSeed),
                                                          result: nil))
                       })
        })
        return try JSONCoding.encode(file)
    }

    /// Writes `results.csv`, `timing.csv`, `config.json` (and `script.mull` when `script` is
    /// given) into `directory`, each atomically. Returns the files written.
    @discardableResult
    public static func write(_ experiments: [ExperimentResults], to directory: URL, script: String? = nil) throws -> [URL] {
        let results = directory.appendingPathComponent("results.csv")
        let timing = directory.appendingPathComponent("timing.csv")
        let config = directory.appendingPathComponent("config.json")
        try AtomicFile.write(resultsCSV(experiments), to: results)
        try AtomicFile.write(timingCSV(experiments), to: timing)
        try AtomicFile.write(configJSON(experiments), to: config)
        var files = [results, timing, config]
        if let script { files.append(try writeScript(script, to: directory)) }
        return files
    }

    /// Writes the script text as `script.mull` in `directory` (atomically); returns its URL.
    @discardableResult
    public static func writeScript(_ text: String, to directory: URL) throws -> URL {
        let url = directory.appendingPathComponent("script.mull")
        try AtomicFile.write(text, to: url)
        return url
    }

    /// Writes one SVG learning-curve plot per metric (all metrics in order of first
    /// appearance when `metrics` is nil) as `plots/<experiment>-<metric>.svg` under `directory`.
    /// Titles default to `<experiment>: <metric>`. Returns the files written.
    @discardableResult
    public static func writePlots(_ e: ExperimentResults, metrics: [String]? = nil, to directory: URL,
                                  options: PlotOptions = PlotOptions()) throws -> [URL] {
        var names: [String] = []
        if let metrics { names = metrics } else {
            for r in e.results { for s in r?.series ?? [] where !names.contains(s.name) { names.append(s.name) } }
        }
        let dir = directory.appendingPathComponent("plots", isDirectory: true)
        var files: [URL] = []
        for name in names {
            var o = options
            if o.title == nil { o.title = "\(e.name): \(name)" }
            let svg = SVGPlot.lineChart(trials: e.trials, results: e.results, metric: name, options: o)
            let file = ParamValue.string(e.name).fileNameText + "-" + ParamValue.string(name).fileNameText + ".svg"
            let url = dir.appendingPathComponent(file)
            try AtomicFile.write(svg, to: url)
            files.append(url)
        }
        return files
    }

    static func unionParameterNames(_ experiments: [ExperimentResults]) -> [String] {
        var seen = Set<String>(), names: [String] = []
        for e in experiments { for n in e.parameterNames where seen.insert(n).inserted { names.append(n) } }
        return names
    }
}

extension TrialRecord {
    /// The configuration part of a record (no timing), as stored in `config.json`.
    struct Config: Encodable {
        var index: Int
        var setting: Int
        var seed: Int
        var stream: String
        var parameters: [ParameterRecord]
        var configuration: [ResolvedConfiguration.Entry]
        var fingerprint: String
        init(_ r: TrialRecord) {
            index = r.index
            setting = r.setting
            seed = r.seed
            stream = r.stream
            parameters = r.parameters
            configuration = r.configuration
            fingerprint = r.fingerprint
        }
    }
}
