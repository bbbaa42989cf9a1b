/// Minimal RFC 4180 CSV: quoting on write, a matching reader for reading files back.
public enum CSV {
    /// A cell quoted when it holds a comma, quote, CR or LF, or starts or ends with a space.
    public static func quote(_ field: String) -> String {
        var needs = false
        for b in field.utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D {
            needs = true
            break
        }
        if !needs, let f = field.utf8.first, let l = field.utf8.last, f == 0x20 || l == 0x20 { needs = true }
        guard needs else { return field }
        return "\"" + field._replacing("\"", with: "\"\"") + "\""
    }

    /// One line (with `\n`) from the fields.
    public static func line(_ fields: [String]) -> String {
        var s = ""
        for (i, f) in fields.enumerated() {
            if i > 0 { s += "," }
            s += quote(f)
        }
        s += "\n"
        return s
    }

    /// Parses CSV text into rows of fields (quoted fields may hold commas, quotes, newlines).
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var fieldStarted = false
        let bytes = Array(text.utf8)
        var i = 0
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldStarted = false
        }
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 { field.append(0x22); i += 1 } else { inQuotes = false }
                } else {
                    field.append(b)
                }
            } else {
                switch b {
                case 0x22: inQuotes = true; fieldStarted = true
                case 0x2C: endField(); fieldStarted = true
                case 0x0D: break
                case 0x0A:
                    endField()
                    rows.append(row)
                    row = []
                default: field.append(b); fieldStarted = true
                }
            }
            i += 1
        }
        if fieldStarted || !field.isEmpty || !row.isEmpty {
            endField()
            rows.append(row)
        }
        return rows
    }
}

extension String {
    @usableFromInline func _replacing(_ a: Character, with b: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for c in self { if c == a { out += b } else { out.append(c) } }
        return out
    }
}
