/// How a learned ensemble is compared with the true dynamics of its task, for PETS agents and
/// MBPO alike: `rollout(...)` beside the true trajectory, and the k-step error sweeps record as
/// `.rollout_error`.
extension EnsembleModel where Task: ControlDynamics {
    /// Makes `rollout(observation:actions:)` also give the true trajectory (and so the error):
    /// `action` turns the model's action number into the task's action.
    func compareWithTruth(_ dynamics: Task, action: @escaping @Sendable (Double) -> Task.Action) {
        trueRollout = { observation, sequence in
            guard var state = dynamics.state(observation: observation) else { return nil }
            var out: [[Double]] = []
            for a in sequence {
                let t = dynamics.transition(state, action(a[0]))
                state = t.state
                out.append(dynamics.observation(state))
                if t.terminated { break }
            }
            return out
        }
    }

    /// The model's mean squared error k steps ahead, k = 1...`steps`, averaged over `starts`
    /// start states of the task under uniformly random actions (`randomAction` gives the
    /// model's action number); needs `compareWithTruth` first.
    func rolloutError(_ dynamics: Task, steps: Int, starts: Int, randomAction: (inout RandomSource) -> Double,
                      rng: inout RandomSource) -> [Double] {
        var total = [Double](repeating: 0, count: steps), counted = [Int](repeating: 0, count: steps)
        for _ in 0..<starts {
            let obs = dynamics.observation(dynamics.initialState(&rng))
            let sequence = (0..<steps).map { _ in [randomAction(&rng)] }
            guard let error = rollout(observation: obs, actions: sequence).error else { continue }
            for (k, e) in error.enumerated() {
                total[k] += e
                counted[k] += 1
            }
        }
        return zip(total, counted).map { $1 > 0 ? $0 / Double($1) : .nan }
    }
}

extension LearnedActions where Action == Double {
    /// A continuous action in [lo, hi].
    static func continuous(_ lo: Double, _ hi: Double) -> LearnedActions<Double> {
        LearnedActions(random: { $0.uniform(lo, hi) }, number: { $0 }, action: { min(max($0, lo), hi) })
    }
}

extension LearnedActions where Action == Int {
    /// One of `n` discrete actions, as its index.
    static func discrete(_ n: Int) -> LearnedActions<Int> {
        LearnedActions(random: { $0.int(below: n) }, number: { Double($0) },
                       action: { $0.isFinite ? Int(min(max($0.rounded(), 0), Double(n - 1))) : 0 })
    }
}
