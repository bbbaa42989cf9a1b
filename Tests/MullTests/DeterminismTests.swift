import Foundation
import Testing

/// The same script and seed give byte-identical results and summaries, whatever `--jobs` is; a
/// different seed gives different numbers.
@Suite("Determinism")
struct DeterminismTests {
    struct Outcome: Equatable {
        var summary: String
        var results: String
        var trials: [String]
    }

    /// Runs the small sweep and returns its summary, results.csv and per-trial files.
    static func run(seed: UInt64, jobs: Int) throws -> Outcome? {
        let folder = try TemporaryFolder()
        try folder.write("small.mull", HermeticTests.smallSweep)
        guard let r = try MullExecutable.run(["run", "--seed", "\(seed)", "--jobs", "\(jobs)", "--out", folder.path("out"), "small.mull"],
                                             in: folder.url) else { return nil }
        #expect(r.status == 0, "\(r.stderr)")
        let base = folder.url.appendingPathComponent("out/small")
        let results = try String(contentsOf: base.appendingPathComponent("results.csv"), encoding: .utf8)
        let trials = try (0..<4).map { try stripTiming(trial: String(contentsOf: base.appendingPathComponent("trials/\($0).csv"), encoding: .utf8)) }
        // Wall-clock columns and throughput are the only things allowed to differ.
        return Outcome(summary: stripTiming(r.stdout), results: results, trials: trials)
    }

    /// Drops the wall-clock seconds from a trial file's `# totals` line.
    static func stripTiming(trial s: String) -> String {
        s.replacingOccurrences(of: #"(?m)^(# totals [0-9]+ [0-9]+) [0-9.e-]+$"#, with: "$1 _", options: .regularExpression)
    }

    /// Drops the `updates/s` column, durations and the results path (a scratch folder) from a
    /// summary.
    static func stripTiming(_ s: String) -> String {
        // The updates/s column is last and right-aligned, so its width (and the dashes under its
        // header) vary with the measured rate: drop the column, its padding and the dash line.
        s.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("results: ") && !$0.hasPrefix("--") }.map { line in
            var l = String(line)
            l = l.replacingOccurrences(of: #"[0-9.]+ s\b"#, with: "_ s", options: .regularExpression)
            l = l.replacingOccurrences(of: #"\s+([0-9.]+[kMG]?|-|updates/s)\s*$"#, with: " _", options: .regularExpression)
            return l
        }.joined(separator: "\n")
    }

    @Test func sameSeedSameBytes() throws {
        guard let a = try DeterminismTests.run(seed: 7, jobs: 1), let b = try DeterminismTests.run(seed: 7, jobs: 1),
              let c = try DeterminismTests.run(seed: 7, jobs: 2) else { return }
        #expect(a.results == b.results)
        #expect(a.trials == b.trials)
        #expect(a.summary == b.summary)
        #expect(a.results == c.results, "--jobs 2 changed results.csv")
        #expect(a.trials == c.trials, "--jobs 2 changed the trials")
        #expect(a.summary == c.summary, "--jobs 2 changed the summary")
        guard let d = try DeterminismTests.run(seed: 8, jobs: 2) else { return }
        #expect(a.results != d.results, "another seed gave the same results")
        #expect(a.summary != d.summary, "another seed gave the same summary")
    }

    /// A sweep whose model is Mull code run by every trial's thread at once: closures made per
    /// call, records, `match` and helper calls. More jobs than cores interleave the trials.
    static let mullModelSweep = """
        let dt = 0.1
        fn scale(k) { fn(x) { x * k } }
        let half = scale(0.5)
        env track = ContinuousMDP {
            start: [1.0, 0.0]
            start_spread: [0.5, 0.1]
            action_low: [-1.0]
            action_high: [1.0]
            max_episode_steps: 20
            step(s, force) {
                let push = scale(dt)
                let v = s[1] + push(force)
                let x = s[0] + dt * v
                let cost = match x > 0.0 { true => x * x, _ => x * x + 0.001 }
                let out = (next: [x, v], reward: half(0.0) - cost, done: false)
                out
            }
        }
        agent cem = CEM { env: track, horizon: 5, population: 20, elites: 4, iterations: 2 }
        sweep mullmodel {
            agent: cem
            vary population: [20, 30]
            seeds: 3
            episodes: 1
            record: [.return]
        }
        run mullmodel
        """

    @Test func mullModelSameResultsWhateverTheJobs() throws {
        func results(jobs: Int) throws -> String? {
            let folder = try TemporaryFolder()
            try folder.write("m.mull", DeterminismTests.mullModelSweep)
            guard let r = try MullExecutable.run(["run", "--jobs", "\(jobs)", "--out", folder.path("out"), "m.mull"],
                                                 in: folder.url) else { return nil }
            #expect(r.status == 0, "\(r.stderr)")
            return try String(contentsOf: folder.url.appendingPathComponent("out/mullmodel/results.csv"), encoding: .utf8)
        }
        guard let one = try results(jobs: 1), let three = try results(jobs: 3) else { return }
        #expect(one.split(separator: "\n").count == 7)
        #expect(one == three, "--jobs 3 changed the results of a Mull-written model")
    }
}
