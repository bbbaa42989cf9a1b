import Foundation
import Mull
import MullLanguage

/// An interactive session without a terminal: it takes lines, gathers unfinished entries,
/// evaluates complete ones in its interpreter and answers with text to show. The terminal front
/// end, the piped mode and the tests all drive it the same way.
///
/// ```swift
/// let session = ReplSession(interpreter: Interpreter())
/// session.handle(line: "let x = [1,")   // prompt "  ... "
/// session.handle(line: "2]")            // evaluates `let x = [1,\n2]`
/// session.handle(line: "x").output      // "[1, 2]\n"
/// ```
public final class ReplSession {
    /// How diagnostics are shown.
    public enum DiagnosticStyle: Sendable, Equatable {
        /// A source excerpt with a caret, optionally colored (interactive use).
        case excerpt(color: Bool)
        /// `file:line:col: error: message` (piped use, tools).
        case oneLine
    }

    public static let primaryPrompt = "mull> "
    public static let continuationPrompt = "  ... "

    public let interpreter: Interpreter
    /// The file name shown in diagnostics (`<repl>`, `<stdin>`).
    public var path: String
    public var style: DiagnosticStyle
    /// Columns available for results (live objects render to this width).
    public var width: Int
    /// When true, line numbers in diagnostics count every line the session has been given
    /// (piped input: `<stdin>:12:3`); when false each entry starts at line 1.
    public var countsLinesAcrossEntries: Bool
    /// When true (interactive use) a blank line ends an unfinished entry so its error shows;
    /// when false (piped input) blank lines are part of the entry and only the end of input
    /// ends it. Inside a triple-quoted string a blank line is always content.
    public var blankLineEndsEntry: Bool
    /// Lines of the entry being gathered.
    public private(set) var pending: [String] = []
    /// Lines given so far (for `countsLinesAcrossEntries`).
    public private(set) var linesSeen = 0
    private var pendingStartLine = 1
    private let needsMoreInput: (String) -> Bool

    /// - Parameter needsMoreInput: whether an entry is unfinished (an open bracket, brace or
    ///   triple-quoted string, or a trailing binary operator); the parser's answer by default.
    public init(interpreter: Interpreter, path: String = "<repl>", style: DiagnosticStyle = .excerpt(color: false),
                width: Int = 80, countsLinesAcrossEntries: Bool = false, blankLineEndsEntry: Bool = true,
                needsMoreInput: ((String) -> Bool)? = nil) {
        self.interpreter = interpreter
        self.needsMoreInput = needsMoreInput ?? { Parser.needsMoreInput($0) }
        self.path = path
        self.style = style
        self.width = width
        self.countsLinesAcrossEntries = countsLinesAcrossEntries
        self.blankLineEndsEntry = blankLineEndsEntry
    }

    /// The prompt for the next line.
    public var prompt: String { pending.isEmpty ? Self.primaryPrompt : Self.continuationPrompt }

    /// The unfinished entry so far, lines joined by newlines (completion looks into it).
    public var pendingText: String { pending.joined(separator: "\n") }

    // MARK: - Input

    /// Takes one line (without its newline). Meta-commands (`:help`) act at once; source lines
    /// are gathered until the entry is complete, then evaluated. A blank line after an
    /// unfinished entry evaluates it anyway, so its error is reported instead of waiting forever.
    @discardableResult
    public func handle(line: String) -> ReplOutput {
        linesSeen += 1
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if pending.isEmpty {
            if trimmed.isEmpty { return ReplOutput() }
            if trimmed.hasPrefix(":") { return metaCommand(trimmed) }
            pendingStartLine = linesSeen
        }
        if trimmed.isEmpty && blankLineEndsEntry && !SourceScanner(pendingText).endsInsideTripleQuotedString {
            // A blank line ends an entry that still cannot be completed.
            return finishPending()
        }
        pending.append(line)
        if needsMoreInput(pendingText) {
            return ReplOutput(prompt: Self.continuationPrompt)
        }
        return finishPending()
    }

    /// Called at the end of input: evaluates an unfinished entry so its error is reported.
    public func finish() -> ReplOutput {
        pending.isEmpty ? ReplOutput() : finishPending()
    }

    /// Drops the unfinished entry (Ctrl-C at a continuation prompt).
    public func discardPending() {
        pending = []
    }

    private func finishPending() -> ReplOutput {
        let text = pendingText
        pending = []
        return evaluate(text, firstLine: pendingStartLine)
    }

    // MARK: - Evaluating

    /// Evaluates one complete entry and shows its value (nothing for `none`).
    public func evaluate(_ source: String, firstLine: Int = 1) -> ReplOutput {
        var out = ReplOutput()
        // Leading newlines make the interpreter's line numbers count from the entry's first line.
        let padding = countsLinesAcrossEntries ? String(repeating: "\n", count: max(0, firstLine - 1)) : ""
        do {
            interpreter.configuration.cancellation.reset()
            let value = try interpreter.evaluate(padding + source, path: path)
            interpreter.configuration.cancellation.reset()
            let shown = ValueDisplay.show(value, width: width)
            if !shown.isEmpty { out.say(shown) }
        } catch {
            interpreter.configuration.cancellation.reset()
            report(error, into: &out)
        }
        return out
    }

    /// Loads a file into the session (`:load`, `mull repl FILE`): its definitions join the
    /// session's globals; its sweeps are not run (that can take minutes) but named, to be run
    /// with `run NAME`.
    public func load(_ file: String) -> ReplOutput {
        var out = ReplOutput()
        do {
            interpreter.configuration.cancellation.reset()
            let (value, skipped) = try interpreter.loadFile(file)
            let shown = ValueDisplay.show(value, width: width)
            if !shown.isEmpty { out.say(shown) }
            for name in skipped { out.say("not run: sweep `\(name)` (type `run \(name)` to run it)") }
        } catch {
            report(error, into: &out)
        }
        interpreter.configuration.cancellation.reset()
        return out
    }

    func report(_ error: Error, into out: inout ReplOutput) {
        if let e = error as? DiagnosticsError {
            for d in e.diagnostics { out.complain(render(d)) }
            // Warnings alone do not fail an entry.
            out.failed = e.diagnostics.contains { $0.severity == .error }
        } else if let d = error as? Diagnostic {
            out.complain(render(d))
        } else {
            out.complain("error: \(error)")
        }
    }

    func render(_ d: Diagnostic) -> String {
        switch style {
        case .excerpt(let color): DiagnosticRenderer.excerpt(d, color: color)
        case .oneLine: DiagnosticRenderer.oneLine(d)
        }
    }
}
