/// Value iteration on action values (Sutton & Barto §4.4) over a known or learned model,
/// acting epsilon-greedily on the result.
///
/// A sweep replaces every known Q(s, a) in place by
/// sum_outcomes p (r + gamma max_a' Q(s', a')), terminal outcomes bootstrapping with 0; pairs the
/// model does not know keep their initial value. `solve()` sweeps until the largest change is
/// below `theta` or `maxSweeps` sweeps were done. Each expected update of one Q(s, a) counts as
/// one planning update. The model is solved before the first episode, and again after a real
/// transition that changed the model's predictions (when `replanOnChange`).
public final class ValueIteration<Model: TabularModel>: TabularAgent {
    public let stateCount: Int
    public let actionCount: Int
    public let settings: TabularSettings
    public let model: Model
    public let theta: Double
    public let maxSweeps: Int
    public let replanOnChange: Bool
    @usableFromInline let table: QTable
    @exclusivity(unchecked) public private(set) var realSteps = 0
    @exclusivity(unchecked) public private(set) var planningUpdates = 0
    /// Sweeps done in total.
    public private(set) var sweeps = 0
    /// Largest change in the last sweep.
    public private(set) var lastDelta = Double.infinity
    var needsSolve = true
    public var q: [Double] { table.values }
    public func qValue(_ state: Int, _ action: Int) -> Double { table[state, action] }

    public init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init(), model: Model,
                theta: Double = 1e-8, maxSweeps: Int = 10_000, replanOnChange: Bool = true) throws {
        try checkTabularSizes(stateCount, actionCount)
        try settings.validate()
        guard theta > 0 else { throw RuntimeError("theta must be positive, got \(theta)") }
        guard maxSweeps > 0 else { throw RuntimeError("maxSweeps must be positive, got \(maxSweeps)") }
        guard model.stateCount == stateCount && model.actionCount == actionCount else {
            throw RuntimeError("model size \(model.stateCount)x\(model.actionCount) differs from agent size \(stateCount)x\(actionCount)")
        }
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.settings = settings
        self.model = model
        self.theta = theta
        self.maxSweeps = maxSweeps
        self.replanOnChange = replanOnChange
        table = QTable(stateCount: stateCount, actionCount: actionCount, initial: settings.initialQ)
    }

    public func act(_ state: Int, _ rng: inout RandomSource) -> Int {
        if needsSolve { solve() }
        return table.epsilonGreedy(state, epsilon: settings.epsilon.value(at: realSteps), &rng)
    }
    public func greedyAction(_ state: Int, _ rng: inout RandomSource) -> Int { table.greedyAction(state, &rng) }
    public func value(_ state: Int) -> Double { table.maxValue(state) }
    public func beginEpisode(_ state: Int) { if needsSolve { solve() } }

    public func observe(state: Int, action: Int, reward: Double, next: Int, terminated: Bool, truncated: Bool, _ rng: inout RandomSource) {
        realSteps += 1
        if model.update(state, action, reward: reward, next: next, terminated: terminated) {
            needsSolve = true
            if replanOnChange { solve() }
        }
    }

    /// One in-place sweep over all known pairs; returns the largest change.
    @discardableResult
    public func sweep() -> Double {
        let gamma = settings.gamma
        var delta = 0.0
        var updates = 0
        for s in 0..<stateCount {
            for a in 0..<actionCount where model.isKnown(s, a) {
                var v = 0.0
                model.forEachOutcome(s, a) { p, next, r, terminated in
                    v += p * (r + (terminated ? 0 : gamma * table.maxValue(next)))
                }
                delta = max(delta, abs(v - table[s, a]))
                table[s, a] = v
                updates += 1
            }
        }
        planningUpdates += updates
        sweeps += 1
        lastDelta = delta
        return delta
    }

    /// Sweeps until convergence (`theta`) or `maxSweeps`; returns the number of sweeps.
    @discardableResult
    public func solve() -> Int {
        needsSolve = false
        var n = 0
        while n < maxSweeps {
            n += 1
            // A NaN change (a non-finite reward in the model) never falls below theta.
            let delta = sweep()
            if delta < theta || delta.isNaN { break }
        }
        return n
    }

    /// Sweeps until at least `updates` planning updates were made (whole sweeps).
    @discardableResult
    public func plan(updates: Int, _ rng: inout RandomSource) -> Int {
        let start = planningUpdates
        while planningUpdates - start < updates {
            let before = planningUpdates
            sweep()
            if planningUpdates == before { break }
        }
        return planningUpdates - start
    }

    public func reset() {
        table.fill(settings.initialQ)
        model.reset()
        realSteps = 0
        planningUpdates = 0
        sweeps = 0
        needsSolve = true
    }
}

/// Policy iteration on action values (Sutton & Barto §4.3) over a known or learned model.
///
/// Evaluation sweeps Q(s, a) = sum p (r + gamma Q(s', pi(s'))) in place until the change is
/// below `theta`; improvement makes pi greedy (keeping the current action among equal maxima);
/// repeated until the policy is stable or `maxIterations`. Each expected update of one Q(s, a)
/// counts as one planning update. Acting is epsilon-greedy on Q; solving happens as for
/// `ValueIteration`.
public final class PolicyIteration<Model: TabularModel>: TabularAgent {
    public let stateCount: Int
    public let actionCount: Int
    public let settings: TabularSettings
    public let model: Model
    public let theta: Double
    public let maxIterations: Int
    public let maxEvaluationSweeps: Int
    public let replanOnChange: Bool
    @usableFromInline let table: QTable
    /// The current deterministic policy.
    public private(set) var policy: [Int]
    @exclusivity(unchecked) public private(set) var realSteps = 0
    @exclusivity(unchecked) public private(set) var planningUpdates = 0
    /// Evaluation sweeps and improvement steps done in total.
    public private(set) var sweeps = 0
    public private(set) var improvements = 0
    var needsSolve = true
    public var q: [Double] { table.values }
    public func qValue(_ state: Int, _ action: Int) -> Double { table[state, action] }

    public init(stateCount: Int, actionCount: Int, settings: TabularSettings = .init(), model: Model,
                theta: Double = 1e-8, maxIterations: Int = 1000, maxEvaluationSweeps: Int = 10_000,
                replanOnChange: Bool = true) throws {
        try checkTabularSizes(stateCount, actionCount)
        try settings.validate()
        guard theta > 0 else { throw RuntimeError("theta must be positive, got \(theta)") }
        guard maxIterations > 0 && maxEvaluationSweeps > 0 else { throw RuntimeError("iteration limits must be positive") }
        guard model.stateCount == stateCount && model.actionCount == actionCount else {
            throw RuntimeError("model size \(model.stateCount)x\(model.actionCount) differs from agent size \(stateCount)x\(actionCount)")
        }
        self.stateCount = stateCount
        self.actionCount = actionCount
        self.settings = settings
        self.model = model
        self.theta = theta
        self.maxIterations = maxIterations
        self.maxEvaluationSweeps = maxEvaluationSweeps
        self.replanOnChange = replanOnChange
        table = QTable(stateCount: stateCount, actionCount: actionCount, initial: settings.initialQ)
        policy = [Int](repeating: 0, count: stateCount)
    }

    public func act(_ state: Int, _ rng: inout RandomSource) -> Int {
        if needsSolve { solve() }
        return table.epsilonGreedy(state, epsilon: settings.epsilon.value(at: realSteps), &rng)
    }
    public func greedyAction(_ state: Int, _ rng: inout RandomSource) -> Int { table.greedyAction(state, &rng) }
    public func value(_ state: Int) -> Double { table.maxValue(state) }
    public func beginEpisode(_ state: Int) { if needsSolve { solve() } }

    public func observe(state: Int, action: Int, reward: Double, next: Int, terminated: Bool, truncated: Bool, _ rng: inout RandomSource) {
        realSteps += 1
        if model.update(state, action, reward: reward, next: next, terminated: terminated) {
            needsSolve = true
            if replanOnChange { solve() }
        }
    }

    /// One in-place evaluation sweep of the current policy; returns the largest change.
    @discardableResult
    public func evaluationSweep() -> Double {
        let gamma = settings.gamma
        var delta = 0.0
        var updates = 0
        for s in 0..<stateCount {
            for a in 0..<actionCount where model.isKnown(s, a) {
                var v = 0.0
                model.forEachOutcome(s, a) { p, next, r, terminated in
                    v += p * (r + (terminated ? 0 : gamma * table[next, policy[next]]))
                }
                delta = max(delta, abs(v - table[s, a]))
                table[s, a] = v
                updates += 1
            }
        }
        planningUpdates += updates
        sweeps += 1
        return delta
    }

    /// Makes the policy greedy in Q; returns whether it changed.
    @discardableResult
    public func improve() -> Bool {
        improvements += 1
        var changed = false
        for s in 0..<stateCount {
            let current = policy[s]
            var best = current
            for a in 0..<actionCount where table[s, a] > table[s, best] { best = a }
            if best != current { policy[s] = best; changed = true }
        }
        return changed
    }

    /// Evaluates and improves until the policy is stable; returns the number of iterations.
    @discardableResult
    public func solve() -> Int {
        needsSolve = false
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            var n = 0
            while n < maxEvaluationSweeps {
                n += 1
                let delta = evaluationSweep()
                if delta < theta || delta.isNaN { break }
            }
            if !improve() { break }
        }
        return iterations
    }

    /// Evaluation sweeps (each followed by an improvement) until at least `updates` updates.
    @discardableResult
    public func plan(updates: Int, _ rng: inout RandomSource) -> Int {
        let start = planningUpdates
        while planningUpdates - start < updates {
            let before = planningUpdates
            evaluationSweep()
            improve()
            if planningUpdates == before { break }
        }
        return planningUpdates - start
    }

    public func reset() {
        table.fill(settings.initialQ)
        model.reset()
        for i in policy.indices { policy[i] = 0 }
        realSteps = 0
        planningUpdates = 0
        sweeps = 0
        improvements = 0
        needsSolve = true
    }
}
