import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MullRuntime

/// Finite-difference checks of SAC's and DQN's losses with respect to every network parameter,
/// on small tanh networks (no kinks) in Float32: central differences with h = 1e-2 on losses of
/// order 1 are accurate to ~1e-4 relative, far inside the 3% tolerance, while a wrong factor
/// (the tanh correction, the reparameterisation, the twin minimum, the Huber slope) is off by
/// far more. The minimum of the twin critics has a kink where they are equal; the few entries
/// whose perturbation would cross it are allowed to miss (at most 2%).
@Suite struct LearnerGradientTests {
    static func batch(observations o: Int, actions a: Int, rows: Int, discreteActions: Int? = nil, seed: UInt64) -> TransitionBatch {
        var rng = RandomSource(seed: seed)
        let b = TransitionBatch(capacity: rows, observationLength: o, actionLength: a)
        for i in 0..<(rows * o) {
            b.observations[i] = Float(rng.uniform(-1, 1))
            b.nextObservations[i] = Float(rng.uniform(-1, 1))
        }
        for i in 0..<(rows * a) {
            b.actions[i] = discreteActions.map { Float(rng.int(below: $0)) } ?? Float(rng.uniform(-2, 2))
        }
        for r in 0..<rows {
            b.rewards[r] = Float(rng.uniform(-1, 1))
            b.continuing[r] = r % 5 == 0 ? 0 : 1
        }
        return b
    }

    /// Compares analytic gradients of `net`'s trainable parameters with central differences
    /// of `loss`; returns the share of entries off by more than 3% and how many were checked.
    static func check(_ net: EnsembleNetwork, loss: () -> Double) -> (bad: Double, checked: Int) {
        _ = loss()
        var saved: [(Parameter, [Float])] = []
        for p in net.parameters where p.trainable { saved.append((p, (0..<p.count).map { p.gradient[$0] })) }
        let h: Float = 1e-2
        var bad = 0, checked = 0
        for (p, g) in saved {
            for i in 0..<p.count {
                let v = p.value[i]
                p.value[i] = v + h
                let up = loss()
                p.value[i] = v - h
                let down = loss()
                p.value[i] = v
                let numeric = (up - down) / Double(2 * h)
                let err = abs(numeric - Double(g[i])) / max(1e-2, abs(numeric) + abs(Double(g[i])))
                if err > 0.03 { bad += 1 }
                checked += 1
            }
        }
        return (Double(bad) / Double(max(1, checked)), checked)
    }

    static func smallSAC(alpha: Double = 0.7) -> SAC {
        var s = SACSettings()
        s.hidden = [7, 6]
        s.activation = .tanh
        s.batchSize = 12
        s.initialAlpha = alpha
        return SAC(observationLength: 3, low: [-2, -1], high: [2, 3], settings: s, seed: 5, initialization: .uniformFanIn)
    }

    @Test func sacCriticLossGradient() {
        let sac = Self.smallSAC()
        let b = Self.batch(observations: 3, actions: 2, rows: 12, seed: 1)
        var rng = RandomSource(seed: 2)
        sac.computeCriticTargets(b, &rng)
        let (bad, checked) = Self.check(sac.critic) { sac.criticLossAndGradient(b) }
        #expect(checked == sac.critic.parameters.reduce(0) { $0 + $1.count })
        #expect(bad == 0)
    }

    @Test func sacActorLossGradient() {
        let sac = Self.smallSAC()
        let b = Self.batch(observations: 3, actions: 2, rows: 12, seed: 3)
        var rng = RandomSource(seed: 4)
        sac.drawNoise(rows: 12, &rng)
        let (bad, checked) = Self.check(sac.actor) { sac.actorLossAndGradient(b).loss }
        #expect(checked > 100)
        #expect(bad <= 0.02)
    }

    /// The log-probability of a squashed sample against a direct computation in Double:
    /// log N(x; mu, sigma) - sum log(scale (1 - tanh(x)^2) + 1e-6).
    @Test func sacLogProbability() {
        let sac = Self.smallSAC()
        let b = Self.batch(observations: 3, actions: 2, rows: 12, seed: 6)
        var rng = RandomSource(seed: 7)
        sac.drawNoise(rows: 12, &rng)
        sac.samplePolicy(b.observations, rows: 12)
        let scale = [2.0, 2.0], offset = [0.0, 1.0]
        for r in 0..<12 {
            var expected = 0.0
            for j in 0..<2 {
                let mu = Double(sac.actor.mean[r * 4 + j]), ls = Double(sac.actor.mean[r * 4 + 2 + j])
                let sigma: Double = exp(ls)
                let x: Double = mu + sigma * Double(sac.noise[r * 2 + j])
                let z: Double = (x - mu) / sigma
                let y: Double = tanh(x)
                expected += -0.5 * z * z - ls - 0.5 * log(2 * Double.pi)
                expected -= log(scale[j] * (1 - y * y) + 1e-6)
                #expect(abs(Double(sac.sampledActions[r * 2 + j]) - (y * scale[j] + offset[j])) < 1e-5)
            }
            #expect(abs(Double(sac.logProbability[r]) - expected) < 1e-4)
        }
    }

    @Test func dqnHuberLossGradient() {
        var s = DQNSettings()
        s.hidden = [7, 6]
        s.activation = .tanh
        s.batchSize = 12
        s.double = false
        // Rewards of several units so some errors pass the Huber threshold.
        let dqn = DQN(observationLength: 4, actions: 3, settings: s, seed: 8)
        let b = Self.batch(observations: 4, actions: 1, rows: 12, discreteActions: 3, seed: 9)
        for r in 0..<12 { b.rewards[r] *= 4 }
        let (bad, checked) = Self.check(dqn.online) { dqn.lossAndGradient(b) }
        #expect(checked == dqn.online.parameters.reduce(0) { $0 + $1.count })
        #expect(bad == 0)
    }

    /// Double DQN values the next state with the target network at the online network's choice.
    @Test func doubleDQNTargets() {
        var s = DQNSettings()
        s.hidden = [5]
        s.batchSize = 4
        let dqn = DQN(observationLength: 2, actions: 3, settings: s, seed: 10)
        // A target network different from the online one.
        var rng = RandomSource(seed: 11)
        for p in dqn.target.parameters { for i in 0..<p.count { p.value[i] = Float(rng.uniform(-1, 1)) } }
        let b = Self.batch(observations: 2, actions: 1, rows: 4, discreteActions: 3, seed: 12)
        _ = dqn.lossAndGradient(b)
        for r in 0..<4 {
            let next = (0..<2).map { Double(b.nextObservations[r * 2 + $0]) }
            var online = [Double](repeating: 0, count: 3)
            next.withUnsafeBufferPointer { dqn.qValues($0.baseAddress!, into: &online) }
            let pick = online.indices.max { online[$0] < online[$1] }!
            dqn.target.blocks.setUniform(1)
            for j in 0..<2 { dqn.target.input[j] = Float(next[j]) }
            dqn.target.forward()
            let expected = Double(b.rewards[r]) + 0.99 * Double(b.continuing[r]) * Double(dqn.target.mean[pick])
            #expect(abs(Double(dqn.targets[r]) - expected) < 1e-4)
        }
    }

    /// Polyak averaging moves every target weight a fraction tau of the way.
    @Test func softTargetUpdate() throws {
        let sac = Self.smallSAC()
        let before = sac.targetCritic.parameters.map(\.values)
        for p in sac.critic.parameters { for i in 0..<p.count { p.value[i] += 1 } }
        sac.targetCritic.blendParameters(from: sac.critic, tau: 0.25)
        for (p, old) in zip(sac.targetCritic.parameters, before) {
            for i in 0..<p.count { #expect(abs(p.value[i] - (old[i] + 0.25)) < 1e-5) }
        }
    }
}

/// MBPO's rollout-length schedule, as mbrl-lib's `truncated_linear(e0, e1, k0, k1, epoch + 1)`.
@Suite struct RolloutScheduleTests {
    @Test func schedule() {
        let s = RolloutLength.schedule(fromEpoch: 20, toEpoch: 100, from: 1, to: 15)
        #expect(s.scheduled(epoch: 0) == 1)
        #expect(s.scheduled(epoch: 19) == 1)
        #expect(s.scheduled(epoch: 59) == 8)   // x = 60: 1 + 0.5 * 14
        #expect(s.scheduled(epoch: 99) == 15)
        #expect(s.scheduled(epoch: 500) == 15)
        #expect(RolloutLength.schedule(fromEpoch: 5, toEpoch: 5, from: 1, to: 4).scheduled(epoch: 0) == 4)
        #expect(s.maximum == 15)
    }

    @Test func modelBufferCapacity() {
        var b = BranchedRolloutSettings()
        b.rolloutsPerStep = 400
        b.trainEvery = 250
        b.epochLength = 1000
        b.retainEpochs = 2
        #expect(b.modelBufferCapacity(length: 3) == 3 * 400 * 250 * 4 * 2)
    }
}

/// A diverging learner stops with an error naming what diverged and the update.
@Suite struct LearnerDivergenceTests {
    @Test func sacNonFiniteLoss() {
        let sac = LearnerGradientTests.smallSAC()
        let b = LearnerGradientTests.batch(observations: 3, actions: 2, rows: 12, seed: 13)
        b.rewards[3] = .infinity
        var rng = RandomSource(seed: 14)
        #expect(throws: LearnerDivergedError.self) { try sac.update(b, &rng) }
        do { try sac.update(b, &rng) } catch { #expect("\(error)".contains("the critics' loss is not finite at update 2")) }
    }

    @Test func dqnExplodingValues() throws {
        var s = DQNSettings()
        s.hidden = [4]
        s.batchSize = 4
        let dqn = DQN(observationLength: 2, actions: 2, settings: s, seed: 15)
        for i in 0..<dqn.online.layers[1].bias.count { dqn.online.layers[1].bias.value[i] = 1e10 }
        let b = LearnerGradientTests.batch(observations: 2, actions: 1, rows: 4, discreteActions: 2, seed: 16)
        do {
            try dqn.update(b)
            Issue.record("no error")
        } catch {
            #expect("\(error)".contains("exceeded 1e9 at update 1"), "\(error)")
        }
    }
}
