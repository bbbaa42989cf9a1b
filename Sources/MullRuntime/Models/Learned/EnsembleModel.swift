#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A probabilistic ensemble dynamics model (Chua et al., 2018) learned from real transitions of
/// a task: each member predicts the change of the observation (and the reward, when learned)
/// from the normalised observation and action. Trained as mbrl-lib trains it: inputs normalised
/// on all the data before each round, a bootstrap sample per member, a held-out split (or the
/// training data) scoring the members, training stopped after `patience` epochs without a 1%
/// improvement of any member or at `maxEpochs`, the weights of the last epoch in which some member
/// improved by 1% kept (the final ones if none did), elites by score.
///
/// Planners query it in batches (`evaluateBatch`), which the shooting planners call once per
/// iteration for the whole population times particles.
public final class EnsembleModel<Task: ObservationRewards> {
    public let task: Task
    public let settings: EnsembleSettings
    public let network: EnsembleNetwork
    public let buffer: TransitionBuffer
    public let observationLength: Int
    public let actionLength: Int
    public private(set) var normalizer: Normalizer
    public let adam: Adam
    /// Elite members, best first (all members before the first training).
    public private(set) var elites: [Int]
    public private(set) var rounds: [TrainingRound] = []
    /// Transitions in the buffer when the last round started.
    @usableFromInline var trainedUpTo = 0
    @usableFromInline var rng: RandomSource
    /// The task's true observations along an action sequence from an observation (up to the
    /// step that terminates), nil when the observation does not determine the simulator state.
    /// Set by the agent that owns the model, which knows the task's dynamics.
    public var trueRollout: (@Sendable (_ observation: [Double], _ actions: [[Double]]) -> [[Double]]?)?
    /// Rollout workspace (see EnsembleModel+Rollouts).
    @usableFromInline var work: RolloutWorkspace

    public var inputLength: Int { observationLength + actionLength }
    public var outputLength: Int { observationLength + (settings.learnReward ? 1 : 0) }
    public var isTrained: Bool { !rounds.isEmpty }

    public init(task: Task, actionLength: Int, settings: EnsembleSettings, seed: UInt64) throws {
        try settings.validate()
        self.task = task
        self.settings = settings
        observationLength = task.observationLength
        self.actionLength = actionLength
        var rng = RandomSource(seed: seed, stream: 0xE45E)
        let shape = NetworkShape(members: settings.members, inputs: task.observationLength + actionLength,
                                 outputs: task.observationLength + (settings.learnReward ? 1 : 0), hidden: settings.hidden,
                                 activation: settings.activation, probabilistic: settings.probabilistic,
                                 learnLogVarianceBounds: settings.learnLogVarianceBounds)
        network = EnsembleNetwork(shape: shape, rng: &rng, capacity: settings.batchSize * settings.members)
        buffer = TransitionBuffer(capacity: settings.bufferCapacity, observationLength: task.observationLength, actionLength: actionLength)
        normalizer = Normalizer(columns: task.observationLength + actionLength)
        adam = Adam(AdamSettings(learningRate: Float(settings.learningRate), weightDecay: Float(settings.weightDecay)))
        elites = Array(0..<settings.elites)
        self.rng = rng
        work = RolloutWorkspace()
    }

    /// Records a real transition.
    public func add(observation: UnsafePointer<Double>, action: UnsafePointer<Double>, next: UnsafePointer<Double>,
                    reward: Double, terminated: Bool) {
        buffer.add(observation: observation, action: action, next: next, reward: reward, terminated: terminated)
    }

    // MARK: - Training

    /// The normalised input and the target of stored transition `i` (oldest first).
    func example(_ i: Int, input: UnsafeMutablePointer<Float>, target: UnsafeMutablePointer<Float>) {
        let r = buffer.row(i)
        let o = observationLength, a = actionLength
        for j in 0..<o {
            input[j] = normalizer.apply(buffer.observations[r * o + j], j)
            target[j] = buffer.nextObservations[r * o + j] - buffer.observations[r * o + j]
        }
        for j in 0..<a { input[o + j] = normalizer.apply(buffer.actions[r * a + j], o + j) }
        if settings.learnReward { target[o] = buffer.rewards[r] }
    }

    /// Trains on every stored transition; returns what the round measured. `shouldContinue` is
    /// asked before every batch: when it answers false the round ends there as if training had
    /// stopped early (an interrupt then takes effect within one batch).
    @discardableResult
    public func train(shouldContinue: () -> Bool = { true }) throws -> TrainingRound {
        let n = buffer.count
        guard n >= 2 else { throw RuntimeError("an ensemble needs at least 2 real transitions to train, has \(n)") }
        let heldOut = isTrained && buffer.added > trainedUpTo ? heldOutError(since: trainedUpTo) : nil
        let heldOutCount = heldOut == nil ? 0 : min(buffer.added - trainedUpTo, buffer.count)
        let roundIndex = rounds.count + 1
        let inLen = inputLength, outLen = outputLength, members = settings.members

        // Inputs normalised with statistics of all the data, as mbrl-lib refits before each round.
        let rawInputs = UnsafeMutablePointer<Float>.allocate(capacity: n * inLen)
        defer { rawInputs.deallocate() }
        for i in 0..<n {
            let r = buffer.row(i)
            for j in 0..<observationLength { rawInputs[i * inLen + j] = buffer.observations[r * observationLength + j] }
            for j in 0..<actionLength { rawInputs[i * inLen + observationLength + j] = buffer.actions[r * actionLength + j] }
        }
        normalizer.fit(rawInputs, rows: n)
        let inputs = UnsafeMutablePointer<Float>.allocate(capacity: n * inLen)
        let targets = UnsafeMutablePointer<Float>.allocate(capacity: n * outLen)
        defer { inputs.deallocate(); targets.deallocate() }
        for i in 0..<n { example(i, input: inputs + i * inLen, target: targets + i * outLen) }

        // Split: a shuffled held-out part scores the members; the rest is bootstrapped per member.
        var order = Array(0..<n)
        shuffle(&order)
        let validationCount = min(n - 1, Int(Double(n) * settings.validationFraction))
        let scoring = validationCount > 0 ? Array(order[0..<validationCount]) : Array(order)
        let training = Array(order[validationCount...])
        let trainCount = training.count
        var bootstrap = [[Int]](repeating: [], count: members)
        for m in 0..<members { bootstrap[m] = (0..<trainCount).map { _ in training[rng.int(below: trainCount)] } }

        let batch = min(settings.batchSize, trainCount)
        network.reserve(rows: batch * members)
        let batchTargets = UnsafeMutablePointer<Float>.allocate(capacity: batch * members * outLen)
        defer { batchTargets.deallocate() }
        let perMember = network.memberParameterCount
        let snapshot = UnsafeMutablePointer<Float>.allocate(capacity: perMember * members)
        defer { snapshot.deallocate() }

        var best = score(scoring, inputs, targets).mse
        var improvedOnce = false
        var sinceImprovement = 0
        var epochs = 0
        var lastLoss = Double.nan
        var interrupted = false
        for epoch in 1...settings.maxEpochs {
            epochs = epoch
            for m in 0..<members { shuffle(&bootstrap[m]) }
            var start = 0
            while start < trainCount {
                guard shouldContinue() else { interrupted = true; break }
                let rows = min(batch, trainCount - start)
                network.blocks.setUniform(rows)
                for m in 0..<members {
                    for r in 0..<rows {
                        let e = bootstrap[m][start + r]
                        let row = m * rows + r
                        (network.input + row * inLen).update(from: inputs + e * inLen, count: inLen)
                        (batchTargets + row * outLen).update(from: targets + e * outLen, count: outLen)
                    }
                }
                network.forward()
                lastLoss = network.loss(batchTargets, settings.probabilistic ? .gaussianNLL : .meanSquaredError)
                guard lastLoss.isFinite else {
                    throw TrainingDivergedError(round: roundIndex, epoch: epoch, detail: "the loss became \(lastLoss)")
                }
                network.backward()
                adam.step(network.parameters)
                start += rows
            }
            if interrupted { break }
            let scores = score(scoring, inputs, targets).mse
            var improved = false
            for m in 0..<members {
                guard scores[m].isFinite else {
                    throw TrainingDivergedError(round: roundIndex, epoch: epoch, detail: "member \(m + 1) predicts non-finite values")
                }
                if (best[m] - scores[m]) / max(abs(best[m]), 1e-30) > 0.01 {
                    best[m] = scores[m]
                    improved = true
                }
            }
            if improved {
                for m in 0..<members { network.saveMember(m, into: snapshot + m * perMember) }
                improvedOnce = true
            }
            sinceImprovement = improved ? 0 : sinceImprovement + 1
            if sinceImprovement >= settings.patience { break }
        }
        // The ensemble of the last epoch in which any member improved; its final weights if none did.
        if improvedOnce { for m in 0..<members { network.loadMember(m, from: snapshot + m * perMember) } }
        let final = score(scoring, inputs, targets)
        elites = (0..<members).sorted { (final.mse[$0], $0) < (final.mse[$1], $1) }.prefix(settings.elites).map { $0 }
        trainedUpTo = buffer.added
        let round = TrainingRound(transitions: n, epochs: epochs, trainingLoss: lastLoss, validationMSE: final.mse,
                                  validationNLL: final.nll, elites: elites, heldOutError: heldOut,
                                  heldOutCount: heldOutCount)
        rounds.append(round)
        return round
    }

    /// Per member: MSE of the mean and Gaussian NLL per output on the examples `indices`.
    func score(_ indices: [Int], _ inputs: UnsafePointer<Float>, _ targets: UnsafePointer<Float>) -> (mse: [Double], nll: [Double]) {
        let members = settings.members, inLen = inputLength, outLen = outputLength
        var se = [Double](repeating: 0, count: members)
        var nll = [Double](repeating: 0, count: members)
        let chunk = max(1, min(indices.count, network.capacity / members))
        var start = 0
        while start < indices.count {
            let rows = min(chunk, indices.count - start)
            network.blocks.setUniform(rows)
            for m in 0..<members {
                for r in 0..<rows {
                    (network.input + (m * rows + r) * inLen).update(from: inputs + indices[start + r] * inLen, count: inLen)
                }
            }
            network.forward()
            for m in 0..<members {
                for r in 0..<rows {
                    let t = targets + indices[start + r] * outLen
                    let row = (m * rows + r) * outLen
                    for j in 0..<outLen {
                        let d = Double(network.mean[row + j]) - Double(t[j])
                        se[m] += d * d
                        if settings.probabilistic {
                            let lv = Double(network.logVariance[row + j])
                            nll[m] += 0.5 * (d * d * exp(-lv) + lv + log(2 * Double.pi))
                        }
                    }
                }
            }
            start += rows
        }
        let count = Double(indices.count * outLen)
        return (se.map { $0 / count }, settings.probabilistic ? nll.map { $0 / count } : [Double](repeating: .nan, count: members))
    }

    /// Transitions recorded since the last training round (not yet trained on).
    /// The one-step error (MSE) on every transition of an episode of `steps` real steps that
    /// the model had not been trained on when it was measured: at each training round since
    /// `roundsBefore` (rounds made during the episode), and now for the transitions since the
    /// last round. nil when nothing was measured.
    public func episodeError(roundsBefore: Int, steps: Int) -> Double? {
        var squared = 0.0, measured = 0
        for r in rounds[min(roundsBefore, rounds.count)...] where r.heldOutError != nil {
            squared += r.heldOutError! * Double(r.heldOutCount)
            measured += r.heldOutCount
        }
        let tail = min(untrainedTransitions, steps)
        if tail > 0 {
            squared += heldOutError(since: buffer.added - tail) * Double(tail)
            measured += tail
        }
        return measured > 0 ? squared / Double(measured) : nil
    }

    public var untrainedTransitions: Int { isTrained ? min(buffer.added - trainedUpTo, buffer.count) : 0 }

    /// Mean squared one-step error of the elites' mean prediction on transitions added since
    /// `added` transitions had been recorded (with the current normaliser).
    func heldOutError(since added: Int) -> Double {
        let fresh = min(buffer.added - added, buffer.count)
        guard fresh > 0 else { return .nan }
        let inLen = inputLength, outLen = outputLength
        let first = buffer.count - fresh
        let inputs = UnsafeMutablePointer<Float>.allocate(capacity: fresh * inLen)
        let targets = UnsafeMutablePointer<Float>.allocate(capacity: fresh * outLen)
        defer { inputs.deallocate(); targets.deallocate() }
        for i in 0..<fresh { example(first + i, input: inputs + i * inLen, target: targets + i * outLen) }
        let s = score(Array(0..<fresh), inputs, targets).mse
        return elites.reduce(0) { $0 + s[$1] } / Double(elites.count)
    }

    func shuffle(_ xs: inout [Int]) {
        var i = xs.count - 1
        while i > 0 {
            let j = rng.int(below: i + 1)
            xs.swapAt(i, j)
            i -= 1
        }
    }
}
