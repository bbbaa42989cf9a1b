import MullLanguage
import MullRuntime

/// The episode a continuous-state environment runs in the REPL: `env.reset()` and `env.state`.
protocol ControlEpisode: AnyObject {
    func resetEpisode(_ rng: inout RandomSource) throws -> [Double]
    /// The observation of the current state; nil before the first reset.
    var currentObservation: [Double]? { get }
}

/// An episode the REPL can also step with `env.step(action)` (the Gymnasium tasks; a
/// `ContinuousMDP`'s `step` is the function written in the script, called from any state).
/// Actions are given as `FunctionTask.Action`: an index for discrete actions, numbers for
/// continuous ones.
protocol SteppableControlEpisode: ControlEpisode {
    func stepEpisode(_ action: FunctionTask.Action, _ rng: inout RandomSource) throws -> StepResult<[Double]>
    /// One transition of the true dynamics from the simulator state `state` (Gymnasium's
    /// `env.unwrapped.state` layout), without touching the episode.
    func transition(from state: [Double], _ action: FunctionTask.Action, _ rng: inout RandomSource) throws
        -> (state: [Double], result: StepResult<[Double]>)
    /// The simulator state of the episode (nil before the first reset).
    var currentSimulatorState: [Double]? { get }
}

extension ControlEnvironment: SteppableControlEpisode {
    func resetEpisode(_ rng: inout RandomSource) throws -> [Double] { try reset(&rng) }

    func stepEpisode(_ action: FunctionTask.Action, _ rng: inout RandomSource) throws -> StepResult<[Double]> {
        try step(environmentAction(action), &rng)
    }

    func transition(from values: [Double], _ action: FunctionTask.Action, _ rng: inout RandomSource) throws
        -> (state: [Double], result: StepResult<[Double]>) {
        let s = try Dynamics.State(values: values)
        guard values.allSatisfy(\.isFinite) else { throw RuntimeError("\(Dynamics.gymnasiumID): a state is finite numbers") }
        let t = try simulate(s, environmentAction(action), &rng)
        return (t.state.values, t.result)
    }

    private func environmentAction(_ action: FunctionTask.Action) throws -> Dynamics.EnvironmentAction {
        let a: Dynamics.EnvironmentAction?
        switch action {
        case .discrete(let i): a = i as? Dynamics.EnvironmentAction
        case .continuous(let v): a = v as? Dynamics.EnvironmentAction
        }
        guard let a else {
            throw RuntimeError("\(Dynamics.gymnasiumID) takes \(actionNames.isEmpty ? "a number (or a list of numbers)" : "an action name or index")")
        }
        return a
    }

    var currentObservation: [Double]? { hasStarted ? dynamics.observation(state) : nil }
    var currentSimulatorState: [Double]? { hasStarted ? state.values : nil }
}

/// A `ContinuousMDP`'s start states for `env.reset()` and `env.state`.
final class FunctionTaskEpisode: ControlEpisode {
    let task: FunctionTask
    private var state: [Double]?

    init(task: FunctionTask) { self.task = task }

    func resetEpisode(_ rng: inout RandomSource) throws -> [Double] {
        let s = task.initialState(&rng)
        state = s
        return s
    }

    var currentObservation: [Double]? { state }
}
