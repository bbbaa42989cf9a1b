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
    // Typed unpacking: a missing or mistyped argument is a diagnostic at the script's call.
    .float(try args.double(0, "x") * 2.5)
}

// A native component, checked and documented like the built-ins.
mull.register(component: ComponentDefinition(
    schema: ComponentSchema(
        name: "Corridor", kind: .env, doc: "A corridor; reach its right end.",
        fields: [FieldSchema("length", .int, default: "8", min: 2, doc: "number of cells")],
        provides: [.discreteStates, .discreteActions])) { request in
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

// The rest checks itself: each expectation prints "ok: ..." or "FAILED: ...", and a failure
// makes the program exit with status 1 (CI runs it).
var failures = 0
@MainActor func expect(_ condition: Bool, _ what: String) {
    print(condition ? "ok: \(what)" : "FAILED: \(what)")
    if !condition { failures += 1 }
}

// Two threads sharing one interpreter: their calls are serialised on its worker thread.
if case .function(let f)? = mull.global("discounted") {
    let results = Results()
    DispatchQueue.concurrentPerform(iterations: 2) { i in
        for _ in 0..<200 {
            let v = try? mull.call(f, [[1, 1, 1], .float(i == 0 ? 0.5 : 0.25)])
            results.add(i, v?.doubleValue ?? .nan)
        }
    }
    expect(results.values(0).allSatisfy { $0 == 1.75 } && results.values(1).allSatisfy { $0 == 1.3125 },
           "two threads sharing the interpreter got their own answers 200 times each")
}

// Run options for one evaluation: another seed, a step budget; results as data.
let sweep = """
    env c = Corridor { length: 6 }
    agent q = QLearning { env: c, epsilon: 0.3 }
    sweep corridor_runs { agent: q, seeds: 4, episodes: 10 }
    run corridor_runs
    """
var options = RunOptions()
options.seed = 11
options.progress = false
try mull.evaluate(sweep, path: "sweep.mull", options: options)
let record = mull.runs.last
expect(record?.trials.count == 4, "the sweep's four trials reached the host as data")
expect(mull.runOptions.seed == 0, "the seed was for that evaluation only")
var tight = RunOptions()
tight.stepBudget = 1_000
do {
    try mull.evaluate("for i in 0..<1000000 { i }", path: "loop.mull", options: tight)
    expect(false, "a step budget stops a long loop")
} catch let error as DiagnosticsError {
    expect(error.diagnostics.first?.id == "step-budget", "a step budget given to one evaluation stops it")
}

// Typed unpacking reports a wrong argument at the script's call.
do {
    try mull.evaluate("host_scale(\"three\")", path: "typed.mull")
    expect(false, "a string given to host_scale is refused")
} catch let error as DiagnosticsError {
    expect(error.diagnostics.first?.message == "`x` must be a number, got string", "a string given to host_scale is refused")
}

// async evaluation, cancelled through the Task.
let task = Task { try await mull.evaluate("let n = len([i for i in 0..<100000000])", path: "long.mull") }
try await Task.sleep(nanoseconds: 200_000_000)
task.cancel()
do {
    _ = try await task.value
    expect(false, "cancelling the Task stops the evaluation")
} catch {
    expect(true, "cancelling the Task stops the evaluation")
}

if failures > 0 { exit(1) }

/// Answers collected from several threads.
final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var byThread: [Int: [Double]] = [:]
    func add(_ thread: Int, _ v: Double) { lock.lock(); byThread[thread, default: []].append(v); lock.unlock() }
    func values(_ thread: Int) -> [Double] { lock.lock(); defer { lock.unlock() }; return byThread[thread] ?? [] }
}
