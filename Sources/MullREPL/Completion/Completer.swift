import Mull
import MullLanguage

/// The candidates for one completion request.
public struct Completion: Sendable, Equatable {
    /// Offset in UTF-8 bytes of the start of the text the candidates replace.
    public var start: Int
    /// Full replacements for the text from `start` to the cursor, sorted.
    public var candidates: [String]
    /// True for the argument of `:load`: the terminal completes file names instead.
    public var wantsFileNames: Bool
    /// What to type after a unique candidate: `:` after a field name, nothing after a member
    /// (a `(` or `.` usually follows), a space otherwise.
    public var appendCharacter: Character?

    public init(start: Int, candidates: [String], wantsFileNames: Bool = false, appendCharacter: Character? = " ") {
        self.start = start
        self.candidates = candidates
        self.wantsFileNames = wantsFileNames
        self.appendCharacter = appendCharacter
    }
}

/// Completes names at the cursor from what the session knows: globals, built-ins, keywords,
/// meta-commands, component types, the fields of the component literal being written, and the
/// members of `global.`. A pure function of the text and the interpreter's state.
public struct Completer {
    public let interpreter: Interpreter

    public static let keywords = ["agent", "and", "as", "else", "env", "false", "fn", "for", "if", "import", "in",
                                  "let", "match", "model", "none", "not", "or", "return", "run", "sweep", "true"]

    public init(interpreter: Interpreter) { self.interpreter = interpreter }

    /// Candidates for the word before `cursor` (a UTF-8 byte offset into `line`). `context` is
    /// the unfinished entry typed on earlier lines, so fields of a block opened there complete.
    public func complete(line: String, cursor: Int, context: String = "") -> Completion {
        let bytes = Array(line.utf8)
        let before = String(decoding: bytes[..<min(max(cursor, 0), bytes.count)], as: UTF8.self)
        let word = String(before.reversed().prefix { $0.isIdentifierChar }.reversed())
        let wordStart = before.utf8.count - word.utf8.count

        // Meta-commands, at the start of a fresh entry.
        if context.isEmpty, before.drop(while: { $0 == " " }).hasPrefix(":") {
            return completeMeta(before)
        }
        let full = context.isEmpty ? before : context + "\n" + before
        let scanner = SourceScanner(String(full.dropLast(word.count)))
        let prefixEnd = scanner.chars.count
        let (stack, inLiteral) = scanner.openBrackets()
        if inLiteral { return Completion(start: wordStart, candidates: []) }

        let previous = scanner.previousSignificant(before: prefixEnd)
        if previous.char == ".", !previous.crossedNewline, scanner.chars.last == "." {
            return Completion(start: wordStart, candidates: matching(word, memberCandidates(scanner, dotAt: prefixEnd - 1)),
                              appendCharacter: nil)
        }
        if let open = stack.last, scanner.chars[open] == "{",
           let typeName = scanner.identifier(endingBefore: open),
           let schema = interpreter.registry.schema(named: typeName),
           isFieldNamePosition(previous) {
            return Completion(start: wordStart, candidates: matching(word, schema.fields.map(\.name)), appendCharacter: ":")
        }
        return Completion(start: wordStart, candidates: matching(word, expressionCandidates()))
    }

    private func isFieldNamePosition(_ previous: (char: Character?, crossedNewline: Bool)) -> Bool {
        guard let c = previous.char else { return false }
        if c == "{" || c == "," { return true }
        // A new line after a finished value starts a new field.
        return previous.crossedNewline && !":=+-*/%<>([!".contains(c)
    }

    private func completeMeta(_ before: String) -> Completion {
        let leading = before.prefix { $0 == " " }.utf8.count
        let text = before.dropFirst(leading)
        guard let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }) else {
            return Completion(start: leading, candidates: matching(String(text), MetaCommand.spellings))
        }
        let command = MetaCommand.named(String(text[text.index(after: text.startIndex)..<space]))
        let argument = String(text[space...].drop { $0 == " " || $0 == "\t" })
        let argumentStart = before.utf8.count - argument.utf8.count
        switch command?.name {
        case "load":
            return Completion(start: argumentStart, candidates: [], wantsFileNames: true)
        case "help":
            let names = interpreter.registry.names + interpreter.globalNames + interpreter.builtinNames
                + MetaCommand.all.map(\.name)
            return Completion(start: argumentStart, candidates: matching(argument, names))
        case "type":
            let inner = complete(line: argument, cursor: argument.utf8.count)
            return Completion(start: argumentStart + inner.start, candidates: inner.candidates,
                              appendCharacter: inner.appendCharacter)
        default:
            return Completion(start: argumentStart, candidates: [])
        }
    }

    private func expressionCandidates() -> [String] {
        interpreter.globalNames + interpreter.builtinNames + interpreter.registry.names + Self.keywords
    }

    /// Members of `a.b.` where `a` is a global; nested names are followed through record fields,
    /// component fields and module members without running anything.
    private func memberCandidates(_ scanner: SourceScanner, dotAt dot: Int) -> [String] {
        var path: [String] = []
        var end = dot
        while true {
            var j = end - 1
            while j >= 0 && scanner.chars[j].isIdentifierChar { j -= 1 }
            guard j + 1 < end, !scanner.chars[j + 1].isNumber else { return [] }
            path.insert(String(scanner.chars[(j + 1)..<end]), at: 0)
            if j >= 0 && scanner.chars[j] == "." { end = j } else { break }
        }
        guard var value = interpreter.global(path[0]) else { return [] }
        for name in path.dropFirst() {
            guard let next = Self.staticMember(value, name) else { return [] }
            value = next
        }
        return memberNames(of: value)
    }

    static func staticMember(_ value: Value, _ name: String) -> Value? {
        switch value {
        case .record(let r): r[name]
        case .component(let c): c.field(name)
        case .module(let m): m.values[name]
        default: nil
        }
    }

    /// What may follow `value.`.
    public func memberNames(of value: Value) -> [String] {
        switch value {
        case .record(let r): return r.fieldNames + ["fields", "len"]
        case .list: return ["first", "last", "len"]
        case .string: return ["len", "lines"]
        case .range: return ["len", "lower", "upper"]
        case .module(let m): return m.names
        case .object(let o): return o.memberNames
        case .component:
            // Fields, schema methods and, once it exists, the live instance's members.
            return interpreter.memberNames(of: value) + ["with"]
        default: return []
        }
    }

    private func matching(_ prefix: String, _ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { $0.hasPrefix(prefix) && seen.insert($0).inserted }.sorted()
    }
}
