#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffers of the batched rollouts, grown to the largest batch seen and then reused.
@usableFromInline
final class RolloutWorkspace {
    @usableFromInline var rows = 0
    @usableFromInline var members = 0
    @usableFromInline var states = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    @usableFromInline var returns = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    @usableFromInline var alive = UnsafeMutablePointer<Bool>.allocate(capacity: 1)
    /// Member of each row, and the rows grouped by member (`order`), their block positions.
    @usableFromInline var member = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    @usableFromInline var order = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    @usableFromInline var counts = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    @usableFromInline var cursor = UnsafeMutablePointer<Int>.allocate(capacity: 1)
    @usableFromInline var next = UnsafeMutablePointer<Double>.allocate(capacity: 1)
    @usableFromInline var delta = UnsafeMutablePointer<Double>.allocate(capacity: 1)

    init() {}

    deinit { release() }

    func release() {
        states.deallocate(); returns.deallocate(); alive.deallocate(); member.deallocate(); order.deallocate()
        counts.deallocate(); cursor.deallocate(); next.deallocate(); delta.deallocate()
    }

    @usableFromInline
    func reserve(rows r: Int, members m: Int, observation o: Int, output: Int) {
        guard r > rows || m > members else { return }
        release()
        rows = max(r, rows)
        members = max(m, members)
        states = .allocate(capacity: rows * o)
        returns = .allocate(capacity: rows)
        alive = .allocate(capacity: rows)
        member = .allocate(capacity: rows)
        order = .allocate(capacity: rows)
        counts = .allocate(capacity: members)
        cursor = .allocate(capacity: members)
        next = .allocate(capacity: o)
        delta = .allocate(capacity: output)
    }
}

extension EnsembleModel {
    /// Rolls out `count` action sequences (`horizon * dimension` numbers each, time-major) from
    /// `state` with `settings.particles` particles each, propagating as `settings.propagation`
    /// says; writes each sequence's return (the mean over its particles of the discounted sum of
    /// rewards until termination; NaN counts as -infinity) and the model transitions simulated.
    /// One network evaluation per step for the whole batch. `seed` derives the member
    /// assignments and the sampling noise.
    public func evaluateBatch(from state: UnsafePointer<Double>, sequences: UnsafePointer<Double>, count: Int,
                              horizon: Int, dimension: Int, discount: Double, seed: UInt64,
                              returns out: UnsafeMutablePointer<Double>, steps: UnsafeMutablePointer<Int>) {
        let o = observationLength, outLen = outputLength, inLen = inputLength, members = settings.members
        let propagation = settings.propagation
        let particles = propagation == .expectation ? 1 : settings.particles
        let rows = count * particles
        let eliteCount = elites.count
        let w = work
        w.reserve(rows: rows, members: members, observation: o, output: outLen)
        network.reserve(rows: propagation == .expectation ? rows * eliteCount : rows)
        var rng = RandomSource(seed: seed, stream: 0xB47C)
        let zig = NormalZiggurat.shared
        let sampling = settings.probabilistic && (propagation == .ts1 || propagation == .tsinf)
        for r in 0..<rows {
            (w.states + r * o).update(from: state, count: o)
            w.returns[r] = 0
            w.alive[r] = true
        }
        if propagation == .tsinf || propagation == .mean { assignMembers(rows, &rng) }
        let net = network
        let input = net.input
        let norm = normalizer
        var weight = 1.0
        for t in 0..<horizon {
            if propagation == .ts1 { assignMembers(rows, &rng) }
            // Lay the rows out in member blocks and write their normalised inputs.
            if propagation == .expectation {
                for m in 0..<members { w.counts[m] = 0 }
                for e in elites { w.counts[e] = rows }
                net.blocks.set(counts: w.counts)
                for e in elites {
                    let base = net.blocks.offsets[e]
                    for r in 0..<rows { writeInput(input + (base + r) * inLen, r, t, sequences, horizon, dimension, particles, norm) }
                }
            } else {
                for m in 0..<members { w.counts[m] = 0 }
                for r in 0..<rows { w.counts[w.member[r]] += 1 }
                net.blocks.set(counts: w.counts)
                for m in 0..<members { w.cursor[m] = net.blocks.offsets[m] }
                for r in 0..<rows {
                    let m = w.member[r]
                    let p = w.cursor[m]
                    w.cursor[m] = p + 1
                    w.order[r] = p
                    writeInput(input + p * inLen, r, t, sequences, horizon, dimension, particles, norm)
                }
            }
            net.forward()
            let mean = net.mean, logVariance = net.logVariance
            for r in 0..<rows where w.alive[r] {
                let s = w.states + r * o
                if propagation == .expectation {
                    for j in 0..<outLen { w.delta[j] = 0 }
                    for e in elites {
                        let p = net.blocks.offsets[e] + r
                        for j in 0..<outLen { w.delta[j] += Double(mean[p * outLen + j]) }
                    }
                    for j in 0..<outLen { w.delta[j] /= Double(eliteCount) }
                } else {
                    let p = w.order[r]
                    for j in 0..<outLen {
                        var d = Double(mean[p * outLen + j])
                        if sampling { d += exp(0.5 * Double(logVariance[p * outLen + j])) * zig.sample(&rng) }
                        w.delta[j] = d
                    }
                }
                for j in 0..<o { w.next[j] = s[j] + w.delta[j] }
                let action = sequences + (r / particles) * horizon * dimension + t * dimension
                let terminated = task.terminated(next: w.next)
                let reward = settings.learnReward ? w.delta[o]
                    : task.reward(observation: s, action: action, next: w.next, terminated: terminated)
                w.returns[r] += weight * reward
                s.update(from: w.next, count: o)
                if terminated { w.alive[r] = false }
            }
            weight *= discount
        }
        for c in 0..<count {
            var total = 0.0
            for p in 0..<particles { total += w.returns[c * particles + p] }
            let g = total / Double(particles)
            out[c] = g.isNaN ? -.infinity : g
            steps[c] = horizon * particles
        }
    }

    /// A balanced random assignment of rows to elites: a random permutation cut into equal
    /// parts, one per elite (mbrl-lib's propagation indices).
    @inlinable
    func assignMembers(_ rows: Int, _ rng: inout RandomSource) {
        let w = work
        let e = elites.count
        for r in 0..<rows { w.order[r] = r }
        var i = rows - 1
        while i > 0 {
            let j = rng.int(below: i + 1)
            let tmp = w.order[i]; w.order[i] = w.order[j]; w.order[j] = tmp
            i -= 1
        }
        for k in 0..<rows { w.member[w.order[k]] = elites[k * e / rows] }
    }

    @inlinable @inline(__always)
    func writeInput(_ x: UnsafeMutablePointer<Float>, _ r: Int, _ t: Int, _ sequences: UnsafePointer<Double>,
                    _ horizon: Int, _ dimension: Int, _ particles: Int, _ norm: Normalizer) {
        let o = observationLength
        let s = work.states + r * o
        for j in 0..<o { x[j] = norm.apply(Float(s[j]), j) }
        let a = sequences + (r / particles) * horizon * dimension + t * dimension
        for j in 0..<actionLength { x[o + j] = norm.apply(Float(a[j]), o + j) }
    }

    /// The elites' predictions for one observation and action: per member (elites first) the
    /// predicted next observation's mean and standard deviation (and reward, when learned).
    public func predict(observation: [Double], action: [Double]) -> [(member: Int, mean: [Double], std: [Double])] {
        let o = observationLength, inLen = inputLength, outLen = outputLength, members = settings.members
        network.reserve(rows: members)
        network.blocks.setUniform(1)
        for m in 0..<members {
            let x = network.input + m * inLen
            for j in 0..<o { x[j] = normalizer.apply(Float(observation[j]), j) }
            for j in 0..<actionLength { x[o + j] = normalizer.apply(Float(action[j]), o + j) }
        }
        network.forward()
        let order = elites + (0..<members).filter { !elites.contains($0) }
        return order.map { m in
            var mean = [Double](repeating: 0, count: outLen), std = [Double](repeating: 0, count: outLen)
            for j in 0..<outLen {
                let d = Double(network.mean[m * outLen + j])
                mean[j] = j < o ? observation[j] + d : d
                std[j] = settings.probabilistic ? exp(0.5 * Double(network.logVariance[m * outLen + j])) : 0
            }
            return (m, mean, std)
        }
    }
}

extension EnsembleModel {
    /// One sampled transition, as planners that query single transitions (MCTS) see the model:
    /// a random elite predicts (TS1), and its Gaussian is sampled when the outputs are
    /// probabilistic and the propagation samples (`.ts1`, `.tsinf`); `.mean` takes the random
    /// elite's mean, `.expectation` the average of all elites' means (a deterministic model).
    /// The reward comes from the task (or the network, when learned), termination from the task.
    public func sampleTransition(_ observation: [Double], _ action: [Double], _ rng: inout RandomSource)
        -> (state: [Double], reward: Double, terminated: Bool) {
        let o = observationLength, inLen = inputLength, outLen = outputLength, members = settings.members
        let w = work
        w.reserve(rows: 1, members: members, observation: o, output: outLen)
        network.reserve(rows: members)
        let averaged = settings.propagation == .expectation
        let chosen = averaged ? -1 : elites[rng.int(below: elites.count)]
        // The members asked: every elite (averaged), or the one chosen. No allocation per call.
        let used = averaged ? elites.count : 1
        @inline(__always) func member(_ i: Int) -> Int { averaged ? elites[i] : chosen }
        for k in 0..<members { w.counts[k] = 0 }
        for i in 0..<used { w.counts[member(i)] = 1 }
        network.blocks.set(counts: w.counts)
        for i in 0..<used {
            let m = member(i)
            let x = network.input + network.blocks.offsets[m] * inLen
            for j in 0..<o { x[j] = normalizer.apply(Float(observation[j]), j) }
            for j in 0..<actionLength { x[o + j] = normalizer.apply(Float(action[j]), o + j) }
        }
        network.forward()
        let sampling = settings.probabilistic && (settings.propagation == .ts1 || settings.propagation == .tsinf)
        var next = observation
        var learnedReward = 0.0
        for j in 0..<outLen {
            var d = 0.0
            for i in 0..<used { d += Double(network.mean[network.blocks.offsets[member(i)] * outLen + j]) }
            d /= Double(used)
            if sampling {
                d += exp(0.5 * Double(network.logVariance[network.blocks.offsets[chosen] * outLen + j])) * NormalZiggurat.shared.sample(&rng)
            }
            if j < o { next[j] += d } else { learnedReward = d }
        }
        let terminated = next.withUnsafeBufferPointer { task.terminated(next: $0.baseAddress!) }
        let reward = settings.learnReward ? learnedReward : observation.withUnsafeBufferPointer { s in
            action.withUnsafeBufferPointer { a in
                next.withUnsafeBufferPointer { n in task.reward(observation: s.baseAddress!, action: a.baseAddress!, next: n.baseAddress!, terminated: terminated) }
            }
        }
        return (next, reward, terminated)
    }
}

/// A learned ensemble as the model of a planner over discrete actions (MCTS): states are
/// observation vectors, actions indices, which the networks see as one number.
public struct LearnedDiscreteModel<Task: ObservationRewards>: SimulationModel {
    public typealias State = [Double]
    public typealias Action = Int
    public let model: EnsembleModel<Task>

    public init(_ model: EnsembleModel<Task>) { self.model = model }

    public func step(_ state: [Double], _ action: Int, _ rng: inout RandomSource) -> (state: [Double], reward: Double, terminated: Bool) {
        model.sampleTransition(state, [Double(action)], &rng)
    }
}

/// A learned ensemble as the model a planner searches: states are observation vectors, actions
/// vectors of numbers. Shooting planners use its batched form; `step` (one sampled transition
/// through a random elite) serves planners that query single transitions.
public struct LearnedModel<Task: ObservationRewards>: SimulationModel {
    public typealias State = [Double]
    public typealias Action = [Double]
    public let model: EnsembleModel<Task>

    public init(_ model: EnsembleModel<Task>) { self.model = model }

    public func step(_ state: [Double], _ action: [Double], _ rng: inout RandomSource) -> (state: [Double], reward: Double, terminated: Bool) {
        var r = 0.0, n = 0
        let seed = rng.next()
        state.withUnsafeBufferPointer { s in
            action.withUnsafeBufferPointer { a in
                model.evaluateBatch(from: s.baseAddress!, sequences: a.baseAddress!, count: 1, horizon: 1, dimension: action.count,
                                    discount: 1, seed: seed, returns: &r, steps: &n)
            }
        }
        // The batched form averages particles; a single transition is the first particle's.
        r = model.work.returns[0]
        let next = Array(UnsafeBufferPointer(start: model.work.states, count: model.observationLength))
        let terminated = next.withUnsafeBufferPointer { model.task.terminated(next: $0.baseAddress!) }
        return (next, r, terminated)
    }

    public func evaluateBatch(from state: [Double], sequences: UnsafePointer<Double>, count: Int, horizon: Int, dimension: Int,
                              discount: Double, seed: UInt64, returns: UnsafeMutablePointer<Double>, steps: UnsafeMutablePointer<Int>) -> Bool {
        state.withUnsafeBufferPointer {
            model.evaluateBatch(from: $0.baseAddress!, sequences: sequences, count: count, horizon: horizon, dimension: dimension,
                                discount: discount, seed: seed, returns: returns, steps: steps)
        }
        return true
    }
}

/// A learned model's multi-step prediction of an action sequence beside the true one.
public struct EnsembleRollout: Sendable {
    /// Per step, the mean over the elites of their predicted observations (each elite follows
    /// its own mean prediction from the start).
    public var mean: [[Double]]
    /// Per step and dimension, the standard deviation of the elites' predictions around `mean`.
    public var spread: [[Double]]
    /// Per step, the true observation (up to the step that terminates), when the task is known.
    public var truth: [[Double]]?
    /// Per step with a true observation, the squared error of `mean` averaged over dimensions.
    public var error: [Double]?
}

extension EnsembleModel {
    /// Each elite's own mean trajectory from `observation` under `actions` (one network
    /// evaluation per step for all elites), beside the true trajectory when `trueRollout` is set.
    public func rollout(observation: [Double], actions: [[Double]]) -> EnsembleRollout {
        let o = observationLength, inLen = inputLength, outLen = outputLength, members = settings.members
        network.reserve(rows: members)
        network.blocks.setUniform(1)
        var states = [[Double]](repeating: observation, count: members)
        var mean: [[Double]] = [], spread: [[Double]] = []
        for action in actions {
            for m in 0..<members {
                let x = network.input + m * inLen
                for j in 0..<o { x[j] = normalizer.apply(Float(states[m][j]), j) }
                for j in 0..<actionLength { x[o + j] = normalizer.apply(Float(action[j]), o + j) }
            }
            network.forward()
            for m in 0..<members {
                for j in 0..<o { states[m][j] += Double(network.mean[m * outLen + j]) }
            }
            let n = Double(elites.count)
            let mu = (0..<o).map { j in elites.reduce(0) { $0 + states[$1][j] } / n }
            mean.append(mu)
            spread.append((0..<o).map { j in (elites.reduce(0) { $0 + (states[$1][j] - mu[j]) * (states[$1][j] - mu[j]) } / n).squareRoot() })
        }
        guard let truth = trueRollout?(observation, actions) else { return EnsembleRollout(mean: mean, spread: spread) }
        let error = zip(mean, truth).map { p, t in zip(p, t).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(o) }
        return EnsembleRollout(mean: mean, spread: spread, truth: truth, error: error)
    }
}
