import Foundation
import Mull
import MullLanguage

/// A `:command` of the REPL.
public struct MetaCommand: Sendable {
    public var name: String
    public var aliases: [String]
    /// e.g. `:load FILE`.
    public var usage: String
    public var doc: String

    /// Every command, in the order `:help` lists them.
    public static let all: [MetaCommand] = [
        MetaCommand(name: "help", aliases: [], usage: ":help [NAME]", doc: "list commands and built-ins, or describe a component, function or global"),
        MetaCommand(name: "load", aliases: [], usage: ":load FILE", doc: "evaluate a script; its definitions join the session"),
        MetaCommand(name: "type", aliases: [], usage: ":type EXPR", doc: "the type of an expression's value"),
        MetaCommand(name: "globals", aliases: [], usage: ":globals", doc: "the names defined so far, with their types"),
        MetaCommand(name: "reset", aliases: [], usage: ":reset", doc: "forget every definition and live object"),
        MetaCommand(name: "quit", aliases: ["q"], usage: ":quit, :q", doc: "leave (Ctrl-D does too)"),
    ]

    /// Every spelling with its colon: `:help`, `:q`, ...
    public static var spellings: [String] {
        all.flatMap { [$0.name] + $0.aliases }.map { ":" + $0 }
    }

    /// The command a mistyped word most likely meant: one it begins, else one within two edits
    /// (a swap of neighbours counting as one), else none.
    static func closest(to word: String) -> String? {
        let names = all.map(\.name)
        if !word.isEmpty, let n = names.first(where: { $0.hasPrefix(word) }) { return n }
        let scored = names.map { ($0, editDistance(Array(word), Array($0))) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0 ?? Suggest.closest(to: word, among: names)
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = Swift.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d[i][j] = Swift.min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }

    static func named(_ word: String) -> MetaCommand? {
        all.first { $0.name == word || $0.aliases.contains(word) }
    }
}

extension ReplSession {
    /// Runs `:name argument`.
    func metaCommand(_ text: String) -> ReplOutput {
        let body = text.dropFirst()
        let word = String(body.prefix { !$0.isWhitespace })
        let argument = body.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
        var out = ReplOutput()
        guard let command = MetaCommand.named(word) else {
            var message = "unknown command `:\(word)`"
            if let near = MetaCommand.closest(to: word) {
                message += "; did you mean `:\(near)`?"
            } else {
                message += "; `:help` lists the commands"
            }
            out.complain("error: " + message)
            return out
        }
        switch command.name {
        case "help":
            if argument.isEmpty { out.say(helpOverview()) } else { help(for: argument, into: &out) }
        case "load":
            guard !argument.isEmpty else { out.complain("error: `:load` needs a file, e.g. `:load examples/dyna_maze.mull`"); break }
            return load(Self.unquote(argument))
        case "type":
            guard !argument.isEmpty else { out.complain("error: `:type` needs an expression, e.g. `:type 1 + 2`"); break }
            typeOf(argument, into: &out)
        case "globals":
            out.say(globalsTable())
        case "reset":
            interpreter.reset()
            discardPending()
            out.say("session reset")
        case "quit":
            out.quit = true
        default:
            break
        }
        return out
    }

    /// `:type EXPR`: a global's type without evaluating anything, else the evaluated value's.
    private func typeOf(_ expression: String, into out: inout ReplOutput) {
        if let v = interpreter.global(expression) {
            out.say(v.typeName)
            return
        }
        do {
            interpreter.configuration.cancellation.reset()
            let v = try interpreter.evaluate(expression, path: path)
            out.say(v.typeName)
        } catch {
            report(error, into: &out)
        }
    }

    private func globalsTable() -> String {
        let names = interpreter.globalNames
        guard !names.isEmpty else { return "no globals yet" }
        let column = names.map(\.count).max() ?? 0
        return names.map { n in
            let type = interpreter.global(n)?.typeName ?? "?"
            return n + String(repeating: " ", count: column - n.count + 2) + type
        }.joined(separator: "\n")
    }

    /// `:load "a file.mull"` and `:load a.mull` both work.
    static func unquote(_ s: String) -> String {
        if s.count >= 2, let f = s.first, f == s.last, f == "\"" || f == "'" { return String(s.dropFirst().dropLast()) }
        return s
    }
}
