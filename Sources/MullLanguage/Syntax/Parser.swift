/// Parses Mull source into the tree in `AST.swift`, recovering from errors so that one pass
/// reports every independent mistake.
package enum Parser {
    /// The deepest nesting of brackets, blocks and operators the parser accepts.
    package static let maximumNesting = 256

    /// Parses a whole file; the program contains placeholders where errors were found.
    package static func parse(_ file: SourceFile) -> (program: Program, diagnostics: [Diagnostic]) {
        let (tokens, lexDiagnostics) = Lexer.tokenize(file)
        let p = ParseSession(file: file, tokens: tokens)
        let items = p.parseProgram()
        return (Program(file: file, items: items), lexDiagnostics + p.diagnostics)
    }

    /// Parses a single expression (line breaks are not significant); nil when it has errors.
    package static func parseExpression(_ file: SourceFile) -> (Expr?, [Diagnostic]) {
        let (tokens, lexDiagnostics) = Lexer.tokenize(file)
        let p = ParseSession(file: file, tokens: tokens)
        p.newlinesSignificant = false
        let expr = p.parseExpr()
        if !p.at(.endOfFile) && !p.tooDeep {
            p.error(.unexpectedToken, "unexpected \(p.describe(p.tok)) after the expression", at: p.range(p.tok))
        }
        let diagnostics = lexDiagnostics + p.diagnostics
        let failed = diagnostics.contains { $0.severity == .error }
        return (failed ? nil : expr, diagnostics)
    }

    /// True when `text` is unfinished: it ends inside an open bracket, brace, multi-line string
    /// or block comment, or with an operator that needs a right-hand side. The REPL then reads
    /// another line.
    package static func needsMoreInput(_ text: String) -> Bool {
        let scanner = Lexer.scan(SourceFile(path: "<repl>", text: text))
        if scanner.endsInsideComment || scanner.endsInsideMultilineString { return true }
        var depth = 0
        var last: TokenKind?
        for t in scanner.tokens where t.kind != .endOfFile {
            switch t.kind {
            case .leftParen, .leftBracket, .leftBrace: depth += 1
            case .rightParen, .rightBracket, .rightBrace: depth = max(0, depth - 1)
            default: break
            }
            last = t.kind
        }
        if depth > 0 { return true }
        guard let last else { return false }
        return last.continuesLine || last == .kwElse
    }
}

/// The mutable state of one parse: the token stream, the position, and error-recovery flags.
final class ParseSession {
    let file: SourceFile
    let tokens: [Token]
    var pos = 0
    var diagnostics: [Diagnostic] = []
    /// Set after an error until the enclosing statement, entry or arm resynchronises, so one
    /// mistake produces one diagnostic.
    var panicking = false
    /// False inside `(...)` and `[...]`, where line breaks are ignored.
    var newlinesSignificant = true
    /// True in the head of `if`, `match` and `for`, where `Name {` opens the body instead.
    var noComponentLiteral = false
    /// True while parsing a match arm's body, where a line starting with `.` starts the next arm.
    var inArmBody = false
    var depth = 0
    /// Set when nesting exceeded the limit: parsing stops.
    var tooDeep = false

    init(file: SourceFile, tokens: [Token]) {
        self.file = file
        self.tokens = tokens
    }

    // MARK: - Token access

    @inline(__always) var tok: Token { tokens[pos] }
    @inline(__always) var kind: TokenKind { tokens[pos].kind }

    func peek(_ k: Int = 1) -> Token { tokens[min(pos + k, tokens.count - 1)] }

    @inline(__always) func at(_ k: TokenKind) -> Bool { tokens[pos].kind == k }

    @discardableResult
    func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    func eat(_ k: TokenKind) -> Token? { at(k) ? advance() : nil }

    /// The end offset of the last consumed token.
    var lastEnd: Int { pos > 0 ? tokens[pos - 1].end : 0 }

    /// True when the current token starts a new line where that ends an expression.
    var atLineBreak: Bool { newlinesSignificant && tokens[pos].precededByNewline }

    func range(_ t: Token) -> SourceRange { SourceRange(file: file, start: t.start, end: t.end) }
    func range(_ start: Int, _ end: Int) -> SourceRange { SourceRange(file: file, start: start, end: end) }
    func range(from start: Int) -> SourceRange { SourceRange(file: file, start: start, end: max(start, lastEnd)) }

    func text(_ t: Token) -> String {
        file.bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[t.start..<t.end]), as: UTF8.self) }
    }

    func identifier(_ t: Token) -> Identifier { Identifier(text(t), range: range(t)) }

    /// The token as quoted in messages.
    func describe(_ t: Token) -> String {
        switch t.kind {
        case .endOfFile: return "end of file"
        case .string:
            let s = text(t)
            return s.count > 24 || s.contains("\n") ? "string literal" : "`\(s)`"
        default:
            let s = text(t)
            return "`\(s.count > 24 ? String(s.prefix(24)) + "…" : s)`"
        }
    }

    // MARK: - Diagnostics

    /// Reports an error unless one is already being recovered from.
    func error(_ id: DiagnosticID, _ message: String, at range: SourceRange,
               notes: [Diagnostic.Note] = [], suggestion: Diagnostic.Suggestion? = nil) {
        // After the nesting limit, parsing stops: what follows would only report its fallout.
        if panicking || tooDeep { return }
        panicking = true
        diagnostics.append(Diagnostic(id, .error, message, at: range, notes: notes, suggestion: suggestion))
    }

    /// Reports an error at the current token; tokens the lexer rejected are not reported twice.
    func errorAtToken(_ id: DiagnosticID, _ message: String, suggestion: Diagnostic.Suggestion? = nil) {
        if kind == .invalid {
            panicking = true
            return
        }
        error(id, message, at: range(tok), suggestion: suggestion)
    }

    /// Requires a token of kind `k`, reporting `message` (or "expected `k`, found ...") if absent.
    @discardableResult
    func expect(_ k: TokenKind, _ context: String) -> Token? {
        if let t = eat(k) { return t }
        errorAtToken(.expectedToken, "expected `\(k.spelling ?? "\(k)")` \(context), found \(describe(tok))")
        return nil
    }

    /// Consumes the closer of `opener`, or reports it missing with a note at the opener.
    func expectClose(_ closer: TokenKind, opener: Token, what: String) {
        if eat(closer) != nil { return }
        let c = closer.spelling ?? ""
        let o = opener.kind.spelling ?? ""
        if kind == .invalid {
            panicking = true
            return
        }
        error(.unclosedDelimiter, "expected `\(c)` to close \(what) opened here", at: range(tok),
              notes: [.init("`\(o)` opened here", at: range(opener))])
    }

    // MARK: - Nesting

    /// Counts one level of nesting; false (after reporting once) when the limit is exceeded.
    func enter() -> Bool {
        depth += 1
        if depth > Parser.maximumNesting {
            if !tooDeep {
                tooDeep = true
                diagnostics.append(Diagnostic(.nestingTooDeep, .error,
                                              "nesting deeper than \(Parser.maximumNesting) levels", at: range(tok)))
            }
            return false
        }
        return !tooDeep
    }

    func leave() { depth -= 1 }

    func errorExpr() -> Expr { Expr(.error, range: range(tok.start, tok.start)) }

    /// Runs `body` with line breaks ignored and component literals allowed (inside brackets).
    func insideBrackets<T>(_ body: () -> T) -> T {
        let saved = (newlinesSignificant, noComponentLiteral, inArmBody)
        newlinesSignificant = false
        noComponentLiteral = false
        inArmBody = false
        defer { (newlinesSignificant, noComponentLiteral, inArmBody) = saved }
        return body()
    }

    /// Runs `body` with line breaks significant and component literals allowed (inside braces).
    func insideBraces<T>(_ body: () -> T) -> T {
        let saved = (newlinesSignificant, noComponentLiteral, inArmBody)
        newlinesSignificant = true
        noComponentLiteral = false
        inArmBody = false
        defer { (newlinesSignificant, noComponentLiteral, inArmBody) = saved }
        return body()
    }

    /// Runs `body` where `Name {` is not a component literal (the head of `if`, `match`, `for`).
    func restricted<T>(_ body: () -> T) -> T {
        let saved = noComponentLiteral
        noComponentLiteral = true
        defer { noComponentLiteral = saved }
        return body()
    }

    // MARK: - Recovery

    /// True for a token on a new line that can only start a statement.
    func startsStatementAfterBreak(_ t: Token, next: Token) -> Bool {
        guard t.precededByNewline else { return false }
        switch t.kind {
        // `let:` and `import(...)` are a field and a method named by a keyword.
        case .kwLet, .kwImport: return next.kind != .colon && next.kind != .leftParen
        case .kwReturn: return next.kind != .colon
        case .kwFn: return next.kind == .identifier
        default: return false
        }
    }

    /// Skips to where the next statement (entry, arm) can start: a line break, `;` (or `,`)
    /// at the current bracket depth, the enclosing `}`, or a statement keyword on a new line.
    func synchronize(stopAtBrace: Bool, stopAtComma: Bool) {
        var d = 0
        while !at(.endOfFile) {
            let t = tok
            if startsStatementAfterBreak(t, next: peek()) { return }
            if d == 0 {
                if t.precededByNewline || t.kind == .semicolon || (stopAtComma && t.kind == .comma) { return }
                if stopAtBrace && t.kind == .rightBrace { return }
            }
            switch t.kind {
            case .leftParen, .leftBracket, .leftBrace: d += 1
            case .rightParen, .rightBracket, .rightBrace: if d > 0 { d -= 1 }
            default: break
            }
            advance()
        }
    }

    /// True at `env NAME`, `model NAME`, `agent NAME` or `sweep NAME` starting a line: a
    /// declaration that can only be top-level, so an open block or body before it is unclosed.
    var atTopLevelDeclaration: Bool {
        guard kind == .identifier && tok.precededByNewline else { return false }
        let next = peek()
        guard next.kind == .identifier && !next.precededByNewline else { return false }
        switch text(tok) {
        case "env", "model", "agent", "sweep": return true
        default: return false
        }
    }

    /// True where a bracketed list must have ended: end of file, a `}` or a statement keyword
    /// on a new line. The missing closer is then reported with a note at the opener.
    var atListBoundary: Bool {
        at(.endOfFile) || at(.rightBrace) || startsStatementAfterBreak(tok, next: peek())
    }

    /// Skips the rest of a malformed element of a bracketed list, up to `,` or `closer`.
    func skipListElement(closer: TokenKind) {
        var d = 0
        while !at(.endOfFile) {
            let t = tok
            if startsStatementAfterBreak(t, next: peek()) { return }
            if d == 0 && (t.kind == .comma || t.kind == closer) { return }
            if d == 0 && t.kind == .rightBrace && closer != .rightBrace { return }
            switch t.kind {
            case .leftParen, .leftBracket, .leftBrace: d += 1
            case .rightParen, .rightBracket, .rightBrace: if d > 0 { d -= 1 }
            default: break
            }
            advance()
        }
    }

    /// Ends a statement, entry or arm: requires a separator, and resynchronises after errors.
    func finishItem(closer: TokenKind?, allowComma: Bool) {
        if !panicking {
            if at(.semicolon) || (allowComma && at(.comma)) {
                advance()
                return
            }
            if at(.endOfFile) || tok.precededByNewline || (closer != nil && at(closer!)) { return }
            let sep = allowComma ? "`,`" : "`;`"
            errorAtToken(.missingSeparator, "expected a line break or \(sep) before \(describe(tok))")
        }
        synchronize(stopAtBrace: closer == .rightBrace, stopAtComma: allowComma)
        if at(.semicolon) || (allowComma && at(.comma)) { advance() }
        panicking = false
    }
}
