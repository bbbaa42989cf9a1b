import Testing
@testable import MullRuntime

@Suite struct LearnedModelTests {
    static func smallSettings() -> EnsembleSettings {
        var s = EnsembleSettings()
        s.members = 3
        s.elites = 2
        s.hidden = [64, 64]
        s.particles = 6
        s.maxEpochs = 20
        s.validationFraction = 0.2
        s.learningRate = 1e-3
        return s
    }

    /// Random-action transitions of CartPoleContinuous.
    static func randomData(_ model: EnsembleModel<CartPoleContinuousDynamics>, steps: Int, seed: UInt64) {
        let d = CartPoleContinuousDynamics()
        var rng = RandomSource(seed: seed)
        var state = d.initialState(&rng)
        var n = 0
        for _ in 0..<steps {
            var a = rng.uniform(-1, 1)
            let t = d.transition(state, a)
            model.add(observation: d.observation(state), action: &a, next: d.observation(t.state), reward: t.reward, terminated: t.terminated)
            n += 1
            if t.terminated || n >= 200 { state = d.initialState(&rng); n = 0 } else { state = t.state }
        }
    }

    @Test func ensembleLearnsCartPoleOneStepDynamics() throws {
        let model = try EnsembleModel(task: CartPoleContinuousDynamics(), actionLength: 1, settings: Self.smallSettings(), seed: 1)
        Self.randomData(model, steps: 1000, seed: 2)
        let round = try model.train()
        #expect(round.elites.count == 2 && round.epochs >= 1)
        // Target deltas of CartPole have variance of order 1e-3 per component (theta_dot's
        // change is the largest); a model that learned nothing scores about that.
        let mse = round.elites.map { round.validationMSE[$0] }.max()!
        #expect(mse < 2e-4, "validation MSE \(mse)")
        // Prediction against the truth from a fresh state.
        let d = CartPoleContinuousDynamics()
        let s = CartPoleDynamics.State(x: 0.1, xDot: -0.2, theta: 0.05, thetaDot: 0.3)
        let truth = d.observation(d.transition(s, 0.5).state)
        let p = model.predict(observation: d.observation(s), action: [0.5])
        #expect(p.count == 3)
        for j in 0..<4 { #expect(abs(p[0].mean[j] - truth[j]) < 0.05, "component \(j): \(p[0].mean[j]) vs \(truth[j])") }
    }

    @Test func petsBalancesCartPoleWithSmallEnsemble() throws {
        var settings = Self.smallSettings()
        settings.maxEpochs = 10
        var shooting = ShootingSpec(kind: .icem)
        shooting.horizon = 10
        shooting.population = 100
        shooting.elites = .ratio(0.1)
        shooting.decay = 1.3
        shooting.output = .mean
        let spec = LearnedModelSpec(name: "ens", ensemble: settings, warmupSteps: 200, trainEvery: 50)
        func run() throws -> [Double] {
            let agent = try PlanningAgents.make(environment: CartPoleContinuous(), spec: .shooting(shooting), seed: 7, learnedModel: spec)
            var rng = RandomSource(seed: 3)
            return try agent.episodes(2, maxSteps: nil, rng: &rng) { true }.map(\.totalReward)
        }
        let returns = try run()
        #expect(returns.last! >= 150, "returns \(returns)")
        #expect(try run() == returns)
    }
}
