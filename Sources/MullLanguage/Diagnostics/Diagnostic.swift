/// A problem found in a Mull script, as data: producing a diagnostic is separate from showing it.
public struct Diagnostic: Error, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case note, warning, error
        public static func < (a: Severity, b: Severity) -> Bool {
            let order: [Severity] = [.note, .warning, .error]
            return order.firstIndex(of: a)! < order.firstIndex(of: b)!
        }
    }

    /// A secondary message, optionally pointing at another place ("`maze` declared here").
    public struct Note: Sendable {
        public var message: String
        public var range: SourceRange?
        public init(_ message: String, at range: SourceRange? = nil) {
            self.message = message
            self.range = range
        }
    }

    /// A proposed fix: a message, and text that would replace `range` (or the main range).
    public struct Suggestion: Sendable {
        public var message: String
        public var replacement: String?
        public var range: SourceRange?
        public init(_ message: String, replacement: String? = nil, range: SourceRange? = nil) {
            self.message = message
            self.replacement = replacement
            self.range = range
        }
    }

    /// One frame of a Mull call stack, innermost first, for runtime errors.
    public struct Frame: Sendable {
        public var function: String
        public var range: SourceRange?
        public init(function: String, range: SourceRange?) {
            self.function = function
            self.range = range
        }
    }

    /// A stable identifier from the catalog, e.g. `unknown-field`.
    public var id: DiagnosticID
    public var severity: Severity
    /// Lowercase, no trailing period, quoting the offending token with backticks.
    public var message: String
    public var range: SourceRange?
    public var notes: [Note]
    public var suggestion: Suggestion?
    public var backtrace: [Frame]
    /// The Swift error a host's native function or environment threw, for `host-error`.
    public var hostError: (any Error)?

    public init(_ id: DiagnosticID, _ severity: Severity = .error, _ message: String,
                at range: SourceRange?, notes: [Note] = [], suggestion: Suggestion? = nil,
                backtrace: [Frame] = []) {
        self.id = id
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
        self.suggestion = suggestion
        self.backtrace = backtrace
    }

    /// The one-line form `file:line:col: error: message`.
    public var description: String {
        let place = range.map { "\($0.file.path):\($0.startLocation): " } ?? ""
        return "\(place)\(severity.rawValue): \(message)"
    }
}

/// The identifier of a kind of diagnostic. The catalog lives in `DiagnosticID+Catalog.swift`
/// files next to the phase that produces them.
public struct DiagnosticID: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// Diagnostics gathered by a phase, in the order found.
public struct DiagnosticBag: Sendable {
    public private(set) var items: [Diagnostic] = []
    public init() {}
    public mutating func add(_ d: Diagnostic) { items.append(d) }
    public mutating func add(contentsOf ds: [Diagnostic]) { items.append(contentsOf: ds) }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
    public var errorCount: Int { items.count { $0.severity == .error } }
}

/// Thrown when a phase stops with errors; carries every diagnostic it found.
public struct DiagnosticsError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
