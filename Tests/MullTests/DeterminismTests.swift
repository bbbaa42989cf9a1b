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
}
