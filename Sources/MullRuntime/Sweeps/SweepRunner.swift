import Foundation

/// The work of one trial: build the environment and agent for `spec`, run them drawing every
/// random number from `rng`, and report the result. Called on worker threads.
public typealias TrialBody = @Sendable (TrialSpec, inout RandomSource) throws -> TrialResult

/// Runs a sweep's trials in parallel, deterministically.
///
/// Each trial's closure receives `spec.randomSource(scriptSeed:)`, a generator that depends
/// only on the script seed and the trial's own parameters and seed number, so a trial computes
/// the same result whichever thread runs it and however many run at once; results come back
/// in trial order.
///
/// With an `outputDirectory`, every finished trial is written at once (atomically) to
/// `trials/<index>.csv` and `trials/<index>.json`; a later run with the same output directory
/// loads the trials whose stored fingerprint matches instead of running them again.
public struct SweepRunner: Sendable {
    /// The script's seed; with the trial's stream id it seeds the trial's generator.
    public var scriptSeed: UInt64
    /// Worker threads (at least 1). With 1, trials run on the calling thread.
    public var jobs: Int
    /// Stop starting trials after the first failure (default: run everything, list failures).
    public var failFast: Bool
    /// Where to write (and resume) per-trial files; nil keeps everything in memory.
    public var outputDirectory: URL?
    /// The resolved configuration of a trial, stored with it and fingerprinted for resuming.
    public var configuration: @Sendable (TrialSpec) -> ResolvedConfiguration
    /// Checked before each trial starts; set it (e.g. on Ctrl-C) to stop early.
    public var cancellation: SweepCancellation?
    /// Called after every trial (serialised, never concurrently), and once more at the end.
    public var progress: (@Sendable (SweepProgress) -> Void)?

    public init(scriptSeed: UInt64,
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                failFast: Bool = false,
                outputDirectory: URL? = nil,
                configuration: @escaping @Sendable (TrialSpec) -> ResolvedConfiguration = { _ in [:] },
                cancellation: SweepCancellation? = nil,
                progress: (@Sendable (SweepProgress) -> Void)? = nil) {
        self.scriptSeed = scriptSeed
        self.jobs = jobs
        self.failFast = failFast
        self.outputDirectory = outputDirectory
        self.configuration = configuration
        self.cancellation = cancellation
        self.progress = progress
    }

    /// Runs (or resumes) `trials` and returns what happened to each. Never throws: trial errors
    /// and file-writing errors are collected in `SweepOutcome.failures`.
    public func run(_ trials: [TrialSpec], _ body: @escaping TrialBody) -> SweepOutcome {
        let state = RunState(count: trials.count, failFast: failFast)
        let store = outputDirectory.map { TrialStore(outputDirectory: $0) }
        if let store {
            // Temporary files of an earlier run that was killed mid-write.
            AtomicFile.removeLeftovers(in: store.directory)
            if let out = outputDirectory { AtomicFile.removeLeftovers(in: out) }
            do {
                try FileManager.default.createDirectory(at: store.directory, withIntermediateDirectories: true)
            } catch {
                let failures = trials.prefix(1).map { TrialFailure(spec: $0, message: "cannot create \(store.directory.path): \(error)") }
                return SweepOutcome(trials: trials, results: Array(repeating: nil, count: trials.count),
                                    failures: failures, resumed: 0, ran: 0, notStarted: trials.count - failures.count, cancelled: false,
                                    stoppedByFailure: true, wallSeconds: 0)
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let elapsed: @Sendable () -> Double = {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let scriptSeed = self.scriptSeed
                let configuration = self.configuration
        let cancellation = self.cancellation
        let progress = self.progress

        let worker: @Sendable () -> Void = {
            while let i = state.take(cancellation: cancellation) {
                let spec = trials[i]
                let config = configuration(spec)
                let fingerprint = config.fingerprint(for: spec, scriptSeed: scriptSeed)
                if let store, let loaded = store.load(spec: spec, fingerprint: fingerprint) {
                    state.finish(i, .resumed(loaded), elapsed: elapsed(), progress: progress)
                    continue
                }
                var rng = spec.randomSource(scriptSeed: scriptSeed)
                let t0 = clock.now
                let outcome: RunState.Finished
                do {
                    var result = try body(spec, &rng)
                    let d = clock.now - t0
                    result.wallSeconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
                    if let store {
                        do {
                            try store.write(spec: spec, result: result, configuration: config, fingerprint: fingerprint)
                            outcome = .ran(result)
                        } catch {
                            outcome = .failed(result, "could not save the trial: \(error)")
                        }
                    } else {
                        outcome = .ran(result)
                    }
                } catch is TrialInterrupted {
                    outcome = .interrupted
                } catch {
                    outcome = .failed(nil, String(describing: error))
                }
                state.finish(i, outcome, elapsed: elapsed(), progress: progress)
            }
        }

        let threads = max(1, min(jobs, trials.count))
        if threads == 1 {
            worker()
        } else {
            let group = DispatchGroup()
            for _ in 0..<threads {
                group.enter()
                let t = Thread {
                    worker()
                    group.leave()
                }
                t.stackSize = 16 << 20
                t.start()
            }
            group.wait()
        }
        return state.outcome(trials: trials, cancelled: cancellation?.isCancelled ?? false,
                             elapsed: elapsed(), progress: progress)
    }
}

/// A trial that failed, with its error text.
public struct TrialFailure: Error, Sendable, CustomStringConvertible {
    public var spec: TrialSpec
    public var message: String
    public init(spec: TrialSpec, message: String) {
        self.spec = spec
        self.message = message
    }
    public var description: String { "\(spec): \(message)" }
}

/// What a sweep run produced.
public struct SweepOutcome: Sendable {
    public var trials: [TrialSpec]
    /// `results[i]` belongs to `trials[i]`; nil when the trial failed or never started.
    public var results: [TrialResult?]
    /// Failed trials in trial order.
    public var failures: [TrialFailure]
    /// Trials loaded from an earlier run's files instead of being run.
    public var resumed: Int
    /// Trials actually run to completion in this run.
    public var ran: Int
    /// Trials cut short by cancellation: they threw `TrialInterrupted` (no result, not failures).
    public var interrupted: Int = 0
    /// Trials that never started (cancelled or stopped by a failure).
    public var notStarted: Int
    /// Whether the cancellation flag stopped the sweep early.
    public var cancelled: Bool
    /// Whether `failFast` stopped the sweep after a failure.
    public var stoppedByFailure: Bool
    /// Wall-clock seconds of the whole run.
    public var wallSeconds: Double


    /// Whether every trial has a result.
    public var isComplete: Bool { results.allSatisfy { $0 != nil } }

    /// The trials with results, in trial order.
    public var completed: [(spec: TrialSpec, result: TrialResult)] {
        zip(trials, results).compactMap { s, r in r.map { (s, $0) } }
    }

    /// One line for the end of a run: `40 trials: 30 run, 10 resumed, 0 failed`.
    public var summaryLine: String {
        var s = "\(trials.count) trials: \(ran) run, \(resumed) resumed, \(failures.count) failed"
        if interrupted > 0 { s += ", \(interrupted) interrupted" }
        if notStarted > 0 { s += ", \(notStarted) not started" }
        if cancelled { s += " (cancelled)" } else if stoppedByFailure { s += " (stopped at first failure)" }
        return s
    }

    /// The failures, one per line, for printing after the run.
    public var failureReport: String {
        failures.map { "  \($0.spec): \($0.message)" }.joined(separator: "\n")
    }
}

/// Shared bookkeeping of one run, behind a lock.
private final class RunState: @unchecked Sendable {
    enum Finished {
        case ran(TrialResult)
        case resumed(TrialResult)
        /// A failure, possibly with a result that could not be saved.
        case failed(TrialResult?, String)
        /// Cut short by cancellation (`TrialInterrupted`): not counted as done.
        case interrupted
    }

    private let lock = NSLock()
    private var next = 0
    private var stop = false
    private var results: [TrialResult?]
    private var failureText: [Int: String] = [:]
    private var done = 0, resumed = 0, ran = 0, interrupted = 0
    private var stoppedByFailure = false
    private var runSeconds: Double = 0

    private let failFastRequested: Bool

    init(count: Int, failFast: Bool) {
        results = Array(repeating: nil, count: count)
        failFastRequested = failFast
    }

    func take(cancellation: SweepCancellation?) -> Int? {
        if cancellation?.isCancelled == true { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard !stop, next < results.count else { return nil }
        next += 1
        return next - 1
    }

    func finish(_ i: Int, _ f: Finished, elapsed: Double, progress: (@Sendable (SweepProgress) -> Void)?) {
        lock.lock()
        defer { lock.unlock() }
        if case .interrupted = f {} else { done += 1 }
        switch f {
        case .ran(let r):
            results[i] = r
            ran += 1
        case .resumed(let r):
            results[i] = r
            resumed += 1
        case .failed(let r, let message):
            results[i] = r
            failureText[i] = message
            stoppedByFailure = stoppedByFailure || failFastRequested
            if failFastRequested { stop = true }
        case .interrupted:
            interrupted += 1
        }
        if let progress { progress(snapshot(elapsed: elapsed, finished: false)) }
    }


    private func snapshot(elapsed: Double, finished: Bool) -> SweepProgress {
        let run = done - resumed
        let remaining = results.count - done
        let eta: Double? = run > 0 ? elapsed / Double(run) * Double(remaining) : nil
        return SweepProgress(done: done, total: results.count, resumed: resumed, failed: failureText.count,
                             elapsed: elapsed, eta: eta, finished: finished)
    }

    func outcome(trials: [TrialSpec], cancelled: Bool, elapsed: Double,
                 progress: (@Sendable (SweepProgress) -> Void)?) -> SweepOutcome {
        lock.lock()
        defer { lock.unlock() }
        if let progress { progress(snapshot(elapsed: elapsed, finished: true)) }
        let failures = failureText.keys.sorted().map { TrialFailure(spec: trials[$0], message: failureText[$0]!) }
        return SweepOutcome(trials: trials, results: results, failures: failures, resumed: resumed, ran: ran,
                            interrupted: interrupted, notStarted: results.count - next,
                            cancelled: cancelled && (next < results.count || interrupted > 0), stoppedByFailure: stoppedByFailure,
                            wallSeconds: elapsed)
    }
}
