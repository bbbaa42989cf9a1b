import ArgumentParser
import Foundation
import Mull
import MullLanguage

/// `mull status DIR`: finished and unfinished trials per setting of the sweeps submitted into an
/// output folder, and the Slurm jobs' states where Slurm answers.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the finished and unfinished trials of a sweep folder submitted with --launcher slurm, and its jobs.")

    @ArgumentParser.Argument(help: "The output folder given to `mull run --launcher slurm --out`.", completion: .directory)
    var folder: String

    func run() throws {
        let out = URL(fileURLWithPath: folder).standardizedFileURL
        let slurm = out.appendingPathComponent("slurm")
        let submissions = ((try? FileManager.default.contentsOfDirectory(atPath: slurm.path)) ?? [])
            .compactMap { $0.hasPrefix("submission-") ? Int($0.dropFirst("submission-".count)) : nil }.sorted()
        guard let last = submissions.last else {
            FileHandle.standardError.write(Data("error: \(out.path) has no submission (slurm/submission-N); run `mull run FILE --launcher slurm --out \(out.path)` first\n".utf8))
            throw ExitCode(1)
        }
        let copy = slurm.appendingPathComponent("submission-\(last)/script")
        guard let script = ((try? FileManager.default.contentsOfDirectory(atPath: copy.path)) ?? []).sorted().first(where: { $0.hasSuffix(".mull") }) else {
            FileHandle.standardError.write(Data("error: the script copy in \(copy.path) is missing\n".utf8))
            throw ExitCode(1)
        }
        // The array and collect scripts name the seed; read it back.
        let collect = (try? String(contentsOf: slurm.appendingPathComponent("submission-\(last)/collect.sh"), encoding: .utf8)) ?? ""
        let seed = collect.range(of: #"--seed [0-9]+"#, options: .regularExpression).flatMap { UInt64(collect[$0].dropFirst(7)) } ?? 0
        let plan: [PlannedSweep]
        do {
            plan = try SlurmLauncher.plan(script: copy.appendingPathComponent(script).path, output: out, seed: seed, importPaths: []).sweeps
        } catch let e as DiagnosticsError {
            DiagnosticPrinter(style: .auto).print(e.diagnostics)
            throw ExitCode(1)
        }
        // Jobs of every submission, and what Slurm says of them.
        let lines = ((try? String(contentsOf: slurm.appendingPathComponent("jobs.txt"), encoding: .utf8)) ?? "").split(separator: "\n")
        let ids = lines.flatMap { $0.split(separator: " ").dropFirst().map(String.init) }
        var states: [String] = []
        if !ids.isEmpty, let q = try? SlurmLauncher.command("squeue", ["-h", "-j", ids.joined(separator: ","), "-o", "%i %T %r"]), q.status == 0 {
            states = q.out.split(separator: "\n").map(String.init)
        }
        var text = ""
        for s in plan {
            text += "sweep \(s.name): \(s.trials - s.unfinished.count) of \(s.trials) trials finished\n"
            let missing = Set(s.unfinished)
            for (i, label) in s.settings.enumerated() {
                let range = (i * s.seeds)..<((i + 1) * s.seeds)
                let done = range.filter { !missing.contains($0) }.count
                text += "  \(label.isEmpty ? "(defaults)" : label): \(done) finished, \(s.seeds - done) \(states.isEmpty ? "not finished (no job queued or running: failed, cancelled or not submitted)" : "pending")\n"
            }
        }
        text += "submission \(last), jobs \(ids.isEmpty ? "none recorded" : ids.joined(separator: " ")): "
        text += states.isEmpty ? "none queued or running\n" : "\n" + states.map { "  " + $0 }.joined(separator: "\n") + "\n"
        print(text, terminator: "")
    }
}
