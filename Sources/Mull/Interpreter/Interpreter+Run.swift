import Foundation
import MullLanguage
import MullRuntime

extension Interpreter {
    /// `run NAME`: runs a sweep.
    func run(_ value: Value, at range: SourceRange, _ ctx: CallContext) throws {
        guard case .component(let c) = value, c.kind == .sweep else {
            throw MullError("not-runnable", "`run` takes a sweep, got \(value.typeName)", at: range,
                            suggestion: "wrap the agent in `sweep NAME { agent: ..., episodes: ... }`, or train it in the REPL with `.train(episodes: n)`")
        }
        try runSweep(c, at: range)
    }

    /// Expands the sweep, checks every setting by building it once, then hands the trials to the
    /// runtime's `SweepRunner` (parallel, deterministic, resumable) and reports.
    func runSweep(_ sweep: ComponentValue, at range: SourceRange) throws {
        let name = sweep.declaredName ?? "sweep"
        guard case .component(let agent)? = sweep.field("agent"), agent.kind == .agent else {
            throw MullError("missing-field", "sweep `\(name)` needs `agent: ...`", at: sweep.range)
        }
        if let range = sweep.range, runOptions.outputDirectory != nil {
            // Only folders can collide; the same declaration evaluated again is no conflict.
            if let earlier = sweepDeclarations[name], earlier.file.path != range.file.path || earlier.start != range.start {
                throw MullError("duplicate-sweep", "another sweep named `\(name)` (\(earlier.file.path):\(earlier.file.location(of: earlier.start).line)) already ran in this script; both would write to the same results folder",
                                at: range, suggestion: "give each sweep its own name: `sweep NAME { ... }`")
            }
            sweepDeclarations[name] = range
        }
        let prepared = try prepareSweep(sweep, agent: agent)
        let settings = prepared.settings, expansion = prepared.expansion, trials = prepared.trials
        let out = configuration.output

        let folder = runOptions.outputDirectory.map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
        // A trial is reused on resumption only if everything that determines it is unchanged.
        let configs = expansion.settings.map {
            ResolvedConfiguration([("agent", ConfigurationJSON.agent($0.agent, $0.resolvedOverrides(), registry: self.registry)),
                                   ("budget", settings.budget.configValue), ("options", settings.options.configValue),
                                   ("record", .list(settings.record.map { .string($0) }))])
        }
        if runOptions.dryRun {
            // With an output folder, say how many trials a run would load instead of running.
            let store = folder.map { TrialStore(outputDirectory: $0) }
            var finished = [Int](repeating: 0, count: expansion.settings.count)
            var unfinished: [Int] = []
            for spec in trials {
                let fingerprint = configs[spec.settingIndex].fingerprint(for: spec, scriptSeed: runOptions.seed)
                if let store, store.load(spec: spec, fingerprint: fingerprint) != nil {
                    finished[spec.settingIndex] += 1
                } else {
                    unfinished.append(spec.index)
                }
            }
            plannedSweeps.append(PlannedSweep(name: name, trials: trials.count, unfinished: unfinished,
                                              settings: expansion.settings.map { s in
                                                  s.parameters.map { "\($0.0)=\(Interpreter.label($0.1))" }.joined(separator: " ")
                                              }, seeds: settings.seeds))
            var text = "sweep \(name): \(expansion.settings.count) setting\(expansion.settings.count == 1 ? "" : "s") x \(settings.seeds) seed\(settings.seeds == 1 ? "" : "s") = \(trials.count) trials\n"
            if let (i, n) = runOptions.shard {
                let mine = trials.filter { $0.index % n == i }.map(\.index)
                let shown = mine.prefix(20).map(String.init).joined(separator: ", ") + (mine.count > 20 ? ", ... (\(mine.count - 20) more)" : "")
                text += "shard \(i)/\(n): \(mine.count) trial\(mine.count == 1 ? "" : "s")\(mine.isEmpty ? "" : ": " + shown)\n"
            }
            for s in expansion.settings {
                let params = s.parameters.map { "\($0.0)=\(Interpreter.label($0.1))" }.joined(separator: " ")
                let done = finished[s.index] > 0 ? " (\(finished[s.index]) finished)" : ""
                text += "  trials \(s.index * settings.seeds)...\(s.index * settings.seeds + settings.seeds - 1): \(params.isEmpty ? "(defaults)" : params)\(done)\n"
            }
            let total = finished.reduce(0, +)
            if let dir = runOptions.outputDirectory, total > 0 {
                let shown = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                text += "\(total) of \(trials.count) trials finished in \(shown); running the sweep loads them\n"
            }
            out(text)
            return
        }

        let runFlag = SweepCancellation()
        let interpreterFlag = configuration.cancellation
        let firstError = FirstError()
        let registry = self.registry
        let baseContext = context
        let scriptSeed = runOptions.seed
        let options = settings.options
        let record = settings.record
        let expanded = expansion
        let progressPrinter = runOptions.progress ? StderrProgressPrinter(label: name) : nil

        let runner = SweepRunner(
            scriptSeed: scriptSeed, jobs: max(1, runOptions.jobs ?? ProcessInfo.processInfo.activeProcessorCount),
            failFast: runOptions.failFast, outputDirectory: folder,
            configuration: { spec in configs[spec.settingIndex] }, cancellation: runFlag,
            progress: progressPrinter.map { $0.callback })
        // A shard runs its own trials (index i modulo N); a collection runs none.
        let shard = runOptions.shard
        let collecting = runOptions.collect
        let selected = shard.map { (i, n) in trials.filter { $0.index % n == i } } ?? trials
        let outcome = runner.run(selected) { spec, rng in
            if collecting {
                throw MullError("trial-missing", "trial \(spec.index) has no finished result in the output folder", at: range)
            }
            if interpreterFlag.isCancelled {
                runFlag.cancel()
                throw TrialInterrupted()
            }
            let setting = expanded.settings[spec.settingIndex]
            let startRng = rng
            do {
                // Mull code (an MDP's step function) may run while building: give it a large stack.
                return try Interpreter.onLargeStack {
                    let ctx = baseContext.fork()
                    ctx.maxDepth = 1_000
                    let build = BuildContext(registry: registry, callContext: ctx, seed: scriptSeed, stream: spec.streamID,
                                             overrides: setting.resolvedOverrides(), shareWithSession: false)
                    let built = try build.instance(of: setting.agent)
                    if let planner = built as? any EpisodicAgentInstance {
                        var trialRng = startRng
                        let maxSteps = options.maxEpisodeSteps ?? planner.maxEpisodeSteps
                        let keepGoing = ctx.nativeCheck { !planner.hostErrorPending }
                        let episodes: [PlannerEpisode], finished: Bool
                        do {
                            switch options.budget {
                            case .episodes(let n):
                                episodes = try planner.episodicAgent.episodes(n, maxSteps: maxSteps, rng: &trialRng, shouldContinue: keepGoing)
                                finished = episodes.count == n
                            case .steps(let n):
                                guard let counted = planner.episodicAgent as? any StepCountingAgent else {
                                    throw MullError("invalid-sweep", "planners on a known model run episodes", at: range)
                                }
                                episodes = try counted.episodes(steps: n, maxSteps: maxSteps, rng: &trialRng, shouldContinue: keepGoing)
                                finished = episodes.reduce(0) { $0 + $1.steps } >= n
                            }
                        } catch let e as RuntimeError where planner is LearnerInstance {
                            throw MullError("learner-failed", "`\(setting.agent.declaredName ?? setting.agent.componentName)`: \(e.message)", at: setting.agent.range)
                        }
                        try planner.checkHostErrors()
                        if !finished, let e = ctx.nativeStopError(at: range) { throw e }
                        if !finished && interpreterFlag.isCancelled {
                            throw MullError("interrupted", "interrupted", at: range)
                        }
                        var result = try Interpreter.trialResult(episodes, record: record, at: sweep.fieldRange("record"))
                        if record.contains("eval_return"), let learner = planner.episodicAgent as? any ReplayAgentProtocol {
                            result.add("eval_return", atSteps: learner.evaluations.map(\.steps), values: learner.evaluations.map(\.meanReturn))
                        }
                        if record.contains("rollout_error") {
                            let (k, n) = (Interpreter.rolloutErrorSteps, Interpreter.rolloutErrorStarts)
                            let errors: [Double]
                            if let learned = planner.episodicAgent as? any LearnedPlanningAgentProtocol {
                                errors = learned.rolloutError(steps: k, starts: n, rng: &trialRng)
                            } else if let replay = planner.episodicAgent as? any ReplayAgentProtocol,
                                      let e = replay.rolloutError(steps: k, starts: n, rng: &trialRng) {
                                errors = e
                            } else {
                                throw MullError("unknown-metric", "`.rollout_error` measures a learned model; this agent has none (a planner through the true dynamics, or a learner without MBPO)",
                                                at: sweep.fieldRange("record"))
                            }
                            result.add("rollout_error", atSteps: Array(1...errors.count), values: errors)
                        }
                        return result
                    }
                    guard let instance = built as? AgentInstance else {
                        throw MullError("incompatible", "`\(setting.agent.componentName)` cannot be run by a sweep", at: setting.agent.range)
                    }
                    var trialRng = startRng
                    let metrics = try runTabular(agent: instance.agent, environment: instance.env.environment, options: options,
                                                 rng: &trialRng, onEpisode: ctx.tabularCheck(from: 0))
                    if metrics.stopReason == .cancelled {
                        if let e = ctx.nativeStopError(at: range) { throw e }
                        throw MullError("interrupted", "interrupted", at: range)
                    }
                    return try Interpreter.trialResult(metrics, record: record, at: sweep.fieldRange("record"))
                }
            } catch let e as MullError {
                // Ctrl-C seen by the native loops or by the script's own code (a step function)
                // cuts the trial short: here, in one place, the other trials are told not to
                // start and the runner is told to count it as interrupted, not failed.
                if e.diagnostic.id.rawValue == "interrupted" {
                    runFlag.cancel()
                    throw TrialInterrupted()
                }
                firstError.set(e.diagnostic)
                throw e
            }
        }

        if let (i, n) = shard {
            try finishShard(name: name, index: i, count: n, outcome: outcome, total: trials.count, firstError: firstError.value, at: range)
            return
        }
        let experiment = ExperimentResults(name: name, scriptSeed: scriptSeed, outcome: outcome,
                                           configuration: { spec in configs[spec.settingIndex] })
        let summaries = Summary.summarize(trials: outcome.trials, results: outcome.results,
                                          options: SummaryOptions(reduction: settings.reduction, metrics: record))
        let what: String
        switch settings.reduction {
        case .final: what = "final value of each run"
        case .sum: what = "sum over each run"
        case .lastMean(let k): what = "mean of each run's last \(k) values"
        default: what = "mean over each run's episodes"
        }
        var text = "sweep \(name): \(expansion.settings.count) setting\(expansion.settings.count == 1 ? "" : "s") x \(settings.seeds) seed\(settings.seeds == 1 ? "" : "s"), \(String(format: "%.1f", outcome.wallSeconds)) s (per-run figure: \(what))\n"
        text += Summary.table(summaries)
        if outcome.resumed > 0 { text += "\(outcome.resumed) of \(trials.count) trials loaded from an earlier run\n" }
        if !outcome.isComplete {
            text += "\(outcome.completed.count) of \(trials.count) trials finished\(outcome.cancelled ? " (interrupted; run again to resume)" : "")\n"
        }
        if let folder {
            do {
                try ResultsWriter.write([experiment], to: folder, script: loadedSources.first?.text)
                try ResultsWriter.writePlots(experiment, metrics: record, to: folder)
                try Data(text.utf8).write(to: folder.appendingPathComponent("summary.txt"), options: .atomic)
            } catch {
                throw MullError("io", "cannot write results to `\(folder.path)`: \(error)", at: range)
            }
            text += "results: \(folder.path)/results.csv\n"
        }
        out(text)
        runs.append(RunRecord(name: name, summary: text, outputDirectory: folder?.path, summaries: summaries,
                              trials: Array(zip(outcome.trials, outcome.results)).map { (spec: $0.0, result: $0.1) }))
        // Trials cut short by Ctrl-C threw `TrialInterrupted` and are counted as interrupted, not
        // failed: a failure is reported first (`firstError` keeps a located one), else the
        // interruption.
        let interrupted = configuration.cancellation.isCancelled
        if !outcome.failures.isEmpty {
            var first = firstError.value ?? Diagnostic("trial-failed", .error, outcome.failures[0].message, at: range)
            first.notes.append(Diagnostic.Note("\(outcome.failures.count) of \(trials.count) trials failed; the first was trial \(outcome.failures[0].spec.index)"))
            throw MullError(first)
        }
        if interrupted {
            throw MullError("interrupted", "interrupted after \(outcome.completed.count) of \(trials.count) trials; "
                            + (folder != nil ? "the finished ones are saved, and running the same command again resumes" : "nothing was saved (--no-output)"),
                            at: range)
        }
    }

    /// The end of a shard's run: one line on what it did (its trial files are the result; the
    /// shards share the output folder, so none writes results.csv), then its failures.
    func finishShard(name: String, index: Int, count: Int, outcome: SweepOutcome, total: Int, firstError: Diagnostic?,
                     at range: SourceRange) throws {
        let folder = runOptions.outputDirectory ?? "results"
        let script = loadedSources.first?.path ?? "SCRIPT"
        configuration.output("sweep \(name), shard \(index)/\(count): \(outcome.summaryLine) of \(total) in the sweep; "
                             + "when every shard has finished, `mull run \(script) --out \(folder) --collect` gathers them\n")
        let interrupted = configuration.cancellation.isCancelled
        if !outcome.failures.isEmpty {
            var first = firstError ?? Diagnostic("trial-failed", .error, outcome.failures[0].message, at: range)
            first.notes.append(Diagnostic.Note("\(outcome.failures.count) of \(outcome.trials.count) trials of shard \(index)/\(count) failed; the first was trial \(outcome.failures[0].spec.index)"))
            throw MullError(first)
        }
        if interrupted {
            throw MullError("interrupted", "interrupted after \(outcome.completed.count) of \(outcome.trials.count) trials of shard \(index)/\(count); the finished ones are saved, and running the same command again resumes", at: range)
        }
    }

    /// The runtime plan: one dimension per `vary`, values converted to parameter values.
    func runtimePlan(_ e: SweepExpansion, at range: SourceRange?) throws -> MullRuntime.SweepPlan {
        var plan = MullRuntime.SweepPlan(seeds: e.seeds)
        for d in e.dimensions {
            let names = d.targets.map(\.column)
            let rows = try d.points.map { try $0.map { try Interpreter.paramValue($0, at: range) } }
            if names.count == 1 {
                plan.dimensions.append(.grid(name: names[0], values: rows.map { $0[0] }))
            } else {
                plan.dimensions.append(.zip(names: names, rows: rows))
            }
        }
        do { try plan.validate() } catch { throw MullError("invalid-sweep", "\(error)", at: range) }
        return plan
    }

    static func paramValue(_ v: Value, at range: SourceRange?) throws -> ParamValue {
        switch v {
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .bool(let b): return .bool(b)
        case .string(let s): return .string(s)
        case .symbol(let s): return .symbol(s)
        case .component(let c): return .symbol(c.declaredName ?? c.componentName)
        default:
            throw MullError("type-mismatch", "`vary` takes numbers, booleans, strings, symbols or agents, got \(v.typeName)", at: range)
        }
    }

    static func label(_ v: Value) -> String {
        if case .component(let c) = v { return c.declaredName ?? c.componentName }
        return v.repr
    }

    /// What running a sweep needs, checked: its settings, the expanded settings and trials, and
    /// every setting built once (so a bad value fails at once, not in every trial). `mull check`
    /// calls this too on sweeps made of plain data, so both report the same errors.
    struct PreparedSweep {
        var settings: SweepSettings
        var expansion: SweepExpansion
        var trials: [TrialSpec]
    }

    func prepareSweep(_ sweep: ComponentValue, agent: ComponentValue) throws -> PreparedSweep {
        var settings = try SweepSettings(sweep, registry: registry)
        let expansion = try SweepExpansion(sweep: sweep, agent: agent, registry: registry, seeds: settings.seeds,
                                           samples: settings.samples, sampleSeed: settings.sampleSeed)
        let plan = try runtimePlan(expansion, at: sweep.range)
        let trials: [TrialSpec]
        do { trials = try plan.trials() } catch { throw MullError("invalid-sweep", "\(error)", at: sweep.range) }
        guard trials.count == expansion.settings.count * settings.seeds else {
            throw MullError("internal", "sweep expansion and plan disagree", at: sweep.range)
        }

        // Build every setting's components once before any trial runs, so a bad field value
        // fails at once instead of in every trial.
        for s in expansion.settings {
            let probe = BuildContext(registry: registry, callContext: context.fork(), seed: runOptions.seed, stream: 0,
                                     overrides: s.resolvedOverrides(), shareWithSession: false)
            let built = try probe.instance(of: s.agent)
            if let planner = built as? PlannerInstance, case .steps = settings.budget, !(planner.agent is any LearnedPlanningAgentProtocol) {
                throw MullError("invalid-sweep", "a sweep of a decision-time planner counts `episodes`, not `steps` (only a planner with a learned model counts `steps`)",
                                at: sweep.range)
            }
            // A planner counting steps (through a learned model) records episodes, not cumulative reward.
            if built is PlannerInstance, case .steps = settings.budget, !settings.recordGiven { settings.record = ["steps", "return"] }
            if let learner = built as? LearnerInstance {
                let evaluates = learner.spec.loop.evaluateEvery > 0
                if !settings.recordGiven { settings.record = ["steps", "return"] + (evaluates ? ["eval_return"] : []) }
                if settings.record.contains("eval_return") && !evaluates {
                    throw MullError("unknown-metric", "`.eval_return` needs `evaluate_every: N` on `\(s.agent.declaredName ?? s.agent.componentName)` (real steps between evaluations)",
                                    at: sweep.fieldRange("record") ?? sweep.range)
                }
            }
            if settings.record.contains("rollout_length") && (built as? LearnerInstance)?.spec.model == nil {
                throw MullError("unknown-metric", "`.rollout_length` is recorded by MBPO agents", at: sweep.fieldRange("record") ?? sweep.range)
            }
            if settings.record.contains("eval_return") && !(built is LearnerInstance) {
                throw MullError("unknown-metric", "`.eval_return` is recorded by learners (SAC, DQN, MBPO) that evaluate their policy", at: sweep.fieldRange("record") ?? sweep.range)
            }
            guard built is AgentInstance || built is any EpisodicAgentInstance else {
                throw MullError("incompatible", "`\(s.agent.componentName)` cannot be run by a sweep", at: agent.range)
            }
            // Counting episodes on a task whose episodes cannot end would never finish.
            if case .episodes = settings.budget, settings.options.maxEpisodeSteps == nil,
               let instance = built as? AgentInstance, let start = instance.env.startWhereEpisodesNeverEnd() {
                throw MullError("episodes-never-end",
                                "from start state \(start) of `\(instance.env.name)` no terminal state can be reached (outcomes less likely than 1e-9 count as impossible), so an episode would never end and the sweep would never finish",
                                at: sweep.range,
                                suggestion: "give the environment or the sweep `max_episode_steps`, or count `steps` instead of `episodes`")
            }
        }

        return PreparedSweep(settings: settings, expansion: expansion, trials: trials)
    }

    /// `.rollout_error`: k = 1 ... 50 steps, averaged over 20 start states.
    static let rolloutErrorSteps = 50
    static let rolloutErrorStarts = 20

    static func trialResult(_ episodes: [PlannerEpisode], record: [String], at range: SourceRange?) throws -> TrialResult {
        var r = TrialResult(realSteps: episodes.reduce(0) { $0 + $1.steps }, planningUpdates: episodes.reduce(0) { $0 + $1.modelSteps })
        for name in record {
            switch name {
            case "steps": r.add(name, perEpisode: episodes.map { Double($0.steps) })
            case "return": r.add(name, perEpisode: episodes.map(\.totalReward))
            case "model_steps": r.add(name, perEpisode: episodes.map { Double($0.modelSteps) })
            case "episodes": r.add(name, perEpisode: (0..<episodes.count).map { Double($0 + 1) })
            case "real_steps":
                var total = 0
                r.add(name, perEpisode: episodes.map { e in
                    total += e.steps
                    return Double(e.realStepsAfter ?? total)
                })
            case "model_error": r.add(name, perEpisode: episodes.map { $0.modelError ?? .nan })
            case "rollout_error", "eval_return": break  // measured on the agent after its episodes
            case "training_rounds": r.add(name, perEpisode: episodes.map { Double($0.trainingRounds) })
            case "rollout_length": r.add(name, perEpisode: episodes.map { $0.rolloutLength.map(Double.init) ?? .nan })
            default:
                throw MullError("unknown-metric", "planners and learners record `.return`, `.steps`, `.real_steps`, `.model_steps`, `.episodes`, learners `.eval_return`, MBPO `.rollout_length`, and with a learned model `.model_error`, `.training_rounds` and `.rollout_error`, not `.\(name)`", at: range)
            }
        }
        return r
    }

    static func trialResult(_ m: TabularRunMetrics, record: [String], at range: SourceRange?) throws -> TrialResult {
        var r = TrialResult(realSteps: m.totalRealSteps, planningUpdates: m.totalPlanningUpdates)
        for name in record {
            switch name {
            case "steps": r.add(name, perEpisode: m.steps.map(Double.init))
            case "return": r.add(name, perEpisode: m.returns)
            case "real_steps": r.add(name, perEpisode: m.cumulativeRealSteps.map(Double.init))
            case "planning_updates": r.add(name, perEpisode: m.cumulativePlanningUpdates.map(Double.init))
            case "episodes": r.add(name, perEpisode: (0..<m.episodeCount).map { Double($0 + 1) })
            case "cumulative_reward": r.add(name, atSteps: Array(1...max(1, m.cumulativeReward.count)).prefix(m.cumulativeReward.count).map { $0 }, values: m.cumulativeReward)
            default: throw MullError("unknown-metric", "unknown metric `.\(name)`", at: range)
            }
        }
        return r
    }
}

/// The first diagnostic reported by any trial (trials run on several threads).
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Diagnostic?
    func set(_ d: Diagnostic) {
        lock.lock()
        if stored == nil { stored = d }
        lock.unlock()
    }
    var value: Diagnostic? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}

/// A sweep block's own fields, read and checked.
struct SweepSettings: Sendable {
    var seeds: Int
    var samples: Int
    var sampleSeed: UInt64
    var budget: TabularRunBudget
    var options: TabularRunOptions
    var record: [String]
    /// Whether the sweep names its metrics (otherwise `record` holds the default).
    var recordGiven = false
    var reduction: SummaryReduction

    init(_ sweep: ComponentValue, registry: ComponentRegistry) throws {
        let def = registry.definition(named: "Sweep")!
        let get = { (f: String) -> Value in sweep.field(f) ?? def.defaults[f] ?? .null }
        func int(_ f: String) throws -> Int? {
            switch get(f) {
            case .null: return nil
            case .int(let i): return i
            case let v: throw MullError("type-mismatch", "sweep field `\(f)` must be an integer, got \(v.typeName)", at: sweep.fieldRange(f) ?? sweep.range)
            }
        }
        seeds = try int("seeds") ?? 10
        samples = try int("samples") ?? 10
        sampleSeed = UInt64(truncatingIfNeeded: try int("sample_seed") ?? 0)
        // The schema's field groups, as the checker applies them.
        let given = Set(def.schema.fields.map(\.name).filter { sweep.field($0) != nil })
        if let v = def.schema.groupViolation(given: given, owner: "sweep `\(sweep.declaredName ?? "sweep")`") {
            let at = v.present.compactMap { sweep.fieldRange($0) }.max { $0.start < $1.start } ?? sweep.range
            throw MullError(v.id, v.message, at: at)
        }
        let episodes = try int("episodes"), steps = try int("steps")
        budget = episodes.map { .episodes($0) } ?? .steps(steps!)
        var record: [String] = steps != nil ? ["cumulative_reward"] : ["steps", "return"]
        if case .list(let xs) = get("record") {
            recordGiven = true
            record = try xs.map {
                guard case .symbol(let s) = $0 else {
                    throw MullError("type-mismatch", "`record` lists metrics as symbols such as `.steps`", at: sweep.fieldRange("record"))
                }
                return s
            }
        }
        self.record = record
        var options = TabularRunOptions(budget: budget, maxEpisodeSteps: try int("max_episode_steps"),
                                        recordCumulativeReward: record.contains("cumulative_reward"))
        options.stopWhenGreedyPathWithin = get("until_optimal").asDouble
        options.stopAfterConsecutiveSuccesses = try int("until_successes")
        options.successMinimumReturn = get("success_return").asDouble
        self.options = options
        switch get("summary") {
        case .symbol("final"): reduction = .final
        case .symbol("sum"): reduction = .sum
        default: reduction = .mean
        }
        if let k = try int("summary_last") { reduction = .lastMean(k) }
    }
}
