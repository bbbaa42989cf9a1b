import Foundation
import Mull
import MullLanguage

/// Hands a script's sweeps to Slurm: a job array whose task i runs `mull run --shard i/N` into
/// the shared output folder, and a job that runs `mull run --collect` after the array
/// (`afterany`). The script and its imports are copied into the output folder first, so an edit
/// made while tasks are queued changes nothing. Only shards that hold unfinished trials are
/// submitted, so the same command resumes.
struct SlurmLauncher {
    struct Settings {
        var partition: String?
        var time: String?
        var cpusPerTask = 1
        var memory: String?
        var arrayParallelism: Int?
        var account: String?
        var extraArguments: [String] = []
        var shards: Int?
        /// `--fail-fast`: the first failing task cancels the whole array.
        var failFast = false
    }

    let script: URL
    let output: URL
    let seed: UInt64
    let importPaths: [String]
    let settings: Settings
    let print: (String) -> Void

    struct LaunchError: Error, CustomStringConvertible {
        var description: String
    }

    /// The running executable, which the tasks run too (the nodes see the same filesystem).
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// The sweeps a dry run of `script` plans against `output` (nothing runs).
    static func plan(script: String, output: URL, seed: UInt64, importPaths: [String]) throws -> (sweeps: [PlannedSweep], sources: [(path: String, text: String)]) {
        var config = Interpreter.Configuration()
        config.run.seed = seed
        config.run.dryRun = true
        config.importPaths = importPaths
        config.run.outputDirectory = output.path
        config.output = { _ in }
        config.run.progress = false
        let interpreter = Interpreter(configuration: config)
        _ = Unmanaged.passRetained(interpreter)
        try interpreter.evaluateFile(script)
        return (interpreter.plannedSweeps, interpreter.loadedSources)
    }

    func launch(dryRun: Bool) throws {
        let (sweeps, sources) = try Self.plan(script: script.path, output: output, seed: seed, importPaths: importPaths)
        guard !sweeps.isEmpty else { throw LaunchError(description: "\(script.path) runs no sweep: there is nothing to submit") }
        let largest = sweeps.map(\.trials).max() ?? 1
        let shards = settings.shards ?? min(largest, 1000)
        // Shards holding unfinished trials; the others would only load their trials.
        let needed = Set(sweeps.flatMap { $0.unfinished.map { $0 % shards } }).sorted()
        let unfinished = sweeps.reduce(0) { $0 + $1.unfinished.count }, total = sweeps.reduce(0) { $0 + $1.trials }

        try checkWritable()
        let slurmFolder = output.appendingPathComponent("slurm", isDirectory: true)
        let submission = nextSubmissionFolder(slurmFolder)
        let copied = submission.appendingPathComponent("script", isDirectory: true)
        let scriptCopy = copied.appendingPathComponent(script.lastPathComponent)
        let logs = submission.appendingPathComponent("logs", isDirectory: true)

        var text = ""
        for s in sweeps {
            text += "sweep \(s.name): \(s.trials) trials, \(s.trials - s.unfinished.count) finished in \(output.path)\n"
        }
        text += "\(unfinished) of \(total) trials to run in \(needed.count) of \(shards) shards (trials whose index is i modulo \(shards))\n"
        text += "output folder \(output.path) is writable; it must be on a filesystem every node sees\n"

        let run = "\(shellQuote(Self.executable)) run \(shellQuote(scriptCopy.path)) --seed \(seed) --out \(shellQuote(output.path))"
            + importPaths.map { " --import-path \(shellQuote($0))" }.joined()
        let arraySpec = needed.isEmpty ? "" : compress(needed) + (settings.arrayParallelism.map { "%\($0)" } ?? "")
        let array = batchScript(name: "mull-\(script.deletingPathExtension().lastPathComponent)", array: arraySpec,
                                log: logs.appendingPathComponent("task-%a.out").path,
                                command: settings.failFast
                                    ? "\(run) --shard \"$SLURM_ARRAY_TASK_ID/\(shards)\" --jobs \(settings.cpusPerTask) --diagnostics line --fail-fast"
                                        + " || { status=$?; scancel \"$SLURM_ARRAY_JOB_ID\"; exit $status; }"
                                    : "exec \(run) --shard \"$SLURM_ARRAY_TASK_ID/\(shards)\" --jobs \(settings.cpusPerTask) --diagnostics line")
        let collect = batchScript(name: "mull-\(script.deletingPathExtension().lastPathComponent)-collect", array: nil,
                                  log: logs.appendingPathComponent("collect.out").path,
                                  command: "exec \(run) --collect --diagnostics line")
        if dryRun {
            text += "would copy the script and its imports to \(copied.path)\n"
            if !needed.isEmpty {
                text += "shards to submit: " + needed.map { i in
                    let n = sweeps.reduce(0) { $0 + $1.unfinished.filter { $0 % shards == i }.count }
                    return "\(i) (\(n) trial\(n == 1 ? "" : "s"))"
                }.joined(separator: ", ") + "\n"
                text += "--- array job (sbatch)\n" + array
            }
            text += "--- collect job (sbatch\(needed.isEmpty ? "" : " --dependency=afterany:<array job>"))\n" + collect
            print(text)
            return
        }

        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try copySources(sources, to: copied)
        let arrayFile = submission.appendingPathComponent("array.sh"), collectFile = submission.appendingPathComponent("collect.sh")
        try Data(array.utf8).write(to: arrayFile)
        try Data(collect.utf8).write(to: collectFile)
        var jobs: [String] = []
        if !needed.isEmpty {
            let id = try sbatch([arrayFile.path])
            jobs.append(id)
            text += "submitted array job \(id): shards \(compress(needed)) of \(shards)\n"
        }
        let collectID = try sbatch((jobs.isEmpty ? [] : ["--dependency=afterany:\(jobs[0])"]) + [collectFile.path])
        jobs.append(collectID)
        text += "submitted collect job \(collectID)\(needed.isEmpty ? " (every trial is finished)" : ", which runs after the array")\n"
        let record = "\(submission.lastPathComponent) " + jobs.joined(separator: " ") + "\n"
        let jobsFile = slurmFolder.appendingPathComponent("jobs.txt")
        if let h = FileHandle(forWritingAtPath: jobsFile.path) {
            h.seekToEndOfFile()
            h.write(Data(record.utf8))
            h.closeFile()
        } else {
            try Data(record.utf8).write(to: jobsFile)
        }
        text += "logs: \(logs.path); follow with `mull status \(output.path)`\n"
        print(text)
    }

    func batchScript(name: String, array: String?, log: String, command: String) -> String {
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(name)", "#SBATCH --output=\(log)", "#SBATCH --cpus-per-task=\(settings.cpusPerTask)"]
        if let array { lines.append("#SBATCH --array=\(array)") }
        if let p = settings.partition { lines.append("#SBATCH --partition=\(p)") }
        if let t = settings.time { lines.append("#SBATCH --time=\(t)") }
        if let m = settings.memory { lines.append("#SBATCH --mem=\(m)") }
        if let a = settings.account { lines.append("#SBATCH --account=\(a)") }
        for e in settings.extraArguments { lines.append("#SBATCH \(e)") }
        lines.append("set -euo pipefail")
        lines.append(command)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `0-3,7,9-10` for the indices given (sorted).
    func compress(_ xs: [Int]) -> String {
        var parts: [String] = []
        var i = 0
        while i < xs.count {
            var j = i
            while j + 1 < xs.count && xs[j + 1] == xs[j] + 1 { j += 1 }
            parts.append(i == j ? "\(xs[i])" : "\(xs[i])-\(xs[j])")
            i = j + 1
        }
        return parts.joined(separator: ",")
    }

    func checkWritable() throws {
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let probe = output.appendingPathComponent(".mull-write-test-\(getpid())")
            try Data().write(to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            throw LaunchError(description: "the output folder \(output.path) is not writable: \(error.localizedDescription)")
        }
    }

    func nextSubmissionFolder(_ slurm: URL) -> URL {
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: slurm.path)) ?? []
        let numbers = existing.compactMap { $0.hasPrefix("submission-") ? Int($0.dropFirst("submission-".count)) : nil }
        return slurm.appendingPathComponent("submission-\((numbers.max() ?? 0) + 1)", isDirectory: true)
    }

    /// The script and every imported file under its folder, at the same relative places (the
    /// standard library comes with the executable on every node).
    func copySources(_ sources: [(path: String, text: String)], to folder: URL) throws {
        let base = script.deletingLastPathComponent().standardizedFileURL.path + "/"
        for (path, text) in sources {
            let full = URL(fileURLWithPath: path).standardizedFileURL.path
            guard full.hasPrefix(base) else { continue }
            let target = folder.appendingPathComponent(String(full.dropFirst(base.count)))
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: target)
        }
    }

    /// Runs `sbatch --parsable ARGS`; returns the job id.
    func sbatch(_ arguments: [String]) throws -> String {
        let r = try Self.command("sbatch", ["--parsable"] + arguments)
        guard r.status == 0, let id = r.out.split(separator: ";").first.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }), !id.isEmpty else {
            throw LaunchError(description: "sbatch failed (status \(r.status)): \(r.err.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return id
    }

    /// Runs a program found on PATH; nil-free: a missing program is an error naming it.
    static func command(_ name: String, _ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        guard let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map({ "\($0)/\(name)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw LaunchError(description: "`\(name)` is not on PATH: Slurm's client commands are needed to submit (run on a login node of the cluster)")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }
}

/// Quotes a word for a POSIX shell.
func shellQuote(_ s: String) -> String {
    if !s.isEmpty && s.allSatisfy({ $0.isLetter || $0.isNumber || "/._-+=:,@%".contains($0) }) { return s }
    return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
