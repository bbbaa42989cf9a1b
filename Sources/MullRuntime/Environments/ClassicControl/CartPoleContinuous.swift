/// mbrl-lib's `cartpole_continuous`, the task of its PETS examples: Gymnasium's CartPole physics
/// with a continuous action in [-1, 1] scaled by the force magnitude 10 (the force is
/// `10 * action`, not clipped, as in mbrl-lib), reward 1 on every step including the terminating
/// one, termination when |x| > 2.4 or |theta| > 12 degrees, and 200-step episodes.
public typealias CartPoleContinuous = ControlEnvironment<CartPoleContinuousDynamics>

extension ControlEnvironment where Dynamics == CartPoleContinuousDynamics {
    public convenience init(maxEpisodeSteps: Int? = CartPoleContinuousDynamics.registeredStepLimit) {
        self.init(dynamics: CartPoleContinuousDynamics(), maxEpisodeSteps: maxEpisodeSteps)
    }
}

/// CartPole's Euler step (`CartPoleDynamics`) with force `10 * action`.
public struct CartPoleContinuousDynamics: ControlDynamics {
    public typealias State = CartPoleDynamics.State

    public static var gymnasiumID: String { "cartpole_continuous" }
    public static var observationCount: Int { 4 }
    public static var registeredStepLimit: Int { 200 }

    /// Bounds of the uniform start distribution of every component.
    public var resetLow: Double
    public var resetHigh: Double

    public init(resetLow: Double = -0.05, resetHigh: Double = 0.05) {
        self.resetLow = resetLow
        self.resetHigh = resetHigh
    }

    public var observationSpace: Space { CartPoleDynamics().observationSpace }
    public var actionSpace: Space { .box(low: [-1], high: [1]) }

    @inlinable
    public func transition(_ s: State, _ action: Double) -> (state: State, reward: Double, terminated: Bool) {
        typealias C = CartPoleDynamics
        let (xacc, thetaacc) = C.accelerations(s, force: C.forceMagnitude * action)
        let n = State(x: s.x + C.tau * s.xDot, xDot: s.xDot + C.tau * xacc,
                      theta: s.theta + C.tau * s.thetaDot, thetaDot: s.thetaDot + C.tau * thetaacc)
        return (n, 1.0, Self.isTerminal(n.x, n.theta))
    }

    /// Outside the bounds, or not a number (a learned model's NaN prediction ends the particle,
    /// as mbrl-lib's `termination_fns.cartpole` does); the same as Gymnasium's test for numbers.
    @inlinable @inline(__always)
    static func isTerminal(_ x: Double, _ theta: Double) -> Bool {
        !(x >= -CartPoleDynamics.xThreshold && x <= CartPoleDynamics.xThreshold
            && theta >= -CartPoleDynamics.thetaThreshold && theta <= CartPoleDynamics.thetaThreshold)
    }

    @inlinable
    public func observe(_ s: State, into buffer: UnsafeMutableBufferPointer<Double>) {
        buffer[0] = s.x
        buffer[1] = s.xDot
        buffer[2] = s.theta
        buffer[3] = s.thetaDot
    }

    @inlinable
    public func initialState(_ rng: inout RandomSource) -> State {
        CartPoleDynamics(resetLow: resetLow, resetHigh: resetHigh).initialState(&rng)
    }

    public func action(from action: [Double]) throws -> Double { try scalarAction(action, Self.gymnasiumID) }
}
