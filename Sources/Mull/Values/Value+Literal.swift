import MullLanguage

extension Value {
    /// The value of a scalar literal (`3`, `0.5`, `"a"`, `true`, `.left`, `none`), known
    /// without running anything; nil for any other expression.
    static func scalarLiteral(_ expr: Expr) -> Value? {
        switch expr.kind {
        case .integer(let i): return .int(i)
        case .float(let d): return .float(d)
        case .string(let s): return .string(s)
        case .boolean(let b): return .bool(b)
        case .symbol(let s): return .symbol(s)
        case .noneLiteral: return .null
        default: return nil
        }
    }
}
