#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Soft actor-critic for continuous actions in a box: a tanh-squashed Gaussian actor, twin
/// Q-networks (one two-member `EnsembleNetwork`, each member seeing the whole batch) with
/// Polyak-averaged targets, and automatic entropy tuning. One update is, in this order (as in
/// the reference implementations): the critics towards
/// `r + gamma (1 - done) (min_i Q'_i(s', a') - alpha log pi(a'|s'))` with `a' ~ pi(s')`; the
/// actor on `mean(alpha log pi(a|s) - min_i Q_i(s, a))` through the updated critics with
/// `a ~ pi(s)` reparameterised; the temperature on `-mean(log alpha (log pi + target entropy))`;
/// then the targets. Every buffer is allocated once; an update allocates nothing.
public final class SAC {
    public let settings: SACSettings
    public let observationLength: Int
    public let actionLength: Int
    public let actor: EnsembleNetwork
    public let critic: EnsembleNetwork
    public let targetCritic: EnsembleNetwork
    let actorAdam: Adam
    let criticAdam: Adam
    let alphaAdam: Adam
    /// log alpha, the temperature's logarithm (the tuned parameter).
    public let logAlpha: Parameter
    /// Action = tanh(x) * scale + offset, per dimension.
    let scale: [Float]
    let offset: [Float]
    let targetEntropy: Float
    public private(set) var updates = 0
    /// The last update's losses (critics summed), mean log-probability and temperature.
    public private(set) var lastCriticLoss = 0.0
    public private(set) var lastActorLoss = 0.0
    public private(set) var lastLogProbability = 0.0

    // Per-row scratch for a batch: standard normal noise, pre-squash sample x, y = tanh(x),
    // the log standard deviation (clamped) and whether it was clamped, log-probabilities,
    // the critics' targets.
    let noise: UnsafeMutablePointer<Float>
    let squashed: UnsafeMutablePointer<Float>
    let logStd: UnsafeMutablePointer<Float>
    let clamped: UnsafeMutablePointer<Bool>
    let logProbability: UnsafeMutablePointer<Float>
    let sampledActions: UnsafeMutablePointer<Float>
    let targets: UnsafeMutablePointer<Float>
    let capacity: Int

    public var alpha: Double { Double(expf(logAlpha.value[0])) }

    public init(observationLength: Int, low: [Double], high: [Double], settings: SACSettings, seed: UInt64,
                initialization: WeightInitialization = .xavierUniform) {
        precondition(low.count == high.count && !low.isEmpty)
        self.settings = settings
        self.observationLength = observationLength
        actionLength = low.count
        let o = observationLength, a = actionLength, b = max(1, settings.batchSize)
        var rng = RandomSource(seed: seed, stream: 0x5AC)
        actor = EnsembleNetwork(shape: NetworkShape(members: 1, inputs: o, outputs: 2 * a, hidden: settings.hidden,
                                                    activation: settings.activation, probabilistic: false),
                                rng: &rng, capacity: b, initialization: initialization)
        let criticShape = NetworkShape(members: 2, inputs: o + a, outputs: 1, hidden: settings.hidden,
                                       activation: settings.activation, probabilistic: false)
        critic = EnsembleNetwork(shape: criticShape, rng: &rng, capacity: 2 * b, initialization: initialization)
        targetCritic = EnsembleNetwork(shape: criticShape, rng: &rng, capacity: 2 * b, initialization: initialization)
        targetCritic.copyParameters(from: critic)
        let lr = Float(settings.learningRate)
        actorAdam = Adam(AdamSettings(learningRate: lr))
        criticAdam = Adam(AdamSettings(learningRate: lr))
        alphaAdam = Adam(AdamSettings(learningRate: lr))
        logAlpha = Parameter(count: 1, trainable: settings.tuneEntropy)
        logAlpha.value[0] = Float(log(settings.initialAlpha))
        scale = zip(low, high).map { Float(($1 - $0) / 2) }
        offset = zip(low, high).map { Float(($1 + $0) / 2) }
        targetEntropy = Float(settings.targetEntropy ?? -Double(a))
        capacity = b
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        noise = buffer(b * a)
        squashed = buffer(b * a)
        logStd = buffer(b * a)
        clamped = .allocate(capacity: b * a)
        clamped.initialize(repeating: false, count: b * a)
        logProbability = buffer(b)
        sampledActions = buffer(b * a)
        targets = buffer(b)
    }

    deinit {
        for p in [noise, squashed, logStd, logProbability, sampledActions, targets] { p.deallocate() }
        clamped.deallocate()
    }

    // MARK: Acting

    /// An action for one observation: the squashed mean (`deterministic`, for evaluation) or a
    /// sample of the policy.
    public func act(_ observation: UnsafePointer<Double>, deterministic: Bool, _ rng: inout RandomSource,
                    into action: UnsafeMutablePointer<Double>) {
        let o = observationLength, a = actionLength
        actor.blocks.setUniform(1)
        for j in 0..<o { actor.input[j] = Float(observation[j]) }
        actor.forward()
        for j in 0..<a {
            var x = actor.mean[j]
            if !deterministic {
                let ls = min(max(actor.mean[a + j], settings.logStdMin), settings.logStdMax)
                x += expf(ls) * Float(rng.normal())
            }
            action[j] = Double(tanhf(x) * scale[j] + offset[j])
        }
    }

    /// Policy samples for a batch of observations (`rows x observationLength`), in chunks of at
    /// most the batch size, into `actions` (`rows x actionLength`).
    public func sampleActions(_ observations: UnsafePointer<Float>, rows: Int, _ rng: inout RandomSource,
                              into actions: UnsafeMutablePointer<Float>) {
        let o = observationLength, a = actionLength
        var start = 0
        while start < rows {
            let n = min(capacity, rows - start)
            drawNoise(rows: n, &rng)
            samplePolicy(observations + start * o, rows: n)
            (actions + start * a).update(from: sampledActions, count: n * a)
            start += n
        }
    }

    /// The smaller of the two critics' values of one observation and action.
    public func criticValue(_ observation: [Double], action: [Double]) -> Double {
        let o = observationLength, a = actionLength
        critic.blocks.setUniform(1)
        for m in 0..<2 {
            let x = critic.input + m * (o + a)
            for j in 0..<o { x[j] = Float(observation[j]) }
            for j in 0..<a { x[o + j] = Float(j < action.count ? action[j] : 0) }
        }
        critic.forward()
        return Double(min(critic.mean[0], critic.mean[1]))
    }

    // MARK: The update

    /// One update of critics, actor, temperature and targets from `batch`.
    public func update(_ batch: TransitionBatch, _ rng: inout RandomSource) throws {
        updates += 1
        computeCriticTargets(batch, &rng)
        lastCriticLoss = criticLossAndGradient(batch)
        guard lastCriticLoss.isFinite else { throw LearnerDivergedError(what: "the critics' loss", update: updates) }
        guard abs(critic.mean[0]) < LearnerDivergedError.valueLimit else {
            throw LearnerDivergedError(what: "the critics' values (\(critic.mean[0]))", update: updates, exploded: true)
        }
        criticAdam.step(critic.parameters)
        drawNoise(rows: batch.count, &rng)
        let (loss, meanLogP) = actorLossAndGradient(batch)
        lastActorLoss = loss
        lastLogProbability = meanLogP
        guard loss.isFinite else { throw LearnerDivergedError(what: "the actor's loss", update: updates) }
        actorAdam.step(actor.parameters)
        if settings.tuneEntropy {
            logAlpha.gradient[0] = -(Float(meanLogP) + targetEntropy)
            alphaAdam.step([logAlpha])
        }
        if updates % max(1, settings.targetUpdateInterval) == 0 {
            targetCritic.blendParameters(from: critic, tau: Float(settings.tau))
        }
    }

    /// Samples the policy at `observations` (`rows` rows) with `noise`: writes the actions to
    /// `sampledActions` and their log-probabilities to `logProbability`, keeping what the
    /// actor's gradient needs. The actor's forward pass must not be overwritten before
    /// `actorLossAndGradient` reads it.
    func samplePolicy(_ observations: UnsafePointer<Float>, rows: Int) {
        let o = observationLength, a = actionLength
        actor.blocks.setUniform(rows)
        actor.input.update(from: observations, count: rows * o)
        actor.forward()
        let halfLog2Pi: Float = 0.918_938_5
        for r in 0..<rows {
            var lp: Float = 0
            for j in 0..<a {
                let i = r * a + j
                let raw = actor.mean[r * 2 * a + a + j]
                let ls = min(max(raw, settings.logStdMin), settings.logStdMax)
                logStd[i] = ls
                clamped[i] = raw < settings.logStdMin || raw > settings.logStdMax
                let eps = noise[i]
                let x = actor.mean[r * 2 * a + j] + expf(ls) * eps
                let y = tanhf(x)
                squashed[i] = y
                sampledActions[i] = y * scale[j] + offset[j]
                lp += -0.5 * eps * eps - ls - halfLog2Pi - logf(scale[j] * (1 - y * y) + 1e-6)
            }
            logProbability[r] = lp
        }
    }

    func drawNoise(rows: Int, _ rng: inout RandomSource) {
        for i in 0..<(rows * actionLength) { noise[i] = Float(rng.normal()) }
    }

    /// Writes observation-action pairs into a two-member critic's input: member 0's block then
    /// member 1's, the same rows in each.
    func writeCriticInput(_ net: EnsembleNetwork, _ observations: UnsafePointer<Float>, _ actions: UnsafePointer<Float>, rows: Int) {
        let o = observationLength, a = actionLength, w = o + a
        net.blocks.setUniform(rows)
        for m in 0..<2 {
            for r in 0..<rows {
                let x = net.input + (m * rows + r) * w
                x.update(from: observations + r * o, count: o)
                (x + o).update(from: actions + r * a, count: a)
            }
        }
    }

    /// The critics' regression targets for `batch`, from the target critics and a fresh policy
    /// sample at the next observations.
    func computeCriticTargets(_ batch: TransitionBatch, _ rng: inout RandomSource) {
        let n = batch.count
        drawNoise(rows: n, &rng)
        samplePolicy(batch.nextObservations, rows: n)
        writeCriticInput(targetCritic, batch.nextObservations, sampledActions, rows: n)
        targetCritic.forward()
        let alpha = expf(logAlpha.value[0]), gamma = Float(settings.gamma)
        for r in 0..<n {
            let q = min(targetCritic.mean[r], targetCritic.mean[n + r]) - alpha * logProbability[r]
            targets[r] = batch.rewards[r] + gamma * batch.continuing[r] * q
        }
    }

    /// Sum over both critics of the mean squared error against `targets`; sets the critics'
    /// gradients.
    func criticLossAndGradient(_ batch: TransitionBatch) -> Double {
        let n = batch.count
        writeCriticInput(critic, batch.observations, batch.actions, rows: n)
        critic.forward()
        var loss = 0.0
        let g = critic.outputGradient
        for m in 0..<2 {
            for r in 0..<n {
                let d = critic.mean[m * n + r] - targets[r]
                loss += Double(d * d)
                g[m * n + r] = 2 * d / Float(n)
            }
        }
        critic.backwardFromOutput()
        return loss / Double(n)
    }

    /// The actor's loss `mean(alpha log pi(a|s) - min_i Q_i(s, a))` with `a` reparameterised by
    /// `noise`, and the mean log-probability; sets the actor's gradients (the critics' own
    /// gradients are not touched).
    func actorLossAndGradient(_ batch: TransitionBatch) -> (loss: Double, meanLogProbability: Double) {
        let n = batch.count, o = observationLength, a = actionLength
        samplePolicy(batch.observations, rows: n)
        writeCriticInput(critic, batch.observations, sampledActions, rows: n)
        critic.forward()
        let alpha = expf(logAlpha.value[0])
        let inv = 1 / Float(n)
        var loss = 0.0, sumLogP = 0.0
        let gq = critic.outputGradient
        for r in 0..<n {
            let q0 = critic.mean[r], q1 = critic.mean[n + r]
            let first = q0 <= q1
            loss += Double(alpha * logProbability[r] - (first ? q0 : q1))
            sumLogP += Double(logProbability[r])
            gq[r] = first ? -inv : 0
            gq[n + r] = first ? 0 : -inv
        }
        // Only the gradient with respect to the action is needed: the critics are not trained on
        // the actor's loss.
        critic.backwardFromOutput(inputGradient: true, parameterGradients: false)
        let dq = critic.inputGradient
        let g = actor.outputGradient
        for r in 0..<n {
            for j in 0..<a {
                let i = r * a + j
                let y = squashed[i], s = scale[j]
                let slope = 1 - y * y
                // d/dx of -log(s (1 - y^2) + 1e-6), and of -min Q through a = s tanh(x) + offset.
                let dQda = dq[r * (o + a) + o + j] + dq[(n + r) * (o + a) + o + j]
                let gx = alpha * inv * 2 * y * s * slope / (s * slope + 1e-6) + dQda * s * slope
                let std = expf(logStd[i])
                g[r * 2 * a + j] = gx
                // log N(x; mu, std) with x = mu + std eps contributes -1 per log std.
                g[r * 2 * a + a + j] = clamped[i] ? 0 : -alpha * inv + gx * std * noise[i]
            }
        }
        actor.backwardFromOutput()
        return (loss / Double(n), sumLogP / Double(n))
    }
}
