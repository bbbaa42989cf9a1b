import MullLanguage

/// A Mull value. Values are immutable; lists and records are copied on write like Swift arrays.
public enum Value: @unchecked Sendable {
    case null
    case int(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    /// `.left`: a name standing for itself.
    case symbol(String)
    case list([Value])
    case record(Record)
    /// Integers `lower..<upperExclusive` (an inclusive range is stored with upper + 1).
    case range(lower: Int, upperExclusive: Int)
    case function(Function)
    /// A component's configuration, and its live instance once one is needed.
    case component(ComponentValue)
    /// A live runtime object that is not a declared component (a sweep result, a plan, ...).
    case object(any MullObject)
    case module(Module)

    /// The name of the value's type, as shown in messages and by `:type`.
    public var typeName: String {
        switch self {
        case .null: "none"
        case .int: "int"
        case .float: "float"
        case .bool: "bool"
        case .string: "string"
        case .symbol: "symbol"
        case .list: "list"
        case .record(let r): r.isTuple ? "tuple" : "record"
        case .range: "range"
        case .function: "function"
        case .component(let c): "\(c.kind) \(c.componentName)"
        case .object(let o): o.typeName
        case .module: "module"
        }
    }

    /// Numbers as Double (ints widen); nil for anything else.
    @inline(__always) public var asDouble: Double? {
        switch self {
        case .int(let i): Double(i)
        case .float(let d): d
        default: nil
        }
    }

    public var isTruthy: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }
}

/// A record `(next: 3, reward: 0.0)` or a tuple `(1, 2)`; field order is insertion order.
public struct Record: Sendable {
    /// One label per field; nil for positional fields.
    public var labels: [String?]
    public var values: [Value]

    public init(labels: [String?], values: [Value]) {
        self.labels = labels
        self.values = values
    }

    public init(_ fields: [(String, Value)]) {
        self.labels = fields.map { $0.0 }
        self.values = fields.map { $0.1 }
    }

    public var isTuple: Bool { labels.allSatisfy { $0 == nil } }

    public subscript(_ name: String) -> Value? {
        guard let i = labels.firstIndex(where: { $0 == name }) else { return nil }
        return values[i]
    }

    public var fieldNames: [String] { labels.compactMap { $0 } }
}

/// A live runtime object reachable from Mull: members and methods are looked up by name at the
/// interpreter level (never in a hot loop).
public protocol MullObject: AnyObject, Sendable {
    var typeName: String { get }
    /// Names offered for completion.
    var memberNames: [String] { get }
    /// A property or a bound method; nil when there is no such member.
    func member(_ name: String, context: CallContext) throws -> Value?
    /// How the REPL and `print` show the object.
    func render(width: Int) -> String
}

/// A loaded module (`import "std/mazes"`): its top-level names in declaration order.
public final class Module: @unchecked Sendable {
    public let name: String
    public let path: String
    public internal(set) var names: [String] = []
    public internal(set) var values: [String: Value] = [:]
    init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}
