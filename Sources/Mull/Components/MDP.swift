import MullLanguage
import MullRuntime

/// `MDP { states, actions, start, step(s, a) { ... } }`: a finite MDP written in Mull.
enum MDPComponent {
    static var definition: ComponentDefinition {
        ComponentDefinition("MDP", .env, doc: """
            A finite MDP written in Mull. `step(s, a)` returns `(next: s2, reward: r, done: bool)`, or for \
            stochastic dynamics a list of outcomes `[(p: 0.8, next: ..., reward: ..., done: ...), ...]` whose \
            probabilities sum to 1. States are `0..<states`; actions are the symbols listed in `actions` and \
            reach `step` as those symbols. Mull functions are pure, so the step function is evaluated once per \
            state and action and episodes then run on the table at native speed.
            """,
            fields: [
                Field("states", .int, required: true, min: 1, max: 10_000_000, doc: "number of states, numbered 0..<states"),
                Field("actions", .list(.symbol(nil)), required: true, doc: "the action names, e.g. `[.left, .right]`"),
                Field("start", .oneOf([.int, .list(.int)]), .int(0), doc: "the start state, or a list of start states drawn uniformly"),
                Field("step", .function(arity: 2), required: true, doc: "`step(s, a)`: the outcome of action `a` in state `s`"),
                Field("max_episode_steps", .int, min: 1, doc: "episodes are truncated after this many steps (none: no limit)"),
            ],
            provides: EnvironmentComponents.discrete,
            // `step` and `start` are the fields written in the script (`m.step(s, a)` calls the step
            // function), so only the other members are listed.
            methods: EnvironmentComponents.envMethods.filter { $0.name != "step" && $0.name != "start" }) { req in
                let n = try req.int("states")
                guard case .list(let actionValues) = req.value("actions"), !actionValues.isEmpty else {
                    throw req.error("actions", "`actions` must be a non-empty list of symbols")
                }
                let actions: [String] = try actionValues.map {
                    guard case .symbol(let s) = $0 else { throw req.error("actions", "`actions` must be symbols such as `.left`, got \($0.typeName)") }
                    return s
                }
                guard let step = try req.function("step") else { throw req.error("step", "MDP needs `step(s, a)`") }
                guard n * actions.count <= 10_000_000 else {
                    throw req.error("states", "an MDP of \(n) states and \(actions.count) actions has too many pairs to tabulate")
                }
                var starts: [Int] = []
                switch req.value("start") {
                case .int(let s): starts = [s]
                case .list(let xs):
                    starts = try xs.map { guard case .int(let s) = $0 else { throw req.error("start", "start states are integers") }; return s }
                default: throw req.error("start", "`start` is a state or a list of states")
                }
                let ctx = req.callContext
                let range = req.range(of: "step")
                var failure: MullError?
                let table = TabularTable(stateCount: n, actionCount: actions.count) { s, a, out in
                    guard failure == nil else { return }
                    do {
                        let v = try step.call(.int(s), .symbol(actions[a]), ctx, at: range)
                        try outcomes(v, state: s, action: actions[a], states: n, into: &out, at: range)
                    } catch let e as MullError {
                        failure = e
                    } catch {
                        failure = MullError("invalid-component", "\(error)", at: range)
                    }
                }
                if let failure { throw failure }
                let env = try runtimeErrors(at: req) { try TableEnvironment(table: table, startStates: starts, maxEpisodeSteps: try req.optionalInt("max_episode_steps")) }
                return DiscreteEnvironmentInstance(name: req.component.declaredName ?? "MDP", environment: env, actionNames: actions,
                                                   grid: nil, startState: starts.first, rng: req.context.makeRandom()) { _ in
                    "MDP with \(n) states and actions \(actions.map { "." + $0 }.joined(separator: ", "))"
                }
            }
    }

    /// Reads what a step function returned into outcomes, checking every part.
    static func outcomes(_ v: Value, state s: Int, action a: String, states n: Int, into out: inout [Outcome], at range: SourceRange? = nil) throws {
        let place = "step(\(s), .\(a))"
        func one(_ r: Record, probability: Double) throws -> Outcome {
            guard case .int(let next)? = r["next"] else {
                throw MullError("invalid-outcome", "\(place) must return `next` as an integer state, got \(r["next"]?.typeName ?? "nothing")", at: range)
            }
            guard next >= 0 && next < n else { throw MullError("invalid-outcome", "\(place) returned next state \(next), outside 0..<\(n)", at: range) }
            var reward = 0.0
            if let rv = r["reward"] {
                guard let x = rv.asDouble else {
                    throw MullError("invalid-outcome", "\(place) must return `reward` as a number, got \(rv.typeName)", at: range)
                }
                guard x.isFinite else { throw MullError("invalid-outcome", "\(place) returned reward \(x); rewards must be finite numbers", at: range) }
                reward = x
            }
            var done = false
            if let d = r["done"] {
                guard case .bool(let b) = d else { throw MullError("invalid-outcome", "\(place) must return `done` as a bool, got \(d.typeName)", at: range) }
                done = b
            }
            return Outcome(probability: probability, next: next, reward: reward, terminated: done)
        }
        switch v {
        case .record(let r):
            out.append(try one(r, probability: 1))
        case .list(let xs):
            var total = 0.0
            for x in xs {
                guard case .record(let r) = x, let p = r["p"]?.asDouble, p >= 0 else {
                    throw MullError("invalid-outcome", "\(place): each outcome of a list is `(p: probability, next: ..., reward: ..., done: ...)`", at: range)
                }
                total += p
                out.append(try one(r, probability: p))
            }
            guard abs(total - 1) < 1e-9 else {
                throw MullError("invalid-outcome", "\(place): outcome probabilities sum to \(Value.format(total)), not 1", at: range)
            }
        default:
            throw MullError("invalid-outcome", "\(place) must return a record `(next: ..., reward: ..., done: ...)` or a list of them, got \(v.typeName)", at: range)
        }
    }
}
