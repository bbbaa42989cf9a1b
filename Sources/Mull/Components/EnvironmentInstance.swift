import MullLanguage
import MullRuntime

/// A live discrete environment reachable from Mull: the runtime object plus what the REPL needs
/// to show it (action names, drawing). Embedders return one from the `build` closure of a
/// native environment component; tabular agents (`DynaQ`, ...) then run on it.
public final class DiscreteEnvironmentInstance: ComponentInstance, @unchecked Sendable {
    let name: String
    let environment: any DiscreteEnvironment
    let actionNames: [String]
    /// Draws the environment with an optional character per state (policy arrows).
    let draw: ([Character?]?) -> String
    /// Grid shape, when states are cells of a grid (rows, columns).
    let grid: (rows: Int, columns: Int)?
    let startState: Int?
    var rng: RandomSource

    init(name: String, environment: any DiscreteEnvironment, actionNames: [String], grid: (Int, Int)?, startState: Int?,
         rng: RandomSource, draw: @escaping ([Character?]?) -> String) {
        self.name = name
        self.environment = environment
        self.actionNames = actionNames
        self.grid = grid
        self.startState = startState
        self.rng = rng
        self.draw = draw
    }

    /// Wraps a discrete environment written in Swift for a component's `build` closure.
    /// - Parameters:
    ///   - request: the build request (gives the name and the random stream).
    ///   - actionNames: one name per action, used as symbols in scripts (`.left`).
    ///   - startState: the state `env.start` reports, if there is one.
    ///   - draw: draws the environment as text, with an optional character per state.
    public convenience init(_ request: BuildRequest, environment: any DiscreteEnvironment, actionNames: [String],
                            startState: Int? = nil, draw: (@Sendable ([Character?]?) -> String)? = nil) {
        let n = environment.stateCount
        self.init(name: request.component.declaredName ?? request.schema.name, environment: environment, actionNames: actionNames,
                  grid: nil, startState: startState, rng: request.context.makeRandom(),
                  draw: draw ?? { _ in "\(request.schema.name) with \(n) states" })
    }

    public var typeName: String { "env \(name)" }
    public var memberNames: [String] { ["start", "states", "actions", "reset", "step", "draw", "shortest_path"] }

    public func member(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "start": return startState.map { .int($0) } ?? Value.null
        case "states": return .int(environment.stateCount)
        case "actions": return .list(actionNames.map { .symbol($0) })
        case "draw": return .object(TextBlock(draw(nil)))
        case "shortest_path":
            if let g = environment as? GridWorld { return g.shortestPathLength().map { .int($0) } ?? Value.null }
            return Value.null
        case "reset":
            return .function(Function(native: "reset", doc: "starts an episode and returns the first state") { [self] args, _ in
                try Builtins.noArguments(args, "reset")
                return .int(try environment.reset(&rng))
            })
        case "step":
            return .function(Function(native: "step", parameters: ["action"], doc: "takes an action; returns (next, reward, terminated, truncated)") { [self] args, _ in
                let a = try action(Builtins.one(args, "step"))
                let r = try environment.step(a, &rng)
                return .record(Record([("next", .int(r.observation)), ("reward", .float(r.reward)),
                                       ("terminated", .bool(r.terminated)), ("truncated", .bool(r.truncated))]))
            })
        default: return nil
        }
    }

    public func render(width: Int) -> String { draw(nil) }

    /// A start state (as the user writes it) from which no episode can end, when the
    /// environment has no step limit and its dynamics are known; nil otherwise.
    func startWhereEpisodesNeverEnd() -> String? {
        guard environment.maxEpisodeSteps == nil, let e = environment as? any (TabularDynamics & KnownStartStates) else { return nil }
        if let start = EpisodeEnds.startThatNeverEnds(e) { return stateDescription(start) }
        if let g = environment as? GridWorld, let k = g.changeThatWallsOffTheGoal() {
            return "\(stateDescription(g.startState)) after wall change \(k)"
        }
        return nil
    }

    /// A state as a user writes it: `(row, column)` on a grid, else its number.
    func stateDescription(_ s: Int) -> String {
        guard let g = grid, g.columns > 0 else { return "\(s)" }
        return "(\(s / g.columns), \(s % g.columns))"
    }

    /// A state given as an index, or as `(row, column)` on a grid.
    func state(_ v: Value) throws -> Int {
        switch v {
        case .int(let s):
            guard s >= 0 && s < environment.stateCount else {
                throw MullError("value-out-of-range", "state \(s) is outside 0..<\(environment.stateCount)", at: nil)
            }
            return s
        case .record(let r) where r.values.count == 2:
            guard let g = grid, case .int(let row) = r.values[0], case .int(let col) = r.values[1] else { break }
            guard row >= 0 && row < g.rows && col >= 0 && col < g.columns else {
                throw MullError("value-out-of-range", "cell (\(row), \(col)) is outside the \(g.rows)x\(g.columns) grid", at: nil)
            }
            return row * g.columns + col
        default: break
        }
        throw MullError("type-mismatch", "a state of `\(name)` is an integer\(grid != nil ? " or a (row, column) tuple" : ""), got \(v.typeName)", at: nil)
    }

    /// An action given as an index or by name (`.right`).
    func action(_ v: Value) throws -> Int {
        switch v {
        case .int(let a):
            guard a >= 0 && a < environment.actionCount else {
                throw MullError("value-out-of-range", "action \(a) is outside 0..<\(environment.actionCount)", at: nil)
            }
            return a
        case .symbol(let s):
            if let i = actionNames.firstIndex(of: s) { return i }
            throw MullError("value-out-of-range", "`\(name)` has no action `.\(s)`", at: nil,
                            suggestion: "its actions are \(actionNames.map { "`.\($0)`" }.joined(separator: ", "))")
        default:
            throw MullError("type-mismatch", "an action is a symbol such as `.\(actionNames.first ?? "up")` or an integer, got \(v.typeName)", at: nil)
        }
    }
}

/// Text shown as is by the REPL and `print` (drawn grids, tables).
final class TextBlock: MullObject, @unchecked Sendable {
    let text: String
    init(_ text: String) {
        var t = text
        while t.hasSuffix("\n") { t.removeLast() }
        self.text = t
    }
    var typeName: String { "drawing" }
    var memberNames: [String] { ["text"] }
    func member(_ name: String, context: CallContext) throws -> Value? { name == "text" ? .string(text) : nil }
    func render(width: Int) -> String { text }
}

/// A continuous-state environment (classic control) reachable from Mull.
final class ControlEnvironmentInstance: ComponentInstance, @unchecked Sendable {
    /// The episode as one that can be stepped by hand (checked before `step` and `transition`
    /// are offered; a diagnostic rather than a trap if a host's episode type is not).
    func steppableEpisode() throws -> any SteppableControlEpisode {
        guard let e = episode as? SteppableControlEpisode else {
            throw MullError("incompatible", "`\(name)` cannot be stepped by hand", at: nil)
        }
        return e
    }

    let name: String
    let environment: AnyObject
    let observationSpace: Space
    let actionSpace: Space
    let actionNames: [String]
    let maxEpisodeSteps: Int?
    /// The episode `reset()` and `step(action)` run in the REPL.
    let episode: ControlEpisode
    var rng: RandomSource

    init(name: String, environment: AnyObject, episode: ControlEpisode, rng: RandomSource,
         observationSpace: Space, actionSpace: Space, actionNames: [String], maxEpisodeSteps: Int?) {
        self.name = name
        self.environment = environment
        self.episode = episode
        self.rng = rng
        self.observationSpace = observationSpace
        self.actionSpace = actionSpace
        self.actionNames = actionNames
        self.maxEpisodeSteps = maxEpisodeSteps
    }

    var typeName: String { "env \(name)" }
    var memberNames: [String] {
        ["observation_space", "action_space", "actions", "max_episode_steps", "reset", "state"]
            + (episode is SteppableControlEpisode ? ["step", "transition", "simulator_state"] : [])
    }
    func member(_ name: String, context: CallContext) throws -> Value? {
        switch name {
        case "observation_space": return .string(observationSpace.description)
        case "action_space": return .string(actionSpace.description)
        case "actions": return .list(actionNames.map { .symbol($0) })
        case "max_episode_steps": return maxEpisodeSteps.map { .int($0) } ?? Value.null
        case "state": return episode.currentObservation.map { .list($0.map { .float($0) }) } ?? Value.null
        case "reset":
            return .function(Function(native: "reset", doc: "starts an episode and returns the first observation") { [self] args, _ in
                try Builtins.noArguments(args, "reset")
                let s = try runtime { try episode.resetEpisode(&rng) }
                return .list(s.map { .float($0) })
            })
        case "step":
            guard episode is SteppableControlEpisode else { return nil }
            return .function(Function(native: "step", parameters: ["action"],
                                      doc: "takes an action; returns (next, reward, terminated, truncated)") { [self] args, _ in
                let a = try action(Builtins.one(args, "step"))
                let r = try runtime { try steppableEpisode().stepEpisode(a, &rng) }
                return .record(Record([("next", .list(r.observation.map { .float($0) })), ("reward", .float(r.reward)),
                                       ("terminated", .bool(r.terminated)), ("truncated", .bool(r.truncated))]))
            })
        case "simulator_state":
            guard let e = episode as? SteppableControlEpisode else { return nil }
            return e.currentSimulatorState.map { .list($0.map { .float($0) }) } ?? Value.null
        case "transition":
            guard episode is SteppableControlEpisode else { return nil }
            return .function(Function(native: "transition", parameters: ["state", "action"],
                                      doc: "one true transition from a simulator state; returns (next, observation, reward, terminated)") { [self] args, _ in
                guard args.positional.count == 2 || (args.label("state") != nil && args.label("action") != nil) else {
                    throw MullError("arity", "give a simulator state and an action: `transition(state, action)`", at: nil)
                }
                let s = try PlannerInstance.stateValues(args.label("state") ?? args.positional[0])
                let a = try action(args.label("action") ?? args.positional[1])
                let t = try runtime { try steppableEpisode().transition(from: s, a, &rng) }
                return .record(Record([("next", .list(t.state.map { .float($0) })), ("observation", .list(t.result.observation.map { .float($0) })),
                                       ("reward", .float(t.result.reward)), ("terminated", .bool(t.result.terminated))]))
            })
        default: return nil
        }
    }

    func render(width: Int) -> String {
        "\(name): observations \(observationSpace), actions \(actionSpace)\(maxEpisodeSteps.map { ", \($0) steps per episode" } ?? "")"
    }

    /// An action by name (`.left`) or index for discrete actions; a number or a list of numbers
    /// for continuous ones.
    func action(_ v: Value) throws -> FunctionTask.Action {
        if !actionNames.isEmpty {
            switch v {
            case .int(let a):
                guard a >= 0 && a < actionNames.count else {
                    throw MullError("value-out-of-range", "action \(a) is outside 0..<\(actionNames.count)", at: nil)
                }
                return .discrete(a)
            case .symbol(let s):
                if let i = actionNames.firstIndex(of: s) { return .discrete(i) }
                throw MullError("value-out-of-range", "`\(name)` has no action `.\(s)`", at: nil,
                                suggestion: "its actions are \(actionNames.map { "`.\($0)`" }.joined(separator: ", "))")
            default:
                throw MullError("type-mismatch", "an action of `\(name)` is a symbol such as `.\(actionNames[0])` or an integer, got \(v.typeName)", at: nil)
            }
        }
        if let d = v.asDouble { return .continuous([d]) }
        if case .list(let xs) = v {
            let ds = xs.compactMap(\.asDouble)
            if ds.count == xs.count { return .continuous(ds) }
        }
        throw MullError("type-mismatch", "an action of `\(name)` is a number or a list of numbers (\(actionSpace)), got \(v.typeName)", at: nil)
    }

    /// Runtime errors (a step before reset, a wrong action size) as Mull diagnostics.
    private func runtime<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as RuntimeError {
            if let inner = e.underlying as? MullError { throw inner }
            throw MullError("runtime-error", "`\(name)`: \(e.message)", at: nil)
        }
    }
}
