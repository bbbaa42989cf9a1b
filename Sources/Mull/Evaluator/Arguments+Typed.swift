import MullLanguage

/// Typed unpacking for native functions: an argument by position or by label, converted, with
/// an `arity` or `type-mismatch` diagnostic at the call when it is missing or of another type.
///
/// ```swift
/// mull.register(function: "scale", parameters: ["x", "by"]) { args, _ in
///     .float(try args.double(0, "x") * (try args.optionalDouble(1, "by") ?? 2))
/// }
/// ```
extension Arguments {
    /// The argument given at `position` or labelled `name`, or nil when neither was given.
    public func optional(_ position: Int, _ name: String) -> Value? {
        if let v = label(name) { return v }
        return position < positional.count ? positional[position] : nil
    }

    /// The argument at `position` or labelled `name`; an `arity` error when it is missing.
    public func required(_ position: Int, _ name: String) throws -> Value {
        guard let v = optional(position, name) else {
            throw MullError("arity", "missing argument `\(name)` (argument \(position + 1))", at: nil)
        }
        return v
    }

    public func double(_ position: Int, _ name: String) throws -> Double {
        try typed(position, name, "a number") { $0.doubleValue }
    }

    public func int(_ position: Int, _ name: String) throws -> Int {
        try typed(position, name, "an int") { $0.intValue }
    }

    public func string(_ position: Int, _ name: String) throws -> String {
        try typed(position, name, "a string") { $0.stringValue }
    }

    public func doubles(_ position: Int, _ name: String) throws -> [Double] {
        try typed(position, name, "a list of numbers") { $0.doublesValue }
    }

    public func optionalDouble(_ position: Int, _ name: String) throws -> Double? {
        try optional(position, name).map { v in try convert(v, name, "a number") { $0.doubleValue } }
    }

    public func optionalInt(_ position: Int, _ name: String) throws -> Int? {
        try optional(position, name).map { v in try convert(v, name, "an int") { $0.intValue } }
    }

    private func typed<T>(_ position: Int, _ name: String, _ what: String, _ get: (Value) -> T?) throws -> T {
        try convert(try required(position, name), name, what, get)
    }

    private func convert<T>(_ v: Value, _ name: String, _ what: String, _ get: (Value) -> T?) throws -> T {
        guard let x = get(v) else {
            throw MullError("type-mismatch", "`\(name)` must be \(what), got \(v.typeName)", at: nil)
        }
        return x
    }
}
