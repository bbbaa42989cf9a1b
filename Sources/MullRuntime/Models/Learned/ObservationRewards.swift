/// Reward and termination of a task as functions of observations and actions, for planning
/// through a learned model that predicts observations (mbrl-lib's `reward_fns` and
/// `termination_fns`). A learned model may learn the reward instead; termination always comes
/// from here.
public protocol ObservationRewards: Sendable {
    /// Length of the observation vector.
    var observationLength: Int { get }
    /// Whether `next` (an observation) is terminal.
    func terminated(next: UnsafePointer<Double>) -> Bool
    /// The reward of taking `action` in `observation` and reaching `next`.
    func reward(observation: UnsafePointer<Double>, action: UnsafePointer<Double>, next: UnsafePointer<Double>,
                terminated: Bool) -> Double
}

extension CartPoleContinuousDynamics: ObservationRewards {
    public var observationLength: Int { 4 }
    @inlinable @inline(__always)
    public func terminated(next: UnsafePointer<Double>) -> Bool { Self.isTerminal(next[0], next[2]) }
    /// mbrl-lib's `reward_fns.cartpole`: 1 unless the step terminates, then 0.
    @inlinable @inline(__always)
    public func reward(observation: UnsafePointer<Double>, action: UnsafePointer<Double>, next: UnsafePointer<Double>,
                       terminated: Bool) -> Double { terminated ? 0 : 1 }
}

extension CartPoleDynamics: ObservationRewards {
    public var observationLength: Int { 4 }
    /// Gymnasium's bounds; a NaN observation counts as terminal.
    @inlinable @inline(__always)
    public func terminated(next: UnsafePointer<Double>) -> Bool { CartPoleContinuousDynamics.isTerminal(next[0], next[2]) }
    /// CartPole-v1's +1 for every step, the terminating one included (or Sutton and Barto's
    /// -1 on failure, when the task is set up so).
    @inlinable @inline(__always)
    public func reward(observation: UnsafePointer<Double>, action: UnsafePointer<Double>, next: UnsafePointer<Double>,
                       terminated: Bool) -> Double { suttonBartoReward ? (terminated ? -1 : 0) : 1 }
}

extension PendulumDynamics: ObservationRewards {
    public var observationLength: Int { 3 }
    @inlinable @inline(__always)
    public func terminated(next: UnsafePointer<Double>) -> Bool { false }
    /// Gymnasium's cost from the observation before the step: the angle is atan2(sin, cos).
    @inlinable @inline(__always)
    public func reward(observation o: UnsafePointer<Double>, action: UnsafePointer<Double>, next: UnsafePointer<Double>,
                       terminated: Bool) -> Double {
        let th = atan2(o[1], o[0])
        let u = clip(action[0], -Self.maxTorque, Self.maxTorque)
        return -(th * th + 0.1 * (o[2] * o[2]) + 0.001 * (u * u))
    }
}

extension MountainCarContinuousDynamics: ObservationRewards {
    public var observationLength: Int { 2 }
    @inlinable @inline(__always)
    public func terminated(next: UnsafePointer<Double>) -> Bool { next[0] >= Self.goalPosition && next[1] >= goalVelocity }
    @inlinable @inline(__always)
    public func reward(observation: UnsafePointer<Double>, action: UnsafePointer<Double>, next: UnsafePointer<Double>,
                       terminated: Bool) -> Double {
        (terminated ? 100 : 0) - action[0] * action[0] * 0.1
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
