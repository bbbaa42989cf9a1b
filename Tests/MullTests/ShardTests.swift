import Foundation
import Testing

/// `mull run --shard i/N` and `--collect`: shards run disjoint trials into one folder, and the
/// collection gives the results of a local run.
@Suite("Shards")
struct ShardTests {
    static let script = """
        import "std/mazes"
        env maze = GridWorld { layout: mazes.dyna }
        agent dyna = DynaQ { env: maze, model: Tabular {}, alpha: 0.1, epsilon: 0.1, gamma: 0.95, planning_steps: 5 }
        sweep figure { agent: dyna, vary planning_steps: [0, 5, 50], seeds: 3, episodes: 10, record: [.steps] }
        run figure

        """

    @Test("three shards and a collection give a local run's results.csv, byte for byte")
    func shardsAndCollect() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("maze.mull", Self.script)
        let sharded = folder.url.appendingPathComponent("sharded").path, local = folder.url.appendingPathComponent("local").path
        for i in 0..<3 {
            guard let r = try MullExecutable.run(["run", file.path, "--shard", "\(i)/3", "--out", sharded]) else { return }
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("shard \(i)/3: 3 trials: 3 run, 0 resumed, 0 failed of 9"), "\(r.stdout)")
            #expect(!FileManager.default.fileExists(atPath: sharded + "/figure/results.csv"), "a shard wrote results.csv")
        }
        guard let c = try MullExecutable.run(["run", file.path, "--collect", "--out", sharded]),
              let l = try MullExecutable.run(["run", file.path, "--jobs", "1", "--out", local]) else { return }
        #expect(c.status == 0 && l.status == 0, "\(c.stderr) \(l.stderr)")
        #expect(c.stdout.contains("9 of 9 trials loaded from an earlier run"), "\(c.stdout)")
        let a = try String(contentsOfFile: sharded + "/figure/results.csv", encoding: .utf8)
        let b = try String(contentsOfFile: local + "/figure/results.csv", encoding: .utf8)
        #expect(a == b)
        #expect(a.split(separator: "\n").count == 1 + 9 * 10)
    }

    @Test("a collection lists the trials no shard finished, and a dry run shows a shard's trials")
    func missingShardAndDryRun() throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("maze.mull", Self.script)
        let out = folder.url.appendingPathComponent("out").path
        guard let dry = try MullExecutable.run(["run", file.path, "--shard", "1/4", "--dry-run", "--out", out]) else { return }
        #expect(dry.status == 0 && dry.stdout.contains("shard 1/4: 2 trials: 1, 5"), "\(dry.stdout)")
        guard let s = try MullExecutable.run(["run", file.path, "--shard", "0/2", "--out", out]),
              let c = try MullExecutable.run(["run", file.path, "--collect", "--out", out, "--diagnostics", "line"]) else { return }
        #expect(s.status == 0, "\(s.stderr)")
        c.expectCleanFailure("collect")
        #expect(c.stderr.contains("trial 1 has no finished result"), "\(c.stderr)")
        #expect(c.stderr.contains("4 of 9 trials failed"), "\(c.stderr)")
        // The collection still writes what the shards finished.
        let rows = try String(contentsOfFile: out + "/figure/results.csv", encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + 5 * 10)
    }

    @Test("bad shard options are usage errors", arguments: [["--shard", "3/3"], ["--shard", "x"], ["--shard", "-1/2"],
                                                            ["--shard", "0/2", "--no-output"], ["--collect", "--no-output"],
                                                            ["--shard", "0/2", "--collect"]])
    func badOptions(_ extra: [String]) throws {
        guard let r = try MullExecutable.run(["run", "x.mull"] + extra) else { return }
        #expect(r.status == 2, "\(extra): \(r.status) \(r.stderr)")
        #expect(!r.crashed && !r.showsTrap)
    }
}
