/// The exact model of a classic-control task: its pure transition function, deterministic
/// (`rng` is not used).
public struct DynamicsModel<Dynamics: ControlDynamics>: SimulationModel, Sendable {
    public typealias State = Dynamics.State
    public typealias Action = Dynamics.Action

    public let dynamics: Dynamics

    public init(_ dynamics: Dynamics) { self.dynamics = dynamics }

    /// The model of `environment`'s dynamics.
    public init(_ environment: ControlEnvironment<Dynamics>) { self.dynamics = environment.dynamics }

    @inlinable @inline(__always)
    public func step(_ state: State, _ action: Action, _ rng: inout RandomSource)
        -> (state: State, reward: Double, terminated: Bool) {
        dynamics.transition(state, action)
    }
}
