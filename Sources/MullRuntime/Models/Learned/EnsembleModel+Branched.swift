#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension EnsembleModel {
    /// One imagined step for a batch of rows, as MBPO's branched rollouts take it: each row a
    /// random elite (a fresh balanced assignment per call, mbrl-lib's `random_model`), its
    /// Gaussian sampled when the outputs are probabilistic; the reward from the task (or the
    /// network, when learned), termination from the task. `observations` and `next` are
    /// `rows x observationLength`, `actions` `rows x actionLength`; one network evaluation.
    public func stepBatch(_ observations: UnsafePointer<Float>, _ actions: UnsafePointer<Float>, rows: Int,
                          next: UnsafeMutablePointer<Float>, rewards: UnsafeMutablePointer<Float>,
                          terminated: UnsafeMutablePointer<Bool>, _ rng: inout RandomSource) {
        let o = observationLength, a = actionLength, inLen = inputLength, outLen = outputLength, members = settings.members
        precondition(a <= outLen, "stepBatch: an action longer than the model's output")
        let w = work
        w.reserve(rows: rows, members: members, observation: o, output: outLen)
        network.reserve(rows: rows)
        assignMembers(rows, &rng)
        for m in 0..<members { w.counts[m] = 0 }
        for r in 0..<rows { w.counts[w.member[r]] += 1 }
        network.blocks.set(counts: w.counts)
        for m in 0..<members { w.cursor[m] = network.blocks.offsets[m] }
        let input = network.input
        for r in 0..<rows {
            let m = w.member[r]
            let p = w.cursor[m]
            w.cursor[m] = p + 1
            w.order[r] = p
            let x = input + p * inLen
            for j in 0..<o { x[j] = normalizer.apply(observations[r * o + j], j) }
            for j in 0..<a { x[o + j] = normalizer.apply(actions[r * a + j], o + j) }
        }
        network.forward()
        let sampling = settings.probabilistic
        let zig = NormalZiggurat.shared
        // Double copies of one row for the task's reward and termination.
        let s = w.states, n = w.next, act = w.delta
        for r in 0..<rows {
            let p = w.order[r]
            var learned = 0.0
            for j in 0..<outLen {
                var d = Double(network.mean[p * outLen + j])
                if sampling { d += exp(0.5 * Double(network.logVariance[p * outLen + j])) * zig.sample(&rng) }
                if j < o {
                    s[j] = Double(observations[r * o + j])
                    n[j] = s[j] + d
                    next[r * o + j] = Float(n[j])
                } else {
                    learned = d
                }
            }
            for j in 0..<a { act[j] = Double(actions[r * a + j]) }
            let done = task.terminated(next: n)
            terminated[r] = done
            rewards[r] = Float(settings.learnReward ? learned : task.reward(observation: s, action: act, next: n, terminated: done))
        }
    }
}
