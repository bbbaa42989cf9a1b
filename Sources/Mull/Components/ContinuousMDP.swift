import MullLanguage
import MullRuntime

/// `ContinuousMDP { start, actions or action bounds, step(s, a) }`: a continuous-state task
/// written in Mull, for the decision-time planners.
enum ContinuousMDPComponent {
    static var definition: ComponentDefinition {
        ComponentDefinition("ContinuousMDP", .env, doc: """
            A task with continuous states written in Mull, for decision-time planners (CEM, MCTS, ...). States are \
            lists of floats; `step(s, a)` returns `(next: [...], reward: r, done: bool)`. Actions are either \
            continuous, within `action_low` and `action_high` (a float reaches `step` when there is one \
            dimension, a list otherwise), or the symbols listed in `actions`. Each episode starts at `start` \
            plus uniform noise of half-width `start_spread`. Every model step calls the Mull function, so \
            planning is slower than on the built-in tasks.
            """,
            fields: [
                Field("start", .list(.float), required: true, doc: "the start state"),
                Field("start_spread", .list(.float), .list([]), doc: "half-width of the uniform noise added to each start component"),
                Field("action_low", .list(.float), doc: "lower bounds of continuous actions"),
                Field("action_high", .list(.float), doc: "upper bounds of continuous actions"),
                Field("actions", .list(.symbol(nil)), doc: "discrete actions, e.g. `[.left, .right]` (instead of bounds)"),
                Field("step", .function(arity: 2), required: true, doc: "`step(s, a)`: the next state, reward and whether it ends the episode (in a session, `track.step(s, a)` calls it from any state)"),
                Field("max_episode_steps", .int, .int(200), min: 1, doc: "episodes are truncated after this many steps"),
            ],
            provides: [.continuousStates, .continuousActions, .discreteActions, .simulatable],
            methods: [
                MethodSchema(name: "reset", signature: "reset()", doc: "draws a start state and returns it"),
                MethodSchema(name: "state", signature: "state", doc: "the last start state drawn (none before the first reset)"),
            ]) { req in
                func floats(_ f: String) throws -> [Double] {
                    switch req.value(f) {
                    case .null: return []
                    case .list(let xs):
                        return try xs.map { guard let d = $0.asDouble else { throw req.error(f, "`\(f)` must be a list of numbers") }; return d }
                    default: throw req.error(f, "`\(f)` must be a list of numbers")
                    }
                }
                let start = try floats("start"), spread = try floats("start_spread")
                let low = try floats("action_low"), high = try floats("action_high")
                var names: [String] = []
                if case .list(let xs) = req.value("actions") {
                    names = try xs.map { guard case .symbol(let s) = $0 else { throw req.error("actions", "`actions` are symbols such as `.left`") }; return s }
                }
                if names.isEmpty == low.isEmpty {
                    throw req.error(names.isEmpty ? "action_low" : "actions", "give either `actions` (discrete) or `action_low` and `action_high` (continuous)")
                }
                guard let step = try req.function("step") else { throw req.error("step", "ContinuousMDP needs `step(s, a)`") }
                let ctx = req.callContext
                let range = req.range(of: "step")
                let n = start.count
                let actionNames = names
                let task = try runtimeErrors(at: req) {
                    try FunctionTask(start: start, spread: spread, actionLow: low, actionHigh: high,
                                     actionCount: names.isEmpty ? nil : names.count,
                                     maxEpisodeSteps: try req.optionalInt("max_episode_steps")) { s, a in
                        let action: Value
                        switch a {
                        case .discrete(let i): action = .symbol(actionNames[i])
                        case .continuous(let v): action = v.count == 1 ? .float(v[0]) : .list(v.map { .float($0) })
                        }
                        let out = try step.call(.list(s.map { .float($0) }), action, ctx, at: range)
                        guard case .record(let r) = out, case .list(let next)? = r["next"] else {
                            throw MullError("invalid-outcome", "step must return `(next: [...], reward: r, done: bool)`, got \(out.typeName)", at: range)
                        }
                        let state = try next.map { v -> Double in
                            guard let d = v.asDouble else { throw MullError("invalid-outcome", "the next state must be a list of numbers", at: range) }
                            return d
                        }
                        guard state.count == n else {
                            throw MullError("invalid-outcome", "step returned a state of \(state.count) components; the start state has \(n)", at: range)
                        }
                        var done = false
                        if let d = r["done"] {
                            guard case .bool(let b) = d else { throw MullError("invalid-outcome", "`done` must be a bool", at: range) }
                            done = b
                        }
                        return (state, r["reward"]?.asDouble ?? 0, done)
                    }
                }
                return ControlEnvironmentInstance(name: req.component.declaredName ?? "ContinuousMDP", environment: task,
                                                  episode: FunctionTaskEpisode(task: task),
                                                  rng: req.context.makeReplRandom(),
                                                  observationSpace: task.observationSpace, actionSpace: task.actionSpace,
                                                  actionNames: names, maxEpisodeSteps: task.maxEpisodeSteps)
            }
    }
}
