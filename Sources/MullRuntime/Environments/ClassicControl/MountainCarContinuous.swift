/// Gymnasium's MountainCarContinuous-v0: the mountain car with a force in [-1, 1] (clipped;
/// power 0.0015). Reward 100 on reaching position >= 0.45 (with velocity >= `goalVelocity`),
/// minus 0.1 * action^2 every step (of the unclipped action, as in Gymnasium); truncation after
/// 999 steps.
///
/// Gymnasium stores this task's state as float32 after every step; the transition rounds the
/// new state to float32 likewise, and when the position is a float32 value it computes
/// `3 * position` in float32, as NumPy does. The state after reset is float64 in Gymnasium and
/// here, so whole trajectories agree.
public typealias MountainCarContinuous = ControlEnvironment<MountainCarContinuousDynamics>

extension ControlEnvironment where Dynamics == MountainCarContinuousDynamics {
    public convenience init(goalVelocity: Double = 0,
                            maxEpisodeSteps: Int? = MountainCarContinuousDynamics.registeredStepLimit) {
        self.init(dynamics: MountainCarContinuousDynamics(goalVelocity: goalVelocity), maxEpisodeSteps: maxEpisodeSteps)
    }
}

/// MountainCarContinuous's dynamics, exactly as `Continuous_MountainCarEnv.step` computes them
/// (with a float64 action).
public struct MountainCarContinuousDynamics: ControlDynamics {
    public typealias State = MountainCarState

    public static let minAction = -1.0
    public static let maxAction = 1.0
    public static let minPosition = -1.2
    public static let maxPosition = 0.6
    public static let maxSpeed = 0.07
    public static let goalPosition = 0.45
    public static let power = 0.0015

    public static var gymnasiumID: String { "MountainCarContinuous-v0" }
    public static var observationCount: Int { 2 }
    public static var registeredStepLimit: Int { 999 }

    public var goalVelocity: Double
    /// Bounds of the uniform start position (Gymnasium's reset options `low` and `high`).
    public var resetLow: Double
    public var resetHigh: Double

    public init(goalVelocity: Double = 0, resetLow: Double = -0.6, resetHigh: Double = -0.4) {
        self.goalVelocity = goalVelocity
        self.resetLow = resetLow
        self.resetHigh = resetHigh
    }

    public var observationSpace: Space {
        .box(low: [Self.minPosition, -Self.maxSpeed], high: [Self.maxPosition, Self.maxSpeed])
    }
    public var actionSpace: Space { .box(low: [Self.minAction], high: [Self.maxAction]) }

    @inlinable
    public func transition(_ s: State, _ action: Double) -> (state: State, reward: Double, terminated: Bool) {
        var position = s.position, velocity = s.velocity
        let force = min(max(action, Self.minAction), Self.maxAction)
        let p32 = Float(position)
        // NumPy computes `3 * position` in float32 when the stored state is float32.
        let threeP = Double(p32) == position ? Double(3 * p32) : 3 * position
        velocity += force * Self.power - 0.0025 * cosine(threeP)
        if velocity > Self.maxSpeed { velocity = Self.maxSpeed }
        if velocity < -Self.maxSpeed { velocity = -Self.maxSpeed }
        position += velocity
        if position > Self.maxPosition { position = Self.maxPosition }
        if position < Self.minPosition { position = Self.minPosition }
        if position == Self.minPosition && velocity < 0 { velocity = 0 }
        let terminated = position >= Self.goalPosition && velocity >= goalVelocity
        var reward = terminated ? 100.0 : 0.0
        reward -= (action * action) * 0.1
        let next = State(position: Double(Float(position)), velocity: Double(Float(velocity)))
        return (next, reward, terminated)
    }

    @inlinable
    public func observe(_ s: State, into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = s.position
        buffer[1] = s.velocity
    }

    /// Position uniform in [resetLow, resetHigh), by default [-0.6, -0.4); velocity 0.
    @inlinable
    public func initialState(_ rng: inout RandomSource) -> State {
        State(position: rng.uniform(resetLow, resetHigh), velocity: 0)
    }

    public func action(from action: [Double]) throws -> Double { try scalarAction(action, Self.gymnasiumID) }
}
