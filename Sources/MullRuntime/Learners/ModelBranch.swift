/// MBPO's model side on a task whose rewards and terminations are functions of observations:
/// the ensemble (whose buffer is the real buffer), the model buffer of imagined transitions and
/// the branched rollouts that fill it.
final class ModelBranch<D: ControlDynamics & ObservationRewards>: ModelBranching {
    let model: EnsembleModel<D>
    let settings: BranchedRolloutSettings
    let modelName: String
    private(set) var modelBuffer: TransitionBuffer
    private(set) var rolloutLength: Int
    private(set) var modelSteps = 0
    /// Adaptive lengths measured: (real steps, k chosen, k-step errors).
    private(set) var measuredErrors: [(steps: Int, length: Int, errors: [Double])] = []
    var rng: RandomSource
    static var chunk: Int { 1000 }
    let observations: UnsafeMutablePointer<Float>
    let actions: UnsafeMutablePointer<Float>
    let next: UnsafeMutablePointer<Float>
    let rewards: UnsafeMutablePointer<Float>
    let terminated: UnsafeMutablePointer<Bool>

    /// The task's dynamics and action conversions, for comparing the model with the truth.
    let dynamics: D
    let taskActions: LearnedActions<D.Action>

    init(model: EnsembleModel<D>, modelName: String, settings: BranchedRolloutSettings, seed: UInt64,
         dynamics: D, actions taskActions: LearnedActions<D.Action>) {
        self.model = model
        self.dynamics = dynamics
        self.taskActions = taskActions
        model.compareWithTruth(dynamics, action: taskActions.action)
        self.modelName = modelName
        self.settings = settings
        rolloutLength = max(1, settings.length.scheduled(epoch: 0))
        modelBuffer = TransitionBuffer(capacity: settings.modelBufferCapacity(length: rolloutLength),
                                       observationLength: model.observationLength, actionLength: model.actionLength)
        rng = RandomSource(seed: seed, stream: 0x4D42_504F)  // "MBPO"
        let c = Self.chunk, o = model.observationLength, a = model.actionLength
        observations = .allocate(capacity: c * o)
        actions = .allocate(capacity: c * a)
        next = .allocate(capacity: c * o)
        rewards = .allocate(capacity: c)
        terminated = .allocate(capacity: c)
    }

    deinit {
        observations.deallocate()
        actions.deallocate()
        next.deallocate()
        rewards.deallocate()
        terminated.deallocate()
    }

    var realBuffer: TransitionBuffer { model.buffer }
    var roundCount: Int { model.rounds.count }
    func episodeError(roundsBefore: Int, steps: Int) -> Double? { model.episodeError(roundsBefore: roundsBefore, steps: steps) }
    var ensemble: any AnyEnsembleModel { model }

    func rolloutError(steps: Int, starts: Int, rng: inout RandomSource) -> [Double] {
        let a = taskActions
        return model.rolloutError(dynamics, steps: steps, starts: starts, randomAction: { a.number(a.random(&$0)) }, rng: &rng)
    }

    func afterRealStep(_ realSteps: Int, warmup: Int, act: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void,
                       shouldContinue: () -> Bool) throws {
        guard realSteps >= warmup, (realSteps - warmup) % max(1, settings.trainEvery) == 0, model.buffer.count >= 2 else { return }
        var k = settings.length.scheduled(epoch: realSteps / max(1, settings.epochLength))
        if case .adaptive(let threshold, let maximum) = settings.length {
            // Measured on the newest real transitions, before the model trains on them.
            if model.isTrained {
                let errors = kStepErrors(maximum: maximum, newest: min(model.untrainedTransitions, model.buffer.count))
                // The longest prefix of lengths within the threshold (at least one step).
                k = max(1, errors.firstIndex(where: { !($0 <= threshold) }) ?? errors.count)
                measuredErrors.append((realSteps, k, errors))
            } else {
                k = 1
            }
        }
        do {
            try model.train(shouldContinue: shouldContinue)
        } catch let e as TrainingDivergedError {
            throw RuntimeError("model `\(modelName)`: \(e.description)")
        }
        k = max(1, k)
        if k != rolloutLength {
            let capacity = settings.modelBufferCapacity(length: k)
            if capacity != modelBuffer.capacity { modelBuffer = modelBuffer.resized(to: capacity) }
            rolloutLength = k
        }
        try rollout(starts: settings.rolloutsPerStep * settings.trainEvery, length: k, act: act, shouldContinue: shouldContinue)
    }

    /// `starts` rollouts of `length` steps from real observations sampled uniformly, following
    /// the policy; rows stop at predicted terminations. In chunks of `chunk` rows.
    func rollout(starts: Int, length: Int, act: (UnsafePointer<Float>, Int, UnsafeMutablePointer<Float>) -> Void,
                 shouldContinue: () -> Bool) throws {
        let o = model.observationLength, a = model.actionLength
        let real = model.buffer
        var done = 0
        while done < starts {
            guard shouldContinue() else { return }
            var rows = min(Self.chunk, starts - done)
            done += rows
            for r in 0..<rows {
                let i = rng.int(below: real.count)
                (observations + r * o).update(from: real.observations + i * o, count: o)
            }
            for _ in 0..<length {
                act(observations, rows, actions)
                model.stepBatch(observations, actions, rows: rows, next: next, rewards: rewards, terminated: terminated, &rng)
                modelSteps += rows
                var alive = 0
                for r in 0..<rows {
                    modelBuffer.add(observation: observations + r * o, action: actions + r * a, next: next + r * o,
                                    reward: rewards[r], terminated: terminated[r])
                    if !terminated[r] {
                        (observations + alive * o).update(from: next + r * o, count: o)
                        alive += 1
                    }
                }
                rows = alive
                if rows == 0 { break }
            }
        }
    }

    /// The model's k-step error for k = 1 ... `maximum` along the real actions of the newest
    /// `newest` real transitions: from each start, the elites' mean prediction is rolled
    /// forward while the real transitions continue one episode; the squared error against the
    /// real observation is averaged over observation numbers and starts.
    func kStepErrors(maximum: Int, newest: Int) -> [Double] {
        let buffer = model.buffer, o = model.observationLength, a = model.actionLength
        var total = [Double](repeating: 0, count: maximum), counted = [Int](repeating: 0, count: maximum)
        let first = buffer.count - newest
        guard newest > 0 else { return total.map { _ in .nan } }
        for start in first..<buffer.count {
            var predicted = (0..<o).map { Double(buffer.observations[buffer.row(start) * o + $0]) }
            var i = start
            for k in 0..<maximum {
                guard i < buffer.count else { break }
                let r = buffer.row(i)
                let action = (0..<a).map { Double(buffer.actions[r * a + $0]) }
                let members = model.predict(observation: predicted, action: action).prefix(model.elites.count)
                for j in 0..<o { predicted[j] = members.reduce(0) { $0 + $1.mean[j] } / Double(members.count) }
                var squared = 0.0
                for j in 0..<o {
                    let e = predicted[j] - Double(buffer.nextObservations[r * o + j])
                    squared += e * e
                }
                total[k] += squared / Double(o)
                counted[k] += 1
                // The next real transition continues this one if it starts where this one ended.
                guard !buffer.terminals[r], i + 1 < buffer.count else { break }
                let r2 = buffer.row(i + 1)
                var continues = true
                for j in 0..<o where buffer.observations[r2 * o + j] != buffer.nextObservations[r * o + j] { continues = false }
                guard continues else { break }
                i += 1
            }
        }
        return zip(total, counted).map { $1 > 0 ? $0 / Double($1) : .nan }
    }
}
