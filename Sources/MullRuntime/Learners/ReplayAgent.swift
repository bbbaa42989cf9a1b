/// An agent measured in real steps as well as episodes (a planner through a learned model, a
/// replay learner): a sweep's `steps:` budget runs it.
public protocol StepCountingAgent: PlanningAgent {
    /// Real steps taken so far, warm-up included.
    var realSteps: Int { get }
    /// Runs episodes until `budget` more real steps have been taken (a planner's warm-up is not
    /// counted; see its documentation); the episode running then is cut there.
    func episodes(steps budget: Int, maxSteps: Int?, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> [PlannerEpisode]
}

/// What the interpreter reaches of a replay learner (SAC, DQN, alone or in MBPO), whatever its
/// task.
public protocol ReplayAgentProtocol: StepCountingAgent {
    var learnerName: String { get }
    /// With a model (MBPO): its k-step error against the task for k = 1...`steps` from
    /// `starts` start states under random actions; nil without one.
    func rolloutError(steps: Int, starts: Int, rng: inout RandomSource) -> [Double]?
    var updates: Int { get }
    /// Evaluations so far: real steps when measured and the mean return of the deterministic
    /// policy's episodes.
    var evaluations: [(steps: Int, meanReturn: Double)] { get }
    var realBufferCount: Int { get }
    /// MBPO: imagined transitions kept, the current rollout length and the ensemble.
    var modelBufferCount: Int? { get }
    var rolloutLength: Int? { get }
    var ensembleModel: (any AnyEnsembleModel)? { get }
    /// The policy's action at an observation: a sample (`explore`) or the deterministic one.
    func policy(_ observation: [Double], explore: Bool) throws -> [Double]
    /// Q-values at an observation: per action (DQN), or the critics' value of `action` (SAC).
    func q(_ observation: [Double], action: [Double]?) throws -> [Double]
    /// The mean return of `episodes` episodes of the deterministic policy, from the evaluation
    /// start states.
    func evaluate(episodes: Int, maxSteps: Int?) -> Double
    /// A line on the last update.
    var lossReport: String { get }
}

/// MBPO's model side, whatever the task type: the real buffer is the model's, imagined
/// transitions are kept in `modelBuffer`.
protocol ModelBranching: AnyObject {
    var realBuffer: TransitionBuffer { get }
    var modelBuffer: TransitionBuffer { get }
    var settings: BranchedRolloutSettings { get }
    var rolloutLength: Int { get }
    var modelSteps: Int { get }
    var ensemble: any AnyEnsembleModel { get }
    /// The model's k-step error against the task, as `LearnedPlanningAgent.rolloutError`.
    func rolloutError(steps: Int, starts: Int, rng: inout RandomSource) -> [Double]
    /// Training rounds so far, and the one-step error over an episode's transitions (see
    /// `EnsembleModel.episodeError`).
    var roundCount: Int { get }
    func episodeError(roundsBefore: Int, steps: Int) -> Double?
    /// After each real step: retrains and rolls out when it is time. `act` gives the policy's
    /// actions for a batch of observations.
    func afterRealStep(_ realSteps: Int, warmup: Int, act: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void,
                       shouldContinue: () -> Bool) throws
}

/// The loop of a replay learner on a classic-control task: uniformly random actions for the
/// warm-up, then the learner's exploring actions; every real transition stored; gradient
/// updates every `updateEvery` real steps on batches from the real buffer (or, in MBPO, mixed
/// with the model's imagined transitions); evaluations of the deterministic policy every
/// `evaluateEvery` real steps.
public final class ReplayAgent<D: ControlDynamics, L: ReplayLearner>: ReplayAgentProtocol where L.Action == D.Action {
    public let environment: ControlEnvironment<D>
    public let learner: L
    public let settings: ReplaySettings
    let realBufferOwned: TransitionBuffer?
    let branch: ModelBranching?
    let batch: TransitionBatch
    public private(set) var realSteps = 0
    public private(set) var evaluations: [(steps: Int, meanReturn: Double)] = []
    /// Exploration, batch sampling and updates draw from a stream of their own, so the episodes'
    /// start states come from the caller's generator as for every other agent.
    var explore: RandomSource
    let evaluationSeed: UInt64
    let observation: UnsafeMutablePointer<Double>
    let nextObservation: UnsafeMutablePointer<Double>
    let actionNumbers: UnsafeMutablePointer<Double>
    var lastLimit: Int?

    init(_ environment: ControlEnvironment<D>, learner: L, settings: ReplaySettings, branch: ModelBranching?, seed: UInt64) {
        self.environment = environment
        self.learner = learner
        self.settings = settings
        self.branch = branch
        realBufferOwned = branch == nil
            ? TransitionBuffer(capacity: max(1, settings.bufferCapacity), observationLength: D.observationCount, actionLength: learner.actionLength)
            : nil
        batch = TransitionBatch(capacity: max(1, learner.batchSize), observationLength: D.observationCount, actionLength: learner.actionLength)
        explore = RandomSource(seed: seed, stream: 0x4C52_4E52)  // "LRNR"
        evaluationSeed = seed ^ 0xE7A1_0000_0000_0001
        observation = .allocate(capacity: D.observationCount)
        observation.initialize(repeating: 0, count: D.observationCount)
        nextObservation = .allocate(capacity: D.observationCount)
        nextObservation.initialize(repeating: 0, count: D.observationCount)
        actionNumbers = .allocate(capacity: max(1, learner.actionLength))
        actionNumbers.initialize(repeating: 0, count: max(1, learner.actionLength))
    }

    deinit {
        observation.deallocate()
        nextObservation.deallocate()
        actionNumbers.deallocate()
    }

    var realBuffer: TransitionBuffer { branch?.realBuffer ?? realBufferOwned! }
    public var learnerName: String { branch == nil ? learner.name : "MBPO with \(learner.name)" }
    public var updates: Int { learner.updates }
    public var modelSteps: Int { branch?.modelSteps ?? 0 }
    public var realBufferCount: Int { realBuffer.count }
    public var modelBufferCount: Int? { branch?.modelBuffer.count }
    public func rolloutError(steps: Int, starts: Int, rng: inout RandomSource) -> [Double]? {
        branch?.rolloutError(steps: steps, starts: starts, rng: &rng)
    }
    public var rolloutLength: Int? { branch?.rolloutLength }
    public var ensembleModel: (any AnyEnsembleModel)? { branch?.ensemble }
    public var lossReport: String { learner.updates == 0 ? "no updates yet" : learner.lossReport }

    public func episodes(_ count: Int, maxSteps: Int?, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        try run(episodes: count, steps: nil, maxSteps: maxSteps, rng: &rng, shouldContinue: shouldContinue)
    }

    public func episodes(steps budget: Int, maxSteps: Int?, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        try run(episodes: nil, steps: budget, maxSteps: maxSteps, rng: &rng, shouldContinue: shouldContinue)
    }

    func run(episodes count: Int?, steps budget: Int?, maxSteps: Int?, rng: inout RandomSource,
             shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        let d = environment.dynamics
        let limit = maxSteps ?? environment.maxEpisodeSteps ?? 1000
        lastLimit = maxSteps
        let o = D.observationCount
        let clock = ContinuousClock()
        var out: [PlannerEpisode] = []
        var taken = 0
        while count.map({ out.count < $0 }) ?? (taken < budget!) {
            guard shouldContinue() else { break }
            let start = clock.now
            let modelStepsBefore = modelSteps
            let roundsBefore = branch?.roundCount ?? 0
            var state = d.initialState(&rng)
            environment.state = state
            d.observe(state, into: UnsafeMutableBufferPointer(start: observation, count: o))
            var total = 0.0, steps = 0, terminated = false
            while steps < limit && budget.map({ taken < $0 }) ?? true {
                // An interrupt ends the run at once; the unfinished episode is dropped.
                guard shouldContinue() else { return out }
                let a = realSteps < settings.warmupSteps ? learner.randomAction(&explore)
                    : learner.act(observation, explore: true, realSteps: realSteps, &explore)
                learner.write(a, into: actionNumbers)
                let t = d.transition(state, a)
                d.observe(t.state, into: UnsafeMutableBufferPointer(start: nextObservation, count: o))
                realBuffer.add(observation: observation, action: actionNumbers, next: nextObservation,
                               reward: t.reward, terminated: t.terminated)
                total += t.reward
                steps += 1
                taken += 1
                realSteps += 1
                learner.afterRealStep(realSteps)
                if let branch {
                    let learner = self.learner
                    let steps = realSteps
                    try branch.afterRealStep(realSteps, warmup: settings.warmupSteps, act: { obs, rows, actions in
                        learner.actBatch(obs, rows: rows, realSteps: steps, &self.explore, into: actions)
                    }, shouldContinue: shouldContinue)
                }
                if realSteps >= settings.warmupSteps && realSteps % max(1, settings.updateEvery) == 0 {
                    try update(shouldContinue)
                }
                if settings.evaluateEvery > 0 && realSteps % settings.evaluateEvery == 0 {
                    evaluations.append((realSteps, evaluate(episodes: settings.evaluationEpisodes, maxSteps: maxSteps)))
                }
                state = t.state
                environment.state = state
                observation.update(from: nextObservation, count: o)
                if t.terminated { terminated = true; break }
            }
            var episode = PlannerEpisode(totalReward: total, steps: steps, modelSteps: modelSteps - modelStepsBefore,
                                         seconds: PlannerEpisodes.seconds(clock.now - start), terminated: terminated, actions: nil)
            episode.realStepsAfter = realSteps
            episode.rolloutLength = branch?.rolloutLength
            if let branch {
                episode.modelError = branch.episodeError(roundsBefore: roundsBefore, steps: steps)
                episode.trainingRounds = branch.roundCount - roundsBefore
            }
            out.append(episode)
        }
        return out
    }

    /// `updatesPerStep` gradient updates, each on a fresh batch; none until the buffers hold data.
    func update(_ shouldContinue: () -> Bool) throws {
        let b = batch.capacity
        let real = realBuffer
        guard real.count > 0 else { return }
        var realRows = b
        if let branch {
            guard branch.modelBuffer.count > 0 else { return }
            realRows = min(b, Int((Double(b) * branch.settings.realRatio).rounded()))
        }
        for _ in 0..<settings.updatesPerStep {
            batch.count = b
            batch.sample(from: real, rows: realRows, offset: 0, &explore)
            if let branch, realRows < b {
                batch.sample(from: branch.modelBuffer, rows: b - realRows, offset: realRows, &explore)
            }
            do {
                try learner.update(batch, &explore)
            } catch let e as LearnerDivergedError {
                throw RuntimeError("\(learner.name): \(e.description)")
            }
        }
    }

    public func evaluate(episodes n: Int, maxSteps: Int?) -> Double {
        let d = environment.dynamics
        let limit = maxSteps ?? environment.maxEpisodeSteps ?? 1000
        let o = D.observationCount
        var rng = RandomSource(seed: evaluationSeed, stream: 0xE7A1)
        let obs = UnsafeMutablePointer<Double>.allocate(capacity: o)
        defer { obs.deallocate() }
        var sum = 0.0
        for _ in 0..<max(1, n) {
            var state = d.initialState(&rng)
            var total = 0.0
            for _ in 0..<limit {
                d.observe(state, into: UnsafeMutableBufferPointer(start: obs, count: o))
                let t = d.transition(state, learner.act(obs, explore: false, realSteps: realSteps, &rng))
                total += t.reward
                state = t.state
                if t.terminated { break }
            }
            sum += total
        }
        return sum / Double(max(1, n))
    }

    func checkedObservation(_ values: [Double]) throws -> [Double] {
        guard values.count == D.observationCount else {
            throw RuntimeError("an observation of \(D.gymnasiumID) has \(D.observationCount) numbers, got \(values.count)")
        }
        return values
    }

    public func policy(_ values: [Double], explore: Bool) throws -> [Double] {
        let obs = try checkedObservation(values)
        let a = obs.withUnsafeBufferPointer { learner.act($0.baseAddress!, explore: explore, realSteps: realSteps, &self.explore) }
        learner.write(a, into: actionNumbers)
        return (0..<learner.actionLength).map { actionNumbers[$0] }
    }

    public func q(_ values: [Double], action: [Double]?) throws -> [Double] {
        learner.q(try checkedObservation(values), action: action)
    }

    public func explain(state: [Double]?, depth: Int, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> String {
        let d = environment.dynamics
        let obs = try state.map(checkedObservation) ?? d.observation(d.initialState(&rng))
        let shown = "(" + obs.map { String(format: "%.3f", $0) }.joined(separator: ", ") + ")"
        var text = "\(learnerName) after \(realSteps) real steps and \(learner.updates) updates (\(lossReport))\n"
        let greedy = try policy(obs, explore: false)
        text += "at \(shown): deterministic action " + greedy.map { String(format: "%.3f", $0) }.joined(separator: ", ")
        let qs = try q(obs, action: D.actionNames.isEmpty ? greedy : nil)
        text += ", Q " + qs.map { String(format: "%.3f", $0) }.joined(separator: ", ") + "\n"
        if let k = rolloutLength, let m = modelBufferCount { text += "rollout length \(k), \(m) imagined transitions kept\n" }
        return text
    }
}
