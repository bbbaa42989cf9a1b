/// One setting's learning curve: the mean across seeds of a metric at each x, with a 95%
/// confidence band.
///
/// The band at each point is the Student t interval `mean ± t_{0.975, n-1} · s / √n`, where
/// `n` is the number of seeds with a value at that x and `s` their sample standard deviation
/// (no band where `n = 1`). It is computed per point, cheap enough for curves with thousands of
/// points, and matches what seaborn's `errorbar=("ci", 95)` approximates by bootstrap.
public struct LearningCurve: Sendable, Hashable {
    /// Legend text, e.g. `alpha=0.1, n=5`.
    public var label: String
    public var settingIndex: Int
    public var x: [Double]
    public var mean: [Double]
    public var lower: [Double]
    public var upper: [Double]
    /// Seeds contributing to each point.
    public var n: [Int]

    public init(label: String, settingIndex: Int, x: [Double], mean: [Double], lower: [Double], upper: [Double], n: [Int]) {
        self.label = label
        self.settingIndex = settingIndex
        self.x = x
        self.mean = mean
        self.lower = lower
        self.upper = upper
        self.n = n
    }

    /// The curves of `metric` (on `axis`, or whichever axis the metric is first found on), one
    /// per setting in setting order. When a curve has more than `maxPoints` distinct x values,
    /// x is cut into `maxPoints` equal-width bins and each seed's values are averaged within a
    /// bin before averaging across seeds (bin x = mean x of its points).
    ///
    /// Labels name only the parameters that differ between the plotted settings.
    public static func curves(trials: [TrialSpec], results: [TrialResult?], metric: String,
                              axis: SeriesAxis? = nil, maxPoints: Int = 500) -> [LearningCurve] {
        var axis = axis
        if axis == nil {
            outer: for r in results { for s in r?.series ?? [] where s.name == metric { axis = s.axis; break outer } }
        }
        guard let axis else { return [] }
        var order: [Int] = []
        var runs: [Int: [MetricSeries]] = [:]
        var params: [Int: [TrialSpec.Parameter]] = [:]
        for (t, r) in zip(trials, results) {
            guard let s = r?.series.first(where: { $0.name == metric && $0.axis == axis }) else { continue }
            if runs[t.settingIndex] == nil {
                order.append(t.settingIndex)
                runs[t.settingIndex] = []
                params[t.settingIndex] = t.parameters
            }
            runs[t.settingIndex]!.append(s)
        }
        // Parameters whose value differs between the plotted settings.
        let allParams = order.map { params[$0]! }
        var varying: Set<String> = []
        if let first = allParams.first {
            for p in first where allParams.contains(where: { ps in ps.first { $0.name == p.name }?.value != p.value }) {
                varying.insert(p.name)
            }
            for ps in allParams { for p in ps where !first.contains(where: { $0.name == p.name }) { varying.insert(p.name) } }
        }
        return order.map { si in
            let ps = params[si]!
            let shown = ps.filter { varying.contains($0.name) }
            let label = shown.isEmpty
                ? (ps.isEmpty ? metric : ps.map { "\($0.name)=\($0.value.text)" }.joined(separator: ", "))
                : shown.map { "\($0.name)=\($0.value.text)" }.joined(separator: ", ")
            return aggregate(runs[si]!, label: label, settingIndex: si, maxPoints: maxPoints)
        }
    }

    /// Mean and t band across `runs` (seeds of one setting), binned as `curves` describes.
    public static func aggregate(_ runs: [MetricSeries], label: String, settingIndex: Int, maxPoints: Int) -> LearningCurve {
        var xs: [Int] = []
        for r in runs { xs.append(contentsOf: r.x) }
        let distinct = Array(Set(xs)).sorted()
        guard let xmin = distinct.first, let xmax = distinct.last else {
            return LearningCurve(label: label, settingIndex: settingIndex, x: [], mean: [], lower: [], upper: [], n: [])
        }
        let binned = distinct.count > maxPoints && maxPoints > 0
        let keyCount = binned ? maxPoints : distinct.count
        var slot: [Int: Int] = [:]
        if !binned { for (i, x) in distinct.enumerated() { slot[x] = i } }
        func key(_ x: Int) -> Int {
            if !binned { return slot[x]! }
            let f = Double(x - xmin) / Double(max(1, xmax - xmin))
            return min(keyCount - 1, Int(f * Double(keyCount)))
        }
        // Per key: sum of x (for the bin position), and per seed the mean within the key.
        var xSum = [Double](repeating: 0, count: keyCount), xCount = [Int](repeating: 0, count: keyCount)
        var perSeed: [[Double]] = Array(repeating: [], count: keyCount)
        var seedSum = [Double](repeating: 0, count: keyCount), seedCount = [Int](repeating: 0, count: keyCount)
        for r in runs {
            for k in 0..<keyCount { seedSum[k] = 0; seedCount[k] = 0 }
            for (x, v) in zip(r.x, r.values) {
                let k = key(x)
                xSum[k] += Double(x)
                xCount[k] += 1
                seedSum[k] += v
                seedCount[k] += 1
            }
            for k in 0..<keyCount where seedCount[k] > 0 { perSeed[k].append(seedSum[k] / Double(seedCount[k])) }
        }
        var c = LearningCurve(label: label, settingIndex: settingIndex, x: [], mean: [], lower: [], upper: [], n: [])
        for k in 0..<keyCount where !perSeed[k].isEmpty {
            let v = perSeed[k]
            let m = Statistics.mean(v)
            var half = 0.0
            if v.count > 1 {
                half = Statistics.t975(df: v.count - 1) * Statistics.standardDeviation(v) / Double(v.count).squareRoot()
            }
            c.x.append(xSum[k] / Double(xCount[k]))
            c.mean.append(m)
            c.lower.append(m - half)
            c.upper.append(m + half)
            c.n.append(v.count)
        }
        return c
    }
}
