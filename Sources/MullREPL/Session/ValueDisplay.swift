import Mull
import MullLanguage

/// How the REPL shows a result: `none` not at all, live objects by their own rendering, long
/// records and components one field per line with the values aligned, anything else as `repr`.
public enum ValueDisplay {
    public static func show(_ value: Value, width: Int = 80) -> String {
        switch value {
        case .null:
            return ""
        case .object(let o):
            return o.render(width: width)
        case .record(let r) where !r.isTuple:
            let flat = brief(value)
            if flat.count <= width { return flat }
            return block(open: "(", close: ")", fields: zip(r.labels, r.values).map { ($0 ?? "", brief($1)) })
        case .list:
            return brief(value)
        case .component(let c):
            let flat = c.summary
            if flat.count <= width && c.fields.count <= 6 { return flat }
            let head = c.declaredName.map { "\(c.kind) \($0) = " } ?? ""
            return block(open: "\(head)\(c.componentName) {", close: "}", fields: c.fields.map { f in
                if case .component(let inner) = f.value, let n = inner.declaredName { return (f.name, n) }
                return (f.name, f.value.repr)
            })
        default:
            return value.repr
        }
    }

    /// Lists longer than this are shown by their first and last elements and their length, so
    /// a result such as the `steps` of a long training run is a line, not megabytes; `print`
    /// and `str` still give every element.
    static let listLimit = 20

    /// `repr`, with long lists (at any depth of lists and records) abbreviated.
    static func brief(_ value: Value) -> String {
        switch value {
        case .list(let xs) where xs.count > listLimit:
            let head = xs.prefix(10).map(brief).joined(separator: ", ")
            let tail = xs.suffix(3).map(brief).joined(separator: ", ")
            return "[\(head), ... \(xs.count - 13) more ..., \(tail)] (\(xs.count) elements)"
        case .list(let xs):
            return "[" + xs.map(brief).joined(separator: ", ") + "]"
        case .record(let r) where !r.isTuple && r.values.contains(where: { if case .list = $0 { return true }; return false }):
            return "(" + zip(r.labels, r.values).map { ($0.map { $0 + ": " } ?? "") + brief($1) }.joined(separator: ", ") + ")"
        default:
            return value.repr
        }
    }

    /// `open`, then `  name:  value,` lines with the values in one column, then `close`.
    static func block(open: String, close: String, fields: [(String, String)]) -> String {
        let column = fields.map(\.0.count).max() ?? 0
        var lines = [open]
        for (name, value) in fields {
            let label = name.isEmpty ? "" : name + ":" + String(repeating: " ", count: column - name.count + 1)
            lines.append("  " + label + indentContinuation(value, by: 2 + label.count) + ",")
        }
        lines.append(close)
        return lines.joined(separator: "\n")
    }

    private static func indentContinuation(_ text: String, by n: Int) -> String {
        guard text.contains("\n") else { return text }
        let pad = String(repeating: " ", count: n)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : pad + $0.element }.joined(separator: "\n")
    }
}
