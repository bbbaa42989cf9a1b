/// Turns diagnostics into text: one-line forms for tools and tests, excerpts for people.
public enum DiagnosticRenderer {
    /// `path:line:col: error: message`, then one `path:line:col: note: ...` line per note and
    /// `help: ...` for the suggestion.
    public static func oneLine(_ d: Diagnostic) -> String {
        var lines = ["\(place(d.range))\(d.severity.rawValue): \(d.message)"]
        for note in d.notes {
            lines.append("\(place(note.range))note: \(note.message)")
        }
        if let s = d.suggestion {
            lines.append("help: \(s.message)")
        }
        return lines.joined(separator: "\n")
    }

    /// The form for people: the header, the source line with the range underlined, each note
    /// with its own excerpt, the suggestion, and for runtime errors the Mull call stack.
    public static func excerpt(_ d: Diagnostic, color: Bool) -> String {
        let style = Style(enabled: color)
        let severityColor: String = switch d.severity {
        case .error: style.red
        case .warning: style.yellow
        case .note: style.cyan
        }
        var out: [String] = []
        out.append("\(style.bold)\(place(d.range))\(severityColor)\(d.severity.rawValue):\(style.reset)\(style.bold) \(d.message)\(style.reset)")
        if let r = d.range { out.append(contentsOf: snippet(r, style: style, caretColor: severityColor)) }
        for note in d.notes {
            out.append("\(style.bold)\(place(note.range))\(style.cyan)note:\(style.reset) \(note.message)")
            if let r = note.range { out.append(contentsOf: snippet(r, style: style, caretColor: style.cyan)) }
        }
        if let s = d.suggestion {
            out.append("\(style.green)\(style.bold)help:\(style.reset) \(s.message)")
        }
        for frame in d.backtrace {
            out.append("  in \(frame.function)\(frame.range.map { " at \($0.file.path):\($0.startLocation)" } ?? "")")
        }
        return out.joined(separator: "\n")
    }

    private static func place(_ range: SourceRange?) -> String {
        range.map { "\($0.file.path):\($0.startLocation): " } ?? ""
    }

    /// ANSI escape sequences, or empty strings when colour is off.
    private struct Style {
        let bold, red, yellow, cyan, green, blue, reset: String
        init(enabled: Bool) {
            func code(_ c: String) -> String { enabled ? "\u{1B}[\(c)m" : "" }
            bold = code("1"); red = code("31"); yellow = code("33"); cyan = code("36")
            green = code("32"); blue = code("34"); reset = code("0")
        }
    }

    /// The line holding the start of `range`, with a gutter, and the range underlined
    /// (to the end of the line when the range spans several lines).
    private static func snippet(_ range: SourceRange, style: Style, caretColor: String) -> [String] {
        let file = range.file
        let loc = file.location(of: range.start)
        guard loc.line <= file.lineStarts.count else { return [] }
        let lineStart = file.lineStarts[loc.line - 1]
        var lineEnd = loc.line < file.lineStarts.count ? file.lineStarts[loc.line] - 1 : file.bytes.count
        if lineEnd > lineStart && file.bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let startByte = min(max(range.start, lineStart), lineEnd)
        let endByte = min(max(range.end, startByte), lineEnd)

        var shown = ""
        var column = 0
        var startColumn = -1, endColumn = -1
        var offset = lineStart
        let text = String(decoding: file.bytes[lineStart..<lineEnd], as: UTF8.self)
        for scalar in text.unicodeScalars {
            if offset >= startByte && startColumn < 0 { startColumn = column }
            if offset >= endByte && endColumn < 0 { endColumn = column }
            if scalar == "\t" {
                let w = 4 - column % 4
                shown += String(repeating: " ", count: w)
                column += w
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                shown += "?"
                column += 1
            } else {
                shown.unicodeScalars.append(scalar)
                column += displayWidth(scalar)
            }
            offset += String(scalar).utf8.count
        }
        if startColumn < 0 { startColumn = column }
        if endColumn < 0 { endColumn = column }
        let width = max(1, endColumn - startColumn)
        let number = String(loc.line)
        let pad = String(repeating: " ", count: number.count)
        let marks = "^" + String(repeating: "~", count: width - 1)
        return [
            "\(style.blue)\(number) |\(style.reset) \(shown)",
            "\(style.blue)\(pad) |\(style.reset) \(String(repeating: " ", count: startColumn))\(caretColor)\(style.bold)\(marks)\(style.reset)",
        ]
    }

    /// Terminal columns taken by a scalar: 0 for combining marks, 2 for wide East Asian
    /// characters and emoji, 1 otherwise.
    static func displayWidth(_ s: Unicode.Scalar) -> Int {
        let v = s.value
        switch v {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x200B...0x200F, 0x20D0...0x20FF,
             0xFE00...0xFE0F, 0xFE20...0xFE2F, 0xE0100...0xE01EF:
            return 0
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1F680...0x1F6FF,
             0x1FA70...0x1FAFF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
