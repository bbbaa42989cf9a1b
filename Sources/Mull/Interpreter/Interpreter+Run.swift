import Foundation
import MullLanguage
import MullRuntime

/// What one trial produced.
struct TrialOutcome: Sendable {
    var index: Int
    /// Metric name to series (per episode, or per step for cumulative reward).
    var series: [(String, [Double])]
    var realSteps: Int
    var planningUpdates: Int
    var wallSeconds: Double
    var error: Diagnostic?
    var resumed = false
}

extension Interpreter {
    /// `run NAME`: runs a sweep.
    func run(_ value: Value, at range: SourceRange, _ ctx: CallContext) throws {
        guard case .component(let c) = value, c.kind == .sweep else {
            throw MullError("not-runnable", "`run` takes a sweep, got \(value.typeName)", at: range,
                            suggestion: "wrap the agent in `sweep NAME { agent: ..., episodes: ... }`, or train it in the REPL with `.train(episodes: n)`")
        }
        try runSweep(c, at: range)
    }

    func runSweep(_ sweep: ComponentValue, at range: SourceRange) throws {
        let name = sweep.declaredName ?? "sweep"
        guard case .component(let agent)? = sweep.field("agent"), agent.kind == .agent else {
            throw MullError("missing-field", "sweep `\(name)` needs `agent: ...`", at: sweep.range)
        }
        let def = registry.definition(named: "Sweep")!
        let get = { (f: String) -> Value in sweep.field(f) ?? def.defaults[f] ?? .none }
        func int(_ f: String) throws -> Int? {
            switch get(f) {
            case .none: return nil
            case .int(let i): return i
            case let v: throw MullError("type-mismatch", "sweep field `\(f)` must be an integer, got \(v.typeName)", at: sweep.fieldRange(f) ?? sweep.range)
            }
        }
        let seeds = try int("seeds") ?? 10
        let episodes = try int("episodes"), steps = try int("steps")
        guard (episodes == nil) != (steps == nil) else {
            throw MullError("missing-field", "sweep `\(name)` needs exactly one of `episodes` and `steps`", at: sweep.range)
        }
        let budget: TabularRunBudget = episodes.map { .episodes($0) } ?? .steps(steps!)
        var recordList: [String] = steps != nil ? ["cumulative_reward"] : ["steps", "return"]
        if case .list(let xs) = get("record") {
            recordList = try xs.map {
                guard case .symbol(let s) = $0 else { throw MullError("type-mismatch", "`record` lists metrics as symbols such as `.steps`", at: sweep.fieldRange("record")) }
                return s
            }
        }
        let reduction: String = { if case .symbol(let s) = get("summary") { return s }; return "mean" }()
        var runOptions = TabularRunOptions(budget: budget, maxEpisodeSteps: try int("max_episode_steps"),
                                 recordCumulativeReward: recordList.contains("cumulative_reward"))
        runOptions.stopWhenGreedyPathWithin = get("until_optimal").asDouble
        runOptions.stopAfterConsecutiveSuccesses = try int("until_successes")
        runOptions.successMinimumReturn = get("success_return").asDouble
        let record = recordList
        let options = runOptions
        let plan = try SweepPlan(sweep: sweep, agent: agent, registry: registry, seeds: seeds, samples: try int("samples") ?? 10,
                                 sampleSeed: UInt64(truncatingIfNeeded: try int("sample_seed") ?? 0))
        let out = configuration.output

        // Build every setting's components once before any trial runs, so a bad field value
        // fails at once instead of in every trial.
        for s in plan.settings {
            let ctx = context.fork()
            let probe = BuildContext(registry: registry, callContext: ctx, seed: configuration.seed, stream: 0,
                                     overrides: s.resolvedOverrides(), shareWithSession: false)
            let built = try Interpreter.onLargeStack { try probe.instance(of: s.agent) }
            guard built is AgentInstance else {
                throw MullError("incompatible", "sweeps run tabular agents; `\(s.agent.componentName)` is not one", at: agent.range)
            }
        }

        if configuration.dryRun {
            var text = "sweep \(name): \(plan.settings.count) setting\(plan.settings.count == 1 ? "" : "s") x \(seeds) seed\(seeds == 1 ? "" : "s") = \(plan.trialCount) trials\n"
            for s in plan.settings {
                let params = s.parameters.map { "\($0.0)=\($0.1.repr)" }.joined(separator: " ")
                text += "  trials \(s.index * seeds)...\(s.index * seeds + seeds - 1): \(params.isEmpty ? "(defaults)" : params)\n"
            }
            out(text)
            return
        }

        // Output folder and resumption.
        let folder = configuration.outputDirectory.map { ($0 as NSString).appendingPathComponent(name) }
        // A trial is reused only if everything that determines it is unchanged: the seed, the
        // budget and options, the metrics, and every field of its setting's components.
        let fingerprintBase = "\(configuration.seed)|\(budget)|\(runOptions)|\(recordList)"
        let settingConfigs = plan.settings.map { SweepReport.resolvedConfiguration($0.agent, $0.resolvedOverrides(), registry: self.registry) }
        if let folder {
            do {
                try FileManager.default.createDirectory(atPath: (folder as NSString).appendingPathComponent("trials"), withIntermediateDirectories: true)
            } catch {
                throw MullError("io", "cannot create the output folder `\(folder)`", at: range)
            }
        }
        let fingerprint: @Sendable (Int) -> String = { trial in
            let s = plan.settings[trial / seeds]
            return Interpreter.hash(fingerprintBase + "|" + settingConfigs[s.index] + "|\(trial)")
        }

        let total = plan.trialCount
        let jobs = max(1, min(configuration.jobs ?? ProcessInfo.processInfo.activeProcessorCount, total))
        let progress = Progress(total: total, enabled: configuration.progress && isatty(2) != 0)
        let results = TrialStore(count: total)
        let cancellation = configuration.cancellation
        let failFast = configuration.failFast
        let registry = self.registry
        let baseContext = context
        let scriptSeed = configuration.seed
        let started = Date()

        // Resume finished trials.
        if let folder {
            for t in 0..<total {
                if let loaded = Interpreter.loadTrial(folder: folder, index: t, fingerprint: fingerprint(t)) {
                    results.set(t, loaded)
                    progress.done()
                }
            }
        }
        let runTrial: @Sendable (Int) -> TrialOutcome = { t in
            let setting = plan.settings[t / seeds]
            let ctx = baseContext.fork()
            ctx.maxDepth = 1_000
            let build = BuildContext(registry: registry, callContext: ctx, seed: scriptSeed, stream: UInt64(t) &+ 1,
                                     overrides: setting.resolvedOverrides(), shareWithSession: false)
            let clock = ContinuousClock()
            let begin = clock.now
            do {
                guard let instance = try build.instance(of: setting.agent) as? AgentInstance else {
                    throw MullError("incompatible", "sweeps run tabular agents", at: agent.range)
                }
                var rng = RandomSource(seed: scriptSeed, stream: 0x5EED_0000 &+ UInt64(t))
                let metrics = try runTabular(agent: instance.agent, environment: instance.env.environment, options: options, rng: &rng) { _ in
                    !cancellation.isCancelled
                }
                if cancellation.isCancelled && metrics.stopReason == .cancelled {
                    return TrialOutcome(index: t, series: [], realSteps: 0, planningUpdates: 0, wallSeconds: 0,
                                        error: Diagnostic("interrupted", .error, "interrupted", at: nil))
                }
                var series: [(String, [Double])] = []
                for m in record {
                    switch m {
                    case "steps": series.append((m, metrics.steps.map(Double.init)))
                    case "return": series.append((m, metrics.returns))
                    case "real_steps": series.append((m, metrics.cumulativeRealSteps.map(Double.init)))
                    case "planning_updates": series.append((m, metrics.cumulativePlanningUpdates.map(Double.init)))
                    case "cumulative_reward": series.append((m, metrics.cumulativeReward))
                    case "episodes": series.append((m, (1...max(1, metrics.episodeCount)).map(Double.init)))
                    default: throw MullError("unknown-metric", "unknown metric `.\(m)`", at: sweep.fieldRange("record"))
                    }
                }
                let elapsed = clock.now - begin
                return TrialOutcome(index: t, series: series, realSteps: metrics.totalRealSteps, planningUpdates: metrics.totalPlanningUpdates,
                                    wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18, error: nil)
            } catch let e as MullError {
                return TrialOutcome(index: t, series: [], realSteps: 0, planningUpdates: 0, wallSeconds: 0, error: e.diagnostic)
            } catch {
                return TrialOutcome(index: t, series: [], realSteps: 0, planningUpdates: 0, wallSeconds: 0,
                                    error: Diagnostic("trial-failed", .error, "\(error)", at: agent.range))
            }
        }

        // Workers with large stacks take trials in index order; results land by index, so the
        // numbers do not depend on scheduling.
        let next = TrialCounter()
        let group = DispatchGroup()
        for _ in 0..<jobs {
            group.enter()
            let thread = Thread {
                while !cancellation.isCancelled {
                    let t = next.take()
                    if t >= total { break }
                    if results.has(t) { continue }
                    let outcome = runTrial(t)
                    if outcome.error?.id.rawValue == "interrupted" { break }
                    if outcome.error == nil, let folder { Interpreter.saveTrial(outcome, folder: folder, fingerprint: fingerprint(t), record: record) }
                    results.set(t, outcome)
                    progress.done()
                    if outcome.error != nil && failFast { next.stop() }
                }
                group.leave()
            }
            thread.stackSize = 64 << 20
            thread.start()
        }
        group.wait()
        progress.finish()

        let outcomes = results.all()
        let finished = outcomes.compactMap { $0 }.filter { $0.error == nil }
        let failures = outcomes.compactMap { $0 }.filter { $0.error != nil }
        let summary = SweepReport.summary(name: name, plan: plan, outcomes: outcomes, record: record, reduction: reduction,
                                          elapsed: Date().timeIntervalSince(started))
        var text = summary
        if finished.count < total {
            text += "\n\(finished.count) of \(total) trials finished\(cancellation.isCancelled ? " (interrupted; run again to resume)" : "")\n"
        }
        if let folder {
            try SweepReport.write(folder: folder, name: name, plan: plan, outcomes: outcomes, record: record, summary: summary,
                                  scripts: loadedSources, agent: agent, registry: registry, seed: scriptSeed)
            text += "results: \(folder)/results.csv\n"
        }
        out(text)
        runs.append(RunRecord(name: name, summary: summary, outputDirectory: folder))
        if !failures.isEmpty {
            var first = failures[0].error!
            first.notes.append(Diagnostic.Note("\(failures.count) of \(total) trials failed; the first was trial \(failures[0].index)"))
            throw MullError(first)
        }
        if cancellation.isCancelled { throw MullError("interrupted", "interrupted after \(finished.count) of \(total) trials", at: range) }
    }

    static func hash(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }

    /// Writes one trial atomically: a temporary file, then a rename.
    static func saveTrial(_ o: TrialOutcome, folder: String, fingerprint: String, record: [String]) {
        var text = "# fingerprint \(fingerprint)\n# totals \(o.realSteps) \(o.planningUpdates) \(o.wallSeconds)\n"
        for (m, xs) in o.series { text += m + "," + xs.map(CSV.number).joined(separator: ",") + "\n" }
        let path = (folder as NSString).appendingPathComponent("trials/\(o.index).csv")
        let tmp = path + ".tmp"
        if FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) { _ = Foundation.rename(tmp, path) }
    }

    static func loadTrial(folder: String, index: Int, fingerprint: String) -> TrialOutcome? {
        let path = (folder as NSString).appendingPathComponent("trials/\(index).csv")
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 2, lines[0] == "# fingerprint \(fingerprint)" else { return nil }
        let totals = lines[1].split(separator: " ")
        guard totals.count == 5, let r = Int(totals[2]), let p = Int(totals[3]), let w = Double(totals[4]) else { return nil }
        var series: [(String, [Double])] = []
        for l in lines.dropFirst(2) {
            let parts = l.split(separator: ",", omittingEmptySubsequences: false)
            guard let name = parts.first else { continue }
            series.append((String(name), parts.dropFirst().compactMap { Double($0) }))
        }
        return TrialOutcome(index: index, series: series, realSteps: r, planningUpdates: p, wallSeconds: w, error: nil, resumed: true)
    }
}

/// Results of parallel trials, by index.
final class TrialStore: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [TrialOutcome?]
    init(count: Int) { items = [TrialOutcome?](repeating: nil, count: count) }
    func set(_ i: Int, _ o: TrialOutcome) { lock.lock(); items[i] = o; lock.unlock() }
    func has(_ i: Int) -> Bool { lock.lock(); defer { lock.unlock() }; return items[i] != nil }
    func all() -> [TrialOutcome?] { lock.lock(); defer { lock.unlock() }; return items }
}

final class TrialCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    private var stopped = false
    func take() -> Int { lock.lock(); defer { lock.unlock() }; if stopped { return .max }; value += 1; return value - 1 }
    func stop() { lock.lock(); stopped = true; lock.unlock() }
}

/// Trials done of total, elapsed time and ETA on one line of standard error, only on a terminal.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let enabled: Bool
    private var done_ = 0
    private let start = Date()
    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }
    func done() {
        lock.lock()
        defer { lock.unlock() }
        done_ += 1
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        let eta = done_ > 0 ? elapsed / Double(done_) * Double(total - done_) : 0
        FileHandle.standardError.write(Data(String(format: "\rtrials %d/%d  elapsed %.1fs  ETA %.1fs   ", done_, total, elapsed, eta).utf8))
    }
    func finish() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
