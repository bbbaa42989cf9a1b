import Foundation
import Testing

/// The `mull` command line, run as a subprocess: exit statuses, help, check, run, resume, repl.
@Suite("Command line")
struct CLITests {
    static var example: String { MullExecutable.packageRoot.appendingPathComponent("examples/dyna_maze.mull").path }

    @Test func versionExitsZero() throws {
        guard let r = try MullExecutable.run(["--version"]) else { return }
        #expect(r.status == 0)
        #expect(r.stdout.range(of: #"^[0-9]+\.[0-9]+\.[0-9]+\n$"#, options: .regularExpression) != nil, "\(r.stdout)")
    }

    @Test("help exits zero", arguments: [["help", "run"], ["run", "--help"], ["help", "check"], ["check", "--help"],
                                         ["repl", "--help"], ["--help"], ["help"]])
    func help(_ arguments: [String]) throws {
        guard let r = try MullExecutable.run(arguments) else { return }
        #expect(r.status == 0, "\(arguments): \(r.status) \(r.stderr)")
        #expect(r.stdout.contains("USAGE") || r.stdout.contains("Usage"), "\(r.stdout.prefix(300))")
        if arguments.contains("run") { #expect(r.stdout.contains("--dry-run") && r.stdout.contains("--seed")) }
    }

    @Test("usage errors exit 2", arguments: [[], ["--frobnicate"], ["frobnicate"], ["run"], ["run", "--frobnicate", "x.mull"],
                                             ["run", "--jobs", "0", "x.mull"], ["run", "--seed", "-1", "x.mull"], ["run", "--out", "", "x.mull"], ["run", "--import-path", "/no/such/folder", "x.mull"],
                                             ["check"], ["run", "--step-budget", "0", "x.mull"], ["check", "--diagnostics", "fancy", "x.mull"]])
    func usageErrors(_ arguments: [String]) throws {
        guard let r = try MullExecutable.run(arguments) else { return }
        #expect(r.status == 2, "\(arguments): status \(r.status)")
        #expect(!r.stderr.isEmpty, "\(arguments): nothing on standard error")
        #expect(!r.crashed && !r.showsTrap)
        if arguments.contains("-1") { #expect(r.stderr.contains("'-1' is invalid"), "\(r.stderr)") }
    }

    @Test func checkReportsEveryErrorAsFileLineColumn() throws {
        let folder = try TemporaryFolder()
        let bad = try folder.write("bad.mull", """
            let planning = 5
            print(planing)
            print(nosuch)

            """)
        let good = try folder.write("good.mull", "let x = 1\nprint(x)\n")
        guard let r = try MullExecutable.run(["check", "--diagnostics", "line", bad.path]) else { return }
        r.expectCleanFailure("check")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("\(bad.path):2:7: error: ") && $0.contains("planing") }, "\(r.stderr)")
        #expect(lines.contains { $0.hasPrefix("\(bad.path):3:7: error: ") && $0.contains("nosuch") }, "\(r.stderr)")
        #expect(r.stdout.isEmpty, "check prints nothing on standard output")
        guard let ok = try MullExecutable.run(["check", good.path]) else { return }
        #expect(ok.status == 0 && ok.stderr.isEmpty && ok.stdout.isEmpty, "\(ok.stderr)")
        guard let both = try MullExecutable.run(["check", "--diagnostics", "line", good.path, bad.path]) else { return }
        #expect(both.status == 1)
        #expect(!both.stderr.contains("good.mull"))
        // The human style ends with a count of errors.
        guard let human = try MullExecutable.run(["check", "--diagnostics", "human", bad.path]) else { return }
        #expect(human.status == 1 && human.stderr.contains("planing") && human.stderr.hasSuffix("2 errors\n"), "\(human.stderr)")
    }

    @Test func twoSweepsOfOneNameDoNotShareAFolder() throws {
        // Two anonymous sweeps (both named `sweep`) would write into one results folder.
        let folder = try TemporaryFolder()
        let script = try folder.write("twice.mull", """
            import "std/mazes"
            env maze = GridWorld { layout: mazes.dyna }
            agent q = QLearning { env: maze }
            run Sweep { agent: q, seeds: 1, episodes: 1 }
            run Sweep { agent: q, seeds: 1, episodes: 2 }

            """)
        guard let r = try MullExecutable.run(["run", "--diagnostics", "line", "--out", folder.url.appendingPathComponent("out").path, script.path]) else { return }
        r.expectCleanFailure("run")
        #expect(r.stderr.contains("\(script.path):5:5: error: another sweep named `sweep`"), "\(r.stderr)")
    }

    @Test func checkDoesNotRunTheScript() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("loud.mull", "print(\"ran\")\nfn down(n) { down(n + 1) }\ndown(0)\n")
        guard let r = try MullExecutable.run(["check", file.path]) else { return }
        #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stdout) \(r.stderr)")
    }

    @Test func dryRunListsTrialsWithoutRunningThem() throws {
        let folder = try TemporaryFolder()
        guard let r = try MullExecutable.run(["run", "--dry-run", "--out", folder.path("out"), CLITests.example]) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("figure_8_2"), "\(r.stdout)")
        #expect(r.stdout.contains("90 trials"), "\(r.stdout)")
        for n in [0, 5, 50] { #expect(r.stdout.contains("planning_steps=\(n)"), "\(r.stdout)") }
        #expect(!r.stdout.contains("IQM"), "a dry run printed a summary")
        #expect(!FileManager.default.fileExists(atPath: folder.path("out")), "a dry run wrote results")
        // Running 90 trials of 50 episodes takes far longer than listing them.
        #expect(r.seconds < 20)
    }

    @Test func runWritesResultsAndResumes() throws {
        let folder = try TemporaryFolder()
        try folder.write("small.mull", HermeticTests.smallSweep)
        let out = folder.path("out")
        guard let first = try MullExecutable.run(["run", "--jobs", "2", "--out", out, "small.mull"], in: folder.url) else { return }
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("IQM"), "\(first.stdout)")
        let results = folder.url.appendingPathComponent("out/small/results.csv")
        let csv = try String(contentsOf: results, encoding: .utf8)
        let rows = csv.split(separator: "\n")
        #expect(rows.first?.contains("planning_steps") == true, "\(csv.prefix(300))")
        #expect(rows.count > 4, "\(csv.prefix(300))")
        // Finished trials are skipped: their files are not rewritten; a deleted one is run again.
        let trials = folder.url.appendingPathComponent("out/small/trials")
        let names = try FileManager.default.contentsOfDirectory(atPath: trials.path).sorted()
        #expect(names == ["0.csv", "0.json", "1.csv", "1.json", "2.csv", "2.json", "3.csv", "3.json"], "\(names)")
        func mtime(_ n: String) throws -> Date {
            try FileManager.default.attributesOfItem(atPath: trials.appendingPathComponent(n).path)[.modificationDate] as! Date
        }
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        for n in names { try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: trials.appendingPathComponent(n).path) }
        try FileManager.default.removeItem(at: trials.appendingPathComponent("2.json"))
        guard let second = try MullExecutable.run(["run", "--jobs", "2", "--out", out, "small.mull"], in: folder.url) else { return }
        #expect(second.status == 0, "\(second.stderr)")
        for n in ["0.csv", "0.json", "1.csv", "3.json"] { #expect(try mtime(n) == past, "trial \(n) ran again") }
        #expect(FileManager.default.fileExists(atPath: trials.appendingPathComponent("2.json").path), "the missing trial was not run")
        #expect(second.stdout.contains("3 of 4 trials loaded from an earlier run"), "\(second.stdout)")
        #expect(try String(contentsOf: results, encoding: .utf8) == csv, "a resumed sweep changed the results")
        let resumedLine = "3 of 4 trials loaded from an earlier run\n"
        #expect(DeterminismTests.stripTiming(second.stdout.replacingOccurrences(of: resumedLine, with: "")) == DeterminismTests.stripTiming(first.stdout))
    }

    @Test func replThroughAPipe() throws {
        guard let ok = try MullExecutable.run(["repl"], stdin: "let x = 2\nx * 21\nfn sq(n) {\n  n * n\n}\nsq(x)\n\"done\"\n") else { return }
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("42") && ok.stdout.contains("4") && ok.stdout.contains("done"), "\(ok.stdout)")
        #expect(ok.stderr.isEmpty, "\(ok.stderr)")
        guard let bad = try MullExecutable.run(["repl"], stdin: "let x = 2\nnosuch + 1\nx + 1\n") else { return }
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("3"), "statements after a failed one still run: \(bad.stdout)")
        #expect(bad.stderr.contains("<stdin>:2:1: error:"), "\(bad.stderr)")
        #expect(!bad.showsTrap)
        guard let empty = try MullExecutable.run(["repl"], stdin: "") else { return }
        #expect(empty.status == 0)
    }

    @Test("the repl survives hostile input", arguments: ["random bytes", "deep brackets", "long chain", "recursion"])
    func replWithHostileInput(_ kind: String) throws {
        let input: String
        switch kind {
        case "random bytes": input = String(decoding: BadInput.randomBytes(3000, seed: 5), as: UTF8.self)
        case "deep brackets": input = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000) + "\n"
        case "long chain": input = "1" + String(repeating: " + 1", count: 100_000) + "\n"
        default: input = "fn f(n) { f(n + 1) }\nf(0)\n"
        }
        guard let r = try MullExecutable.run(["repl"], stdin: input + "\"still alive\"\n") else { return }
        r.expectCleanFailure("repl with \(kind)")
        // Random bytes may leave a bracket or string open, which swallows the next line.
        if kind != "random bytes" { #expect(r.stdout.contains("still alive"), "the session ended early: \(r.stdout.suffix(200))") }
    }

    @Test func replLoadsAScriptFirst() throws {
        guard let r = try MullExecutable.run(["repl", CLITests.example], stdin: "maze.shortest_path\n") else { return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("14"), "\(r.stdout)")
    }
}
