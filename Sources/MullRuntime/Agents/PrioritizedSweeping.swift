/// Prioritized sweeping (Moore & Atkeson, 1993; Sutton & Barto §8.4 box).
///
/// Each real transition is recorded in the model and its pair queued with priority
/// |R + gamma max_a Q(S', a) - Q(S, A)| if that exceeds `theta`. Then up to `planningSteps`
/// times while the queue is not empty: pop the top pair, update it from the model's outcome
/// (sampled, for a stochastic model), and queue every predecessor pair the model predicts to lead
/// to its state with its own priority. There is no direct update from the real transition.
/// The queue holds at most one entry per pair; re-queuing keeps the higher priority.
public final class PrioritizedSweeping<Model: TabularModel>: TabularAgent {
    public let stateCount: Int
    public let actionCount: Int
    public let settings: TabularSettings
    public let planningSteps: Int
    public let theta: Double
    public let model: Model
    @usableFromInline let table: QTable
    @usableFromInline let queue: IndexedMaxHeap
    public private(set) var realSteps = 0
    public private(set) var planningUpdates = 0
    public var q: [Double] { table.values }
    public func qValue(_ state: Int, _ action: Int) -> Double { table[state, action] }
    /// Pairs currently queued.
    public var queuedCount: Int { queue.count }

    public init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init(), planningSteps: Int, theta: Double, model: Model) throws {
        try checkTabularSizes(stateCount, actionCount)
        try settings.validate()
        guard planningSteps >= 0 else { throw RuntimeError("planning steps must be non-negative, got \(planningSteps)") }
        guard theta >= 0 else { throw RuntimeError("theta must be non-negative, got \(theta)") }
        guard model.stateCount == stateCount && model.actionCount == actionCount else {
            throw RuntimeError("model size \(model.stateCount)x\(model.actionCount) differs from agent size \(stateCount)x\(actionCount)")
        }
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.settings = settings
        self.planningSteps = planningSteps
        self.theta = theta
        self.model = model
        table = QTable(stateCount: stateCount, actionCount: actionCount, initial: settings.initialQ)
        queue = IndexedMaxHeap(capacity: stateCount * actionCount)
    }

    public func act(_ state: Int, _ rng: inout RandomSource) -> Int {
        table.epsilonGreedy(state, epsilon: settings.epsilon.value(at: realSteps), &rng)
    }
    public func greedyAction(_ state: Int, _ rng: inout RandomSource) -> Int { table.greedyAction(state, &rng) }
    public func value(_ state: Int) -> Double { table.maxValue(state) }
    public func beginEpisode(_ state: Int) {}

    public func observe(state: Int, action: Int, reward: Double, next: Int, terminated: Bool, truncated: Bool, _ rng: inout RandomSource) {
        model.update(state, action, reward: reward, next: next, terminated: terminated)
        let target = reward + (terminated ? 0 : settings.gamma * table.maxValue(next))
        let priority = abs(target - table[state, action])
        if priority > theta { queue.push(state * actionCount + action, priority: priority) }
        realSteps += 1
        if planningSteps > 0 { plan(updates: planningSteps, &rng) }
    }

    @discardableResult
    public func plan(updates: Int, _ rng: inout RandomSource) -> Int {
        let alpha = settings.alpha.value(at: realSteps)
        let done: Int
        if let m = model as? DeterministicTabularModel {
            done = sweepPlanning(m, queue, table, alpha, settings.gamma, theta, updates, &rng)
        } else if let m = model as? StochasticTabularModel {
            done = sweepPlanning(m, queue, table, alpha, settings.gamma, theta, updates, &rng)
        } else {
            done = sweepPlanning(model, queue, table, alpha, settings.gamma, theta, updates, &rng)
        }
        planningUpdates += done
        return done
    }

    public func reset() {
        table.fill(settings.initialQ)
        model.reset()
        queue.removeAll()
        realSteps = 0
        planningUpdates = 0
    }
}

extension PrioritizedSweeping where Model == DeterministicTabularModel {
    /// Prioritized sweeping with the last-outcome model.
    public convenience init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init(), planningSteps: Int, theta: Double) throws {
        try self.init(stateCount: stateCount, actionCount: actionCount, settings: settings, planningSteps: planningSteps, theta: theta,
                      model: DeterministicTabularModel(stateCount: stateCount, actionCount: actionCount))
    }
}

/// Up to `updates` prioritized-sweeping updates; returns how many were done.
@inline(__always)
func sweepPlanning<M: TabularModel>(_ model: M, _ queue: IndexedMaxHeap, _ table: QTable, _ alpha: Double, _ gamma: Double,
                                    _ theta: Double, _ updates: Int, _ rng: inout RandomSource) -> Int {
    let actions = table.actionCount
    var done = 0
    while done < updates, let top = queue.pop() {
        let s = top.key / actions, a = top.key % actions
        let o = model.sample(s, a, &rng)
        let target = o.reward + (o.terminated ? 0 : gamma * table.maxValue(o.next))
        table[s, a] += alpha * (target - table[s, a])
        done += 1
        let stateValue = table.maxValue(s)
        model.forEachPredecessor(of: s) { ps, pa, r, terminated in
            let p = abs(r + (terminated ? 0 : gamma * stateValue) - table[ps, pa])
            if p > theta { queue.push(ps * actions + pa, priority: p) }
        }
    }
    return done
}
