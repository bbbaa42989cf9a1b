import Foundation
import Testing
@testable import MullRuntime

/// One recorded Gymnasium step: `[state, action, next_state, observation, reward, terminated]`.
struct ClassicRow: Decodable, Sendable {
    let state: [Double]
    let action: Double
    let next: [Double]
    let observation: [Double]
    let reward: Double
    let terminated: Bool
    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        state = try c.decode([Double].self)
        action = try c.decode(Double.self)
        next = try c.decode([Double].self)
        observation = try c.decode([Double].self)
        reward = try c.decode(Double.self)
        terminated = try c.decode(Bool.self)
    }
}

/// One recorded step of a trajectory: `[state, observation, reward, terminated]`.
struct ClassicTrajectoryStep: Decodable, Sendable {
    let state: [Double]
    let observation: [Double]
    let reward: Double
    let terminated: Bool
    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        state = try c.decode([Double].self)
        observation = try c.decode([Double].self)
        reward = try c.decode(Double.self)
        terminated = try c.decode(Bool.self)
    }
}

struct ClassicTrajectory: Decodable, Sendable {
    let start: [Double]
    let actions: [Double]
    let steps: [ClassicTrajectoryStep]
}

struct ClassicEnvFixture: Decodable, Sendable {
    let id: String
    let max_episode_steps: Int
    let rows: [ClassicRow]
    let trajectories: [ClassicTrajectory]
}

struct ClassicFixture: Decodable, Sendable {
    let gymnasium_version: String
    let envs: [String: ClassicEnvFixture]
}

/// Steps recorded from Gymnasium by Fixtures/generate_classic.py.
let classicFixture: ClassicFixture = {
    let url = Bundle.module.url(forResource: "classic", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode(ClassicFixture.self, from: Data(contentsOf: url))
}()

/// Agreement of a float64 quantity: 1e-9 relative, or 1e-12 absolute near zero.
///
/// The arithmetic is Gymnasium's operation for operation, so most values agree bit for bit; the
/// remaining differences come from `sin`/`cos`, which NumPy and the platform's libm may round
/// differently in the last bit (a relative 1e-16 that the dynamics can amplify over a few steps).
func agrees(_ ours: Double, _ theirs: Double, relative: Double = 1e-9, scale: Double = 0) -> Bool {
    let d = abs(ours - theirs)
    return d <= relative * max(abs(theirs), scale) || d <= 1e-12
}

/// Agreement of an observation with Gymnasium's float32 observation: our float64 value rounded
/// to float32 is the same float32 number or its neighbour (a neighbour when the float64 values
/// differ in the last bits across a float32 rounding boundary).
func agreesAsFloat32(_ ours: Double, _ theirs: Double) -> Bool {
    let a = Float(ours), b = Float(theirs)
    return a == b || abs(a - b) <= b.ulp
}

/// Checks every recorded row and trajectory of one task; returns the largest relative state error.
@discardableResult
func checkAgainstGymnasium<D: ControlDynamics>(_ name: String, _ dynamics: D, stateTolerance: Double = 1e-9,
                                               stateScale: Double = 0, teacherForced: Bool = false,
                                               action: (Double) -> D.Action) throws -> Double {
    let fx = try #require(classicFixture.envs[name])
    #expect(fx.id == D.gymnasiumID)
    #expect(fx.max_episode_steps == D.registeredStepLimit)
    #expect(!fx.rows.isEmpty)
    var worst = 0.0
    func compare(_ state: D.State, _ next: D.State, _ reward: Double, _ terminated: Bool,
                 _ expNext: [Double], _ expObs: [Double], _ expReward: Double, _ expTerminated: Bool, _ what: String) {
        let values = next.values
        let obs = dynamics.observation(next)
        for (o, t) in zip(values, expNext) {
            worst = max(worst, abs(o - t) / max(abs(t), stateScale, 1e-3))
        }
        let ok = values.count == expNext.count && zip(values, expNext).allSatisfy { agrees($0, $1, relative: stateTolerance, scale: stateScale) }
            && obs.count == expObs.count && zip(obs, expObs).allSatisfy {
                agreesAsFloat32($0, $1) || agrees($0, $1, relative: stateTolerance, scale: stateScale)
            }
            && agrees(reward, expReward) && terminated == expTerminated
        if !ok {
            Issue.record("\(name) \(what): from \(state.values) got \(values) obs \(obs) r \(reward) t \(terminated); gymnasium \(expNext) obs \(expObs) r \(expReward) t \(expTerminated)")
        }
    }
    for (i, row) in fx.rows.enumerated() {
        let s = try D.State(values: row.state)
        let t = dynamics.transition(s, action(row.action))
        compare(s, t.state, t.reward, t.terminated, row.next, row.observation, row.reward, row.terminated, "row \(i)")
    }
    for (k, traj) in fx.trajectories.enumerated() {
        var s = try D.State(values: traj.start)
        for (i, step) in traj.steps.enumerated() {
            let t = dynamics.transition(s, action(traj.actions[i]))
            compare(s, t.state, t.reward, t.terminated, step.state, step.observation, step.reward, step.terminated,
                    "trajectory \(k) step \(i)")
            s = teacherForced ? try D.State(values: step.state) : t.state
        }
    }
    return worst
}

@Suite("Classic control against Gymnasium's steps")
struct ClassicControlTests {
    @Test func fixtureCoversEveryTask() {
        #expect(Set(classicFixture.envs.keys) ==
                ["CartPole", "Pendulum", "PendulumG981", "MountainCar", "MountainCarContinuous", "Acrobot"])
        #expect(!classicFixture.gymnasium_version.isEmpty)
    }

    @Test func cartPole() throws {
        try checkAgainstGymnasium("CartPole", CartPoleDynamics()) { Int($0) }
    }

    @Test func pendulum() throws {
        try checkAgainstGymnasium("Pendulum", PendulumDynamics()) { $0 }
    }

    @Test func pendulumWithOtherGravity() throws {
        try checkAgainstGymnasium("PendulumG981", PendulumDynamics(g: 9.81)) { $0 }
    }

    @Test func mountainCar() throws {
        try checkAgainstGymnasium("MountainCar", MountainCarDynamics()) { Int($0) }
    }

    @Test func mountainCarContinuous() throws {
        // Gymnasium's step mixes float32 and float64 in ways that depend on NumPy's promotion
        // rules: the stored state is float32, and when the action is clipped, Python-float
        // constants make NumPy do the velocity (or position) update in float32. This type keeps
        // float64 arithmetic with float32 storage, so results can differ by a few float32
        // roundings: of the state component itself (relative 6e-8 each) or, for a small velocity,
        // of the velocity increment (up to ~0.004, so absolute ~2.5e-10 each). We allow 2.5e-7
        // relative to max(|value|, 0.01): about two float32 roundings of either kind. Such
        // differences are carried forward and grow along a trajectory, so trajectory steps start
        // from Gymnasium's own previous state.
        try checkAgainstGymnasium("MountainCarContinuous", MountainCarContinuousDynamics(),
                                  stateTolerance: 2.5e-7, stateScale: 0.01, teacherForced: true) { $0 }
    }

    @Test func acrobot() throws {
        try checkAgainstGymnasium("Acrobot", AcrobotDynamics()) { Int($0) }
    }

    @Test func angleNormalisationFollowsPythonModulo() {
        #expect(PendulumDynamics.normalizeAngle(Double.pi) == -Double.pi)
        #expect(PendulumDynamics.normalizeAngle(0) == 0)
        #expect(abs(PendulumDynamics.normalizeAngle(-3 * Double.pi / 2) - Double.pi / 2) < 1e-15)
        #expect(abs(PendulumDynamics.normalizeAngle(7) - (7 - 2 * Double.pi)) < 1e-15)
        #expect(PendulumDynamics.normalizeAngle(1) == 1)
        #expect(PendulumDynamics.normalizeAngle(-1) == -1)
        #expect(PendulumDynamics.normalizeAngle(-Double.pi) == -Double.pi)
    }

    @Test func stepLimitsTruncate() throws {
        var rng = RandomSource(seed: 2)
        let pendulum = Pendulum()
        #expect(pendulum.maxEpisodeSteps == 200)
        _ = try pendulum.reset(&rng)
        for t in 1...200 {
            let r = try pendulum.step([0.5], &rng)
            #expect(!r.terminated && r.truncated == (t == 200))
            #expect(r.observation.count == 3)
        }
        #expect(CartPole().maxEpisodeSteps == 500)
        #expect(MountainCar().maxEpisodeSteps == 200)
        #expect(MountainCarContinuous().maxEpisodeSteps == 999)
        #expect(Acrobot().maxEpisodeSteps == 500)
        #expect(Acrobot(maxEpisodeSteps: nil).maxEpisodeSteps == nil)
        #expect(CartPole().actionNames == ["left", "right"])
        #expect(Pendulum().actionNames.isEmpty)
    }

    @Test func cartPoleRewardAfterTermination() throws {
        var rng = RandomSource(seed: 4)
        let env = CartPole()
        _ = try env.reset(&rng)
        env.state = CartPoleDynamics.State(x: 2.39, xDot: 2, theta: 0, thetaDot: 0)
        let first = try env.step(1, &rng)
        #expect(first.terminated && first.reward == 1)
        let second = try env.step(1, &rng)
        #expect(second.terminated && second.reward == 0)
        let sb = CartPole(suttonBartoReward: true)
        _ = try sb.reset(&rng)
        #expect(try sb.step(0, &rng).reward == 0)
        sb.state = CartPoleDynamics.State(x: 2.39, xDot: 2, theta: 0, thetaDot: 0)
        #expect(try sb.step(1, &rng).reward == -1)
    }

    /// Start states lie in Gymnasium's ranges and fill them: 4000 draws of a uniform on an
    /// interval of width w have a mean with standard deviation w / sqrt(12 * 4000) ≈ 0.0046 w;
    /// the tolerance 0.025 w is more than 5 of those.
    @Test func resetDistributions() throws {
        var rng = RandomSource(seed: 8)
        let n = 4000
        func meanAndRange(_ draw: () -> Double) -> (Double, Double, Double) {
            var sum = 0.0, lo = Double.infinity, hi = -Double.infinity
            for _ in 0..<n { let x = draw(); sum += x; lo = min(lo, x); hi = max(hi, x) }
            return (sum / Double(n), lo, hi)
        }
        let cart = CartPoleDynamics()
        let (m1, lo1, hi1) = meanAndRange { cart.initialState(&rng).thetaDot }
        #expect(lo1 >= -0.05 && hi1 < 0.05 && abs(m1) < 0.025 * 0.1 && hi1 - lo1 > 0.09)
        let pend = PendulumDynamics()
        let (m2, lo2, hi2) = meanAndRange { pend.initialState(&rng).theta }
        #expect(lo2 >= -Double.pi && hi2 < Double.pi && abs(m2) < 0.025 * 2 * Double.pi)
        let car = MountainCarDynamics()
        let (m3, lo3, hi3) = meanAndRange { car.initialState(&rng).position }
        #expect(lo3 >= -0.6 && hi3 < -0.4 && abs(m3 + 0.5) < 0.025 * 0.2)
        #expect(car.initialState(&rng).velocity == 0)
        let acro = AcrobotDynamics()
        for _ in 0..<100 {
            let s = acro.initialState(&rng)
            for v in s.values { #expect(abs(v) <= 0.1 && Double(Float(v)) == v) }
        }
    }

    @Test func environmentsValidateActionsAndState() throws {
        var rng = RandomSource(seed: 1)
        let cart = CartPole()
        #expect(throws: RuntimeError.self) { try cart.step(0, &rng) }  // before reset
        _ = try cart.reset(&rng)
        #expect(throws: RuntimeError.self) { try cart.step(2, &rng) }
        let pend = Pendulum()
        _ = try pend.reset(&rng)
        #expect(throws: RuntimeError.self) { try pend.step([1, 2], &rng) }
        #expect(throws: RuntimeError.self) { try PendulumDynamics.State(values: [1, 2, 3]) }
        // simulate leaves the environment's own state alone.
        let before = pend.state
        let (next, result) = try pend.simulate(before, [2.0], &rng)
        #expect(pend.state == before && next != before && result.observation.count == 3)
        var buffer = [Double](repeating: .nan, count: 6)
        buffer.withUnsafeMutableBufferPointer { AcrobotDynamics().observe(AcrobotDynamics.State(theta1: 0, theta2: 0, theta1Dot: 1, theta2Dot: 2), into: $0) }
        #expect(buffer == [1, 0, 1, 0, 1, 2])
    }
}
