import Foundation
import Mull
import MullLanguage

/// The `mull repl` entry points.
public enum Repl {
    /// Runs the REPL on this process's standard input and output: the interactive front end on
    /// a terminal, else statements read from the pipe. `file`, if given, is loaded first.
    /// Returns the exit status: 0, or 1 when piped input had an error.
    public static func run(interpreter: Interpreter, loading file: String?) -> Int32 {
        if isatty(0) != 0 {
            return ReplTerminal(interpreter: interpreter).run(loading: file)
        }
        return runPiped(interpreter: interpreter, loading: file, input: StandardInputLines(),
                        output: writeToStandardOutput, errors: writeToStandardError)
    }

    /// Evaluates lines from `input` without prompts: each entry as soon as it is complete, its
    /// result to `output`, errors to `errors` as `<stdin>:line:col: error: message`.
    /// Returns 0 when everything succeeded, 1 when anything failed.
    public static func runPiped(interpreter: Interpreter, loading file: String? = nil, input: some Sequence<String>,
                                output: (String) -> Void, errors: (String) -> Void) -> Int32 {
        let session = ReplSession(interpreter: interpreter, path: "<stdin>", style: .oneLine,
                                  width: 80, countsLinesAcrossEntries: true, blankLineEndsEntry: false)
        var failed = false
        func emit(_ r: ReplOutput) {
            if !r.output.isEmpty { output(r.output) }
            if !r.errors.isEmpty { errors(r.errors) }
            if r.failed { failed = true }
        }
        if let file {
            emit(session.load(file))
        }
        for line in input {
            let r = session.handle(line: line)
            emit(r)
            if r.quit { return failed ? 1 : 0 }
        }
        emit(session.finish())
        return failed ? 1 : 0
    }

    @Sendable static func writeToStandardOutput(_ s: String) {
        FileHandle.standardOutput.write(Data(s.utf8))
    }

    @Sendable static func writeToStandardError(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}

/// Lines of standard input, read lazily so each entry runs as soon as it arrives.
struct StandardInputLines: Sequence, IteratorProtocol {
    mutating func next() -> String? { readLine(strippingNewline: true) }
}
