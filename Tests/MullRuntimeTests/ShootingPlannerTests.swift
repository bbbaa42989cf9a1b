import Testing
@testable import MullRuntime

/// Pendulum with Gaussian noise on the reward drawn from the rollout's generator, so that
/// results depend on which random stream each candidate gets.
struct NoisyPendulumModel: SimulationModel, Sendable {
    let dynamics = PendulumDynamics()
    func step(_ s: PendulumDynamics.State, _ a: Double, _ rng: inout RandomSource)
        -> (state: PendulumDynamics.State, reward: Double, terminated: Bool) {
        let t = dynamics.transition(s, a)
        return (t.state, t.reward + 0.5 * rng.normal(), false)
    }
}

/// Start states of Pendulum from fixed generator seeds, chosen to include hanging starts.
func pendulumStarts() -> [PendulumDynamics.State] {
    [PendulumDynamics.State(theta: Double.pi, thetaDot: 0),
     PendulumDynamics.State(theta: -2.5, thetaDot: 0.5),
     PendulumDynamics.State(theta: 1.2, thetaDot: -0.8)]
}

/// Runs `planner` for `steps` real steps of Pendulum from `start`; returns the summed reward.
func pendulumReturn<P: DecisionTimePlanner>(_ planner: P, from start: PendulumDynamics.State, steps: Int) -> Double
where P.State == PendulumDynamics.State, P.Action == Double {
    let d = PendulumDynamics()
    var s = start
    var total = 0.0
    planner.reset()
    for _ in 0..<steps {
        let t = d.transition(s, planner.act(s))
        total += t.reward
        s = t.state
    }
    return total
}

@Suite struct ShootingPlannerTests {
    let model = DynamicsModel(PendulumDynamics())

    // Deterministic given seeds (true model, fixed starts). The reference CEM (H 30, pop 400,
    // 40 elites, 5 iterations) scores -142 +- 92 over 200 steps from random starts; a hanging
    // start costs about -350 to -400 for any controller, so -300 as the mean over these three
    // starts (two of them hanging low) leaves room for the reduced population while failing
    // for planners that do not swing up (a passive pendulum scores below -900 from these starts).
    @Test func cemSwingsUpPendulum() throws {
        var returns: [Double] = []
        for (i, start) in pendulumStarts().enumerated() {
            let cem = try CEM(model: model, horizon: 30, low: [-2], high: [2], population: 100, elites: .count(10),
                              iterations: 3, alpha: 0.1, initialStd: [2], seed: UInt64(i))
            returns.append(pendulumReturn(cem, from: start, steps: 200))
        }
        let mean = returns.reduce(0, +) / Double(returns.count)
        #expect(mean > -300, "CEM returns \(returns)")
    }

    @Test func passivePendulumScoresBadly() {
        let d = PendulumDynamics()
        var total = 0.0
        for start in pendulumStarts() {
            var s = start
            for _ in 0..<200 { let t = d.transition(s, 0); total += t.reward; s = t.state }
        }
        #expect(total / 3 < -600)
    }

    @Test func icemMppiAndRandomShootingSwingUp() throws {
        let start = pendulumStarts()[0]
        let icem = try ICEM(model: model, horizon: 30, low: [-2], high: [2], population: 60, elites: .count(6),
                            iterations: 3, seed: 1)
        let mppi = try MPPI(model: model, horizon: 30, low: [-2], high: [2], population: 60, lambda: 1,
                            sigma: [1], beta: 0.5, seed: 1)
        let rs = try RandomShooting(model: model, horizon: 30, low: [-2], high: [2], population: 400, seed: 1)
        // Hanging at rest: a swing-up costs about -350 to -400; staying down costs 200 pi^2 = -1974.
        // Uniform random sequences rarely contain the alternating pumping a swing-up needs, so
        // the baseline gets a looser bound (it scores about -600 here).
        let returns = [pendulumReturn(icem, from: start, steps: 200), pendulumReturn(mppi, from: start, steps: 200),
                       pendulumReturn(rs, from: start, steps: 200)]
        #expect(returns[0] > -450 && returns[1] > -450 && returns[2] > -800, "iCEM, MPPI, random shooting: \(returns)")
    }

    @Test func sameSeedSameActionsAndThreadCountDoesNotMatter() throws {
        let noisy = NoisyPendulumModel()
        func actions(seed: UInt64, threads: Int) throws -> ([Double], [ScoredPlan]) {
            let cem = try CEM(model: noisy, horizon: 15, low: [-2], high: [2], population: 50, elites: .ratio(0.2),
                              iterations: 3, seed: seed, threads: threads)
            var s = pendulumStarts()[1]
            var out: [Double] = []
            for _ in 0..<8 {
                let a = cem.act(s)
                out.append(a)
                s = PendulumDynamics().transition(s, a).state
            }
            return (out, cem.eliteSequences)
        }
        let (a1, e1) = try actions(seed: 7, threads: 1)
        let (a2, e2) = try actions(seed: 7, threads: 2)
        let (a3, _) = try actions(seed: 7, threads: 3)
        let (b, _) = try actions(seed: 8, threads: 1)
        #expect(a1 == a2)
        #expect(a1 == a3)
        #expect(e1 == e2)
        #expect(a1 != b)
    }

    @Test func icemAndMppiAreThreadCountIndependent() throws {
        let noisy = NoisyPendulumModel()
        let s = pendulumStarts()[2]
        var results: [[Double]] = []
        for threads in [1, 2] {
            let icem = try ICEM(model: noisy, horizon: 12, low: [-2], high: [2], population: 40, elites: .count(8),
                                iterations: 3, seed: 3, threads: threads)
            let mppi = try MPPI(model: noisy, horizon: 12, low: [-2], high: [2], population: 40, beta: 0.3,
                                seed: 3, threads: threads)
            let rs = try RandomShooting(model: noisy, horizon: 12, low: [-2], high: [2], population: 40, seed: 3,
                                        threads: threads)
            results.append([icem.act(s), icem.act(s), mppi.act(s), mppi.act(s), rs.act(s)])
        }
        #expect(results[0] == results[1])
    }

    @Test func warmStartShiftsThePreviousMean() throws {
        // alpha close to 1 keeps the mean almost where the call started, exposing the shift.
        let cem = try CEM(model: model, horizon: 6, low: [-2], high: [2], population: 20, elites: .count(4),
                          iterations: 1, alpha: 0.999_999, initialMean: [0.5], seed: 2)
        let cold = try CEM(model: model, horizon: 6, low: [-2], high: [2], population: 20, elites: .count(4),
                           iterations: 1, alpha: 0.999_999, initialMean: [0.5], warmStart: false, seed: 2)
        let s = pendulumStarts()[0]
        // Seed the first plan with something recognisable.
        for t in 0..<6 { cem.distribution.mean[t] = Double(t) / 10 }
        cem.distribution.hasPrevious = true
        _ = cem.act(s)
        let after = cem.meanPlan
        let expected = [0.1, 0.2, 0.3, 0.4, 0.5, 0.5]
        for t in 0..<6 { #expect(abs(after[t] - expected[t]) < 1e-4, "step \(t): \(after[t])") }
        _ = cold.act(s)
        _ = cold.act(s)
        for x in cold.meanPlan { #expect(abs(x - 0.5) < 1e-4) }
    }

    @Test func elitesAreTheBestCandidates() throws {
        let cem = try CEM(model: model, horizon: 10, low: [-2], high: [2], population: 64, elites: .count(8),
                          iterations: 2, seed: 5)
        let s = pendulumStarts()[1]
        _ = cem.act(s)
        let elites = cem.eliteSequences
        #expect(elites.count == 8)
        for i in 1..<elites.count { #expect(elites[i - 1].predictedReturn >= elites[i].predictedReturn) }
        let worstElite = elites.last!.predictedReturn
        var better = 0
        for c in 0..<64 where cem.core.returns[c] > worstElite { better += 1 }
        #expect(better < 8)
        // The predicted returns are the model's returns of the sequences.
        for e in elites {
            var st = s
            var total = 0.0
            for a in e.actions { let t = PendulumDynamics().transition(st, a); total += t.reward; st = t.state }
            #expect(abs(total - e.predictedReturn) < 1e-9)
            #expect(e.actions.allSatisfy { $0 >= -2 && $0 <= 2 })
        }
        #expect(cem.bestPlan.predictedReturn >= elites[0].predictedReturn)
    }

    @Test func modelStepsCountRollouts() throws {
        let cem = try CEM(model: model, horizon: 7, low: [-2], high: [2], population: 11, elites: .count(3),
                          iterations: 2, seed: 5)
        _ = cem.act(pendulumStarts()[0])
        #expect(cem.modelSteps == 7 * 11 * 2)
    }

    @Test func icemPopulationDecaysAndKeepsElites() throws {
        let icem = try ICEM(model: model, horizon: 8, low: [-2], high: [2], population: 100, elites: .count(10),
                            iterations: 4, decay: 1.25, keepElites: 0.3, seed: 4)
        #expect(icem.keptElites == 3)
        let s = pendulumStarts()[0]
        _ = icem.act(s)
        // floor(100 * 1.25^-i) floored at 2 * 10 elites; 3 kept elites from iteration 1 on; the mean last.
        #expect(icem.lastPopulationSizes == [100, 80 + 3, 64 + 3, 51 + 3 + 1])
        _ = icem.act(s)
        // The second call also carries 3 shifted elites into its first iteration.
        #expect(icem.lastPopulationSizes == [103, 83, 67, 55])
        #expect(icem.eliteSequences.count == 10)
    }

    // 4000 sequences of 32: the variance estimate has a standard error of about
    // sqrt(2 / 128000) = 0.004 for white noise, so 0.05 is over ten standard errors; the lag-one
    // autocorrelation of white noise is 0 +- 0.003, and of beta = 2 noise close to 1.
    @Test func coloredNoiseHasUnitScaleAndTheRightCorrelation() {
        var rng = RandomSource(seed: 11)
        for (beta, minCorr, maxCorr) in [(0.0, -0.05, 0.05), (2.0, 0.7, 1.0)] {
            let noise = ColoredNoise(length: 32, beta: beta)
            var buffer = [Double](repeating: 0, count: 32)
            var sum = 0.0, sumSq = 0.0, lag = 0.0, count = 0.0
            for _ in 0..<4000 {
                buffer.withUnsafeMutableBufferPointer { noise.generate(into: $0.baseAddress!, stride: 1, &rng) }
                for t in 0..<32 { sum += buffer[t]; sumSq += buffer[t] * buffer[t] }
                for t in 1..<32 { lag += buffer[t] * buffer[t - 1] }
                count += 32
            }
            let variance = sumSq / count - (sum / count) * (sum / count)
            let corr = lag / (count * 31 / 32) / variance
            if beta == 0 { #expect(abs(variance - 1) < 0.05) }
            else { #expect(variance > 0.3 && variance < 3, "variance \(variance)") }
            #expect(corr > minCorr && corr < maxCorr, "beta \(beta): correlation \(corr)")
        }
    }

    @Test func vectorActionsAndBadSettings() throws {
        struct Point: SimulationModel {
            func step(_ s: SIMD2<Double>, _ a: SIMD2<Double>, _ rng: inout RandomSource)
                -> (state: SIMD2<Double>, reward: Double, terminated: Bool) {
                let n = s + a
                return (n, -((n - SIMD2(1, -1)) * (n - SIMD2(1, -1))).sum(), false)
            }
        }
        let cem = try CEM(model: Point(), horizon: 3, low: [-0.5, -0.5], high: [0.5, 0.5], population: 100,
                          elites: .count(10), iterations: 4, seed: 1)
        let a = cem.act(SIMD2(0, 0))
        #expect(a[0] > 0.2 && a[1] < -0.2)
        #expect(throws: RuntimeError.self) { try CEM(model: model, horizon: 0, low: [-2], high: [2]) }
        #expect(throws: RuntimeError.self) { try CEM(model: model, horizon: 5, low: [2], high: [-2]) }
        #expect(throws: RuntimeError.self) { try MPPI(model: model, horizon: 5, low: [-2], high: [2], lambda: 0) }
    }
}
