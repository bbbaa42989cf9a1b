#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Dyna-Q+ (Sutton & Barto §8.3, Fig. 8.4/8.5): Dyna-Q whose planning reward carries an
/// exploration bonus `kappa * sqrt(tau)`, `tau` = real steps since the pair was last tried.
///
/// As in the footnote to Example 8.3, actions never tried in a visited state are considered in
/// planning too, modelled as leading back to the same state with reward 0: planning draws a
/// uniformly random observed state and then a uniformly random action among all actions.
/// Untried pairs count as last tried at step 0.
public final class DynaQPlus<Model: TabularModel>: TabularAgent {
    public let stateCount: Int
    public let actionCount: Int
    public let settings: TabularSettings
    public let planningSteps: Int
    public let kappa: Double
    public let model: Model
    @usableFromInline let concreteModel: ConcreteTabularModel
    @usableFromInline let table: QTable
    /// Real step count at which each pair was last tried (0 if never).
    @usableFromInline let lastTried: FixedBuffer<Int>
    @exclusivity(unchecked) public private(set) var realSteps = 0
    @exclusivity(unchecked) public private(set) var planningUpdates = 0
    public var q: [Double] { table.values }
    public func qValue(_ state: Int, _ action: Int) -> Double { table[state, action] }

    public init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init(), planningSteps: Int, kappa: Double, model: Model) throws {
        try checkTabularSizes(stateCount, actionCount)
        try settings.validate()
        guard planningSteps >= 0 else { throw RuntimeError("planning steps must be non-negative, got \(planningSteps)") }
        guard kappa >= 0 && kappa.isFinite else { throw RuntimeError("kappa must be non-negative, got \(kappa)") }
        guard model.stateCount == stateCount && model.actionCount == actionCount else {
            throw RuntimeError("model size \(model.stateCount)x\(model.actionCount) differs from agent size \(stateCount)x\(actionCount)")
        }
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.settings = settings
        self.planningSteps = planningSteps
        self.kappa = kappa
        self.model = model
        concreteModel = ConcreteTabularModel(model)
        table = QTable(stateCount: stateCount, actionCount: actionCount, initial: settings.initialQ)
        lastTried = FixedBuffer(repeating: 0, count: stateCount * actionCount)
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
        lastTried[state * actionCount + action] = realSteps
        if planningSteps > 0 { plan(updates: planningSteps, &rng) }
    }

    @discardableResult
    public func plan(updates: Int, _ rng: inout RandomSource) -> Int {
        let observed = model.observedStateCount
        if observed == 0 || updates <= 0 { return 0 }
        let alpha = settings.alpha.value(at: realSteps)
        switch concreteModel {
        case .deterministic(let m):
            dynaPlusPlanning(m, table.storage, lastTried, actionCount, observed, realSteps, kappa, alpha, settings.gamma, updates, &rng)
        case .stochastic(let m):
            dynaPlusPlanning(m, table.storage, lastTried, actionCount, observed, realSteps, kappa, alpha, settings.gamma, updates, &rng)
        case .other:
            dynaPlusPlanning(model, table.storage, lastTried, actionCount, observed, realSteps, kappa, alpha, settings.gamma, updates, &rng)
        }
        planningUpdates += updates
        return updates
    }

    public func reset() {
        table.fill(settings.initialQ)
        model.reset()
        lastTried.fill(0)
        realSteps = 0
        planningUpdates = 0
    }
}

extension DynaQPlus where Model == DeterministicTabularModel {
    /// Dyna-Q+ with the book's last-outcome model.
    public convenience init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init(), planningSteps: Int, kappa: Double) throws {
        try self.init(stateCount: stateCount, actionCount: actionCount, settings: settings, planningSteps: planningSteps, kappa: kappa,
                      model: DeterministicTabularModel(stateCount: stateCount, actionCount: actionCount))
    }
}

/// `updates` Dyna-Q+ planning updates: a random observed state, any action, the model's outcome
/// (a reward-0 self-loop if untried) plus the bonus `kappa * sqrt(now - lastTried)`.
@inline(__always)
func dynaPlusPlanning<M: TabularModel>(_ model: M, _ q: FixedBuffer<Double>, _ last: FixedBuffer<Int>, _ actions: Int,
                                       _ observed: Int, _ now: Int, _ kappa: Double, _ alpha: Double, _ gamma: Double,
                                       _ updates: Int, _ rng: inout RandomSource) {
    for _ in 0..<updates {
        let s = model.observedState(at: rng.int(below: observed))
        let a = rng.int(below: actions)
        let i = s * actions + a
        var next = s, reward = 0.0, terminated = false
        if model.isKnown(s, a) {
            let o = model.sample(s, a, &rng)
            next = o.next; reward = o.reward; terminated = o.terminated
        }
        reward += kappa * sqrt(Double(now - last[i]))
        let target = reward + (terminated ? 0 : gamma * maxOf(q, next * actions, actions))
        q[i] += alpha * (target - q[i])
    }
}
