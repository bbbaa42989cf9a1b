import MullLanguage
import MullRuntime

/// The built-in environments.
enum EnvironmentComponents {
    static let discrete: Capabilities = [.discreteStates, .discreteActions, .tabularDynamics, .simulatable]

    static func all() -> [ComponentDefinition] {
        [gridWorld, frozenLake, cliffWalking, taxi] + classicControl
    }

    static var gridWorld: ComponentDefinition {
        ComponentDefinition("GridWorld", .env, doc: """
            A maze drawn as text: `S` start, `G` goal (terminal), `#` wall, `.` free, and cells of your own \
            kinds. Actions `.up`, `.down`, `.right`, `.left`; moving into a wall or off the grid stays put. \
            States are cells numbered row by row.
            """,
            fields: [
                Field("layout", .string, required: true, doc: "the maze, one text line per row (a triple-quoted string)"),
                Field("goal_reward", .float, .float(1), doc: "reward for entering a goal cell"),
                Field("step_reward", .float, .float(0), doc: "reward for entering any other cell"),
                Field("cells", .record, .record(Record([])), doc: "extra cell kinds by character: `(C: (reward: -100, terminal: false, to_start: true))`"),
                Field("changes", .list(.record), .list([]), doc: "wall changes: `[(after: 1000, layout: ...)]` replaces the walls after that many real steps"),
                Field("resolution", .int, .int(1), min: 1, max: 64, doc: "each cell becomes a k x k block (Sutton & Barto, Example 8.4)"),
                Field("max_episode_steps", .int, min: 1, doc: "episodes are truncated after this many steps (none: no limit)"),
            ],
            provides: discrete.union(.grid),
            methods: envMethods) { req in
                let layout = try req.string("layout")
                var kinds: [Character: GridWorld.CellKind] = [:]
                if case .record(let r) = req.value("cells") {
                    for (label, v) in zip(r.labels, r.values) {
                        guard let label, label.count == 1, case .record(let spec) = v else {
                            throw req.error("cells", "each entry of `cells` is `X: (reward: r, terminal: bool)` with a one-character name")
                        }
                        let known = ["reward", "terminal", "to_start"]
                        for case let field? in spec.labels where !known.contains(field) {
                            let near = Suggest.closest(to: field, among: known).map { "; did you mean `\($0)`?" } ?? ""
                            throw req.error("cells", "cell `\(label)` has no field `\(field)` (its fields: reward, terminal, to_start)\(near)")
                        }
                        kinds[Character(label)] = GridWorld.CellKind(
                            reward: spec["reward"]?.asDouble ?? 0,
                            terminal: spec["terminal"]?.isTruthy ?? false,
                            toStart: spec["to_start"]?.isTruthy ?? false)
                    }
                }
                var changes: [(afterSteps: Int, layout: [String])] = []
                if case .list(let xs) = req.value("changes") {
                    for x in xs {
                        guard case .record(let r) = x, case .int(let after)? = r["after"], case .string(let l)? = r["layout"] else {
                            throw req.error("changes", "each change is `(after: steps, layout: text)`")
                        }
                        changes.append((after, GridWorld.lines(of: l)))
                    }
                }
                // An unknown cell is reported at the cell itself when the layout is written out.
                let known = Set<Character>(["S", "G", "#", ".", " "]).union(kinds.keys)
                for (field, text) in [("layout", layout)] + changes.map({ ("changes", $0.layout.joined(separator: "\n")) }) {
                    let rows = GridWorld.lines(of: text)
                    for (r, row) in rows.enumerated() {
                        guard let c = row.firstIndex(where: { !known.contains($0) }) else { continue }
                        let bad = row[c]
                        throw MullError("invalid-component", "GridWorld: unknown grid world cell '\(bad)' at row \(r), column \(row.distance(from: row.startIndex, to: c))",
                                        at: EnvironmentComponents.place(of: bad, inField: field, of: req),
                                        suggestion: "use S, G, # and . (or a space), or declare the cell: `cells: (\(bad): (reward: -1, terminal: false))`")
                    }
                }
                let env = try runtimeErrors(at: req) {
                    try GridWorld(layout: layout, cellKinds: kinds, stepReward: try req.double("step_reward"),
                                  goalReward: try req.double("goal_reward"), maxEpisodeSteps: try req.optionalInt("max_episode_steps"),
                                  changes: changes, resolution: try req.int("resolution"))
                }
                return DiscreteEnvironmentInstance(
                    name: req.component.declaredName ?? "GridWorld", environment: env, actionNames: GridWorld.actionNames,
                    grid: (env.rows, env.columns), startState: env.startState, rng: req.context.makeRandom()) { overlay in
                        guard let overlay else { return env.render() }
                        var marks: [Int: Character] = [:]
                        for (s, c) in overlay.enumerated() { if let c { marks[s] = c } }
                        return env.render(marks: marks)
                    }
            }
    }

    /// The first `char` inside the quotes of the value written for `field`, or the field.
    static func place(of char: Character, inField field: String, of req: BuildRequest) -> SourceRange? {
        guard let r = req.component.fieldRange(field) else { return req.component.range }
        let text = r.text
        guard let quote = text.firstIndex(of: "\""), let at = text[quote...].firstIndex(of: char) else { return r }
        let offset = text.utf8.distance(from: text.startIndex, to: at)
        return SourceRange(file: r.file, start: r.start + offset, end: r.start + offset + String(char).utf8.count)
    }

    static var frozenLake: ComponentDefinition {
        ComponentDefinition("FrozenLake", .env, doc: """
            Gymnasium's FrozenLake-v1: cross a frozen lake from `S` to `G` without falling into a hole `H`; \
            on slippery ice the intended move happens with probability `success_rate` and each perpendicular \
            move with half the rest. Actions `.left`, `.down`, `.right`, `.up`.
            """,
            fields: [
                Field("map", .oneOf([.symbol(["map4x4", "map8x8"]), .string]), .symbol("map4x4"), doc: "`.map4x4`, `.map8x8`, or a layout of S, F, H, G"),
                Field("slippery", .bool, .bool(true), aliases: ["is_slippery"], doc: "whether moves slip"),
                Field("success_rate", .float, .float(1.0 / 3.0), min: 0, max: 1, doc: "probability that a slippery move goes where intended"),
                Field("goal_reward", .float, .float(1), doc: "reward for reaching the goal"),
                Field("hole_reward", .float, .float(0), doc: "reward for falling into a hole"),
                Field("frozen_reward", .float, .float(0), doc: "reward for any other step"),
                Field("max_episode_steps", .int, min: 1, doc: "step limit (default: 100 for 4x4 maps, 200 for 8x8, as registered in Gymnasium)"),
            ],
            provides: discrete.union(.grid), methods: envMethods) { req in
                let rewards = FrozenLake.RewardSchedule(goal: try req.double("goal_reward"), hole: try req.double("hole_reward"),
                                                        frozen: try req.double("frozen_reward"))
                let env: FrozenLake = try runtimeErrors(at: req) {
                    switch req.value("map") {
                    case .symbol(let s):
                        let e = try FrozenLake(mapName: s == "map8x8" ? "8x8" : "4x4", isSlippery: try req.bool("slippery"),
                                               successRate: try req.double("success_rate"), rewardSchedule: rewards)
                        if let m = try req.optionalInt("max_episode_steps") { e.maxEpisodeSteps = m }
                        return e
                    case .string(let text):
                        return try FrozenLake(map: GridWorld.lines(of: text).map { $0.trimmingCharacters(in: .whitespaces) },
                                              isSlippery: try req.bool("slippery"), successRate: try req.double("success_rate"),
                                              rewardSchedule: rewards, maxEpisodeSteps: try req.optionalInt("max_episode_steps") ?? 100)
                    default: throw req.error("map", "`map` is `.map4x4`, `.map8x8` or a layout string")
                    }
                }
                let columns = env.columns
                return DiscreteEnvironmentInstance(name: req.component.declaredName ?? "FrozenLake", environment: env,
                                                   actionNames: FrozenLake.actionNames, grid: (env.stateCount / columns, columns),
                                                   startState: env.startStates.first, rng: req.context.makeRandom()) { overlay in
                    env.render(agent: nil, overlay: overlay)
                }
            }
    }

    static var cliffWalking: ComponentDefinition {
        ComponentDefinition("CliffWalking", .env, doc: """
            Gymnasium's CliffWalking-v1 (Sutton & Barto, Example 6.6): a 4 x 12 grid; each step costs -1; \
            stepping into the cliff costs -100 and returns the agent to the start without ending the episode. \
            Actions `.up`, `.right`, `.down`, `.left`.
            """,
            fields: [
                Field("slippery", .bool, .bool(false), aliases: ["is_slippery"], doc: "whether moves slip (Gymnasium's is_slippery)"),
                Field("max_episode_steps", .int, min: 1, doc: "step limit (none, as registered in Gymnasium)"),
            ],
            provides: discrete.union(.grid), methods: envMethods) { req in
                let env = CliffWalking(isSlippery: try req.bool("slippery"), maxEpisodeSteps: try req.optionalInt("max_episode_steps"))
                return DiscreteEnvironmentInstance(name: req.component.declaredName ?? "CliffWalking", environment: env,
                                                   actionNames: CliffWalking.actionNames, grid: (4, 12), startState: 36,
                                                   rng: req.context.makeRandom()) { overlay in env.render(agent: nil, overlay: overlay) }
            }
    }

    static var taxi: ComponentDefinition {
        ComponentDefinition("Taxi", .env, doc: """
            Gymnasium's Taxi-v4 (Dietterich 2000): pick a passenger up and drop them at their destination; \
            500 states, actions `.south`, `.north`, `.east`, `.west`, `.pickup`, `.dropoff`.
            """,
            fields: [
                Field("rainy", .bool, .bool(false), aliases: ["is_rainy"], doc: "moves slip sideways with probability 1 - rainy_probability"),
                Field("fickle_passenger", .bool, .bool(false), doc: "the passenger may change destination after pickup"),
                Field("max_episode_steps", .int, .int(200), min: 1, doc: "step limit (200, as registered in Gymnasium)"),
            ],
            provides: discrete, methods: envMethods) { req in
                let env = try runtimeErrors(at: req) {
                    try Taxi(isRainy: try req.bool("rainy"), ficklePassenger: try req.bool("fickle_passenger"),
                             maxEpisodeSteps: try req.optionalInt("max_episode_steps"))
                }
                return DiscreteEnvironmentInstance(name: req.component.declaredName ?? "Taxi", environment: env,
                                                   actionNames: Taxi.actionNames, grid: nil, startState: nil,
                                                   rng: req.context.makeRandom()) { overlay in env.render(state: nil, overlay: nil) }
            }
    }

    static let envMethods: [MethodSchema] = [
        MethodSchema(name: "reset", signature: "reset()", doc: "starts an episode and returns the first state"),
        MethodSchema(name: "step", signature: "step(action)", doc: "takes an action; returns (next, reward, terminated, truncated)"),
        MethodSchema(name: "draw", signature: "draw", doc: "the environment drawn as text"),
        MethodSchema(name: "start", signature: "start", doc: "the start state"),
    ]

    /// What the REPL offers on a continuous-state environment (classic control, `ContinuousMDP`).
    static let controlMethods: [MethodSchema] = [
        MethodSchema(name: "reset", signature: "reset()", doc: "starts an episode and returns the first observation"),
        MethodSchema(name: "step", signature: "step(action)",
                     doc: "takes an action (a name or index, or a number or list of numbers); returns (next, reward, terminated, truncated)"),
        MethodSchema(name: "state", signature: "state", doc: "the current observation (none before the first reset)"),
        MethodSchema(name: "simulator_state", signature: "simulator_state", doc: "Gymnasium tasks: the current simulator state (Pendulum: angle and velocity), none before the first reset"),
        MethodSchema(name: "transition", signature: "transition(state, action)",
                     doc: "Gymnasium tasks: one true transition from any simulator state; returns (next, observation, reward, terminated)"),
    ]

    static var classicControl: [ComponentDefinition] {
        func control(_ name: String, doc: String, fields: [Field], provides: Capabilities,
                     make: @escaping @Sendable (BuildRequest) throws -> (AnyObject, Space, Space, [String], Int?)) -> ComponentDefinition {
            ComponentDefinition(name, .env, doc: doc, fields: fields, provides: provides.union(.simulatable), methods: controlMethods) { req in
                let (env, obs, act, names, limit) = try make(req)
                guard let episode = env as? ControlEpisode else { fatalError("\(name) is a ControlEnvironment") }
                return ControlEnvironmentInstance(name: req.component.declaredName ?? name, environment: env, episode: episode,
                                                  rng: req.context.makeReplRandom(), observationSpace: obs, actionSpace: act,
                                                  actionNames: names, maxEpisodeSteps: limit)
            }
        }
        let steps = { (n: Int) in Field("max_episode_steps", .int, .int(n), min: 1, doc: "step limit (\(n), as registered in Gymnasium)") }
        return [
            control("CartPole", doc: "Gymnasium's CartPole-v1: balance a pole on a cart by pushing it `.left` or `.right`; +1 per step.",
                    fields: [steps(500), Field("sutton_barto_reward", .bool, .bool(false), doc: "reward 0 per step and -1 on failure")],
                    provides: [.continuousStates, .discreteActions]) { req in
                let e = CartPole(suttonBartoReward: try req.bool("sutton_barto_reward"), maxEpisodeSteps: try req.optionalInt("max_episode_steps"))
                return (e, e.observationSpace, e.actionSpace, e.actionNames, e.maxEpisodeSteps)
            },
            control("CartPoleContinuous", doc: "mbrl-lib's cartpole_continuous (the task of its PETS examples): CartPole's physics with a force of 10 x action for an action in [-1, 1]; +1 per step; 200-step episodes.",
                    fields: [steps(200)], provides: [.continuousStates, .continuousActions]) { req in
                let e = CartPoleContinuous(maxEpisodeSteps: try req.optionalInt("max_episode_steps"))
                return (e, e.observationSpace, e.actionSpace, e.actionNames, e.maxEpisodeSteps)
            },
            control("Pendulum", doc: "Gymnasium's Pendulum-v1: swing a pendulum up with a torque in [-2, 2].",
                    fields: [steps(200), Field("g", .float, .float(10), min: 0, doc: "gravity")],
                    provides: [.continuousStates, .continuousActions]) { req in
                let e = Pendulum(g: try req.double("g"), maxEpisodeSteps: try req.optionalInt("max_episode_steps"))
                return (e, e.observationSpace, e.actionSpace, e.actionNames, e.maxEpisodeSteps)
            },
            control("MountainCar", doc: "Gymnasium's MountainCar-v0: drive an underpowered car up a hill; -1 per step.",
                    fields: [steps(200), Field("goal_velocity", .float, .float(0), doc: "velocity needed at the goal")],
                    provides: [.continuousStates, .discreteActions]) { req in
                let e = MountainCar(goalVelocity: try req.double("goal_velocity"), maxEpisodeSteps: try req.optionalInt("max_episode_steps"))
                return (e, e.observationSpace, e.actionSpace, e.actionNames, e.maxEpisodeSteps)
            },
            control("MountainCarContinuous", doc: "Gymnasium's MountainCarContinuous-v0: the same hill with a continuous force; +100 at the goal.",
                    fields: [steps(999), Field("goal_velocity", .float, .float(0), doc: "velocity needed at the goal")],
                    provides: [.continuousStates, .continuousActions]) { req in
                let e = MountainCarContinuous(goalVelocity: try req.double("goal_velocity"), maxEpisodeSteps: try req.optionalInt("max_episode_steps"))
                return (e, e.observationSpace, e.actionSpace, e.actionNames, e.maxEpisodeSteps)
            },
            control("Acrobot", doc: "Gymnasium's Acrobot-v1: swing a two-link arm above a line with torques -1, 0, +1 (RK4 integration).",
                    fields: [steps(500)], provides: [.continuousStates, .discreteActions]) { req in
                let e = Acrobot(maxEpisodeSteps: try req.optionalInt("max_episode_steps"))
                return (e, e.observationSpace, e.actionSpace, e.actionNames, e.maxEpisodeSteps)
            },
        ]
    }
}
