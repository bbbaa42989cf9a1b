import Mull
import MullLanguage

/// How the REPL shows a result: `none` not at all, live objects by their own rendering, long
/// records and components one field per line with the values aligned, anything else as `repr`.
public enum ValueDisplay {
    public static func show(_ value: Value, width: Int = 80) -> String {
        switch value {
        case .none:
            return ""
        case .object(let o):
            return o.render(width: width)
        case .record(let r) where !r.isTuple:
            let flat = value.repr
            if flat.count <= width { return flat }
            return block(open: "(", close: ")", fields: zip(r.labels, r.values).map { ($0 ?? "", $1.repr) })
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
