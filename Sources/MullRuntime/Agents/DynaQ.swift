/// Tabular Dyna-Q (Sutton & Barto Fig. 8.2 box): a Q-learning update from each real transition,
/// the transition recorded in the model, then `planningSteps` Q-learning updates on pairs drawn
/// uniformly from previously observed states and actions, with outcomes sampled from the model.
/// With `planningSteps == 0` this is Q-learning.
public final class DynaQ<Model: TabularModel>: TabularAgent {
    public let stateCount: Int
    public let actionCount: Int
    public let settings: TabularSettings
    public let planningSteps: Int
    public let model: Model
    @usableFromInline let concreteModel: ConcreteTabularModel
    @usableFromInline let table: QTable
    @exclusivity(unchecked) public private(set) var realSteps = 0
    @exclusivity(unchecked) public private(set) var planningUpdates = 0
    @usableFromInline var planningRNG: RandomSource? = nil
    public var q: [Double] { table.values }
    public func qValue(_ state: Int, _ action: Int) -> Double { table[state, action] }

    public init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init(), planningSteps: Int, model: Model) throws {
        try checkTabularSizes(stateCount, actionCount)
        try settings.validate()
        guard planningSteps >= 0 else { throw RuntimeError("planning steps must be non-negative, got \(planningSteps)") }
        guard model.stateCount == stateCount && model.actionCount == actionCount else {
            throw RuntimeError("model size \(model.stateCount)x\(model.actionCount) differs from agent size \(stateCount)x\(actionCount)")
        }
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.settings = settings
        self.planningSteps = planningSteps
        self.model = model
        concreteModel = ConcreteTabularModel(model)
        table = QTable(stateCount: stateCount, actionCount: actionCount, initial: settings.initialQ)
    }

    public func act(_ state: Int, _ rng: inout RandomSource) -> Int {
        table.epsilonGreedy(state, epsilon: settings.epsilon.value(at: realSteps), &rng)
    }
    public func greedyAction(_ state: Int, _ rng: inout RandomSource) -> Int { table.greedyAction(state, &rng) }
    public func value(_ state: Int) -> Double { table.maxValue(state) }
    public func beginEpisode(_ state: Int) {}

    public func observe(state: Int, action: Int, reward: Double, next: Int, terminated: Bool, truncated: Bool, _ rng: inout RandomSource) {
        let alpha = settings.alpha.value(at: realSteps)
        let target = reward + (terminated ? 0 : settings.gamma * table.maxValue(next))
        table[state, action] += alpha * (target - table[state, action])
        model.update(state, action, reward: reward, next: next, terminated: terminated)
        realSteps += 1
        if planningSteps > 0 { plan(updates: planningSteps, &rng) }
    }

    @discardableResult
    public func plan(updates: Int, _ rng: inout RandomSource) -> Int {
        let observed = model.observedStateCount
        if observed == 0 || updates <= 0 { return 0 }
        let alpha = settings.alpha.value(at: realSteps)
        // Dispatch once to a loop specialised for the concrete model: the agent's methods are
        // generic code when called from another module, the loop must not be.
        switch concreteModel {
        case .deterministic(let m):
            dynaPlanningLastOutcome(m, table.storage.base, actionCount, observed, alpha, settings.gamma, updates, &rng)
        case .stochastic(let m):
            dynaPlanning(m, table.storage, actionCount, observed, alpha, settings.gamma, updates, &rng)
        case .other:
            dynaPlanning(model, table.storage, actionCount, observed, alpha, settings.gamma, updates, &rng)
        }
        planningUpdates += updates
        return updates
    }

    public func reset() {
        table.fill(settings.initialQ)
        model.reset()
        realSteps = 0
        planningUpdates = 0
    }
}

extension DynaQ where Model == DeterministicTabularModel {
    /// Dyna-Q with the book's last-outcome model.
    public convenience init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init(), planningSteps: Int) throws {
        try self.init(stateCount: stateCount, actionCount: actionCount, settings: settings, planningSteps: planningSteps,
                      model: DeterministicTabularModel(stateCount: stateCount, actionCount: actionCount))
    }
}

/// `updates` Dyna-Q planning updates: a random observed state, a random action taken in it,
/// an outcome from the model, a Q-learning update.
@inline(__always)
func dynaPlanning<M: TabularModel>(_ model: M, _ q: FixedBuffer<Double>, _ actions: Int, _ observed: Int,
                                   _ alpha: Double, _ gamma: Double, _ updates: Int, _ rng: inout RandomSource) {
    for _ in 0..<updates {
        let s = model.observedState(at: rng.int(below: observed))
        let a = model.observedAction(s, at: rng.int(below: model.observedActionCount(s)))
        let o = model.sample(s, a, &rng)
        let target = o.reward + (o.terminated ? 0 : gamma * maxOf(q, o.next * actions, actions))
        let i = s * actions + a
        q[i] += alpha * (target - q[i])
    }
}

/// `dynaPlanning` for the last-outcome model, reading its buffers directly with the generator in
/// a local (so in registers): the same draws and updates in the same order, so the same numbers.
@inline(__always)
func dynaPlanningLastOutcome(_ model: DeterministicTabularModel, _ q: UnsafeMutablePointer<Double>, _ actions: Int,
                             _ observed: Int, _ alpha: Double, _ gamma: Double, _ updates: Int,
                             _ rng: inout RandomSource) {
    let observedStates = model.observedStates.base, actionsSeen = model.actionsSeen.base
    let actionsSeenCount = model.actionsSeenCount.base, counts = model.counts.base
    let nextState = model.nextState.base, rewards = model.rewards.base, terminal = model.terminal.base
    var r = rng
    defer { rng = r }
    for _ in 0..<updates {
        let s = observedStates[r.int(below: observed)]
        let a = actionsSeen[s &* actions &+ r.int(below: actionsSeenCount[s])]
        let i = s &* actions &+ a
        // The model's sample: the last outcome, or a reward-0 self-loop for an unknown pair.
        var next = s, reward = 0.0, terminated = false
        if counts[i] != 0 { next = nextState[i]; reward = rewards[i]; terminated = terminal[i] }
        let target = reward + (terminated ? 0 : gamma * maxOf(q, next &* actions, actions))
        q[i] += alpha * (target - q[i])
    }
}

/// max of `q[base ..< base + count]`.
@inlinable @inline(__always)
func maxOf(_ q: FixedBuffer<Double>, _ base: Int, _ count: Int) -> Double {
    var best = q[base]
    var i = base + 1
    let end = base + count
    while i < end {
        if q[i] > best { best = q[i] }
        i += 1
    }
    return best
}

/// max of `q[base ..< base + count]`.
@inlinable @inline(__always)
func maxOf(_ q: UnsafeMutablePointer<Double>, _ base: Int, _ count: Int) -> Double {
    if count == 4 {
        // Grid worlds' four moves, unrolled: the same comparisons in the same order.
        let p = q + base
        var best = p[0]
        if p[1] > best { best = p[1] }
        if p[2] > best { best = p[2] }
        if p[3] > best { best = p[3] }
        return best
    }
    var best = q[base]
    var i = base &+ 1
    let end = base &+ count
    while i < end {
        if q[i] > best { best = q[i] }
        i &+= 1
    }
    return best
}
