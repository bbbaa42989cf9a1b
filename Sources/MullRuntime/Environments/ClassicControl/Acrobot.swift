#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gymnasium's Acrobot-v1 (Sutton, 1996; dynamics from Sutton & Barto's book): swing the tip of
/// a two-link pendulum above the bar by torquing the middle joint. Actions: 0, 1, 2 for torque
/// -1, 0, +1. Reward -1 per step, 0 on the terminal step; terminates when
/// `-cos(theta1) - cos(theta1 + theta2) > 1`; truncation after 500 steps. Observation
/// (cos theta1, sin theta1, cos theta2, sin theta2, theta1_dot, theta2_dot).
public typealias Acrobot = ControlEnvironment<AcrobotDynamics>

extension ControlEnvironment where Dynamics == AcrobotDynamics {
    public convenience init(maxEpisodeSteps: Int? = AcrobotDynamics.registeredStepLimit) {
        self.init(dynamics: AcrobotDynamics(), maxEpisodeSteps: maxEpisodeSteps)
    }
}

/// Acrobot's dynamics, exactly as `AcrobotEnv.step` computes them: one classical Runge-Kutta
/// step of length 0.2 (Gymnasium's `rk4` over `[0, dt]`) of the "book" equations, then angles
/// wrapped to [-pi, pi] and velocities bounded. Torque noise is 0, as in Gymnasium.
public struct AcrobotDynamics: ControlDynamics {
    public struct State: ControlState {
        public var theta1: Double
        public var theta2: Double
        public var theta1Dot: Double
        public var theta2Dot: Double
        @inlinable
        public init(theta1: Double, theta2: Double, theta1Dot: Double, theta2Dot: Double) {
            self.theta1 = theta1
            self.theta2 = theta2
            self.theta1Dot = theta1Dot
            self.theta2Dot = theta2Dot
        }
        public static var count: Int { 4 }
        public init(values v: [Double]) throws {
            try Self.check(v, "Acrobot")
            self.init(theta1: v[0], theta2: v[1], theta1Dot: v[2], theta2Dot: v[3])
        }
        public var values: [Double] { [theta1, theta2, theta1Dot, theta2Dot] }
    }

    public static let dt = 0.2
    public static let linkLength1 = 1.0
    public static let linkLength2 = 1.0
    public static let linkMass1 = 1.0
    public static let linkMass2 = 1.0
    public static let linkCOMPosition1 = 0.5
    public static let linkCOMPosition2 = 0.5
    public static let linkMOI = 1.0
    public static let maxVelocity1 = 4 * Double.pi
    public static let maxVelocity2 = 9 * Double.pi
    public static let torques: (Double, Double, Double) = (-1.0, 0.0, 1.0)

    public static var gymnasiumID: String { "Acrobot-v1" }
    public static var actionNames: [String] { ["torque -1", "torque 0", "torque +1"] }
    public static var observationCount: Int { 6 }
    public static var registeredStepLimit: Int { 500 }

    /// Bounds of the uniform start distribution of every component (Gymnasium's reset options
    /// `low` and `high`).
    public var resetLow: Double
    public var resetHigh: Double

    public init(resetLow: Double = -0.1, resetHigh: Double = 0.1) {
        self.resetLow = resetLow
        self.resetHigh = resetHigh
    }

    public var observationSpace: Space {
        let high = [1, 1, 1, 1, Self.maxVelocity1, Self.maxVelocity2]
        return .box(low: high.map { -$0 }, high: high)
    }
    public var actionSpace: Space { .discrete(3) }

    /// Gymnasium's `_dsdt` ("book" variant): derivatives of (theta1, theta2, dtheta1, dtheta2)
    /// under torque `a`.
    @inlinable @inline(__always)
    static func derivatives(_ theta1: Double, _ theta2: Double, _ dtheta1: Double, _ dtheta2: Double,
                            _ a: Double) -> (Double, Double, Double, Double) {
        let m1 = linkMass1, m2 = linkMass2, l1 = linkLength1
        let lc1 = linkCOMPosition1, lc2 = linkCOMPosition2
        let I1 = linkMOI, I2 = linkMOI
        let g = 9.8
        let cos2 = cosine(theta2), sin2 = sine(theta2)
        let d1 = m1 * (lc1 * lc1) + m2 * ((l1 * l1) + (lc2 * lc2) + 2 * l1 * lc2 * cos2) + I1 + I2
        let d2 = m2 * ((lc2 * lc2) + l1 * lc2 * cos2) + I2
        let phi2 = m2 * lc2 * g * cosine(theta1 + theta2 - Double.pi / 2.0)
        let phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * sin2
            - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin2
            + (m1 * lc1 + m2 * l1) * g * cosine(theta1 - Double.pi / 2)
            + phi2
        let ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * sin2 - phi2)
            / (m2 * (lc2 * lc2) + I2 - (d2 * d2) / d1)
        let ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
        return (dtheta1, dtheta2, ddtheta1, ddtheta2)
    }

    /// Gymnasium's `wrap`: shifts by whole periods into [m, M].
    @inlinable @inline(__always)
    static func wrap(_ x: Double, _ m: Double, _ M: Double) -> Double {
        let diff = M - m
        var x = x
        while x > M { x = x - diff }
        while x < m { x = x + diff }
        return x
    }

    @inlinable
    public func transition(_ s: State, _ action: Int) -> (state: State, reward: Double, terminated: Bool) {
        let torque = action == 0 ? Self.torques.0 : action == 1 ? Self.torques.1 : Self.torques.2
        // rk4(derivs, y0, [0, dt]): one step with dt = 0.2 - 0.
        let dt = Self.dt - 0
        let dt2 = dt / 2.0
        let (y0, y1, y2, y3) = (s.theta1, s.theta2, s.theta1Dot, s.theta2Dot)
        let k1 = Self.derivatives(y0, y1, y2, y3, torque)
        let k2 = Self.derivatives(y0 + dt2 * k1.0, y1 + dt2 * k1.1, y2 + dt2 * k1.2, y3 + dt2 * k1.3, torque)
        let k3 = Self.derivatives(y0 + dt2 * k2.0, y1 + dt2 * k2.1, y2 + dt2 * k2.2, y3 + dt2 * k2.3, torque)
        let k4 = Self.derivatives(y0 + dt * k3.0, y1 + dt * k3.1, y2 + dt * k3.2, y3 + dt * k3.3, torque)
        let h = dt / 6.0
        var n0 = y0 + h * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0)
        var n1 = y1 + h * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1)
        var n2 = y2 + h * (k1.2 + 2 * k2.2 + 2 * k3.2 + k4.2)
        var n3 = y3 + h * (k1.3 + 2 * k2.3 + 2 * k3.3 + k4.3)
        n0 = Self.wrap(n0, -Double.pi, Double.pi)
        n1 = Self.wrap(n1, -Double.pi, Double.pi)
        n2 = clip(n2, -Self.maxVelocity1, Self.maxVelocity1)
        n3 = clip(n3, -Self.maxVelocity2, Self.maxVelocity2)
        let terminated = -cosine(n0) - cosine(n1 + n0) > 1.0
        return (State(theta1: n0, theta2: n1, theta1Dot: n2, theta2Dot: n3), terminated ? 0.0 : -1.0, terminated)
    }

    @inlinable
    public func observe(_ s: State, into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = cosine(s.theta1)
        buffer[1] = sine(s.theta1)
        buffer[2] = cosine(s.theta2)
        buffer[3] = sine(s.theta2)
        buffer[4] = s.theta1Dot
        buffer[5] = s.theta2Dot
    }

    /// The angles from their cosines and sines.
    public func state(observation o: [Double]) -> State? {
        o.count == 6 ? State(theta1: atan2(o[1], o[0]), theta2: atan2(o[3], o[2]), theta1Dot: o[4], theta2Dot: o[5]) : nil
    }

    /// Each component uniform in [resetLow, resetHigh), by default [-0.1, 0.1), rounded to
    /// float32 as Gymnasium stores it.
    @inlinable
    public func initialState(_ rng: inout RandomSource) -> State {
        let lo = resetLow, hi = resetHigh
        func draw() -> Double { Double(Float(rng.uniform(lo, hi))) }
        return State(theta1: draw(), theta2: draw(), theta1Dot: draw(), theta2Dot: draw())
    }

    public func action(from action: Int) throws -> Int { try discreteAction(action, 3, Self.gymnasiumID) }
}
