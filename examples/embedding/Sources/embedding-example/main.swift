// Embedding Mull in a Swift program: evaluate source, exchange values, register a native
// function, and receive errors as structured diagnostics.
import Foundation
import Mull
import MullRuntime

/// A native environment: a corridor of `length` cells; `.right` at the last cell earns 1 and ends
/// the episode.
final class Corridor: DiscreteEnvironment {
    let length: Int
    var position = 0
    init(length: Int) { self.length = length }
    var stateCount: Int { length }
    var actionCount: Int { 2 }
    var observationSpace: Space { .discrete(length) }
    var actionSpace: Space { .discrete(2) }
    var maxEpisodeSteps: Int? { 200 }
    func reset(_ rng: inout RandomSource) throws -> Int { position = 0; return 0 }
    func step(_ action: Int, _ rng: inout RandomSource) throws -> StepResult<Int> {
        position = action == 1 ? position + 1 : max(0, position - 1)
        if position == length { position = length - 1; return StepResult(observation: position, reward: 1, terminated: true, truncated: false) }
        return StepResult(observation: position, reward: 0, terminated: false, truncated: false)
    }
}

final class Transcript: @unchecked Sendable {
    var lines: [String] = []
}
let transcript = Transcript()

var config = Interpreter.Configuration()
// Everything the script prints comes to the host.
config.output = { text in transcript.lines.append(text); print("script says:", text, terminator: "") }
config.run.stepBudget = 1_000_000

let mull = Interpreter(configuration: config)

// A native function the script can call.
mull.register(function: "host_scale", parameters: ["x"], doc: "multiplies by the host's scale") { args, _ in
    guard let x = args.positional.first?.asDouble else { return .null }
    return .float(x * 2.5)
}

// A native component, checked and documented like the built-ins.
mull.register(component: ComponentDefinition(
    schema: ComponentSchema(
        name: "Corridor", kind: .env, doc: "A corridor; reach its right end.",
        fields: [FieldSchema("length", .int, default: "8", min: 2, doc: "number of cells")],
        provides: [.discreteStates, .discreteActions]),
    defaults: ["length": .int(8)]) { request in
        DiscreteEnvironmentInstance(request, environment: Corridor(length: try request.int("length")),
                                    actionNames: ["left", "right"], startState: 0)
    })

try mull.evaluate("""
    env corridor = Corridor { length: 6 }
    agent dyna = DynaQ { env: corridor, planning_steps: 20 }
    let trained = dyna.train(episodes: 30)
    print("corridor:", trained.episodes, "episodes; greedy action at the start:", dyna.action(0))
    """, path: "corridor.mull")

// Hand the script a value, run it, read its globals back.
mull.setGlobal("episodes", .int(4))
try mull.evaluate("""
    fn discounted(rewards, gamma) {
        if len(rewards) == 0 { 0.0 } else { rewards[0] + gamma * discounted(rewards[1..<len(rewards)], gamma) }
    }
    let returns = [discounted([0, 0, 1], 0.9) for _ in 0..<episodes]
    print("returns:", returns)
    let scaled = host_scale(returns[0])
    """, path: "host.mull")

if case .float(let scaled)? = mull.global("scaled") {
    print("host read scaled =", scaled)
}

// Call a Mull function from Swift.
if case .function(let f)? = mull.global("discounted") {
    let v = try mull.call(f, [.list([.int(1), .int(1)]), .float(0.5)])
    print("host called discounted -> \(v)")
}

// Errors arrive as data: id, message, place.
do {
    try mull.evaluate("let x = 1 / 0", path: "bad.mull")
} catch let error as DiagnosticsError {
    for d in error.diagnostics {
        let place = d.range.map { "\($0.file.path):\($0.startLocation)" } ?? "?"
        print("host caught [\(d.id)] \(d.message) at \(place)")
    }
}
