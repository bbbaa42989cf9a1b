// Embedding Mull in a Swift program: evaluate source, exchange values, register a native
// function, and receive errors as structured diagnostics.
import Foundation
import Mull
import MullLanguage

final class Transcript: @unchecked Sendable {
    var lines: [String] = []
}
let transcript = Transcript()

var config = Interpreter.Configuration()
// Everything the script prints comes to the host.
config.output = { text in transcript.lines.append(text); print("script says:", text, terminator: "") }
config.stepBudget = 1_000_000

let mull = Interpreter(configuration: config)

// A native function the script can call.
mull.register(function: "host_scale", parameters: ["x"], doc: "multiplies by the host's scale") { args, _ in
    guard let x = args.positional.first?.asDouble else { return .none }
    return .float(x * 2.5)
}

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
