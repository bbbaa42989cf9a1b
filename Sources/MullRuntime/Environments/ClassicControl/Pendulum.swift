#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gymnasium's Pendulum-v1: swing a frictionless pendulum up and hold it. The action is a torque
/// in [-2, 2] (clipped); reward -(theta_n^2 + 0.1 theta_dot^2 + 0.001 u^2) with theta_n the angle
/// normalised to [-pi, pi); never terminates; truncation after 200 steps.
public typealias Pendulum = ControlEnvironment<PendulumDynamics>

extension ControlEnvironment where Dynamics == PendulumDynamics {
    /// `g`: gravitational acceleration (Gymnasium's default 10.0).
    public convenience init(g: Double = 10.0, maxEpisodeSteps: Int? = PendulumDynamics.registeredStepLimit) {
        self.init(dynamics: PendulumDynamics(g: g), maxEpisodeSteps: maxEpisodeSteps)
    }
}

/// Pendulum's physics, exactly as `PendulumEnv.step` computes it (with a float64 action).
public struct PendulumDynamics: ControlDynamics {
    public struct State: ControlState {
        /// Angle, 0 upright; not wrapped (Gymnasium keeps the raw angle).
        public var theta: Double
        public var thetaDot: Double
        @inlinable
        public init(theta: Double, thetaDot: Double) {
            self.theta = theta
            self.thetaDot = thetaDot
        }
        public static var count: Int { 2 }
        public init(values v: [Double]) throws {
            try Self.check(v, "Pendulum")
            self.init(theta: v[0], thetaDot: v[1])
        }
        public var values: [Double] { [theta, thetaDot] }
    }

    public static let maxSpeed = 8.0
    public static let maxTorque = 2.0
    public static let dt = 0.05
    public static let m = 1.0
    public static let l = 1.0

    public static var gymnasiumID: String { "Pendulum-v1" }
    public static var observationCount: Int { 3 }
    public static var registeredStepLimit: Int { 200 }

    public var g: Double
    /// Start angle uniform in [-resetTheta, resetTheta) and velocity in [-resetThetaDot,
    /// resetThetaDot) (Gymnasium's reset options `x_init`, `y_init`).
    public var resetTheta: Double
    public var resetThetaDot: Double

    public init(g: Double = 10.0, resetTheta: Double = Double.pi, resetThetaDot: Double = 1.0) {
        self.g = g
        self.resetTheta = resetTheta
        self.resetThetaDot = resetThetaDot
    }

    public var observationSpace: Space { .box(low: [-1, -1, -Self.maxSpeed], high: [1, 1, Self.maxSpeed]) }
    public var actionSpace: Space { .box(low: [-Self.maxTorque], high: [Self.maxTorque]) }

    /// Gymnasium's `angle_normalize`: `((x + pi) % (2 pi)) - pi`.
    @inlinable @inline(__always)
    public static func normalizeAngle(_ x: Double) -> Double {
        floorMod(x + Double.pi, 2 * Double.pi) - Double.pi
    }

    @inlinable
    public func transition(_ s: State, _ torque: Double) -> (state: State, reward: Double, terminated: Bool) {
        let th = s.theta, thdot = s.thetaDot
        let u = clip(torque, -Self.maxTorque, Self.maxTorque)
        let an = Self.normalizeAngle(th)
        let costs = an * an + 0.1 * (thdot * thdot) + 0.001 * (u * u)
        var newthdot = thdot + (3 * g / (2 * Self.l) * sine(th) + 3.0 / (Self.m * (Self.l * Self.l)) * u) * Self.dt
        newthdot = clip(newthdot, -Self.maxSpeed, Self.maxSpeed)
        let newth = th + newthdot * Self.dt
        return (State(theta: newth, thetaDot: newthdot), -costs, false)
    }

    /// (cos theta, sin theta, theta_dot).
    @inlinable
    public func observe(_ s: State, into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = cosine(s.theta)
        buffer[1] = sine(s.theta)
        buffer[2] = s.thetaDot
    }

    /// The angle from its cosine and sine.
    public func state(observation o: [Double]) -> State? {
        o.count == 3 ? State(theta: atan2(o[1], o[0]), thetaDot: o[2]) : nil
    }

    /// Angle uniform in [-pi, pi), angular velocity uniform in [-1, 1) (by default).
    @inlinable
    public func initialState(_ rng: inout RandomSource) -> State {
        State(theta: rng.uniform(-resetTheta, resetTheta), thetaDot: rng.uniform(-resetThetaDot, resetThetaDot))
    }

    public func action(from action: [Double]) throws -> Double { try scalarAction(action, Self.gymnasiumID) }
}
