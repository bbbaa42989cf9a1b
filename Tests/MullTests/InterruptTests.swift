import Foundation
import Testing
@testable import Mull
import MullLanguage

/// Ctrl-C during `mull run` stops the sweep, keeps the finished trials and says how to resume;
/// the trials it cut short are not reported as failures.
@Suite("Interrupting a run")
struct InterruptTests {
    static let script = """
        let dt = 0.1
        env track = ContinuousMDP {
            start: [1.0, 0.0]
            action_low: [-1.0]
            action_high: [1.0]
            max_episode_steps: 50
            step(s, force) {
                let v = s[1] + dt * force
                (next: [s[0] + dt * v, v], reward: -(s[0] * s[0]), done: false)
            }
        }
        agent cem = CEM { env: track, horizon: 10, population: 40, elites: 4, iterations: 2 }
        sweep long { agent: cem, seeds: 60, episodes: 1, record: [.return] }
        run long
        """

    @Test func ctrlCKeepsFinishedTrialsAndResumes() throws {
        guard let url = MullExecutable.url else { Issue.record("`mull` is not built"); return }
        let folder = try TemporaryFolder()
        try folder.write("long.mull", InterruptTests.script)
        let trials = folder.url.appendingPathComponent("out/long/trials")
        let errURL = folder.url.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let errors = try FileHandle(forWritingTo: errURL)
        let p = Process()
        p.executableURL = url
        p.arguments = ["run", "--jobs", "2", "--out", "out", "long.mull"]
        p.currentDirectoryURL = folder.url
        p.standardOutput = FileHandle.nullDevice
        p.standardError = errors
        try p.run()
        // Wait for a few finished trials, then interrupt.
        let start = Date()
        while p.isRunning && Date().timeIntervalSince(start) < 60 {
            let done = (try? FileManager.default.contentsOfDirectory(atPath: trials.path))?.filter { $0.hasSuffix(".csv") }.count ?? 0
            if done >= 3 { break }
            usleep(20_000)
        }
        guard p.isRunning else { Issue.record("the sweep finished before it could be interrupted"); return }
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        try errors.close()
        let stderr = try String(contentsOf: errURL, encoding: .utf8)
        #expect(p.terminationStatus == 1, "\(stderr)")
        #expect(stderr.contains("interrupted after"), "\(stderr)")
        #expect(stderr.contains("running the same command again resumes"), "\(stderr)")
        #expect(!stderr.contains("trials failed"), "interrupted trials were reported as failures: \(stderr)")
        let saved = (try FileManager.default.contentsOfDirectory(atPath: trials.path)).filter { $0.hasSuffix(".csv") }.count
        #expect(saved >= 3 && saved < 60)
        // A dry run says how many a run would load.
        guard let dry = try MullExecutable.run(["run", "--out", "out", "--dry-run", "long.mull"], in: folder.url) else { return }
        #expect(dry.stdout.contains("\(saved) of 60 trials finished in"), "\(dry.stdout)")
        // Running again loads what was finished and runs the rest.
        guard let again = try MullExecutable.run(["run", "--jobs", "2", "--out", "out", "long.mull"], in: folder.url, timeout: 120) else { return }
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\(saved) of 60 trials loaded from an earlier run"), "\(again.stdout)")
    }

    /// Interrupted (SIGINT) or killed (SIGKILL) at seeded random moments and run again each time,
    /// a sweep ends with results equal, byte for byte, to those of a run never interrupted: no
    /// trial lost, doubled, damaged or reused stale, and no file but a killed writer's temporary one.
    @Test func randomInterruptsAndKillsThenResumingEqualsACleanRun() throws {
        guard let url = MullExecutable.url else { Issue.record("`mull` is not built"); return }
        let folder = try TemporaryFolder()
        let script = InterruptTests.script.replacingOccurrences(of: "seeds: 60", with: "seeds: 24")
        try folder.write("long.mull", script)
        guard let clean = try MullExecutable.run(["run", "--jobs", "2", "--out", "clean", "long.mull"], in: folder.url, timeout: 300) else { return }
        try #require(clean.status == 0, "\(clean.stderr)")
        var g = Mutator.Generator(seed: 2026)
        var stops = (interrupted: 0, killed: 0)
        for round in 0..<6 {
            let p = Process()
            p.executableURL = url
            p.arguments = ["run", "--jobs", "2", "--out", "out", "long.mull"]
            p.currentDirectoryURL = folder.url
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32(100_000 + g.next() % 700_000))
            if p.isRunning {
                kill(p.processIdentifier, round % 2 == 0 ? SIGINT : SIGKILL)
                if round % 2 == 0 { stops.interrupted += 1 } else { stops.killed += 1 }
            }
            p.waitUntilExit()
        }
        #expect(stops.interrupted + stops.killed >= 3, "the runs ended before they could be stopped")
        guard let last = try MullExecutable.run(["run", "--jobs", "2", "--out", "out", "long.mull"], in: folder.url, timeout: 300) else { return }
        #expect(last.status == 0, "\(last.stderr)")
        let cleanDir = folder.url.appendingPathComponent("clean/long"), outDir = folder.url.appendingPathComponent("out/long")
        let results = try String(contentsOf: outDir.appendingPathComponent("results.csv"), encoding: .utf8)
        #expect(results == (try String(contentsOf: cleanDir.appendingPathComponent("results.csv"), encoding: .utf8)))
        #expect(results.split(separator: "\n").count == 25)
        // A writer killed between creating and renaming its temporary file leaves it; a later run
        // removes it once it is 10 minutes old (a live writer on another machine sharing the
        // folder keeps its file; AtomicFileTests covers the removal), so young ones are allowed.
        let all = try FileManager.default.contentsOfDirectory(atPath: outDir.appendingPathComponent("trials").path).sorted()
        let files = all.filter { !($0.hasPrefix(".") && $0.hasSuffix(".tmp")) }
        #expect(files == (try FileManager.default.contentsOfDirectory(atPath: cleanDir.appendingPathComponent("trials").path).sorted()),
                "extra files left: \(files)")
        for f in files where f.hasSuffix(".csv") {
            #expect(try Data(contentsOf: outDir.appendingPathComponent("trials/\(f)")) == Data(contentsOf: cleanDir.appendingPathComponent("trials/\(f)")), "\(f)")
        }
    }

    /// A planner's `plan(state)` (its explanation, as the REPL asks it) stops at an interrupt
    /// within a second even when one planning step would take minutes, and at the step budget.
    @Test func aPlannersPlanStopsWhenInterrupted() throws {
        let text = """
            env cart = CartPole {}
            agent m = MCTS { env: cart, simulations: 100000000 }
            print(m.plan())
            """
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.outputDirectory = nil
        let flag = config.cancellation
        let interpreter = Interpreter(configuration: config)
        let start = Date()
        DispatchQueue.global().asyncAfter(deadline: .now() + 1) { flag.cancel() }
        do {
            try interpreter.evaluate(text, path: "plan.mull")
            Issue.record("planning 100 million simulations finished")
        } catch let e as DiagnosticsError {
            #expect(e.diagnostics.first?.id.rawValue == "interrupted", "\(e.diagnostics)")
            #expect(e.diagnostics.first?.range != nil)
        }
        #expect(Date().timeIntervalSince(start) < 10)
        config.cancellation = CancellationFlag()
        config.run.stepBudget = 200
        do {
            try Interpreter(configuration: config).evaluate(text, path: "plan.mull")
            Issue.record("planning 100 million simulations finished")
        } catch let e as DiagnosticsError {
            #expect(e.diagnostics.first?.id.rawValue == "step-budget", "\(e.diagnostics)")
        }
    }

    /// Seconds `mull run` took to exit after SIGINT sent 2 s into a run of `script`. Alone it is
    /// well under a second; the bounds below leave room for tests running in parallel on 2 cores.
    func secondsToStop(_ script: String) throws -> (seconds: Double, status: Int32)? {
        guard let url = MullExecutable.url else { Issue.record("`mull` is not built"); return nil }
        let folder = try TemporaryFolder()
        try folder.write("long.mull", script)
        let p = Process()
        p.executableURL = url
        p.arguments = ["run", "--out", "out", "long.mull"]
        p.currentDirectoryURL = folder.url
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(2_000_000)
        guard p.isRunning else { Issue.record("the run ended before it could be interrupted"); return nil }
        let sent = Date()
        kill(p.processIdentifier, SIGINT)
        while p.isRunning && Date().timeIntervalSince(sent) < 30 { usleep(10_000) }
        let waited = Date().timeIntervalSince(sent)
        if p.isRunning { kill(p.processIdentifier, SIGKILL) }
        p.waitUntilExit()
        return (waited, p.terminationStatus)
    }

    @Test func ctrlCStopsALearnedModelTrainingRoundAtOnce() throws {
        // One trial whose first training round alone would take minutes.
        guard let r = try secondsToStop("""
            env cart = CartPoleContinuous {}
            model ens = Ensemble { members: 5, elites: 3, hidden: [128, 128], epochs: 100000, patience: 100000, batch_size: 32 }
            agent pets = RandomShooting { env: cart, model: ens, horizon: 5, population: 20, warmup_steps: 3000 }
            sweep s { agent: pets, seeds: 1, episodes: 1 }
            run s
            """) else { return }
        #expect(r.seconds < 5, "the run took \(r.seconds) s to stop after SIGINT")
        #expect(r.status == 1)
    }

    @Test func ctrlCStopsALongPlannerEpisodeAtOnce() throws {
        // One episode of 200 steps, each planning through 1.5 million model transitions (about half a
        // second in a debug build): the run stops at the next real step.
        guard let r = try secondsToStop("""
            env pend = Pendulum {}
            agent cem = CEM { env: pend, horizon: 30, population: 10000, elites: 100, iterations: 5 }
            sweep s { agent: cem, seeds: 1, episodes: 1 }
            run s
            """) else { return }
        #expect(r.seconds < 5, "the run took \(r.seconds) s to stop after SIGINT")
        #expect(r.status == 1)
    }

    /// Ctrl-C seen first by the script's own code (a step function running inside a trial) cuts
    /// the trial short like Ctrl-C seen by the native loops: the run reports the interruption,
    /// not a failed trial. The host's `stop_now` stands in for the signal, at a moment that
    /// leaves the step function more than 1,024 evaluation steps to run, so the script's check
    /// sees it before the planner's.
    @Test func ctrlCSeenByTheScriptsOwnCodeIsAnInterruption() throws {
        let folder = try TemporaryFolder()
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.progress = false
        config.run.jobs = 1
        config.run.outputDirectory = folder.url.appendingPathComponent("out").path
        let mull = Interpreter(configuration: config)
        mull.register(function: "stop_now", doc: "requests cancellation, as Ctrl-C does") { _, _ in
            mull.configuration.cancellation.cancel()
            return .null
        }
        let script = """
            env track = ContinuousMDP {
                start: [1.0, 0.0], action_low: [-1.0], action_high: [1.0], max_episode_steps: 5
                step(s, force) {
                    stop_now()
                    let busy = [k * k for k in 0..<5000]
                    (next: [s[0], s[1] + force], reward: len(busy) * 0.0, done: false)
                }
            }
            agent cem = CEM { env: track, horizon: 2, population: 4, elites: 2, iterations: 1 }
            sweep cut { agent: cem, seeds: 3, episodes: 1 }
            run cut
            """
        do {
            _ = try mull.evaluate(script)
            Issue.record("the run was not interrupted")
        } catch let e as DiagnosticsError {
            let ids = e.diagnostics.map(\.id.rawValue)
            #expect(ids == ["interrupted"], "\(e.diagnostics.map(\.description))")
            #expect(!e.diagnostics.contains { $0.notes.contains { $0.message.contains("failed") } }, "\(e.diagnostics.map(\.description))")
        }
    }
}
