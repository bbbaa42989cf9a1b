/// Gymnasium's MountainCar-v0 (Moore, 1990): drive an under-powered car up the right hill.
/// Actions: 0 accelerate left, 1 none, 2 right. Reward -1 per step; terminates at position
/// >= 0.5 (with velocity >= `goalVelocity`); truncation after 200 steps.
public typealias MountainCar = ControlEnvironment<MountainCarDynamics>

extension ControlEnvironment where Dynamics == MountainCarDynamics {
    public convenience init(goalVelocity: Double = 0, maxEpisodeSteps: Int? = MountainCarDynamics.registeredStepLimit) {
        self.init(dynamics: MountainCarDynamics(goalVelocity: goalVelocity), maxEpisodeSteps: maxEpisodeSteps)
    }
}

/// The car's position and velocity, shared by both mountain-car tasks.
public struct MountainCarState: ControlState {
    public var position: Double
    public var velocity: Double
    @inlinable
    public init(position: Double, velocity: Double) {
        self.position = position
        self.velocity = velocity
    }
    public static var count: Int { 2 }
    public init(values v: [Double]) throws {
        try Self.check(v, "MountainCar")
        self.init(position: v[0], velocity: v[1])
    }
    public var values: [Double] { [position, velocity] }
}

/// MountainCar's dynamics, exactly as `MountainCarEnv.step` computes them.
public struct MountainCarDynamics: ControlDynamics {
    public typealias State = MountainCarState

    public static let minPosition = -1.2
    public static let maxPosition = 0.6
    public static let maxSpeed = 0.07
    public static let goalPosition = 0.5
    public static let force = 0.001
    public static let gravity = 0.0025

    public static var gymnasiumID: String { "MountainCar-v0" }
    public static var actionNames: [String] { ["left", "none", "right"] }
    public static var observationCount: Int { 2 }
    public static var registeredStepLimit: Int { 200 }

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
    public var actionSpace: Space { .discrete(3) }

    @inlinable
    public func transition(_ s: State, _ action: Int) -> (state: State, reward: Double, terminated: Bool) {
        var position = s.position, velocity = s.velocity
        velocity += Double(action - 1) * Self.force + cosine(3 * position) * (-Self.gravity)
        velocity = clip(velocity, -Self.maxSpeed, Self.maxSpeed)
        position += velocity
        position = clip(position, Self.minPosition, Self.maxPosition)
        if position == Self.minPosition && velocity < 0 { velocity = 0 }
        let terminated = position >= Self.goalPosition && velocity >= goalVelocity
        return (State(position: position, velocity: velocity), -1.0, terminated)
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

    public func action(from action: Int) throws -> Int { try discreteAction(action, 3, Self.gymnasiumID) }
}
