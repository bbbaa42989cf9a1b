/// The messages for calls with too many arguments or an unknown label, shared by the checker
/// (`mull check`) and the interpreter (`mull run`), so both say the same thing.
package enum Arity {
    /// `name` takes `count` arguments (exactly, as a function written in Mull: missing ones
    /// take their defaults) but `given` were given.
    package static func tooMany(_ name: String, takes count: Int, given: Int) -> String {
        "`\(name)` takes \(count) argument\(count == 1 ? "" : "s") but \(given) were given"
    }

    /// A built-in `name(parameters...)` given more arguments than it has parameters.
    package static func tooMany(_ name: String, parameters: [String], given: Int) -> String {
        "`\(name)(\(parameters.joined(separator: ", ")))` takes at most \(parameters.count) argument\(parameters.count == 1 ? "" : "s") but \(given) were given"
    }

    /// A built-in `name(parameters...)` given a label that is none of its parameters.
    package static func unknownLabel(_ name: String, parameters: [String], label: String) -> String {
        let near = Suggest.closest(to: label, among: parameters).map { "; did you mean `\($0)`?" } ?? ""
        return "`\(name)(\(parameters.joined(separator: ", ")))` has no parameter `\(label)`\(near)"
    }

    /// Whether a built-in with these parameters has a fixed maximum (the last is not `xs...`).
    package static func isBounded(_ parameters: [String]) -> Bool {
        guard let last = parameters.last else { return false }
        return !last.hasSuffix("...")
    }
}
