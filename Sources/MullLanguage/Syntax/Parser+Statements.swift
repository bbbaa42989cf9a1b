/// Top-level items, statements, blocks and function declarations.
extension ParseSession {
    func parseProgram() -> [TopLevel] {
        var items: [TopLevel] = []
        while !tooDeep && !at(.endOfFile) {
            let start = pos
            let reported = diagnostics.count
            if eat(.semicolon) != nil { continue }
            if let item = parseTopLevel() { items.append(item) }
            if tooDeep { break }
            finishItem(closer: nil, allowComma: false)
            if pos == start {
                if diagnostics.count == reported && !at(.invalid) {
                    error(.unexpectedToken, "unexpected \(describe(tok))", at: range(tok))
                }
                advance()
                synchronize(stopAtBrace: false, stopAtComma: false)
                panicking = false
            }
        }
        return items
    }

    /// The contextual keyword `env`, `model` or `agent`, if the current token is one.
    private var componentKeyword: ComponentKind? {
        guard kind == .identifier else { return nil }
        let next = peek()
        guard next.kind == .identifier && !next.precededByNewline else { return nil }
        switch text(tok) {
        case "env": return .env
        case "model": return .model
        case "agent": return .agent
        case "sweep": return .sweep
        default: return nil
        }
    }

    /// True when the current token is `run` followed on its line by an expression that cannot
    /// continue `run` itself as an ordinary expression.
    private var isRunItem: Bool {
        guard kind == .identifier, text(tok) == "run" else { return false }
        let next = peek()
        if next.precededByNewline { return false }
        switch next.kind {
        case .identifier, .integer, .float, .string, .kwTrue, .kwFalse, .kwNone, .kwIf, .kwMatch, .kwFn, .kwNot:
            return true
        default:
            return false
        }
    }

    func parseTopLevel() -> TopLevel? {
        let start = tok.start
        if at(.kwImport) {
            advance()
            guard at(.string), case .string(let path) = tok.value else {
                errorAtToken(.expectedToken, "expected a string path after `import`, found \(describe(tok))")
                return nil
            }
            let pathTok = advance()
            var alias: Identifier?
            if eat(.kwAs) != nil {
                if at(.identifier) {
                    alias = identifier(advance())
                } else {
                    errorAtToken(.expectedToken, "expected a name after `as`, found \(describe(tok))")
                }
            }
            return TopLevel(.importDecl(ImportDecl(path: path, pathRange: range(pathTok), alias: alias)),
                            range: range(from: start))
        }
        if let k = componentKeyword {
            let kw = advance()
            let name = identifier(advance())
            let value: Expr
            if k == .sweep && at(.leftBrace) {
                value = parseComponentBody(name: Identifier("Sweep", range: range(kw)))
            } else if eat(.equal) != nil {
                value = parseExpr()
            } else {
                let what = k == .sweep ? "`{` or `=`" : "`=`"
                errorAtToken(.expectedToken, "expected \(what) after `\(k) \(name.name)`, found \(describe(tok))")
                value = errorExpr()
            }
            let decl = ComponentDecl(kind: k, keywordRange: range(kw), name: name, value: value)
            return TopLevel(.component(decl), range: range(from: start))
        }
        if isRunItem {
            advance()
            let target = parseExpr()
            return TopLevel(.run(target), range: range(from: start))
        }
        guard let s = parseStatement() else { return nil }
        return TopLevel(.statement(s), range: s.range)
    }

    func parseStatement() -> Stmt? {
        let start = tok.start
        switch kind {
        case .kwLet:
            advance()
            guard at(.identifier) else {
                let extra = kind.isKeyword ? " (`\(text(tok))` is a keyword)" : ""
                errorAtToken(.expectedToken, "expected a name after `let`, found \(describe(tok))\(extra)")
                return nil
            }
            let name = identifier(advance())
            guard expect(.equal, "after `let \(name.name)`") != nil else { return nil }
            let value = parseExpr()
            return Stmt(.letBinding(name, value), range: range(from: start))
        case .kwFn where peek().kind == .identifier:
            let f = parseFunction(named: true)
            return Stmt(.function(f), range: f.range)
        case .kwFor:
            advance()
            guard at(.identifier) else {
                errorAtToken(.expectedToken, "expected a loop variable after `for`, found \(describe(tok))")
                return nil
            }
            let variable = identifier(advance())
            guard expect(.kwIn, "after the loop variable") != nil else { return nil }
            let iterable = restricted { parseExpr() }
            let body = parseBlockOrReport("after the iterable of `for`")
            return Stmt(.forLoop(variable: variable, iterable: iterable, body: body), range: range(from: start))
        case .kwReturn:
            advance()
            var value: Expr?
            if !(at(.endOfFile) || at(.semicolon) || at(.rightBrace) || atLineBreak) {
                value = parseExpr()
            }
            return Stmt(.returnStmt(value), range: range(from: start))
        default:
            let e = parseExpr()
            return Stmt(.expression(e), range: e.range)
        }
    }

    /// A block if the current token is `{`; otherwise reports the missing `{` and returns an empty block.
    func parseBlockOrReport(_ context: String) -> Block {
        if at(.leftBrace) { return parseBlock() }
        errorAtToken(.expectedToken, "expected `{` \(context), found \(describe(tok))")
        return Block(statements: [], range: range(tok.start, tok.start))
    }

    /// `{ statements }`; the current token is `{`.
    func parseBlock() -> Block {
        let open = tok
        guard enter() else {
            leave()
            return Block(statements: [], range: range(open))
        }
        defer { leave() }
        advance()
        let statements: [Stmt] = insideBraces {
            var statements: [Stmt] = []
            while !tooDeep && !at(.rightBrace) && !at(.endOfFile) && !atTopLevelDeclaration {
                let start = pos
                if eat(.semicolon) != nil { continue }
                if let s = parseStatement() { statements.append(s) }
                if tooDeep { break }
                finishItem(closer: .rightBrace, allowComma: false)
                if pos == start && !at(.rightBrace) && !at(.endOfFile) {
                    advance()
                    synchronize(stopAtBrace: true, stopAtComma: false)
                    panicking = false
                }
            }
            return statements
        }
        if !tooDeep { expectClose(.rightBrace, opener: open, what: "the block") }
        return Block(statements: statements, range: range(from: open.start))
    }

    /// `fn name(params) { ... }` (named) or `fn(params) { ... }` / `fn(params) => expr`.
    func parseFunction(named: Bool) -> FunctionDecl {
        let start = advance().start  // `fn`
        var name: Identifier?
        if named { name = identifier(advance()) }
        let params = parseParameters()
        let body = parseFunctionBody()
        return FunctionDecl(name: name, parameters: params, body: body, range: range(from: start))
    }

    /// `{ block }` or `=> expr`.
    func parseFunctionBody() -> Block {
        if at(.arrow) {
            advance()
            let e = parseExpr()
            return Block(statements: [Stmt(.expression(e), range: e.range)], range: e.range)
        }
        return parseBlockOrReport("or `=>` to start the function body")
    }

    /// `(a, b = 1)`; the current token should be `(`.
    func parseParameters() -> [Parameter] {
        guard let open = eat(.leftParen) else {
            errorAtToken(.expectedToken, "expected `(` to start the parameter list, found \(describe(tok))")
            return []
        }
        guard enter() else { leave(); return [] }
        defer { leave() }
        var params: [Parameter] = []
        insideBrackets {
            while !tooDeep && !at(.rightParen) && !at(.endOfFile) {
                guard at(.identifier) else {
                    let extra = kind.isKeyword ? " (`\(text(tok))` is a keyword)" : ""
                    errorAtToken(.expectedToken, "expected a parameter name, found \(describe(tok))\(extra)")
                    skipListElement(closer: .rightParen)
                    if eat(.comma) != nil { continue }
                    break
                }
                let name = identifier(advance())
                var defaultValue: Expr?
                if eat(.equal) != nil { defaultValue = parseExpr() }
                params.append(Parameter(name: name, defaultValue: defaultValue))
                if eat(.comma) != nil { continue }
                if !at(.rightParen) {
                    if atListBoundary { break }
                    errorAtToken(.expectedToken, "expected `,` or `)` after the parameter, found \(describe(tok))")
                    skipListElement(closer: .rightParen)
                    if eat(.comma) != nil { continue }
                    break
                }
            }
        }
        if !tooDeep { expectClose(.rightParen, opener: open, what: "the parameter list") }
        return params
    }
}
