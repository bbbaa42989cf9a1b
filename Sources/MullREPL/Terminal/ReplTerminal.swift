@preconcurrency import CReadline
import Foundation
import Mull
import MullLanguage

/// The interactive front end: GNU readline for editing, history and completion, around a
/// `ReplSession`.
///
/// Readline is used through its callback interface (`rl_callback_handler_install` and
/// `rl_callback_read_char` in a `poll()` loop) so that Ctrl-C at the prompt can be handled
/// outside the signal handler; see `TerminalSignals`.
public final class ReplTerminal {
    public let session: ReplSession
    /// The history file; nil when history is not kept.
    public let historyPath: String?
    public static let historyLimit: Int32 = 1000

    public init(interpreter: Interpreter) {
        let colored = isatty(2) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        session = ReplSession(interpreter: interpreter, path: "<repl>", style: .excerpt(color: colored))
        historyPath = ReplTerminal.defaultHistoryPath(ProcessInfo.processInfo.environment)
    }

    /// `MULL_HISTORY` if set (empty: no history), else `~/.mull_history`, else none.
    public static func defaultHistoryPath(_ environment: [String: String]) -> String? {
        if let explicit = environment["MULL_HISTORY"] { return explicit.isEmpty ? nil : explicit }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return (home as NSString).appendingPathComponent(".mull_history")
    }

    /// Runs until `:quit` or Ctrl-D at an empty prompt; returns the exit status (0).
    public func run(loading file: String?) -> Int32 {
        configureReadline()
        loadHistory()
        TerminalSignals.install(session.interpreter.configuration.cancellation)
        defer {
            TerminalSignals.uninstall()
            saveHistory()
            LineEditor.completer = nil
        }
        write("Mull \u{2014} :help for help, :quit or Ctrl-D to leave\n", to: .standardOutput)
        if let file {
            show(evaluating { session.load(file) })
        }
        var entries = HistoryEntries()
        while true {
            guard let line = readLine(prompt: session.prompt) else {
                // Ctrl-D: an unfinished entry is still evaluated, so its error is not lost.
                show(evaluating { session.finish() })
                break
            }
            let result = evaluating { session.handle(line: line) }
            // A finished entry goes into the history whole, and into the file at once, so a
            // second Ctrl-C (which exits) loses nothing.
            if let entry = entries.add(line: line, nextPrompt: result.prompt) {
                add_history(entry)
                appendToHistoryFile()
            }
            show(result)
            if result.quit { break }
        }
        return 0
    }

    private func evaluating(_ body: () -> ReplOutput) -> ReplOutput {
        if let columns = Self.terminalColumns() { session.width = columns }
        TerminalSignals.evaluating.store(true, ordering: .relaxed)
        var result = body()
        TerminalSignals.evaluating.store(false, ordering: .relaxed)
        if TerminalSignals.interruptedEvaluation.exchange(false, ordering: .relaxed) {
            // Start the message on a fresh line after the echoed `^C`.
            result.errors = "\n" + result.errors
        }
        return result
    }

    private func show(_ r: ReplOutput) {
        if !r.output.isEmpty { write(r.output, to: .standardOutput) }
        if !r.errors.isEmpty { write(r.errors, to: .standardError) }
    }

    private func write(_ s: String, to handle: FileHandle) {
        handle.write(Data(s.utf8))
    }

    // MARK: - Readline

    private func configureReadline() {
        rl_readline_name = LineEditor.readlineName
        // Readline must not install its own SIGINT handler; ours is in `TerminalSignals`.
        rl_catch_signals = 0
        rl_attempted_completion_function = LineEditor.attemptCompletion
        rl_completion_word_break_hook = LineEditor.wordBreakCharacters
        LineEditor.completer = Completer(interpreter: session.interpreter)
    }

    /// The terminal's current width (it may change between entries).
    private static func terminalColumns() -> Int? {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 20 else { return nil }
        return Int(size.ws_col)
    }

    /// One line from the user, or nil at Ctrl-D on an empty line.
    private func readLine(prompt: String) -> String? {
        LineEditor.context = session.pendingText
        LineEditor.line = nil
        LineEditor.done = false
        rl_callback_handler_install(prompt, LineEditor.lineHandler)
        defer { rl_callback_handler_remove() }
        while !LineEditor.done {
            if TerminalSignals.interruptedAtPrompt.exchange(false, ordering: .relaxed) {
                // Ctrl-C at the prompt: drop the line (and an unfinished entry), fresh prompt.
                session.discardPending()
                LineEditor.context = ""
                rl_replace_line("", 0)
                rl_crlf()
                rl_callback_handler_remove()
                rl_callback_handler_install(session.prompt, LineEditor.lineHandler)
                continue
            }
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if ready > 0 { rl_callback_read_char() }
        }
        if LineEditor.line == nil { write("\n", to: .standardOutput) }
        return LineEditor.line
    }

    // MARK: - History

    private func loadHistory() {
        using_history()
        stifle_history(Self.historyLimit)
        if let path = historyPath { _ = read_history(path) }  // a missing file is fine
    }

    private func appendToHistoryFile() {
        guard let path = historyPath else { return }
        if append_history(1, path) != 0 { _ = write_history(path) }  // the file may not exist yet
    }

    private func saveHistory() {
        guard let path = historyPath else { return }
        // An unwritable home folder only loses the history; the session still ends normally.
        if write_history(path) == 0 { _ = history_truncate_file(path, Self.historyLimit) }
    }
}

/// State shared with readline's C callbacks. C function pointers cannot capture context, so
/// the active completer and the line being read live here. Readline calls back only on the
/// thread that runs `rl_callback_read_char` (the REPL's main loop), and only one terminal REPL
/// runs per process, so plain static storage is safe in practice.
enum LineEditor {
    nonisolated(unsafe) static var completer: Completer?
    /// The unfinished entry typed on earlier lines, for completing fields of an open block.
    nonisolated(unsafe) static var context = ""
    nonisolated(unsafe) static var line: String?
    nonisolated(unsafe) static var done = false

    /// C strings handed to readline, which keeps the pointers: allocated once, never freed.
    nonisolated(unsafe) static let readlineName = UnsafePointer(strdup("mull")!)
    /// Everything but identifier characters and `:` (so `:help` is one word) ends a word.
    nonisolated(unsafe) static let codeBreaks = UnsafeMutablePointer(strdup(" \t\n\"'`@$><=;|&{}()[],+-*/%.!#")!)
    /// For `:load FILE` only spaces end a word, so paths complete whole.
    nonisolated(unsafe) static let pathBreaks = UnsafeMutablePointer(strdup(" \t\n")!)

    static let lineHandler: @convention(c) (UnsafeMutablePointer<CChar>?) -> Void = { raw in
        // Removing the handler here stops readline from redrawing the prompt after the line;
        // the next prompt is installed once the entry has been handled.
        rl_callback_handler_remove()
        if let raw {
            LineEditor.line = String(cString: raw)
            free(raw)
        } else {
            LineEditor.line = nil
        }
        LineEditor.done = true
    }

    static let wordBreakCharacters: @convention(c) () -> UnsafeMutablePointer<CChar>? = {
        guard let buffer = rl_line_buffer else { return codeBreaks }
        let text = String(cString: buffer).drop { $0 == " " }
        return LineEditor.context.isEmpty && text.hasPrefix(":load") ? pathBreaks : codeBreaks
    }

    static let attemptCompletion: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { _, start, end in
        rl_attempted_completion_over = 1
        guard let completer = LineEditor.completer, let buffer = rl_line_buffer else { return nil }
        let line = String(cString: buffer)
        let completion = completer.complete(line: line, cursor: Int(end), context: LineEditor.context)
        rl_completion_append_character = completion.appendCharacter.flatMap { $0.asciiValue }.map { Int32($0) } ?? 0
        if completion.wantsFileNames {
            rl_attempted_completion_over = 0  // readline's file-name completion
            return nil
        }
        let bytes = Array(line.utf8)
        let readlineStart = Int(start)
        // Readline replaces bytes start..<end; the candidates replace completion.start..<end.
        var candidates: [String] = completion.candidates
        if completion.start > readlineStart, completion.start <= bytes.count {
            let head = String(decoding: bytes[readlineStart..<completion.start], as: UTF8.self)
            candidates = candidates.map { head + $0 }
        } else if completion.start < readlineStart {
            let extra = String(decoding: bytes[completion.start..<min(readlineStart, bytes.count)], as: UTF8.self)
            candidates = candidates.filter { $0.hasPrefix(extra) }.map { String($0.dropFirst(extra.count)) }
        }
        return LineEditor.matchArray(candidates)
    }

    /// The array readline expects: the common prefix, then each match, then NULL (readline frees it).
    static func matchArray(_ candidates: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !candidates.isEmpty else { return nil }
        let entries = candidates.count == 1 ? candidates : [commonPrefix(candidates)] + candidates
        let array = malloc((entries.count + 1) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)!
            .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1)
        for (i, e) in entries.enumerated() { array[i] = strdup(e) }
        array[entries.count] = nil
        return array
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}
