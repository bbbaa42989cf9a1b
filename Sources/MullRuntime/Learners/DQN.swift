/// Deep Q-learning on discrete actions: an online Q-network (observation -> one value per
/// action), a target network copied from it every `targetUpdateInterval` real steps, double-DQN
/// targets `r + gamma (1 - done) Q_target(s', argmax_a Q(s', a))`, the Huber loss on the taken
/// action's value, and Adam. An update allocates nothing.
public final class DQN {
    public let settings: DQNSettings
    public let observationLength: Int
    public let actions: Int
    public let online: EnsembleNetwork
    public let target: EnsembleNetwork
    let adam: Adam
    let targets: UnsafeMutablePointer<Float>
    let chosen: UnsafeMutablePointer<Int>
    public private(set) var updates = 0
    public private(set) var lastLoss = 0.0

    public init(observationLength: Int, actions: Int, settings: DQNSettings, seed: UInt64,
                initialization: WeightInitialization = .uniformFanIn) {
        precondition(actions >= 1)
        self.settings = settings
        self.observationLength = observationLength
        self.actions = actions
        var rng = RandomSource(seed: seed, stream: 0xD09)
        let shape = NetworkShape(members: 1, inputs: observationLength, outputs: actions, hidden: settings.hidden,
                                 activation: settings.activation, probabilistic: false)
        let b = max(1, settings.batchSize)
        online = EnsembleNetwork(shape: shape, rng: &rng, capacity: b, initialization: initialization)
        target = EnsembleNetwork(shape: shape, rng: &rng, capacity: b, initialization: initialization)
        target.copyParameters(from: online)
        adam = Adam(AdamSettings(learningRate: Float(settings.learningRate)))
        targets = .allocate(capacity: b)
        targets.initialize(repeating: 0, count: b)
        chosen = .allocate(capacity: b)
        chosen.initialize(repeating: 0, count: b)
    }

    deinit {
        targets.deallocate()
        chosen.deallocate()
    }

    /// The Q-values of one observation, into `values[0 ..< actions]`.
    public func qValues(_ observation: UnsafePointer<Double>, into values: UnsafeMutablePointer<Double>) {
        online.blocks.setUniform(1)
        for j in 0..<observationLength { online.input[j] = Float(observation[j]) }
        online.forward()
        for k in 0..<actions { values[k] = Double(online.mean[k]) }
    }

    /// The greedy action for one observation (the first of equal values).
    public func greedy(_ observation: UnsafePointer<Double>) -> Int {
        online.blocks.setUniform(1)
        for j in 0..<observationLength { online.input[j] = Float(observation[j]) }
        online.forward()
        var best = 0
        for k in 1..<actions where online.mean[k] > online.mean[best] { best = k }
        return best
    }

    /// Greedy actions for a batch of observations (`rows x observationLength`), in chunks of at
    /// most the batch size, written as numbers.
    public func greedyBatch(_ observations: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        let o = observationLength, k = actions, chunk = max(1, settings.batchSize)
        var start = 0
        while start < rows {
            let n = min(chunk, rows - start)
            online.blocks.setUniform(n)
            online.input.update(from: observations + start * o, count: n * o)
            online.forward()
            for r in 0..<n {
                var best = 0
                for j in 1..<k where online.mean[r * k + j] > online.mean[r * k + best] { best = j }
                out[start + r] = Float(best)
            }
            start += n
        }
    }

    /// One gradient step on `batch`.
    public func update(_ batch: TransitionBatch) throws {
        updates += 1
        lastLoss = lossAndGradient(batch)
        guard lastLoss.isFinite else { throw LearnerDivergedError(what: "the Q-network's loss", update: updates) }
        guard abs(online.mean[0]) < LearnerDivergedError.valueLimit else {
            throw LearnerDivergedError(what: "the Q-values (\(online.mean[0]))", update: updates, exploded: true)
        }
        if let limit = settings.maxGradientNorm { clipGradients(to: Float(limit)) }
        adam.step(online.parameters)
    }

    /// Copies the online network into the target network.
    public func updateTarget() { target.copyParameters(from: online) }

    /// The targets of `batch` (double DQN, or the target network's max), then the mean Huber
    /// loss of the taken actions' values; sets the online network's gradients.
    func lossAndGradient(_ batch: TransitionBatch) -> Double {
        let n = batch.count, o = observationLength, k = actions
        let gamma = Float(settings.gamma)
        target.blocks.setUniform(n)
        target.input.update(from: batch.nextObservations, count: n * o)
        target.forward()
        if settings.double {
            online.blocks.setUniform(n)
            online.input.update(from: batch.nextObservations, count: n * o)
            online.forward()
        }
        for r in 0..<n {
            let pick = settings.double ? online.mean + r * k : target.mean + r * k
            var best = 0
            for j in 1..<k where pick[j] > pick[best] { best = j }
            targets[r] = batch.rewards[r] + gamma * batch.continuing[r] * target.mean[r * k + best]
        }
        online.blocks.setUniform(n)
        online.input.update(from: batch.observations, count: n * o)
        online.forward()
        let g = online.outputGradient
        g.update(repeating: 0, count: n * k)
        let delta = Float(settings.huberDelta), inv = 1 / Float(n)
        var loss = 0.0
        for r in 0..<n {
            let raw = batch.actions[r]
            let a = raw.isFinite ? Int(min(max(raw, 0), Float(k - 1))) : 0
            chosen[r] = a
            let d = online.mean[r * k + a] - targets[r]
            if abs(d) < delta {
                loss += Double(0.5 * d * d / delta)
                g[r * k + a] = d / delta * inv
            } else {
                loss += Double(abs(d) - 0.5 * delta)
                g[r * k + a] = (d > 0 ? 1 : -1) * inv
            }
        }
        online.backwardFromOutput()
        return loss / Double(n)
    }

    /// Scales the gradients so their global L2 norm is at most `limit`
    /// (`torch.nn.utils.clip_grad_norm_`).
    func clipGradients(to limit: Float) {
        var sum: Float = 0
        for p in online.parameters { for i in 0..<p.count { sum += p.gradient[i] * p.gradient[i] } }
        let norm = sum.squareRoot()
        guard norm > limit else { return }
        let f = limit / (norm + 1e-6)
        for p in online.parameters { for i in 0..<p.count { p.gradient[i] *= f } }
    }
}
