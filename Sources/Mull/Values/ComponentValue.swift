import Foundation
import MullLanguage

/// A component as a script wrote it: the component type (`DynaQ`), the fields given, the
/// `vary` entries of a sweep, and, once the REPL or a run needs one, its live instance.
public final class ComponentValue: @unchecked Sendable {
    public let componentName: String
    public let kind: ComponentKind
    /// The name it was declared under (`agent dyna = ...`), if any.
    public internal(set) var declaredName: String?
    /// Fields in the order written. Methods (`step(s, a) { ... }`) are function-valued fields.
    public let fields: [(name: String, value: Value, range: SourceRange?)]
    /// `vary` entries (sweeps only).
    public let varies: [VaryEntry]
    public let range: SourceRange?

    private let lock = NSLock()
    private var _instance: (any ComponentInstance)?

    public init(componentName: String, kind: ComponentKind, fields: [(name: String, value: Value, range: SourceRange?)],
                varies: [VaryEntry] = [], range: SourceRange?) {
        self.componentName = componentName
        self.kind = kind
        self.fields = fields
        self.varies = varies
        self.range = range
    }

    public func field(_ name: String) -> Value? { fields.first { $0.name == name }?.value }
    func fieldRange(_ name: String) -> SourceRange? { fields.first { $0.name == name }?.range }

    /// A copy with some fields replaced (used by `with(...)` and by sweeps).
    public func with(_ overrides: [(String, Value)]) -> ComponentValue {
        var fs = fields
        for (name, v) in overrides {
            if let i = fs.firstIndex(where: { $0.name == name }) { fs[i].value = v } else { fs.append((name, v, nil)) }
        }
        let c = ComponentValue(componentName: componentName, kind: kind, fields: fs, varies: varies, range: range)
        c.declaredName = declaredName
        return c
    }

    /// The live instance for interactive use, built on first request.
    func instance(build: () throws -> any ComponentInstance) throws -> any ComponentInstance {
        lock.lock()
        defer { lock.unlock() }
        if let i = _instance { return i }
        let i = try build()
        _instance = i
        return i
    }

    var existingInstance: (any ComponentInstance)? {
        lock.lock()
        defer { lock.unlock() }
        return _instance
    }

    func resetInstance() {
        lock.lock()
        _instance = nil
        lock.unlock()
    }

    /// One-line form: `agent dyna = DynaQ { alpha: 0.1, ... }`.
    public var summary: String {
        let shown = fields.prefix(6).map { f -> String in
            if case .component(let c) = f.value, let n = c.declaredName { return "\(f.name): \(n)" }
            if case .string(let s) = f.value, s.contains("\n") { return "\(f.name): <\(s.split(separator: "\n").count) lines>" }
            return "\(f.name): \(f.value.repr)"
        }
        let more = fields.count > 6 ? ", ..." : ""
        let head = declaredName.map { "\(kind) \($0) = " } ?? ""
        return shown.isEmpty ? "\(head)\(componentName) {}" : "\(head)\(componentName) { \(shown.joined(separator: ", "))\(more) }"
    }
}

/// `vary a.b, c: values` in a sweep.
public struct VaryEntry: @unchecked Sendable {
    public var targets: [[String]]
    public var values: Value
    public var range: SourceRange?
}
