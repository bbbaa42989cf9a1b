// Decision-time planner benchmarks through MullRuntime's public API.
//
//   mull-bench cem EPISODES STEPS      CEM on Pendulum-v1 with the true model (horizon 30,
//                                      population 400, 40 elites, 5 iterations, alpha 0.1)
//                                      prints: model_transitions cpu_seconds real_steps mean_return
//   mull-bench uct SIMULATIONS DEPTH STEPS
//                                      UCT on CartPole-v1 with the true model, no tree reuse
//                                      prints: simulations cpu_seconds
//   mull-bench ensemble WORKLOAD CALLS [SMALL]
//                                      the ensemble of benchmarks/reference/ensemble_torch.py
//                                      (7 members, 4 x 200 SiLU, Gaussian outputs, input 5,
//                                      output 4): WORKLOAD is train (batch 256 per member,
//                                      forward + backward + Adam), forward_all (8,000 rows
//                                      through every member), forward_ts1 (8,000 rows split
//                                      across the members) or pets (one iCEM step of population
//                                      200 x 20 particles x horizon 10 x 5 iterations on
//                                      CartPoleContinuous); SMALL (1) shrinks every size for
//                                      smoke runs. prints: ms_per_call openblas_core
//   mull-bench sac CALLS [SMALL]       one SAC update as benchmarks/reference/sac_torch.py
//                                      (Pendulum sizes, 2 x 256 ReLU, batch 256 sampled from
//                                      10,000 random transitions; SMALL (1): 2 x 16, batch 8)
//                                      prints: ms_per_update openblas_core
//   mull-bench call CALLS                an embedding host calling a trivial Mull function
//                                      (`fn id(x) { x }`) through Interpreter.call
//                                      prints: microseconds_per_call (wall clock)
// The settings match the reference implementations in benchmarks/reference.
import Foundation
import Mull
import MullRuntime
#if canImport(Glibc)
import Glibc
#endif

/// CPU seconds used by this process so far (the figures are per CPU second, as the references').
func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func fail(_ message: String) -> Never {
    print(message)
    exit(2)
}

let args = CommandLine.arguments.dropFirst().map { $0 }
guard let command = args.first else { fail("usage: mull-bench cem EPISODES STEPS | uct SIMULATIONS DEPTH STEPS") }
let numbers = args.dropFirst().compactMap { Int($0) }

switch command {
case "call":
    guard numbers.count == 1, numbers[0] > 0 else { fail("usage: mull-bench call CALLS") }
    var config = Interpreter.Configuration()
    config.output = { _ in }
    config.run.progress = false
    let interpreter = Interpreter(configuration: config)
    _ = try interpreter.evaluate("fn id(x) { x }")
    guard case .function(let id)? = interpreter.global("id") else { fail("no function") }
    for _ in 0..<1000 { _ = try interpreter.call(id, [.int(1)]) }
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<numbers[0] { _ = try interpreter.call(id, [.int(1)]) }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3
    print(String(format: "%.3f", elapsed / Double(numbers[0])))
case "cem":
    let episodes = numbers.count > 0 ? numbers[0] : 1, steps = numbers.count > 1 ? numbers[1] : 200
    let dynamics = PendulumDynamics()
    let planner = try CEM(model: DynamicsModel(dynamics), horizon: 30, low: [-2], high: [2], population: 400,
                          elites: .count(40), iterations: 5, alpha: 0.1, seed: 0)
    var rng = RandomSource(seed: 0)
    var totalReturn = 0.0
    let start = cpuSeconds()
    for _ in 0..<episodes {
        planner.reset()
        var s = dynamics.initialState(&rng)
        for _ in 0..<steps {
            let u = planner.act(s)
            let r = dynamics.transition(s, u)
            totalReturn += r.reward
            s = r.state
        }
    }
    let elapsed = cpuSeconds() - start
    print(planner.modelSteps, elapsed, episodes * steps, totalReturn / Double(episodes))
case "uct":
    let sims = numbers.count > 0 ? numbers[0] : 200, depth = numbers.count > 1 ? numbers[1] : 50
    let steps = numbers.count > 2 ? numbers[2] : 50
    let dynamics = CartPoleDynamics()
    let settings = MCTSSettings(simulations: sims, depth: depth, exploration: 1.0, discount: 1.0, selection: .uct,
                                reuseTree: false, finalAction: .mostVisited, seed: 0)
    let planner = try MCTS(model: DynamicsModel(dynamics), actions: [0, 1], settings: settings)
    var rng = RandomSource(seed: 0)
    var s = dynamics.initialState(&rng)
    let start = cpuSeconds()
    for _ in 0..<steps {
        let a = planner.act(s)
        let r = dynamics.transition(s, a)
        s = r.terminated ? dynamics.initialState(&rng) : r.state
    }
    let elapsed = cpuSeconds() - start
    print(sims * steps, elapsed)
case "ensemble":
    guard args.count >= 3, let calls = Int(args[2]) else { fail("usage: mull-bench ensemble train|forward_all|forward_ts1|pets CALLS [SMALL]") }
    let small = args.count > 3 && args[3] == "1"
    let hidden = small ? [16, 16] : [200, 200, 200, 200]
    let rowsTotal = small ? 70 : 8000
    var rng = RandomSource(seed: 1)
    let workload = args[1]
    var perCall = 0.0
    if workload == "pets" {
        var settings = EnsembleSettings()
        settings.hidden = hidden
        settings.particles = small ? 2 : 20
        let model = try EnsembleModel(task: CartPoleContinuousDynamics(), actionLength: 1, settings: settings, seed: 1)
        let d = CartPoleContinuousDynamics()
        var state = d.initialState(&rng)
        for _ in 0..<300 {
            var a = rng.uniform(-1, 1)
            let t = d.transition(state, a)
            model.add(observation: d.observation(state), action: &a, next: d.observation(t.state), reward: t.reward, terminated: t.terminated)
            state = t.terminated ? d.initialState(&rng) : t.state
        }
        try model.train()
        let planner = try ICEM(model: LearnedModel(model), horizon: 10, low: [-1], high: [1], population: small ? 20 : 200,
                               elites: .ratio(0.1), iterations: 5, decay: 1.3, output: .mean, seed: 1)
        let obs = d.observation(d.initialState(&rng))
        _ = planner.act(obs)
        let start = cpuSeconds()
        for _ in 0..<calls { _ = planner.act(obs) }
        perCall = (cpuSeconds() - start) / Double(calls)
    } else {
        let net = EnsembleNetwork(shape: NetworkShape(members: 7, inputs: 5, outputs: 4, hidden: hidden), rng: &rng,
                                  capacity: workload == "forward_all" ? 7 * rowsTotal : max(rowsTotal, 7 * 256))
        let adam = Adam(AdamSettings(learningRate: 1e-3, weightDecay: 5e-5))
        let batch = small ? 8 : 256
        let targets = (0..<(7 * batch * 4)).map { _ in Float(rng.uniform(-0.1, 0.1)) }
        for i in 0..<(net.capacity * 5) { net.input[i] = Float(rng.uniform(-1, 1)) }
        func once() {
            switch workload {
            case "train":
                net.blocks.setUniform(batch)
                net.forward()
                targets.withUnsafeBufferPointer { _ = net.loss($0.baseAddress!, .gaussianNLL) }
                net.backward()
                adam.step(net.parameters)
            case "forward_all":
                net.blocks.setUniform(rowsTotal)
                net.forward()
            case "forward_ts1":
                let counts = (0..<7).map { m in rowsTotal * (m + 1) / 7 - rowsTotal * m / 7 }
                counts.withUnsafeBufferPointer { net.blocks.set(counts: $0.baseAddress!) }
                net.forward()
            default: fail("unknown ensemble workload \(workload)")
            }
        }
        once()
        let start = cpuSeconds()
        for _ in 0..<calls { once() }
        perCall = (cpuSeconds() - start) / Double(calls)
    }
    print(perCall * 1000, BLAS.coreName)
case "sac":
    guard args.count >= 2, let calls = Int(args[1]) else { fail("usage: mull-bench sac CALLS [SMALL]") }
    let small = args.count > 2 && args[2] == "1"
    var settings = SACSettings()
    settings.hidden = small ? [16, 16] : [256, 256]
    settings.batchSize = small ? 8 : 256
    let sac = SAC(observationLength: 3, low: [-2], high: [2], settings: settings, seed: 1)
    let buffer = TransitionBuffer(capacity: 10_000, observationLength: 3, actionLength: 1)
    var rng = RandomSource(seed: 2)
    for _ in 0..<10_000 {
        let o = (0..<3).map { _ in rng.normal() }, o2 = (0..<3).map { _ in rng.normal() }
        var a = rng.uniform(-2, 2)
        buffer.add(observation: o, action: &a, next: o2, reward: rng.normal(), terminated: rng.uniform() < 0.01)
    }
    let batch = TransitionBatch(capacity: settings.batchSize, observationLength: 3, actionLength: 1)
    func once() throws {
        batch.sample(from: buffer, rows: settings.batchSize, &rng)
        try sac.update(batch, &rng)
    }
    for _ in 0..<(small ? 2 : 20) { try once() }
    let start = cpuSeconds()
    for _ in 0..<calls { try once() }
    print((cpuSeconds() - start) / Double(calls) * 1000, BLAS.coreName)
default:
    fail("unknown benchmark \(command)")
}
