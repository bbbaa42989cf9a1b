/// A planner that acts by searching forward from the current true state at every real step.
public protocol DecisionTimePlanner: AnyObject {
    associatedtype State
    associatedtype Action

    /// Forgets everything carried between steps (warm starts, reused trees); call at episode start.
    func reset()
    /// Plans from `state` and returns the action to execute.
    func act(_ state: State) -> Action
    /// Model transitions simulated since the planner was made.
    var modelSteps: Int { get }
}
