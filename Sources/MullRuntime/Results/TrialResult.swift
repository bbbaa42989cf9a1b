/// What a series is indexed by: episodes of the real environment, or real environment steps.
public enum SeriesAxis: String, Sendable, Hashable, CaseIterable, Codable {
    case episode
    case step
}

/// One named metric of one trial as a flat series: `values[k]` was measured at `x[k]`
/// (episode number or step count, per `axis`).
public struct MetricSeries: Sendable, Hashable {
    public var name: String
    public var axis: SeriesAxis
    public var x: [Int]
    public var values: [Double]

    /// A series; `x` defaults to `1...values.count` (the first episode is episode 1).
    public init(name: String, axis: SeriesAxis = .episode, values: [Double], x: [Int]? = nil) {
        self.name = name
        self.axis = axis
        self.values = values
        self.x = x ?? Array(stride(from: 1, through: values.count, by: 1))
        precondition(self.x.count == values.count, "series '\(name)': \(self.x.count) x values for \(values.count) values")
    }

    public var count: Int { values.count }
}

/// Everything one trial reports: tidy metric series plus scalar figures.
public struct TrialResult: Sendable, Hashable {
    /// Named series in the order the trial recorded them.
    public var series: [MetricSeries]
    /// Steps taken in the real environment.
    public var realSteps: Int
    /// Simulated (planning) updates: model-generated value updates, rollouts, …
    public var planningUpdates: Int
    /// Wall-clock seconds the trial took (filled in by the runner; not deterministic).
    public var wallSeconds: Double
    /// Free-form remarks (warnings, diverged runs, …).
    public var notes: [String]

    public init(series: [MetricSeries] = [], realSteps: Int = 0, planningUpdates: Int = 0,
                wallSeconds: Double = 0, notes: [String] = []) {
        self.series = series
        self.realSteps = realSteps
        self.planningUpdates = planningUpdates
        self.wallSeconds = wallSeconds
        self.notes = notes
    }

    /// Adds a series (replacing none: names should be unique per axis).
    public mutating func add(_ s: MetricSeries) { series.append(s) }

    /// Adds a per-episode metric with episodes numbered from 1.
    public mutating func add(_ name: String, perEpisode values: [Double]) {
        series.append(MetricSeries(name: name, axis: .episode, values: values))
    }

    /// Adds a metric measured at the given step counts.
    public mutating func add(_ name: String, atSteps steps: [Int], values: [Double]) {
        series.append(MetricSeries(name: name, axis: .step, values: values, x: steps))
    }

    /// The first series called `name`.
    public func series(named name: String) -> MetricSeries? {
        series.first(where: { $0.name == name })
    }

    /// The same result without the wall-clock figure: what must be identical between runs.
    public var deterministicPart: TrialResult {
        var r = self
        r.wallSeconds = 0
        return r
    }
}
