/// A model-free learner trained from replayed transitions, as the loop of `ReplayAgent` drives
/// it: it acts (exploring or not), takes gradient updates on batches, and may do something after
/// each real step (DQN copies its target network). `Action` is the task's action: `Double` for a
/// one-dimensional continuous action, an index for discrete actions.
public protocol ReplayLearner: AnyObject {
    associatedtype Action
    /// The learner's name for messages ("SAC", "DQN").
    var name: String { get }
    var batchSize: Int { get }
    /// Numbers per action in the replay buffer.
    var actionLength: Int { get }
    var updates: Int { get }
    /// The action for `observation`: exploring (a sample of SAC's policy, DQN's epsilon-greedy
    /// choice after `realSteps` steps) or not (the squashed mean, the greedy action).
    func act(_ observation: UnsafePointer<Double>, explore: Bool, realSteps: Int, _ rng: inout RandomSource) -> Action
    /// Actions for a batch of observations (`rows x observationLength`), exploring, written as
    /// the buffer stores them (model rollouts).
    func actBatch(_ observations: UnsafePointer<Float>, rows: Int, realSteps: Int, _ rng: inout RandomSource,
                  into actions: UnsafeMutablePointer<Float>)
    func randomAction(_ rng: inout RandomSource) -> Action
    /// The action as the buffer stores it.
    func write(_ action: Action, into numbers: UnsafeMutablePointer<Double>)
    func update(_ batch: TransitionBatch, _ rng: inout RandomSource) throws
    /// Called after every real step with the steps taken so far.
    func afterRealStep(_ realSteps: Int)
    /// Q-values of the observation: one per action (DQN), or the critics' minimum for `action`.
    func q(_ observation: [Double], action: [Double]?) -> [Double]
    /// A line on the last update's losses.
    var lossReport: String { get }
}

/// SAC on a task with a one-dimensional continuous action.
public final class SACLearner: ReplayLearner {
    public let sac: SAC
    let low: Double, high: Double
    public init(_ sac: SAC, low: Double, high: Double) {
        self.sac = sac
        self.low = low
        self.high = high
    }
    public var name: String { "SAC" }
    public var batchSize: Int { sac.settings.batchSize }
    public var actionLength: Int { 1 }
    public var updates: Int { sac.updates }

    public func act(_ observation: UnsafePointer<Double>, explore: Bool, realSteps: Int, _ rng: inout RandomSource) -> Double {
        var a = 0.0
        sac.act(observation, deterministic: !explore, &rng, into: &a)
        return min(max(a, low), high)
    }

    public func actBatch(_ observations: UnsafePointer<Float>, rows: Int, realSteps: Int, _ rng: inout RandomSource,
                         into actions: UnsafeMutablePointer<Float>) {
        sac.sampleActions(observations, rows: rows, &rng, into: actions)
    }

    public func randomAction(_ rng: inout RandomSource) -> Double { rng.uniform(low, high) }
    public func write(_ action: Double, into numbers: UnsafeMutablePointer<Double>) { numbers[0] = action }
    public func update(_ batch: TransitionBatch, _ rng: inout RandomSource) throws { try sac.update(batch, &rng) }
    public func afterRealStep(_ realSteps: Int) {}

    public func q(_ observation: [Double], action: [Double]?) -> [Double] {
        [sac.criticValue(observation, action: action ?? [0])]
    }

    public var lossReport: String {
        String(format: "critic loss %.4g, actor loss %.4g, alpha %.4g, entropy %.3g", sac.lastCriticLoss, sac.lastActorLoss, sac.alpha, -sac.lastLogProbability)
    }
}

/// DQN on a task with discrete actions.
public final class DQNLearner: ReplayLearner {
    public let dqn: DQN
    let values: UnsafeMutablePointer<Double>
    public init(_ dqn: DQN) {
        self.dqn = dqn
        values = .allocate(capacity: dqn.actions)
        values.initialize(repeating: 0, count: dqn.actions)
    }
    deinit { values.deallocate() }
    public var name: String { "DQN" }
    public var batchSize: Int { dqn.settings.batchSize }
    public var actionLength: Int { 1 }
    public var updates: Int { dqn.updates }

    public func act(_ observation: UnsafePointer<Double>, explore: Bool, realSteps: Int, _ rng: inout RandomSource) -> Int {
        if explore && rng.uniform() < dqn.settings.epsilon.value(at: realSteps) { return rng.int(below: dqn.actions) }
        return dqn.greedy(observation)
    }

    public func actBatch(_ observations: UnsafePointer<Float>, rows: Int, realSteps: Int, _ rng: inout RandomSource,
                         into actions: UnsafeMutablePointer<Float>) {
        dqn.greedyBatch(observations, rows: rows, into: actions)
        let eps = dqn.settings.epsilon.value(at: realSteps)
        for r in 0..<rows where rng.uniform() < eps { actions[r] = Float(rng.int(below: dqn.actions)) }
    }

    public func randomAction(_ rng: inout RandomSource) -> Int { rng.int(below: dqn.actions) }
    public func write(_ action: Int, into numbers: UnsafeMutablePointer<Double>) { numbers[0] = Double(action) }
    public func update(_ batch: TransitionBatch, _ rng: inout RandomSource) throws { try dqn.update(batch) }

    var realSteps = 0
    public func afterRealStep(_ realSteps: Int) {
        self.realSteps = realSteps
        if realSteps % max(1, dqn.settings.targetUpdateInterval) == 0 { dqn.updateTarget() }
    }

    public func q(_ observation: [Double], action: [Double]?) -> [Double] {
        observation.withUnsafeBufferPointer { dqn.qValues($0.baseAddress!, into: values) }
        let all = (0..<dqn.actions).map { values[$0] }
        if let a = action?.first, a.isFinite { return [all[Int(min(max(a, 0), Double(dqn.actions - 1)))]] }
        return all
    }

    public var lossReport: String {
        String(format: "Huber loss %.4g, epsilon %.3g", dqn.lastLoss, dqn.settings.epsilon.value(at: realSteps))
    }
}
