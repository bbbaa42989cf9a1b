/// Gathers the lines of REPL entries for history: an entry typed over several lines is kept as
/// one history item (lines joined by newlines), recalled whole with the up arrow.
struct HistoryEntries {
    private var lines: [String] = []

    /// Adds a line that was just handled; returns the finished entry when the line completed one
    /// (the next prompt is the primary one), nil while it is unfinished or when it was blank.
    mutating func add(line: String, nextPrompt: String) -> String? {
        if !lines.isEmpty || !line.trimmingCharacters(in: .whitespaces).isEmpty { lines.append(line) }
        guard nextPrompt == ReplSession.primaryPrompt else { return nil }
        defer { lines = [] }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }
}
