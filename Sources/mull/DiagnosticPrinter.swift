import Foundation
import MullLanguage

/// Writes diagnostics to standard error: an excerpt with a caret for people, one line each for
/// tools, and a count at the end.
struct DiagnosticPrinter {
    var style: DiagnosticStyle

    func print(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        let terminal = isatty(2) != 0
        let human = style == .human || (style == .auto && terminal)
        var out = ""
        for d in diagnostics {
            out += human ? DiagnosticRenderer.excerpt(d, color: terminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
                         : DiagnosticRenderer.oneLine(d)
            if !out.hasSuffix("\n") { out += "\n" }
        }
        let errors = diagnostics.count { $0.severity == .error }
        if human && errors > 0 { out += "\(errors) error\(errors == 1 ? "" : "s")\n" }
        FileHandle.standardError.write(Data(out.utf8))
    }
}
