/// One-step Q-learning (Watkins, 1989; Sutton & Barto §6.5): off-policy TD control.
public final class QLearning: TabularAgent {
    public let stateCount: Int
    public let actionCount: Int
    public let settings: TabularSettings
    @usableFromInline let table: QTable
    @exclusivity(unchecked) public private(set) var realSteps = 0
    public var planningUpdates: Int { 0 }
    public var q: [Double] { table.values }
    public func qValue(_ state: Int, _ action: Int) -> Double { table[state, action] }

    public init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init()) throws {
        try checkTabularSizes(stateCount, actionCount)
        try settings.validate()
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.settings = settings
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
        realSteps += 1
    }

    public func plan(updates: Int, _ rng: inout RandomSource) -> Int { 0 }
    public func reset() { table.fill(settings.initialQ); realSteps = 0 }
}

/// One-step Sarsa (Sutton & Barto §6.4): on-policy TD control.
///
/// `observe` chooses the next action A' with the behaviour policy, updates toward
/// R + gamma Q(S', A'), and the following `act(S')` returns that same A'.
public final class Sarsa: TabularAgent {
    public let stateCount: Int
    public let actionCount: Int
    public let settings: TabularSettings
    @usableFromInline let table: QTable
    @exclusivity(unchecked) public private(set) var realSteps = 0
    public var planningUpdates: Int { 0 }
    public var q: [Double] { table.values }
    public func qValue(_ state: Int, _ action: Int) -> Double { table[state, action] }
    var pendingState = -1
    var pendingAction = 0

    public init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init()) throws {
        try checkTabularSizes(stateCount, actionCount)
        try settings.validate()
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.settings = settings
        table = QTable(stateCount: stateCount, actionCount: actionCount, initial: settings.initialQ)
    }

    public func act(_ state: Int, _ rng: inout RandomSource) -> Int {
        if state == pendingState {
            pendingState = -1
            return pendingAction
        }
        return table.epsilonGreedy(state, epsilon: settings.epsilon.value(at: realSteps), &rng)
    }
    public func greedyAction(_ state: Int, _ rng: inout RandomSource) -> Int { table.greedyAction(state, &rng) }
    public func value(_ state: Int) -> Double { table.maxValue(state) }
    public func beginEpisode(_ state: Int) { pendingState = -1 }

    public func observe(state: Int, action: Int, reward: Double, next: Int, terminated: Bool, truncated: Bool, _ rng: inout RandomSource) {
        let alpha = settings.alpha.value(at: realSteps)
        realSteps += 1
        var target = reward
        if !terminated {
            let nextAction = table.epsilonGreedy(next, epsilon: settings.epsilon.value(at: realSteps), &rng)
            target += settings.gamma * table[next, nextAction]
            if !truncated {
                pendingState = next
                pendingAction = nextAction
            }
        }
        table[state, action] += alpha * (target - table[state, action])
    }

    public func plan(updates: Int, _ rng: inout RandomSource) -> Int { 0 }
    public func reset() { table.fill(settings.initialQ); realSteps = 0; pendingState = -1 }
}

/// Expected Sarsa (Sutton & Barto §6.6): the target averages Q(S', ·) under the
/// epsilon-greedy policy.
public final class ExpectedSarsa: TabularAgent {
    public let stateCount: Int
    public let actionCount: Int
    public let settings: TabularSettings
    @usableFromInline let table: QTable
    @exclusivity(unchecked) public private(set) var realSteps = 0
    public var planningUpdates: Int { 0 }
    public var q: [Double] { table.values }
    public func qValue(_ state: Int, _ action: Int) -> Double { table[state, action] }

    public init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init()) throws {
        try checkTabularSizes(stateCount, actionCount)
        try settings.validate()
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.settings = settings
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
        realSteps += 1
        let eps = settings.epsilon.value(at: realSteps)
        let target = reward + (terminated ? 0 : settings.gamma * table.expectedValue(next, epsilon: eps))
        table[state, action] += alpha * (target - table[state, action])
    }

    public func plan(updates: Int, _ rng: inout RandomSource) -> Int { 0 }
    public func reset() { table.fill(settings.initialQ); realSteps = 0 }
}

func checkTabularSizes(_ states: Int, _ actions: Int) throws {
    guard states > 0 else { throw RuntimeError("a tabular agent needs at least one state, got \(states)") }
    guard actions > 0 else { throw RuntimeError("a tabular agent needs at least one action, got \(actions)") }
}
