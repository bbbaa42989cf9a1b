import Foundation
import Testing

/// `mull run --launcher slurm` on a real cluster: CI starts a single-node Slurm
/// (tools/slurm-local.sh); without `sbatch` on PATH these tests say so and pass.
@Suite("Slurm", .serialized)
struct SlurmTests {
    static var available: Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/sbatch") && FileManager.default.isExecutableFile(atPath: "\($0)/squeue")
        }
    }

    static func skipNote() -> Bool {
        if available { return false }
        print("Slurm tests skipped: no sbatch/squeue on PATH (CI starts a single-node cluster with tools/slurm-local.sh)")
        return true
    }

    /// Waits until none of the jobs recorded in `out/slurm/jobs.txt` is queued or running.
    static func waitForJobs(_ out: String, timeout: Double = 240) throws {
        let text = (try? String(contentsOfFile: out + "/slurm/jobs.txt", encoding: .utf8)) ?? ""
        let ids = text.split(separator: "\n").flatMap { $0.split(separator: " ").dropFirst() }.joined(separator: ",")
        #expect(!ids.isEmpty, "no job recorded")
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["squeue", "-h", "-j", ids, "-o", "%i"]
            let pipe = Pipe()
            p.standardOutput = pipe
            p.standardError = FileHandle.nullDevice
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            if String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
            Thread.sleep(forTimeInterval: 1)
        }
        Issue.record("jobs \(ids) still queued after \(timeout) s")
    }

    static func results(_ out: String, _ sweep: String) throws -> String {
        try String(contentsOfFile: "\(out)/\(sweep)/results.csv", encoding: .utf8)
    }

    @Test("the Dyna maze example through a job array and a collect job equals a local run")
    func dynaMaze() throws {
        guard !Self.skipNote() else { return }
        let folder = try TemporaryFolder()
        let out = folder.url.appendingPathComponent("slurm").path, local = folder.url.appendingPathComponent("local").path
        guard let r = try MullExecutable.run(["run", CLITests.example, "--launcher", "slurm", "--shards", "4", "--out", out]) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("submitted array job") && r.stdout.contains("submitted collect job"), "\(r.stdout)")
        try Self.waitForJobs(out)
        guard let l = try MullExecutable.run(["run", CLITests.example, "--jobs", "1", "--out", local]) else { return }
        #expect(l.status == 0)
        #expect(try Self.results(out, "figure_8_2") == Self.results(local, "figure_8_2"))
        // The configuration record and the plots are identical too (the summary differs only in
        // its timing figures).
        for f in ["config.json", "plots/figure_8_2-steps.svg"] {
            let a = FileManager.default.contents(atPath: "\(out)/figure_8_2/\(f)"), b = FileManager.default.contents(atPath: "\(local)/figure_8_2/\(f)")
            #expect(a != nil && a == b, "\(f)")
        }
        guard let s = try MullExecutable.run(["status", out]) else { return }
        #expect(s.status == 0 && s.stdout.contains("90 of 90 trials finished"), "\(s.stdout) \(s.stderr)")
        // Everything is finished: submitting again sends only a collect job.
        guard let again = try MullExecutable.run(["run", CLITests.example, "--launcher", "slurm", "--shards", "4", "--out", out]) else { return }
        #expect(again.status == 0 && !again.stdout.contains("submitted array job") && again.stdout.contains("every trial is finished"), "\(again.stdout)")
        try Self.waitForJobs(out)
    }

    @Test("failing trials are listed by the collect job and by status; the others are kept")
    func failingTrials() throws {
        guard !Self.skipNote() else { return }
        let folder = try TemporaryFolder()
        let file = try folder.write("fails.mull", """
            env cart = CartPole { max_episode_steps: 5 }
            agent good = MCTS { env: cart, simulations: 5, depth: 5 }
            agent bad = MCTS { env: cart, simulations: 5, depth: 5, leaf_value: fn(s) => s[99] }
            sweep mixed { agent: good, vary agent: [good, bad], seeds: 2, episodes: 1 }
            run mixed

            """)
        let out = folder.url.appendingPathComponent("out").path
        guard let r = try MullExecutable.run(["run", file.path, "--launcher", "slurm", "--shards", "2", "--out", out]) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        try Self.waitForJobs(out)
        let log = (try? String(contentsOfFile: out + "/slurm/submission-1/logs/collect.out", encoding: .utf8)) ?? ""
        #expect(log.contains("2 of 4 trials failed"), "\(log)")
        let rows = try Self.results(out, "mixed").split(separator: "\n")
        #expect(rows.count == 1 + 4 && rows.dropFirst().allSatisfy { $0.contains(",good,") }, "\(rows)")
        guard let s = try MullExecutable.run(["status", out]) else { return }
        #expect(s.stdout.contains("agent=.bad: 0 finished, 2 not finished"), "\(s.stdout)")
    }

    @Test("a cancelled array task loses only its trials; resubmitting runs just those, nothing doubled")
    func cancelAndResubmit() throws {
        guard !Self.skipNote() else { return }
        let folder = try TemporaryFolder()
        let out = folder.url.appendingPathComponent("slurm").path, local = folder.url.appendingPathComponent("local").path
        guard let r = try MullExecutable.run(["run", CLITests.example, "--launcher", "slurm", "--shards", "3", "--out", out]) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        let array = r.stdout.components(separatedBy: "submitted array job ").dropFirst().first?.split(separator: ":").first.map(String.init) ?? ""
        #expect(!array.isEmpty, "\(r.stdout)")
        // Cancel task 1 before or while it runs.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["scancel", "\(array)_1"]
        try p.run()
        p.waitUntilExit()
        try Self.waitForJobs(out)
        guard let status = try MullExecutable.run(["status", out]) else { return }
        let finished = status.stdout.contains("90 of 90 trials finished")
        guard let again = try MullExecutable.run(["run", CLITests.example, "--launcher", "slurm", "--shards", "3", "--out", out]) else { return }
        #expect(again.status == 0, "\(again.stderr)")
        if !finished {
            // Only the cancelled shard's trials are left.
            #expect(again.stdout.contains("shards 1 of 3"), "\(again.stdout)")
        }
        try Self.waitForJobs(out)
        guard let l = try MullExecutable.run(["run", CLITests.example, "--jobs", "1", "--out", local]) else { return }
        #expect(l.status == 0)
        #expect(try Self.results(out, "figure_8_2") == Self.results(local, "figure_8_2"))
    }
}

extension SlurmTests {
    @Test("--fail-fast: the first failing task cancels the array")
    func failFastCancelsTheArray() throws {
        guard !Self.skipNote() else { return }
        let folder = try TemporaryFolder()
        let file = try folder.write("fails.mull", """
            env cart = CartPole { max_episode_steps: 5 }
            agent bad = MCTS { env: cart, simulations: 5, depth: 5, leaf_value: fn(s) => s[99] }
            sweep broken { agent: bad, seeds: 4, episodes: 1 }
            run broken

            """)
        let out = folder.url.appendingPathComponent("out").path
        guard let dry = try MullExecutable.run(["run", file.path, "--launcher", "slurm", "--fail-fast", "--dry-run", "--out", out]) else { return }
        #expect(dry.stdout.contains("--fail-fast || { status=$?; scancel \"$SLURM_ARRAY_JOB_ID\""), "\(dry.stdout)")
        guard let r = try MullExecutable.run(["run", file.path, "--launcher", "slurm", "--fail-fast", "--shards", "4", "--out", out]) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        try Self.waitForJobs(out)
        let log = (try? String(contentsOfFile: out + "/slurm/submission-1/logs/collect.out", encoding: .utf8)) ?? ""
        #expect(log.contains("of 4 trials failed"), "\(log)")
    }
}
