/// Gymnasium's CartPole-v1 (Barto, Sutton & Anderson, 1983): push a cart left or right to keep
/// a pole upright. Actions: 0 push left, 1 push right (force 10 N). Reward 1 per step; the
/// episode terminates when |x| > 2.4 or |theta| > 12 degrees; truncation after 500 steps.
public typealias CartPole = ControlEnvironment<CartPoleDynamics>

extension ControlEnvironment where Dynamics == CartPoleDynamics {
    /// `suttonBartoReward`: 0 per step and -1 on termination instead of 1 per step.
    public convenience init(suttonBartoReward: Bool = false, integrator: CartPoleDynamics.Integrator = .euler,
                            maxEpisodeSteps: Int? = CartPoleDynamics.registeredStepLimit) {
        self.init(dynamics: CartPoleDynamics(suttonBartoReward: suttonBartoReward, integrator: integrator),
                  maxEpisodeSteps: maxEpisodeSteps)
    }
}

/// CartPole's physics, exactly as `CartPoleEnv.step` computes it.
public struct CartPoleDynamics: ControlDynamics {
    public struct State: ControlState {
        public var x: Double
        public var xDot: Double
        public var theta: Double
        public var thetaDot: Double
        @inlinable
        public init(x: Double, xDot: Double, theta: Double, thetaDot: Double) {
            self.x = x
            self.xDot = xDot
            self.theta = theta
            self.thetaDot = thetaDot
        }
        public static var count: Int { 4 }
        public init(values v: [Double]) throws {
            try Self.check(v, "CartPole")
            self.init(x: v[0], xDot: v[1], theta: v[2], thetaDot: v[3])
        }
        public var values: [Double] { [x, xDot, theta, thetaDot] }
    }

    /// Gymnasium's `kinematics_integrator`: "euler" (default) or semi-implicit Euler.
    public enum Integrator: Sendable { case euler, semiImplicitEuler }

    public static let gravity = 9.8
    public static let massCart = 1.0
    public static let massPole = 0.1
    public static let totalMass = massPole + massCart
    /// Half the pole's length.
    public static let length = 0.5
    public static let poleMassLength = massPole * length
    public static let forceMagnitude = 10.0
    public static let tau = 0.02
    public static let thetaThreshold = 12 * 2 * Double.pi / 360
    public static let xThreshold = 2.4

    public static var gymnasiumID: String { "CartPole-v1" }
    public static var actionNames: [String] { ["left", "right"] }
    public static var observationCount: Int { 4 }
    public static var registeredStepLimit: Int { 500 }

    public var suttonBartoReward: Bool
    public var integrator: Integrator
    /// Bounds of the uniform start distribution of every component (Gymnasium's reset options
    /// `low` and `high`).
    public var resetLow: Double
    public var resetHigh: Double

    public init(suttonBartoReward: Bool = false, integrator: Integrator = .euler,
                resetLow: Double = -0.05, resetHigh: Double = 0.05) {
        self.suttonBartoReward = suttonBartoReward
        self.integrator = integrator
        self.resetLow = resetLow
        self.resetHigh = resetHigh
    }

    public var observationSpace: Space {
        let high = [Self.xThreshold * 2, .infinity, Self.thetaThreshold * 2, .infinity]
        return .box(low: high.map { -$0 }, high: high)
    }
    public var actionSpace: Space { .discrete(2) }
    public var rewardBeyondTermination: Double? { suttonBartoReward ? -1.0 : 0.0 }

    @inlinable
    public func transition(_ s: State, _ action: Int) -> (state: State, reward: Double, terminated: Bool) {
        let force = action == 1 ? Self.forceMagnitude : -Self.forceMagnitude
        let (xacc, thetaacc) = Self.accelerations(s, force: force)
        var n = s
        switch integrator {
        case .euler:
            n.x = s.x + Self.tau * s.xDot
            n.xDot = s.xDot + Self.tau * xacc
            n.theta = s.theta + Self.tau * s.thetaDot
            n.thetaDot = s.thetaDot + Self.tau * thetaacc
        case .semiImplicitEuler:
            n.xDot = s.xDot + Self.tau * xacc
            n.x = s.x + Self.tau * n.xDot
            n.thetaDot = s.thetaDot + Self.tau * thetaacc
            n.theta = s.theta + Self.tau * n.thetaDot
        }
        let terminated = n.x < -Self.xThreshold || n.x > Self.xThreshold
            || n.theta < -Self.thetaThreshold || n.theta > Self.thetaThreshold
        let reward = suttonBartoReward ? (terminated ? -1.0 : 0.0) : 1.0
        return (n, reward, terminated)
    }

    /// The cart's and the pole's accelerations under `force`, as `CartPoleEnv.step` computes them.
    @inlinable @inline(__always)
    static func accelerations(_ s: State, force: Double) -> (xacc: Double, thetaacc: Double) {
        let (sintheta, costheta) = sineCosine(s.theta)
        let temp = (force + Self.poleMassLength * (s.thetaDot * s.thetaDot) * sintheta) / Self.totalMass
        let thetaacc = (Self.gravity * sintheta - costheta * temp)
            / (Self.length * (4.0 / 3.0 - Self.massPole * (costheta * costheta) / Self.totalMass))
        let xacc = temp - Self.poleMassLength * thetaacc * costheta / Self.totalMass
        return (xacc, thetaacc)
    }

    /// The observation is the state: (x, x_dot, theta, theta_dot).
    @inlinable
    public func observe(_ s: State, into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = s.x
        buffer[1] = s.xDot
        buffer[2] = s.theta
        buffer[3] = s.thetaDot
    }

    /// Each component uniform in [resetLow, resetHigh), by default [-0.05, 0.05).
    @inlinable
    public func initialState(_ rng: inout RandomSource) -> State {
        State(x: rng.uniform(resetLow, resetHigh), xDot: rng.uniform(resetLow, resetHigh),
              theta: rng.uniform(resetLow, resetHigh), thetaDot: rng.uniform(resetLow, resetHigh))
    }

    public func action(from action: Int) throws -> Int { try discreteAction(action, 2, Self.gymnasiumID) }
}
