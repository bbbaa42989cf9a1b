import Foundation
import Testing
@testable import Mull

/// The examples reproduce the book's results, run through the language exactly as a user runs
/// them (reduced where noted). Seeds are fixed, so each assertion is deterministic; the
/// comments say why each bound is safe for the number of runs.
@Suite("Examples reproduce Sutton & Barto, chapter 8", .serialized)
struct ExampleTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs an example with textual replacements, returning results.csv as rows.
    func run(_ name: String, replacing: [(String, String)] = []) throws -> [[String: String]] {
        var text = try String(contentsOf: Self.root.appendingPathComponent("examples/\(name).mull"), encoding: .utf8)
        for (a, b) in replacing {
            #expect(text.contains(a), "\(name).mull no longer contains \(a)")
            text = text.replacingOccurrences(of: a, with: b)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mull-example-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("\(name).mull")
        try text.write(to: script, atomically: true, encoding: .utf8)
        let (_, diagnostics) = runScript(path: script.path, outputDirectory: dir.appendingPathComponent("out").path)
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.description))")
        return try Self.readResults(dir.appendingPathComponent("out"))
    }

    /// Every sweep's rows in an output folder (each row names its sweep in `experiment`).
    static func readResults(_ out: URL) throws -> [[String: String]] {
        var rows: [[String: String]] = []
        for sweep in try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() {
            let csv = try String(contentsOf: out.appendingPathComponent("\(sweep)/results.csv"), encoding: .utf8)
            let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let header = lines[0]
            rows += lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
        }
        return rows
    }

    func mean(_ rows: [[String: String]], where match: ([String: String]) -> Bool) -> Double {
        let xs = rows.filter(match).compactMap { Double($0["value"] ?? "") }
        return xs.reduce(0, +) / Double(max(1, xs.count))
    }

    /// Per run, the last value of a series.
    func finals(_ rows: [[String: String]], _ key: String, _ value: String, x: String) -> [Double] {
        var last: [String: (Int, Double)] = [:]
        for r in rows where r[key] == value {
            let i = Int(r[x] ?? "") ?? 0
            if let v = Double(r["value"] ?? ""), i >= (last[r["seed"]!]?.0 ?? 0) { last[r["seed"]!] = (i, v) }
        }
        return last.values.map(\.1)
    }

    @Test("Figure 8.2: n = 50 is below 20 steps per episode from episode 3; n = 0 is above 40 at episode 10")
    func figure8_2() throws {
        // The book's 30 runs. With n = 50 the curve is at about 17 steps (the optimum is 14) from
        // episode 3; single episodes of epsilon-greedy behaviour vary by about 5 steps, so the
        // standard error of a 30-run mean is about 1 step and 20 is three of them away.
        // With n = 0 the mean at episode 10 is far above 40 (about 150).
        let rows = try run("dyna_maze")
        for e in 3...50 {
            let m: Double = mean(rows) { $0["planning_steps"] == "50" && $0["episode"] == "\(e)" }
            #expect(m < 20, "episode \(e): \(m)")
        }
        let tenth: Double = mean(rows) { $0["planning_steps"] == "0" && $0["episode"] == "10" }
        #expect(tenth > 40)
    }

    @Test("Figure 8.4: Dyna-Q+ ends the blocking maze with more cumulative reward than Dyna-Q")
    func figure8_4() throws {
        // 20 runs; the measured gap (about 135 against 60) is many standard errors wide.
        let rows = try run("blocking_maze")
        let plus = finals(rows, "agent", "dyna_q_plus", x: "step"), plain = finals(rows, "agent", "dyna_q", x: "step")
        #expect(plus.count == 20)
        #expect(plain.count == 20)
        let plusMean: Double = plus.reduce(0, +) / 20
        let plainMean: Double = plain.reduce(0, +) / 20
        #expect(plusMean > plainMean + 30)
    }

    @Test("Figure 8.5: only Dyna-Q+ takes the shortcut")
    func figure8_5() throws {
        // Reward gained over the last 2000 of 6000 steps: the shortcut path is shorter, so a
        // run that takes it earns more per step. Dyna-Q, whose model never sees the opening,
        // keeps its old rate. 10 runs each.
        let rows = try run("shortcut_maze")
        func gain(_ agent: String) -> Double {
            var at4000: [String: Double] = [:], at6000: [String: Double] = [:]
            for r in rows where r["agent"] == agent {
                if r["step"] == "4000" { at4000[r["seed"]!] = Double(r["value"]!) }
                if r["step"] == "6000" { at6000[r["seed"]!] = Double(r["value"]!) }
            }
            return at6000.keys.map { at6000[$0]! - at4000[$0]! }.reduce(0, +) / Double(at6000.count)
        }
        let plus: Double = gain("dyna_q_plus")
        let plain: Double = gain("dyna_q")
        #expect(plus > plain * 1.15, "Dyna-Q+ \(plus), Dyna-Q \(plain)")
    }

    @Test("Example 8.4: prioritized sweeping needs several times fewer updates at larger resolutions")
    func example8_4() throws {
        // Resolutions 1 to 3 and 3 runs to keep the test short; the full example goes to 5.
        // The measured ratio at resolution 3 is about 2.8 (5 runs); 2 leaves room for noise.
        let rows = try run("prioritized_sweeping", replacing: [("[1, 2, 3, 4, 5]", "[1, 2, 3]"), ("seeds: 5", "seeds: 3")])
        let dyna = finals(rows.filter { $0["maze.resolution"] == "3" }, "agent", "dyna_q", x: "episode")
        let ps = finals(rows.filter { $0["maze.resolution"] == "3" }, "agent", "sweeping", x: "episode")
        #expect(dyna.count == 3)
        #expect(ps.count == 3)
        let dynaTotal: Double = dyna.reduce(0, +)
        let psTotal: Double = ps.reduce(0, +)
        #expect(dynaTotal > 2 * psTotal)
    }

    @Test("Dyna-Q reaches the optimal path in far fewer real steps than Q-learning")
    func dynaAgainstQ() throws {
        // 30 runs each; measured means about 16,000 against 4,500.
        let rows = try run("dyna_vs_q")
        let q = finals(rows, "agent", "q_learning", x: "episode"), d = finals(rows, "agent", "dyna_q", x: "episode")
        let dynaTotal: Double = d.reduce(0, +)
        let qTotal: Double = q.reduce(0, +)
        #expect(dynaTotal * 2 < qTotal)
    }

    @Test("FrozenLake: the speedup from planning grows with n and flattens")
    func frozenLakeSpeedup() throws {
        // 8 runs instead of 20. Measured (20 runs): 86 episodes at n = 0, 64 at n = 1, about 40
        // from n = 5 on, with 95% intervals of a few episodes; the bounds leave wide margins.
        let rows = try run("frozenlake_speedup", replacing: [("seeds: 20", "seeds: 8")]).filter { $0["metric"] == "episodes" }
        func episodes(_ n: String) -> Double {
            let xs = finals(rows, "planning_steps", n, x: "episode")
            return xs.reduce(0, +) / Double(max(1, xs.count))
        }
        let e0 = episodes("0"), e1 = episodes("1"), e10 = episodes("10"), e50 = episodes("50")
        #expect(e0 > e1, "n = 0: \(e0), n = 1: \(e1)")
        #expect(e1 > e10, "n = 1: \(e1), n = 10: \(e10)")
        #expect(e0 > 1.5 * e50, "n = 0: \(e0), n = 50: \(e50)")
        #expect(abs(e10 - e50) < 0.25 * e10, "flattening: n = 10: \(e10), n = 50: \(e50)")
    }
}
