// Decision-time planner benchmarks through MullRuntime's public API.
//
//   mull-bench cem EPISODES STEPS      CEM on Pendulum-v1 with the true model (horizon 30,
//                                      population 400, 40 elites, 5 iterations, alpha 0.1)
//                                      prints: model_transitions cpu_seconds real_steps mean_return
//   mull-bench uct SIMULATIONS DEPTH STEPS
//                                      UCT on CartPole-v1 with the true model, no tree reuse
//                                      prints: simulations cpu_seconds
// The settings match the reference implementations in benchmarks/reference.
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
default:
    fail("unknown benchmark \(command)")
}
