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
    @usableFromInline let concreteModel: ConcreteTabularModel
    @usableFromInline let table: QTable
    @usableFromInline let queue: IndexedMaxHeap
    @exclusivity(unchecked) public private(set) var realSteps = 0
    @exclusivity(unchecked) public private(set) var planningUpdates = 0
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
        concreteModel = ConcreteTabularModel(model)
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
        switch concreteModel {
        case .deterministic(let m):
            done = sweepPlanning(m, queue, table, alpha, settings.gamma, theta, updates)
        case .stochastic(let m):
            done = sweepPlanning(m, queue, table, alpha, settings.gamma, theta, updates, &rng)
        case .other:
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

/// `sweepPlanning` for the last-outcome model, reading its buffers directly: the same updates,
/// priorities and queue operations in the same order (so the same numbers), without the
/// model's per-predecessor division of the pair index into state and action.
@inline(__always)
func sweepPlanning(_ model: DeterministicTabularModel, _ queue: IndexedMaxHeap, _ table: QTable, _ alpha: Double,
                   _ gamma: Double, _ theta: Double, _ updates: Int) -> Int {
    let actions = table.actionCount
    let q = table.storage.base
    let nextState = model.nextState.base, rewards = model.rewards.base, terminal = model.terminal.base
    let counts = model.counts.base
    let lists = model.predecessors
    return lists.head.withUnsafeBufferPointer { head in
        lists.nextEntry.withUnsafeBufferPointer { nextEntry in
            lists.value.withUnsafeBufferPointer { value in
                var done = 0
                while done < updates, let top = queue.pop() {
                    let sa = top.key
                    let s = sa / actions
                    // The model's sample: the last outcome, or a reward-0 self-loop for an unknown pair.
                    var next = s, reward = 0.0, terminated = false
                    if counts[sa] != 0 { next = nextState[sa]; reward = rewards[sa]; terminated = terminal[sa] }
                    let target = reward + (terminated ? 0 : gamma * maxOf(q, next &* actions, actions))
                    q[sa] += alpha * (target - q[sa])
                    done &+= 1
                    let stateValue = maxOf(q, s &* actions, actions)
                    var e = head[s]
                    while e >= 0 {
                        let pa = value[e]
                        if nextState[pa] == s {
                            let p = abs(rewards[pa] + (terminal[pa] ? 0 : gamma * stateValue) - q[pa])
                            if p > theta { queue.push(pa, priority: p) }
                        }
                        e = nextEntry[e]
                    }
                }
                return done
            }
        }
    }
}
