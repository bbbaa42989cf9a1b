/// A classic-control task as an `Environment`: Gymnasium's stepping, step limit (truncation) and
/// reset around a pure `ControlDynamics`. Observations are `[Double]`.
///
/// The concrete tasks are type aliases (`CartPole`, `Pendulum`, …) with convenience
/// initialisers; planners take `dynamics` (a small struct) and call `transition` directly.
public final class ControlEnvironment<Dynamics: ControlDynamics>: SimulatableEnvironment {
    public typealias Observation = [Double]
    public typealias Action = Dynamics.EnvironmentAction
    public typealias State = Dynamics.State

    public let dynamics: Dynamics
    /// Step limit after which `step` reports `truncated` (nil: none).
    public var maxEpisodeSteps: Int?
    public var state: State
    public private(set) var elapsedSteps = 0
    private var started = false
    /// Whether `reset` has started an episode.
    public var hasStarted: Bool { started }
    private var terminatedBefore = false

    /// Names of the discrete actions, in order (empty for continuous actions).
    public var actionNames: [String] { Dynamics.actionNames }
    public var observationSpace: Space { dynamics.observationSpace }
    public var actionSpace: Space { dynamics.actionSpace }

    public init(dynamics: Dynamics, maxEpisodeSteps: Int? = Dynamics.registeredStepLimit) {
        self.dynamics = dynamics
        self.maxEpisodeSteps = maxEpisodeSteps
        var rng = RandomSource(seed: 0)
        self.state = dynamics.initialState(&rng)
    }

    public func reset(_ rng: inout RandomSource) throws -> [Double] {
        state = dynamics.initialState(&rng)
        elapsedSteps = 0
        started = true
        terminatedBefore = false
        return dynamics.observation(state)
    }

    public func step(_ action: Action, _ rng: inout RandomSource) throws -> StepResult<[Double]> {
        guard started else { throw RuntimeError("\(Dynamics.gymnasiumID): step called before reset") }
        let a = try dynamics.action(from: action)
        let t = dynamics.transition(state, a)
        state = t.state
        elapsedSteps += 1
        var reward = t.reward
        if t.terminated {
            if terminatedBefore, let r = dynamics.rewardBeyondTermination { reward = r }
            terminatedBefore = true
        }
        let truncated = maxEpisodeSteps.map { elapsedSteps >= $0 } ?? false
        return StepResult(observation: dynamics.observation(t.state), reward: reward,
                          terminated: t.terminated, truncated: truncated)
    }

    public func simulate(_ state: State, _ action: Action, _ rng: inout RandomSource) throws
        -> (state: State, result: StepResult<[Double]>) {
        let t = dynamics.transition(state, try dynamics.action(from: action))
        return (t.state, StepResult(observation: dynamics.observation(t.state), reward: t.reward,
                                    terminated: t.terminated, truncated: false))
    }

    /// The pure transition function (no validation of the action).
    @inlinable
    public func transition(_ state: State, _ action: Dynamics.Action) -> (state: State, reward: Double, terminated: Bool) {
        dynamics.transition(state, action)
    }

    /// The observation of `state`.
    public func observation(_ state: State) -> [Double] { dynamics.observation(state) }
}
