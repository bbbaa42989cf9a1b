import MullLanguage

/// docs/reference.md, generated from the registry so the reference cannot drift from the code.
public enum ReferenceDocs {
    public static func markdown(_ registry: ComponentRegistry) -> String {
        var out = """
            # Component reference

            Generated from Mull's component registry by `mull reference`; a test fails when this file is stale.
            Every field shows its type, default and allowed range. Fields marked **required** have no default.


            """
        let kinds: [(ComponentKind, String)] = [(.env, "Environments"), (.model, "Models"), (.agent, "Agents"), (.sweep, "Sweeps")]
        for (kind, title) in kinds {
            let schemas = registry.allSchemas.filter { $0.kind == kind }
            guard !schemas.isEmpty else { continue }
            out += "## \(title)\n\n"
            for s in schemas {
                out += "### \(s.name)\n\n\(s.doc)\n\n"
                if !s.provides.isEmpty { out += "Offers: \(s.provides.words).\n\n" }
                for r in s.requirements {
                    out += "Requires of `\(r.field)`: \(r.needs.words) (\(r.reason)).\n\n"
                }
                if !s.fields.isEmpty {
                    out += "| field | type | default | range | description |\n|---|---|---|---|---|\n"
                    for f in s.fields {
                        let name = "`\(f.name)`" + (f.aliases.isEmpty ? "" : " (also " + f.aliases.map { "`\($0)`" }.joined(separator: ", ") + ")")
                        let def = f.required ? "**required**" : (f.defaultText.map { "`\($0)`" } ?? "none")
                        out += "| \(name) | \(f.type.description.replacingOccurrences(of: "|", with: "\\|")) | \(def) | \(f.boundsDescription ?? "") | \(f.doc.replacingOccurrences(of: "|", with: "\\|")) |\n"
                    }
                    out += "\n"
                }
                if !s.methods.isEmpty {
                    out += "In the REPL:\n\n"
                    for m in s.methods { out += "- `\(m.signature)`: \(m.doc)\n" }
                    out += "\n"
                }
            }
        }
        return out
    }
}

extension String {
    fileprivate func replacingOccurrences(of a: String, with b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: a) {
            out += rest[..<r.lowerBound]
            out += b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
