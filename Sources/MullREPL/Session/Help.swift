import Mull
import MullLanguage

extension ReplSession {
    /// `:help`: the commands, the built-in functions and the component types.
    func helpOverview() -> String {
        var lines = ["Commands:"]
        let column = MetaCommand.all.map(\.usage.count).max() ?? 0
        for c in MetaCommand.all {
            lines.append("  " + c.usage.padded(to: column + 2) + c.doc)
        }
        lines.append("")
        lines.append("Enter Mull statements to evaluate them; an unfinished entry continues on the next line")
        lines.append("(a blank line ends it). Tab completes names; Ctrl-C interrupts a run.")
        let builtins = interpreter.builtinNames
        if !builtins.isEmpty {
            lines.append("")
            lines.append("Built-in functions:")
            lines += Self.wrapped(builtins, width: width, indent: 2)
        }
        let components = interpreter.registry.names
        if !components.isEmpty {
            lines.append("")
            lines.append("Components (`:help NAME` describes one):")
            for kind in ComponentKind.allCases {
                let names = components.filter { interpreter.registry.schema(named: $0)?.kind == kind }
                if names.isEmpty { continue }
                lines += Self.wrapped(names, width: width, indent: 2, label: kind.rawValue)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `:help NAME`: a component type, a global, a built-in function or a command.
    func help(for rawName: String, into out: inout ReplOutput) {
        let name = rawName.trimmingCharacters(in: .whitespaces)
        if name.hasPrefix(":"), let c = MetaCommand.named(String(name.dropFirst())) {
            out.say("\(c.usage)\n  \(c.doc)")
            return
        }
        if let schema = interpreter.registry.schema(named: name) {
            out.say(Self.describe(schema, width: width))
            return
        }
        if let v = interpreter.global(name) {
            out.say(describeGlobal(name, v))
            return
        }
        if let f = interpreter.builtinFunction(named: name) {
            out.say(Self.describe(f))
            return
        }
        if let c = MetaCommand.named(name) {
            out.say("\(c.usage)\n  \(c.doc)")
            return
        }
        var message = "error: no help for `\(name)`"
        let candidates = interpreter.registry.names + interpreter.globalNames + interpreter.builtinNames
        if let near = Suggest.closest(to: name, among: candidates) { message += "; did you mean `\(near)`?" }
        out.complain(message)
    }

    private func describeGlobal(_ name: String, _ v: Value) -> String {
        if case .function(let f) = v {
            return Self.describe(f)
        }
        if case .component(let c) = v {
            // `agent dyna = DynaQ { ... }` already names the global and its kind.
            var text = c.declaredName == name ? c.summary : "\(name): \(c.kind) = \(c.summary)"
            if let schema = interpreter.registry.schema(named: c.componentName) {
                text += "\n\n" + Self.describe(schema, width: width)
            }
            return text
        }
        var text = "\(name): \(v.typeName)"
        let shown = ValueDisplay.show(v, width: width)
        if !shown.isEmpty { text += shown.contains("\n") ? "\n" + shown : " = " + shown }
        return text
    }

    static func describe(_ f: Function) -> String {
        let signature = "\(f.name)(\(f.parameterNames.joined(separator: ", ")))"
        return f.doc.isEmpty ? signature : "\(signature)\n  \(f.doc)"
    }

    /// A component's kind, doc, fields table (type, default, range, doc) and methods.
    public static func describe(_ schema: ComponentSchema, width: Int = 80) -> String {
        var lines = ["\(schema.name) (\(schema.kind))"]
        for paragraph in schema.doc.isEmpty ? [] : schema.doc.split(separator: "\n", omittingEmptySubsequences: false) {
            let words = paragraph.split(separator: " ").map(String.init)
            lines += words.isEmpty ? [""] : wrapped(words, width: width, indent: 0)
        }
        if !schema.fields.isEmpty {
            lines.append("")
            lines.append("Fields:")
            let rows: [[String]] = [["name", "type", "default", "range", "doc"]] + schema.fields.map { f in
                var doc = f.doc
                if !f.aliases.isEmpty { doc += (doc.isEmpty ? "" : " ") + "(also: \(f.aliases.joined(separator: ", ")))" }
                return [f.name, f.type.description, f.required ? "required" : (f.defaultText ?? "-"),
                        f.boundsDescription ?? "-", doc]
            }
            lines += table(rows).map { "  " + $0 }
        }
        if !schema.methods.isEmpty {
            lines.append("")
            lines.append("Methods:")
            let column = schema.methods.map(\.signature.count).max() ?? 0
            for m in schema.methods {
                lines.append("  " + m.signature.padded(to: column + 2) + m.doc)
            }
        }
        return lines.joined(separator: "\n")
    }

    /// Rows as left-aligned columns separated by two spaces; the last column is not padded.
    static func table(_ rows: [[String]]) -> [String] {
        guard let n = rows.first?.count else { return [] }
        let widths = (0..<n).map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in i == n - 1 ? cell : cell.padded(to: widths[i] + 2) }.joined()
                .trimmingTrailingSpaces()
        }
    }

    /// Words joined by spaces into lines no wider than `width`.
    static func wrapped(_ words: [String], width: Int, indent: Int, label: String? = nil) -> [String] {
        let head = label.map { $0 + ": " } ?? ""
        let pad = String(repeating: " ", count: indent)
        let continuationPad = pad + String(repeating: " ", count: head.count)
        var lines: [String] = []
        var current = pad + head
        var empty = true
        for w in words {
            if !empty && current.count + 1 + w.count > width {
                lines.append(current)
                current = continuationPad
                empty = true
            }
            current += (empty ? "" : " ") + w
            empty = false
        }
        lines.append(current)
        return lines
    }
}

extension String {
    func padded(to n: Int) -> String {
        count >= n ? self : self + String(repeating: " ", count: n - count)
    }

    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
