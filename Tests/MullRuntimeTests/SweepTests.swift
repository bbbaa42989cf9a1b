import Foundation
import Testing
@testable import MullRuntime

/// A toy trial: a noisy learning curve whose numbers come only from `rng` and the parameters.
@Sendable func toyTrial(_ spec: TrialSpec, _ rng: inout RandomSource) throws -> TrialResult {
    let alpha = spec["alpha"]?.numericValue ?? 0.5
    var returns: [Double] = []
    var v = 0.0
    for _ in 0..<20 {
        v += alpha * (1 - v) + 0.1 * rng.normal()
        returns.append(v)
    }
    var r = TrialResult(realSteps: 20 * 7, planningUpdates: 20 * 7 * 5)
    r.add("return", perEpisode: returns)
    r.add("error", atSteps: [50, 100], values: [rng.uniform(), rng.uniform()])
    return r
}

func temporaryDirectory(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("mull-\(name)-\(UUID().uuidString)", isDirectory: true)
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Counts calls across threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}

@Suite struct SweepPlanTests {
    @Test func productIsRowMajorWithSeedsInnermost() throws {
        var plan = SweepPlan(seeds: 2)
        plan.grid("alpha", [.float(0.1), .float(0.5)])
        plan.grid("n", [.int(0), .int(5), .int(10)])
        let trials = try plan.trials()
        #expect(trials.count == 12)
        #expect(trials.map(\.index) == Array(0..<12))
        #expect(trials.map(\.seed) == [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
        #expect(trials.map(\.settingIndex) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        let settings = stride(from: 0, to: 12, by: 2).map { trials[$0].settingLabel }
        #expect(settings == ["alpha=0.1, n=0", "alpha=0.1, n=5", "alpha=0.1, n=10",
                             "alpha=0.5, n=0", "alpha=0.5, n=5", "alpha=0.5, n=10"])
        #expect(trials[3].parameters.map(\.name) == ["alpha", "n"])
        // Stream ids differ between trials, and do not depend on the trial's position.
        #expect(Set(trials.map(\.streamID)).count == 12)
        var other = SweepPlan(seeds: 2)
        other.grid("alpha", [.float(0.5)])
        other.grid("n", [.int(10)])
        #expect(try other.trials()[1].streamID == trials[11].streamID)
    }

    @Test func zipPairsValuesInsteadOfCombining() throws {
        var plan = SweepPlan(seeds: 1)
        plan.grid("agent", [.symbol("dyna_q"), .symbol("ps")])
        try plan.zipped([("alpha", [.float(0.1), .float(0.2), .float(0.3)]),
                         ("n", [.int(1), .int(2), .int(3)])])
        let s = try plan.settings()
        #expect(s.count == 6)
        #expect(s[0].map(\.value) == [.symbol("dyna_q"), .float(0.1), .int(1)])
        #expect(s[2].map(\.value) == [.symbol("dyna_q"), .float(0.3), .int(3)])
        #expect(s[4].map(\.value) == [.symbol("ps"), .float(0.2), .int(2)])
    }

    @Test func zipLengthMismatchIsAnError() throws {
        var plan = SweepPlan()
        #expect(throws: SweepPlanError.self) {
            try plan.zipped([("alpha", [.float(0.1), .float(0.2)]), ("n", [.int(1)])])
        }
        do {
            try plan.zipped([("alpha", [.float(0.1), .float(0.2)]), ("n", [.int(1)])])
            Issue.record("expected an error")
        } catch let e as SweepPlanError {
            #expect(e.description == "zipped parameters must have the same number of values ('alpha' has 2, 'n' has 1)")
        }
        // A hand-built zip dimension is checked by validate too.
        plan.dimensions = [.zip(names: ["a", "b"], rows: [[.int(1)]])]
        #expect(throws: SweepPlanError.self) { try plan.trials() }
    }

    @Test func otherPlanErrors() {
        #expect(throws: SweepPlanError.duplicateParameter("a")) {
            try SweepPlan(dimensions: [.grid(name: "a", values: [.int(1)]), .grid(name: "a", values: [.int(2)])]).trials()
        }
        #expect(throws: SweepPlanError.emptyDimension("a")) {
            try SweepPlan(dimensions: [.grid(name: "a", values: [])]).trials()
        }
        #expect(throws: SweepPlanError.invalidSeeds(0)) { try SweepPlan(seeds: 0).trials() }
        #expect(throws: SweepPlanError.missingSamples) {
            try SweepPlan(dimensions: [.random(name: "a", distribution: .uniform(low: 0, high: 1))]).trials()
        }
        #expect(throws: SweepPlanError.self) {
            try SweepPlan(dimensions: [.random(name: "a", distribution: .logUniform(low: 0, high: 1))], samples: 3).trials()
        }
    }

    @Test func noDimensionsGivesOneSetting() throws {
        let trials = try SweepPlan(seeds: 3).trials()
        #expect(trials.count == 3)
        #expect(trials.allSatisfy { $0.parameters.isEmpty && $0.settingIndex == 0 })
    }

    @Test func randomSamplesAreReproducibleAndInRange() throws {
        func plan(_ seed: UInt64) -> SweepPlan {
            var p = SweepPlan(seeds: 2, samples: 50, sampleSeed: seed)
            p.grid("env", [.symbol("maze")])
            p.random("lr", .logUniform(low: 1e-4, high: 1e-1))
            p.random("gamma", .uniform(low: 0.9, high: 0.99))
            p.random("n", .intUniform(low: 1, high: 3))
            p.random("opt", .choice([.string("adam"), .string("sgd")]))
            return p
        }
        let a = try plan(7).trials(), b = try plan(7).trials(), c = try plan(8).trials()
        #expect(a == b)
        #expect(a != c)
        #expect(a.count == 100)
        var ns = Set<Int>(), opts = Set<String>()
        for t in a {
            #expect(t.parameters.map(\.name) == ["env", "lr", "gamma", "n", "opt"])
            guard case .float(let lr) = t["lr"]!, case .float(let g) = t["gamma"]!,
                  case .int(let n) = t["n"]!, case .string(let o) = t["opt"]! else {
                Issue.record("wrong kinds in \(t)")
                continue
            }
            #expect(lr >= 1e-4 && lr <= 1e-1)
            #expect(g >= 0.9 && g < 0.99)
            ns.insert(n)
            opts.insert(o)
        }
        // 50 draws: missing one of 3 integers has probability about 3 * (2/3)^50 < 1e-8.
        #expect(ns == [1, 2, 3])
        #expect(opts == ["adam", "sgd"])
        // Log-uniform: about half the draws fall below the geometric midpoint 10^-2.5; with 50
        // draws the count is Binomial(50, 0.5), sd 3.5, so 10...40 is beyond 4 sd.
        let low = stride(from: 0, to: 100, by: 2).filter { a[$0]["lr"]!.numericValue! < 0.00316227766 }.count
        #expect(low >= 10 && low <= 40)
    }

    @Test func paramValueText() {
        #expect(ParamValue.int(3).text == "3")
        #expect(ParamValue.float(0.1).text == "0.1")
        #expect(ParamValue.float(1).text == "1.0")
        #expect(ParamValue.float(1e-5).text == "1e-05")
        #expect(ParamValue.float(.infinity).text == "inf")
        #expect(ParamValue.bool(true).text == "true")
        #expect(ParamValue.symbol("dyna_q").text == "dyna_q")
        #expect(ParamValue.string("a b/c").fileNameText == "a_b_c")
        for v: ParamValue in [.int(-4), .float(0.30000000000000004), .bool(false), .string("x:y"), .symbol("s")] {
            #expect(ParamValue(taggedText: v.taggedText) == v)
        }
        #expect(Double(ParamValue.float(0.30000000000000004).text) == 0.30000000000000004)
    }
}

@Suite struct SweepRunnerTests {
    func plan() throws -> [TrialSpec] {
        var p = SweepPlan(seeds: 3)
        p.grid("alpha", [.float(0.1), .float(0.3), .float(0.9)])
        return try p.trials()
    }

    @Test func parallelRunsMatchSerialRuns() throws {
        let trials = try plan()
        let serial = SweepRunner(scriptSeed: 42, jobs: 1).run(trials, toyTrial)
        let parallel = SweepRunner(scriptSeed: 42, jobs: 4).run(trials, toyTrial)
        #expect(serial.isComplete && parallel.isComplete)
        #expect(serial.results.map { $0?.deterministicPart } == parallel.results.map { $0?.deterministicPart })
        #expect(serial.ran == 9 && serial.resumed == 0 && serial.failures.isEmpty)
        let otherSeed = SweepRunner(scriptSeed: 43, jobs: 4).run(trials, toyTrial)
        #expect(otherSeed.results.map { $0?.deterministicPart } != serial.results.map { $0?.deterministicPart })
        // The closure received the documented generator.
        var rng = trials[4].randomSource(scriptSeed: 42)
        #expect(try toyTrial(trials[4], &rng).deterministicPart == serial.results[4]?.deterministicPart)
    }

    @Test func resumeLoadsFinishedTrials() throws {
        let trials = try plan()
        let dir = temporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let calls = Counter()
        let body: TrialBody = { spec, rng in
            calls.increment()
            return try toyTrial(spec, &rng)
        }
        let config: @Sendable (TrialSpec) -> ResolvedConfiguration = { ["agent": "dyna_q", "alpha": .string($0["alpha"]!.text)] }
        let first = SweepRunner(scriptSeed: 1, jobs: 2, outputDirectory: dir, configuration: config).run(trials, body)
        #expect(calls.value == 9 && first.ran == 9)
        // Remove one trial's record: that trial alone runs again.
        try FileManager.default.removeItem(at: TrialStore(outputDirectory: dir).jsonURL(4))
        let second = SweepRunner(scriptSeed: 1, jobs: 2, outputDirectory: dir, configuration: config).run(trials, body)
        #expect(calls.value == 10)
        #expect(second.resumed == 8 && second.ran == 1)
        #expect(second.summaryLine == "9 trials: 1 run, 8 resumed, 0 failed")
        // Loaded results equal the computed ones exactly (numbers round-trip through text).
        #expect(second.results.map { $0?.deterministicPart } == first.results.map { $0?.deterministicPart })
        // A changed configuration changes the fingerprint: everything runs again.
        let changed: @Sendable (TrialSpec) -> ResolvedConfiguration = { ["agent": "dyna_q+", "alpha": .string($0["alpha"]!.text)] }
        let third = SweepRunner(scriptSeed: 1, jobs: 2, outputDirectory: dir, configuration: changed).run(trials, body)
        #expect(calls.value == 19 && third.resumed == 0)
        // So does another script seed.
        let fourth = SweepRunner(scriptSeed: 2, jobs: 1, outputDirectory: dir, configuration: changed).run(trials, body)
        #expect(calls.value == 28 && fourth.resumed == 0)
    }

    @Test func trialFilesAreCompleteAndLeaveNoTemporaries() throws {
        let trials = try plan()
        let dir = temporaryDirectory("atomic")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = SweepRunner(scriptSeed: 5, jobs: 3, outputDirectory: dir,
                              configuration: { _ in ["env": "maze", "agent": "q"] }).run(trials, toyTrial)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("trials").path).sorted()
        #expect(files.count == 18)
        #expect(files.allSatisfy { !$0.hasPrefix(".") && !$0.hasSuffix(".tmp") })
        let store = TrialStore(outputDirectory: dir)
        let record = try store.loadRecord(7)
        #expect(record.index == 7 && record.setting == 2 && record.seed == 1)
        #expect(record.parameters.map(\.value) == [.float(0.9)])
        #expect(record.configuration.map(\.key) == ["env", "agent"])
        #expect(record.realSteps == 140 && record.planningUpdates == 700)
        let series = TrialStore.parseSeriesCSV(try String(contentsOf: store.csvURL(7), encoding: .utf8))
        #expect(series == out.results[7]?.series)
        // An atomic write over an existing file replaces it whole.
        let f = dir.appendingPathComponent("x.txt")
        try AtomicFile.write("first version, longer", to: f)
        try AtomicFile.write("second", to: f)
        #expect(try String(contentsOf: f, encoding: .utf8) == "second")
    }

    struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }

    @Test func continueListsAllFailures() throws {
        let trials = try plan()
        let calls = Counter()
        let out = SweepRunner(scriptSeed: 1, jobs: 2).run(trials) { spec, rng in
            calls.increment()
            if spec.seed == 1 { throw Boom() }
            return try toyTrial(spec, &rng)
        }
        #expect(calls.value == 9)
        #expect(out.failures.map(\.spec.index) == [1, 4, 7])
        #expect(out.failures.allSatisfy { $0.message == "boom" })
        #expect(out.results.compactMap { $0 }.count == 6)
        #expect(!out.stoppedByFailure && out.notStarted == 0)
        #expect(out.failureReport.contains("trial 4 (alpha=0.3, seed 1): boom"))
    }

    @Test func failFastStopsScheduling() throws {
        let trials = try plan()
        let calls = Counter()
        let out = SweepRunner(scriptSeed: 1, jobs: 1, failFast: true).run(trials) { spec, rng in
            calls.increment()
            if spec.index == 2 { throw RuntimeError("bad step function") }
            return try toyTrial(spec, &rng)
        }
        #expect(calls.value == 3)
        #expect(out.failures.map(\.message) == ["bad step function"])
        #expect(out.stoppedByFailure && out.notStarted == 6)
        #expect(out.results[0] != nil && out.results[1] != nil && out.results[3] == nil)
    }

    @Test func cancellationKeepsFinishedTrials() throws {
        let trials = try plan()
        let flag = SweepCancellation()
        let out = SweepRunner(scriptSeed: 1, jobs: 1, cancellation: flag).run(trials) { spec, rng in
            if spec.index == 3 { flag.cancel() }
            return try toyTrial(spec, &rng)
        }
        #expect(out.cancelled)
        #expect(out.ran == 4 && out.notStarted == 5)
        #expect(out.completed.map(\.spec.index) == [0, 1, 2, 3])
        #expect(out.summaryLine == "9 trials: 4 run, 0 resumed, 0 failed, 5 not started (cancelled)")
    }

    /// A trial cut short by the cancellation (it throws `TrialInterrupted`) is interrupted, not
    /// failed: Ctrl-C used to report "1 failed". Any other error stays a failure, even one thrown
    /// after the cancellation, so an interrupt never hides a genuine failure.
    @Test func aTrialCutShortByCancellationIsInterruptedNotFailed() throws {
        let trials = try plan()
        let flag = SweepCancellation()
        let out = SweepRunner(scriptSeed: 1, jobs: 1, cancellation: flag).run(trials) { spec, rng in
            if spec.index == 2 { flag.cancel(); throw TrialInterrupted() }
            return try toyTrial(spec, &rng)
        }
        #expect(out.cancelled && out.failures.isEmpty && out.interrupted == 1)
        #expect(out.summaryLine == "9 trials: 2 run, 0 resumed, 0 failed, 1 interrupted, 6 not started (cancelled)")

        struct Broken: Error {}
        let flag2 = SweepCancellation()
        let out2 = SweepRunner(scriptSeed: 1, jobs: 1, cancellation: flag2).run(trials) { spec, rng in
            if spec.index == 2 { flag2.cancel(); throw Broken() }
            return try toyTrial(spec, &rng)
        }
        #expect(out2.failures.map(\.spec.index) == [2] && out2.interrupted == 0)
    }

    @Test func interruptSetsTheFlag() async throws {
        let flag = SweepCancellation()
        flag.installInterruptHandler(message: "")
        defer { flag.removeInterruptHandler() }
        kill(getpid(), SIGINT)
        // The dispatch source delivers asynchronously; allow up to 5 s.
        for _ in 0..<500 where !flag.isCancelled { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(flag.isCancelled)
    }

    @Test func progressReportsEveryTrial() throws {
        let trials = try plan()
        final class Log: @unchecked Sendable {
            let lock = NSLock()
            var items: [SweepProgress] = []
        }
        let log = Log()
        _ = SweepRunner(scriptSeed: 1, jobs: 3, progress: { p in
            log.lock.lock(); log.items.append(p); log.lock.unlock()
        }).run(trials, toyTrial)
        #expect(log.items.map(\.done) == Array(1...9) + [9])
        #expect(log.items.last!.finished && log.items.dropLast().allSatisfy { !$0.finished })
        #expect(log.items.allSatisfy { $0.total == 9 })
        #expect(SweepProgress.clock(3725) == "1:02:05" && SweepProgress.clock(65) == "1:05")
        // Not a terminal here (or forced off): the printer stays silent and does not crash.
        StderrProgressPrinter(enabled: false).callback(log.items[0])
    }
}
