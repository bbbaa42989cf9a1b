import Foundation
import Testing
@testable import MullRuntime

@Suite struct ResultsWriterTests {
    /// Two settings x two seeds, one per-episode metric and one per-step metric.
    func experiment(name: String = "maze, \"quoted\"") throws -> ExperimentResults {
        var plan = SweepPlan(seeds: 2)
        plan.grid("agent", [.symbol("dyna_q"), .string("ps, fast")])
        let trials = try plan.trials()
        let results: [TrialResult?] = trials.map { t in
            var r = TrialResult(realSteps: 100 + t.index, planningUpdates: 1000 * (t.index + 1), wallSeconds: 0.5)
            r.add("return", perEpisode: [0.1 * Double(t.index), 1.0 / 3.0])
            r.add("loss", atSteps: [10], values: [t.index == 3 ? .nan : 1e-7])
            return t.index == 2 ? nil : r
        }
        return ExperimentResults(name: name, scriptSeed: 9, trials: trials, results: results,
                                 configurations: trials.map { ["agent": .string($0["agent"]!.text), "gamma": "0.95"] })
    }

    @Test func resultsCSVIsTidyAndParsesBack() throws {
        let e = try experiment()
        let text = ResultsWriter.resultsCSV([e])
        let rows = CSV.parse(text)
        #expect(rows[0] == ["experiment", "agent", "seed", "episode", "step", "metric", "value"])
        // 3 finished trials x (2 episode points + 1 step point).
        #expect(rows.count == 1 + 9)
        #expect(rows.dropFirst().allSatisfy { $0.count == 7 })
        #expect(rows[1] == ["maze, \"quoted\"", "dyna_q", "0", "1", "", "return", "0.0"])
        #expect(rows[2] == ["maze, \"quoted\"", "dyna_q", "0", "2", "", "return", "0.3333333333333333"])
        #expect(rows[3] == ["maze, \"quoted\"", "dyna_q", "0", "", "10", "loss", "1e-07"])
        // Trial 2 failed: its rows are absent; trial 3 is the second seed of "ps, fast".
        #expect(rows[7] == ["maze, \"quoted\"", "ps, fast", "1", "1", "", "return", "0.30000000000000004"])
        #expect(rows[9][6] == "nan")
        // Quoting as RFC 4180 says.
        #expect(text.contains("\"maze, \"\"quoted\"\"\",\"ps, fast\",1,1,,return,0.30000000000000004\n"))
        // Every number reads back to the same Double.
        #expect(Double(rows[2][6]) == 1.0 / 3.0)
    }

    @Test func singleAxisHasOneXColumn() throws {
        var plan = SweepPlan(seeds: 1)
        plan.grid("n", [.int(5)])
        let t = try plan.trials()
        var r = TrialResult()
        r.add("return", perEpisode: [1, 2])
        let text = ResultsWriter.resultsCSV([ExperimentResults(name: "a", scriptSeed: 0, trials: t, results: [r],
                                                               configurations: [[:]])])
        #expect(text == "experiment,n,seed,episode,metric,value\na,5,0,1,return,1.0\na,5,0,2,return,2.0\n")
    }

    @Test func filesAreWrittenAndDeterministic() throws {
        let e = try experiment()
        let dir = temporaryDirectory("results")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try ResultsWriter.write([e], to: dir, script: "sweep { seeds: 2 }\n")
        #expect(files.map(\.lastPathComponent) == ["results.csv", "timing.csv", "config.json", "script.mull"])
        let first = try Data(contentsOf: dir.appendingPathComponent("results.csv"))
        let firstConfig = try Data(contentsOf: dir.appendingPathComponent("config.json"))
        // Different wall-clock times change timing.csv only.
        var e2 = e
        e2.results = e2.results.map { $0.map { var r = $0; r.wallSeconds = 7; return r } }
        try ResultsWriter.write([e2], to: dir)
        #expect(try Data(contentsOf: dir.appendingPathComponent("results.csv")) == first)
        #expect(try Data(contentsOf: dir.appendingPathComponent("config.json")) == firstConfig)
        let timing = CSV.parse(try String(contentsOf: dir.appendingPathComponent("timing.csv"), encoding: .utf8))
        #expect(timing[0] == ["experiment", "trial", "agent", "seed", "real_steps", "planning_updates",
                              "wall_seconds", "updates_per_second"])
        #expect(timing[1] == ["maze, \"quoted\"", "0", "dyna_q", "0", "100", "1000", "7.0", "142.85714285714286"])
        #expect(timing.count == 4)
        #expect(try String(contentsOf: dir.appendingPathComponent("script.mull"), encoding: .utf8) == "sweep { seeds: 2 }\n")
        // config.json is valid JSON with every trial, including the failed one.
        let json = try JSONSerialization.jsonObject(with: firstConfig) as! [String: Any]
        let exps = json["experiments"] as! [[String: Any]]
        let trials = exps[0]["trials"] as! [[String: Any]]
        #expect(trials.count == 4)
        #expect(exps[0]["parameters"] as? [String] == ["agent"])
        let conf = trials[1]["configuration"] as! [[String: String]]
        #expect(conf == [["key": "agent", "value": "dyna_q"], ["key": "gamma", "value": "0.95"]])
        #expect((trials[2]["parameters"] as! [[String: Any]])[0]["value"] as? [String: String] == ["string": "ps, fast"])
    }

    @Test func plotsAreWrittenPerMetric() throws {
        let e = try experiment(name: "maze/v1")
        let dir = temporaryDirectory("plots")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = try ResultsWriter.writePlots(e, to: dir)
        #expect(files.map(\.lastPathComponent) == ["maze_v1-return.svg", "maze_v1-loss.svg"])
        let svg = try String(contentsOf: files[0], encoding: .utf8)
        #expect(svg.hasPrefix("<?xml") && svg.contains("maze/v1: return"))
    }

    @Test func unionOfParametersAcrossExperiments() throws {
        var p1 = SweepPlan(); p1.grid("alpha", [.float(0.5)])
        var p2 = SweepPlan(); p2.grid("n", [.int(3)])
        var r = TrialResult()
        r.add("return", perEpisode: [1])
        let a = ExperimentResults(name: "a", scriptSeed: 0, trials: try p1.trials(), results: [r], configurations: [[:]])
        let b = ExperimentResults(name: "b", scriptSeed: 0, trials: try p2.trials(), results: [r], configurations: [[:]])
        #expect(ResultsWriter.resultsCSV([a, b]) ==
                "experiment,alpha,n,seed,episode,metric,value\na,0.5,,0,1,return,1.0\nb,,3,0,1,return,1.0\n")
    }

    @Test func reservedParameterNamesAreRejected() {
        #expect(throws: SweepPlanError.reservedName("seed")) {
            try SweepPlan(dimensions: [.grid(name: "seed", values: [.int(1)])]).trials()
        }
    }

    @Test func csvQuotingRoundTrips() {
        let fields = ["plain", "with,comma", "with \"quote\"", "multi\nline", " padded ", "", "é"]
        #expect(CSV.parse(CSV.line(fields)) == [fields])
        #expect(CSV.line(["a", "b,c"]) == "a,\"b,c\"\n")
    }
}
