import Foundation
import Testing
@testable import MullRuntime

@Suite struct SummaryTests {
    // Expected values from scipy.stats.trim_mean(x, 0.25) (scipy 1.17).
    static let iqmCases: [([Double], Double)] = [
        ([3.0], 3.0),
        ([1.0, 5.0], 3.0),
        ([2.0, 9.0, 4.0], 5.0),
        ([4.0, 1.0, 3.0, 2.0], 2.5),
        ([5.0, 1.0, 4.0, 2.0, 3.0, 10.0, -7.0], 3.0),
        ([0.3, 1.7, 2.2, -0.5, 4.1, 3.3, 0.0, 9.9, 1.1, 2.5, 0.7], 1.6857142857142857),
    ]

    @Test(arguments: iqmCases)
    func iqmMatchesScipyTrimMean(_ c: ([Double], Double)) {
        #expect(abs(Statistics.iqm(c.0) - c.1) < 1e-12)
    }

    @Test func quantileMatchesNumpyPercentile() {
        // np.percentile(x, p) with the default linear method.
        let x = [0.3, 1.7, 2.2, -0.5, 4.1, 3.3, 0.0, 9.9, 1.1, 2.5].sorted()
        let expected: [(Double, Double)] = [(0, -0.5), (0.025, -0.3875), (0.25, 0.5), (0.5, 1.95),
                                            (0.975, 8.595), (1, 9.9)]
        for (p, v) in expected { #expect(abs(Statistics.quantile(sorted: x, p) - v) < 1e-12) }
    }

    @Test func bootstrapAgreesWithReferenceIntervals() {
        let x = [0.3, 1.7, 2.2, -0.5, 4.1, 3.3, 0.0, 9.9, 1.1, 2.5]
        // Reference: numpy, 400000 bootstrap resamples of the 10 runs, percentiles 2.5 and 97.5:
        // mean CI [0.96, 4.42], IQM CI [0.6167, 3.95]. With 20000 resamples the Monte Carlo
        // standard error of an endpoint is sqrt(0.025 * 0.975 / 20000) / density, at most 0.031
        // here (upper IQM endpoint, density 0.036), so 0.15 is about 5 standard errors.
        let e = Statistics.bootstrap(x, resamples: 20000, seed: 1)
        #expect(e.n == 10)
        #expect(abs(e.mean - 2.46) < 1e-12)
        #expect(abs(e.iqm - Statistics.iqm(x)) < 1e-15)
        #expect(abs(e.meanCI.lower - 0.96) < 0.15 && abs(e.meanCI.upper - 4.42) < 0.15)
        #expect(abs(e.iqmCI.lower - 0.6167) < 0.15 && abs(e.iqmCI.upper - 3.95) < 0.15)
        // Deterministic for a seed; another seed moves the endpoints a little.
        #expect(Statistics.bootstrap(x, resamples: 20000, seed: 1) == e)
        #expect(Statistics.bootstrap(x, resamples: 20000, seed: 2) != e)
    }

    @Test func bootstrapEdgeCases() {
        let c = Statistics.bootstrap([2, 2, 2, 2, 2])
        #expect(c.meanCI == Statistics.Interval(2, 2) && c.iqmCI == Statistics.Interval(2, 2))
        let one = Statistics.bootstrap([7])
        #expect(one.n == 1 && one.mean == 7 && one.meanCI == Statistics.Interval(7, 7))
        let none = Statistics.bootstrap([])
        #expect(none.n == 0 && none.mean.isNaN)
        // Stratified: runs are resampled within each task, so two constant tasks give a
        // degenerate interval at the mean of task means (pooled resampling would not).
        let s = Statistics.bootstrap(tasks: [[0, 0, 0], [10, 10, 10, 10, 10]])
        #expect(s.mean == 5 && s.meanCI == Statistics.Interval(5, 5))
        #expect(s.n == 8)
    }

    @Test func tQuantiles() {
        // scipy.stats.t.ppf(0.975, df)
        let cases: [(Int, Double)] = [(1, 12.706204736174694), (5, 2.5705818356363146), (30, 2.0422724563012378),
                                      (31, 2.039513446396408), (100, 1.9839715185235518), (1000, 1.9623390808264083)]
        for (df, t) in cases { #expect(abs(Statistics.t975(df: df) - t) < 1e-5) }
    }

    @Test func reductions() {
        let v = [1.0, 2, 3, 10]
        #expect(SummaryReduction.mean.reduce(v) == 4)
        #expect(SummaryReduction.final.reduce(v) == 10)
        #expect(SummaryReduction.lastMean(2).reduce(v) == 6.5)
        #expect(SummaryReduction.lastMean(10).reduce(v) == 4)
        #expect(SummaryReduction.sum.reduce(v) == 16)
        #expect(SummaryReduction.final.reduce([]).isNaN)
    }

    func sweep() throws -> ([TrialSpec], [TrialResult?]) {
        var plan = SweepPlan(seeds: 4)
        plan.grid("alpha", [.float(0.1), .float(0.5)])
        let trials = try plan.trials()
        let results: [TrialResult?] = trials.map { t in
            let a = t["alpha"]!.numericValue!
            var r = TrialResult(realSteps: 1000, planningUpdates: 5000, wallSeconds: 0.25)
            r.add("return", perEpisode: [0, a * Double(t.seed + 1)])
            r.add("steps", perEpisode: [10, 20])
            return t.index == 7 ? nil : r
        }
        return (trials, results)
    }

    @Test func summarizePerSettingAndMetric() throws {
        let (trials, results) = try sweep()
        let s = Summary.summarize(trials: trials, results: results, options: SummaryOptions(reduction: .final))
        #expect(s.count == 4)
        #expect(s.map(\.metric) == ["return", "steps", "return", "steps"])
        #expect(s[0].perTrial == [0.1, 0.2, 0.30000000000000004, 0.4])
        #expect(abs(s[0].estimate.mean - 0.25) < 1e-12)
        #expect(s[2].n == 3)  // trial 7 failed
        #expect(s[2].perTrial == [0.5, 1.0, 1.5])
        #expect(s[1].estimate.meanCI == Statistics.Interval(20, 20))
        #expect(s[0].realSteps == 1000 && s[0].updatesPerSecond == 20000)
        // Deterministic: the same summary every time.
        #expect(Summary.summarize(trials: trials, results: results, options: SummaryOptions(reduction: .final)) == s)
        let only = Summary.summarize(trials: trials, results: results, options: SummaryOptions(metrics: ["steps"]))
        #expect(only.map(\.metric) == ["steps", "steps"])
    }

    @Test func tableIsAligned() throws {
        let (trials, results) = try sweep()
        let text = Summary.table(Summary.summarize(trials: trials, results: results))
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 2 + 4)
        #expect(lines[0].hasPrefix("alpha  metric  n  "))
        #expect(lines[0].hasSuffix("mean [95% CI]       IQM [95% CI]  real steps/run  updates/run  updates/s"))
        #expect(lines[1].hasPrefix("-----  ------  -  "))
        #expect(lines[3] == "0.1    steps   4           15 [15, 15]        15 [15, 15]            1000         5000      20.0k")
        #expect(lines[2].hasPrefix("0.1    return  4  0.125 ["))
        #expect(lines[3].hasPrefix("0.1    steps   4           15 [15, 15]        15 [15, 15]"))
        #expect(lines[2].hasSuffix("1000         5000      20.0k"))
        // Every column starts at the same offset on every line (check the "n" column).
        let col = lines[0].range(of: " n ")!.lowerBound.utf16Offset(in: lines[0]) + 1
        for l in lines.dropFirst(2) { #expect(Array(l)[col] == "4" || Array(l)[col] == "3") }
        #expect(Summary.short(0.123456) == "0.1235" && Summary.short(12) == "12" && Summary.short(.nan) == "nan")
        #expect(Summary.rate(2_240_000) == "2.24M" && Summary.rate(156_400) == "156.4k" && Summary.rate(0) == "-")
    }
}
