/// A task whose dynamics are a function supplied by the host: what a continuous environment
/// written in Mull becomes. States are vectors of `Double`; actions are vectors within bounds,
/// or integers for discrete actions. Slower than the built-in tasks (each step calls the host
/// function and allocates), but every planner runs on it.
public final class FunctionTask: @unchecked Sendable {
    public enum Action: Sendable {
        case continuous([Double])
        case discrete(Int)
    }

    /// The start state, and the half-width of the uniform noise added to each component at reset.
    public let start: [Double]
    public let spread: [Double]
    /// Bounds of continuous actions (empty for discrete actions).
    public let actionLow: [Double]
    public let actionHigh: [Double]
    /// Number of discrete actions (nil for continuous actions).
    public let actionCount: Int?
    public let maxEpisodeSteps: Int?
    /// One transition; may throw (an error in the host function).
    public let step: ([Double], Action) throws -> (state: [Double], reward: Double, terminated: Bool)

    public init(start: [Double], spread: [Double], actionLow: [Double], actionHigh: [Double], actionCount: Int?,
                maxEpisodeSteps: Int?, step: @escaping ([Double], Action) throws -> (state: [Double], reward: Double, terminated: Bool)) throws {
        guard !start.isEmpty else { throw RuntimeError("the start state must have at least one component") }
        guard spread.isEmpty || spread.count == start.count else { throw RuntimeError("`start_spread` must have one value per state component") }
        guard actionLow.count == actionHigh.count else { throw RuntimeError("action bounds must have the same length") }
        guard actionCount != nil || !actionLow.isEmpty else { throw RuntimeError("give discrete actions or action bounds") }
        for (l, h) in zip(actionLow, actionHigh) where !(l < h) { throw RuntimeError("each action's low bound must be below its high bound") }
        self.start = start
        self.spread = spread.isEmpty ? [Double](repeating: 0, count: start.count) : spread
        self.actionLow = actionLow
        self.actionHigh = actionHigh
        self.actionCount = actionCount
        self.maxEpisodeSteps = maxEpisodeSteps
        self.step = step
    }

    public var observationSpace: Space {
        .box(low: [Double](repeating: -.infinity, count: start.count), high: [Double](repeating: .infinity, count: start.count))
    }
    public var actionSpace: Space { actionCount.map { .discrete($0) } ?? .box(low: actionLow, high: actionHigh) }

    public func initialState(_ rng: inout RandomSource) -> [Double] {
        zip(start, spread).map { s, w in w == 0 ? s : s + rng.uniform(-w, w) }
    }
}

/// The first error a host function raised during planning (planners' model steps cannot throw).
final class FunctionErrorBox: @unchecked Sendable {
    var error: (any Error)?
}

/// A continuous-action model over a `FunctionTask`.
struct FunctionContinuousModel: SimulationModel {
    let task: FunctionTask
    let errors: FunctionErrorBox
    func step(_ s: [Double], _ a: [Double], _ rng: inout RandomSource) -> (state: [Double], reward: Double, terminated: Bool) {
        if errors.error != nil { return (s, 0, true) }
        do { return try task.step(s, .continuous(a)) } catch {
            errors.error = error
            return (s, 0, true)
        }
    }
}

/// A discrete-action model over a `FunctionTask`.
struct FunctionDiscreteModel: SimulationModel {
    let task: FunctionTask
    let errors: FunctionErrorBox
    func step(_ s: [Double], _ a: Int, _ rng: inout RandomSource) -> (state: [Double], reward: Double, terminated: Bool) {
        if errors.error != nil { return (s, 0, true) }
        do { return try task.step(s, .discrete(a)) } catch {
            errors.error = error
            return (s, 0, true)
        }
    }
}

/// A planner on a `FunctionTask`.
final class FunctionPlanningAgent<P: DecisionTimePlanner>: PlanningAgent where P.State == [Double] {
    let task: FunctionTask
    let planner: P
    let errors: FunctionErrorBox
    let toTaskAction: (P.Action) -> FunctionTask.Action
    let report: (P, Int) -> String

    init(_ task: FunctionTask, _ planner: P, errors: FunctionErrorBox, action: @escaping (P.Action) -> FunctionTask.Action,
         report: @escaping (P, Int) -> String) {
        self.task = task
        self.planner = planner
        self.errors = errors
        self.toTaskAction = action
        self.report = report
    }

    var modelSteps: Int { planner.modelSteps }

    private func check() throws {
        if let e = errors.error { errors.error = nil; throw e }
    }

    func episodes(_ count: Int, maxSteps: Int?, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        try planner.interruptible(by: shouldContinue) {
            try runEpisodes(count, maxSteps: maxSteps, rng: &rng, shouldContinue: shouldContinue)
        }
    }

    private func runEpisodes(_ count: Int, maxSteps: Int?, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> [PlannerEpisode] {
        let limit = maxSteps ?? task.maxEpisodeSteps ?? 1000
        let clock = ContinuousClock()
        var out: [PlannerEpisode] = []
        for _ in 0..<count {
            guard shouldContinue() else { break }
            let begin = clock.now
            let before = planner.modelSteps
            planner.reset()
            var s = task.initialState(&rng)
            var total = 0.0, steps = 0, terminated = false
            while steps < limit {
                guard shouldContinue() else { return out }
                let a = planner.act(s)
                try check()
                let t = try task.step(s, toTaskAction(a))
                total += t.reward
                steps += 1
                s = t.state
                if t.terminated { terminated = true; break }
            }
            let d = clock.now - begin
            out.append(PlannerEpisode(totalReward: total, steps: steps, modelSteps: planner.modelSteps - before,
                                      seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18,
                                      terminated: terminated, actions: nil))
        }
        return out
    }

    func explain(state: [Double]?, depth: Int, rng: inout RandomSource, shouldContinue: () -> Bool) throws -> String {
        let s = state ?? task.initialState(&rng)
        guard s.count == task.start.count else { throw RuntimeError("a state of this task has \(task.start.count) components, got \(s.count)") }
        planner.reset()
        _ = planner.interruptible(by: shouldContinue) { planner.act(s) }
        try check()
        let text = report(planner, depth)
        planner.reset()
        return text
    }
}

/// Binds a shooting planner to a task written in Mull.
struct FunctionSink: ShootingPlannerSink {
    typealias Model = FunctionContinuousModel
    let task: FunctionTask
    let errors: FunctionErrorBox
    func take<P: DecisionTimePlanner>(_ planner: P, report: @escaping (P, Int) -> String) throws -> any PlanningAgent
    where P.State == [Double], P.Action == [Double] {
        FunctionPlanningAgent(task, planner, errors: errors, action: { .continuous($0) }, report: report)
    }
}

extension PlanningAgents {
    static func function(_ task: FunctionTask, _ spec: PlannerSpec, _ seed: UInt64) throws -> any PlanningAgent {
        let errors = FunctionErrorBox()
        let describe = { (s: [Double]) in "(" + s.map { String(format: "%.3f", $0) }.joined(separator: ", ") + ")" }
        if let n = task.actionCount {
            guard case .mcts(let m) = spec else {
                throw RuntimeError("shooting planners need continuous actions; this task's actions are discrete, use MCTS")
            }
            var settings = m.settings
            settings.seed = seed
            let p = try MCTS(model: FunctionDiscreteModel(task: task, errors: errors), actions: Array(0..<n), settings: settings)
            return FunctionPlanningAgent(task, p, errors: errors, action: { .discrete($0) }) { p, d in p.treeText(depth: d, describeState: describe) }
        }
        let model = FunctionContinuousModel(task: task, errors: errors)
        let low = task.actionLow, high = task.actionHigh
        switch spec {
        case .shooting(let s):
            return try s.build(model: model, low: low, high: high, seed: seed, threads: 1, into: FunctionSink(task: task, errors: errors))
        case .mcts(let m):
            guard m.settings.actionWidening != nil else {
                throw RuntimeError("MCTS on continuous actions needs `action_widening` (progressive widening)")
            }
            var settings = m.settings
            settings.seed = seed
            let p = try MCTS(model: model, actions: [], settings: settings,
                             actionSampler: { _, rng in zip(low, high).map { rng.uniform($0, $1) } })
            return FunctionPlanningAgent(task, p, errors: errors, action: { .continuous($0) }) { p, d in p.treeText(depth: d, describeState: describe) }
        }
    }
}
