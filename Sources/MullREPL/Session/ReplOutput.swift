/// What the session answers to one line of input: text for standard output and for standard
/// error, the prompt to show next, and whether the user asked to leave.
public struct ReplOutput: Sendable, Equatable {
    /// Results and help text, each ending in a newline (empty when there is nothing to show).
    public var output: String = ""
    /// Rendered diagnostics and other problems.
    public var errors: String = ""
    /// The prompt for the next line: `mull> `, or `  ... ` while an entry is unfinished.
    public var prompt: String = ReplSession.primaryPrompt
    /// True after `:quit`.
    public var quit = false
    /// True when this line produced an error (a diagnostic, an unknown command, ...).
    public var failed = false

    public init(output: String = "", errors: String = "", prompt: String = ReplSession.primaryPrompt,
                quit: Bool = false, failed: Bool = false) {
        self.output = output
        self.errors = errors
        self.prompt = prompt
        self.quit = quit
        self.failed = failed
    }

    mutating func say(_ text: String) {
        output += text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
    }

    mutating func complain(_ text: String) {
        errors += text.hasSuffix("\n") || text.isEmpty ? text : text + "\n"
        failed = true
    }
}
