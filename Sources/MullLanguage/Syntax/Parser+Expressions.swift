/// Expressions: a Pratt parser over the operator table, then the primary forms.
extension ParseSession {
    /// Binding powers, low to high (see the operator table in docs/language.md).
    enum Precedence {
        static let or = 1, and = 2, not = 3, comparison = 4, range = 5, additive = 6
        static let multiplicative = 7, unary = 8, power = 9
    }

    private enum Associativity { case left, right, none }

    private func infix(_ k: TokenKind) -> (Int, Associativity)? {
        switch k {
        case .kwOr: (Precedence.or, .left)
        case .kwAnd: (Precedence.and, .left)
        case .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual, .kwIn: (Precedence.comparison, .none)
        case .dotDot, .dotDotLess: (Precedence.range, .none)
        case .plus, .minus: (Precedence.additive, .left)
        case .star, .slash, .slashSlash, .percent: (Precedence.multiplicative, .left)
        case .starStar: (Precedence.power, .right)
        default: nil
        }
    }

    /// An expression whose operators all bind at least as tightly as `minPrecedence`.
    func parseExpr(_ minPrecedence: Int = 0) -> Expr {
        guard enter() else {
            leave()
            return errorExpr()
        }
        // Each link of a chain (`a.b`, `f()`, `x[i]`, `a + b`) nests the tree one level deeper,
        // so links count towards the nesting limit too: later passes recurse over the tree.
        var links = 0
        defer { depth -= links; leave() }
        func link() -> Bool {
            links += 1
            depth += 1
            if depth > Parser.maximumNesting && !tooDeep {
                tooDeep = true
                diagnostics.append(Diagnostic(.nestingTooDeep, .error,
                                              "nesting deeper than \(Parser.maximumNesting) levels", at: range(tok)))
            }
            return !tooDeep
        }
        var lhs = parsePrefix()
        var chained: (precedence: Int, operatorToken: Token, lhs: Expr, rhs: Expr)?
        loop: while !tooDeep {
            let t = tok
            switch t.kind {
            case .leftParen where !(newlinesSignificant && t.precededByNewline):
                guard link() else { break loop }
                lhs = parseCall(lhs)
                continue loop
            case .leftBracket where !(newlinesSignificant && t.precededByNewline):
                guard link() else { break loop }
                lhs = parseIndex(lhs)
                continue loop
            case .dot:
                if newlinesSignificant && t.precededByNewline && (inArmBody || !peek().kind.isName) { break loop }
                guard link() else { break loop }
                advance()
                guard tok.kind.isName else {
                    errorAtToken(.expectedToken, "expected a member name after `.`, found \(describe(tok))")
                    lhs = Expr(.error, range: lhs.range.union(range(t)))
                    continue loop
                }
                let name = identifier(advance())
                lhs = Expr(.member(lhs, name), range: lhs.range.union(name.range))
                continue loop
            default:
                break
            }
            if newlinesSignificant && t.precededByNewline { break }
            guard let (prec, assoc) = infix(t.kind), prec >= minPrecedence else { break }
            guard link() else { break }
            advance()
            let rhs: Expr
            switch assoc {
            case .left, .none: rhs = parseExpr(prec + 1)
            case .right: rhs = parseExpr(Precedence.unary)
            }
            if let c = chained, c.precedence == prec, assoc == .none {
                reportChain(c.operatorToken, c.lhs, c.rhs, t, rhs)
            }
            let whole = lhs.range.union(rhs.range)
            let previous = lhs
            switch t.kind {
            case .dotDot: lhs = Expr(.range(lower: lhs, upper: rhs, inclusive: true), range: whole)
            case .dotDotLess: lhs = Expr(.range(lower: lhs, upper: rhs, inclusive: false), range: whole)
            default: lhs = Expr(.binary(t.kind.binaryOperator!, lhs, rhs), range: whole)
            }
            if assoc == .none {
                chained = (prec, t, previous, rhs)
            } else {
                chained = nil
            }
        }
        return lhs
    }

    /// `a < b < c` and `a..b..c` are errors: comparisons and ranges do not associate.
    private func reportChain(_ op1: Token, _ a: Expr, _ b: Expr, _ op2: Token, _ c: Expr) {
        let whole = a.range.union(c.range)
        if op1.kind == .dotDot || op1.kind == .dotDotLess {
            error(.nonAssociativeOperator, "range operators cannot be chained", at: range(op2))
            return
        }
        let fix = "\(a.range.text) \(text(op1)) \(b.range.text) and \(b.range.text) \(text(op2)) \(c.range.text)"
        error(.nonAssociativeOperator, "comparison operators cannot be chained", at: range(op2),
              suggestion: .init("did you mean `\(fix)`?", replacement: fix, range: whole))
    }

    private func parsePrefix() -> Expr {
        switch kind {
        case .minus:
            let op = advance()
            let operand = parseExpr(Precedence.unary)
            return Expr(.unary(.negate, operand), range: range(op).union(operand.range))
        case .kwNot:
            let op = advance()
            let operand = parseExpr(Precedence.not)
            return Expr(.unary(.not, operand), range: range(op).union(operand.range))
        default:
            return parsePrimary()
        }
    }

    private func parsePrimary() -> Expr {
        let t = tok
        switch t.kind {
        case .integer:
            advance()
            if case .integer(let v) = t.value { return Expr(.integer(v), range: range(t)) }
            return Expr(.integer(0), range: range(t))
        case .float:
            advance()
            if case .float(let v) = t.value { return Expr(.float(v), range: range(t)) }
            return Expr(.float(0), range: range(t))
        case .string:
            advance()
            if case .string(let s) = t.value { return Expr(.string(s), range: range(t)) }
            return Expr(.string(""), range: range(t))
        case .kwTrue:
            advance()
            return Expr(.boolean(true), range: range(t))
        case .kwFalse:
            advance()
            return Expr(.boolean(false), range: range(t))
        case .kwNone:
            advance()
            return Expr(.noneLiteral, range: range(t))
        case .identifier:
            advance()
            let name = identifier(t)
            if at(.leftBrace) && !tok.precededByNewline && !noComponentLiteral {
                return parseComponentBody(name: name)
            }
            return Expr(.identifier(name.name), range: name.range)
        case .dot:
            return parseSymbol()
        case .leftParen:
            return parseParenthesized()
        case .leftBracket:
            return parseList()
        case .kwIf:
            return parseIf()
        case .kwMatch:
            return parseMatch()
        case .kwFn:
            if peek().kind == .identifier {
                errorAtToken(.unexpectedToken, "a named function cannot be used as a value here; declare it on its own line or write `fn(...)`")
                return errorExpr()
            }
            let f = parseFunction(named: false)
            return Expr(.function(f), range: f.range)
        case .rightParen, .rightBracket, .rightBrace:
            errorAtToken(.unexpectedToken, "unexpected \(describe(t))")
            return errorExpr()
        case .invalid:
            advance()
            panicking = true
            return Expr(.error, range: range(t))
        default:
            errorAtToken(.expectedExpression, "expected an expression, found \(describe(t))")
            return errorExpr()
        }
    }

    /// `.name`; `.5` is reported with the suggestion `0.5`.
    private func parseSymbol() -> Expr {
        let dot = advance()
        let t = tok
        if (t.kind == .integer || t.kind == .float) && t.start == dot.end {
            advance()
            let digits = text(t)
            let fix = "0.\(digits)"
            error(.invalidNumber, "a number needs a digit before its decimal point", at: range(dot.start, t.end),
                  suggestion: .init("did you mean `\(fix)`?", replacement: fix))
            return Expr(.float(Double(fix.filter { $0 != "_" }) ?? 0), range: range(dot.start, t.end))
        }
        guard t.kind.isName && t.start == dot.end else {
            errorAtToken(.expectedToken, "expected a symbol name after `.`, found \(describe(t))")
            return Expr(.error, range: range(dot))
        }
        advance()
        return Expr(.symbol(text(t)), range: range(dot.start, t.end))
    }

    /// `()`, `(e)`, `(a, b)`, `(a,)`, `(x: 1, y: 2)`.
    private func parseParenthesized() -> Expr {
        let open = advance()
        var fields: [RecordField] = []
        var sawComma = false
        insideBrackets {
            while !tooDeep && !at(.rightParen) && !at(.endOfFile) {
                var label: Identifier?
                if tok.kind.isName && peek().kind == .colon {
                    label = identifier(advance())
                    advance()
                }
                let value = parseExpr()
                fields.append(RecordField(label: label, value: value))
                if eat(.comma) != nil {
                    sawComma = true
                    continue
                }
                if !at(.rightParen) {
                    if atListBoundary { break }
                    errorAtToken(.expectedToken, "expected `,` or `)`, found \(describe(tok))")
                    skipListElement(closer: .rightParen)
                    if eat(.comma) != nil { sawComma = true; continue }
                    break
                }
            }
        }
        if !tooDeep { expectClose(.rightParen, opener: open, what: "the parenthesis") }
        let whole = range(from: open.start)
        if fields.count == 1 && !sawComma && fields[0].label == nil {
            return Expr(fields[0].value.kind, range: whole)
        }
        return Expr(.record(fields), range: whole)
    }

    /// `[a, b]` or `[e for x in xs if c]`.
    private func parseList() -> Expr {
        let open = advance()
        let kind: Expr.Kind = insideBrackets {
            if at(.rightBracket) { return .list([]) }
            let first = parseExpr()
            if at(.kwFor) {
                var clauses: [ComprehensionClause] = []
                while !tooDeep && (at(.kwFor) || at(.kwIf)) {
                    let start = tok.start
                    if eat(.kwIf) != nil {
                        let c = parseExpr()
                        clauses.append(ComprehensionClause(.condition(c), range: range(from: start)))
                        continue
                    }
                    advance()
                    guard at(.identifier) else {
                        errorAtToken(.expectedToken, "expected a loop variable after `for`, found \(describe(tok))")
                        skipListElement(closer: .rightBracket)
                        break
                    }
                    let v = identifier(advance())
                    guard expect(.kwIn, "after the loop variable") != nil else {
                        skipListElement(closer: .rightBracket)
                        break
                    }
                    let xs = parseExpr()
                    clauses.append(ComprehensionClause(.forIn(v, xs), range: range(from: start)))
                }
                if !at(.rightBracket) && !atListBoundary {
                    errorAtToken(.expectedToken, "expected `for`, `if` or `]` in the list comprehension, found \(describe(tok))")
                    skipListElement(closer: .rightBracket)
                }
                return .comprehension(element: first, clauses: clauses)
            }
            var items = [first]
            while !tooDeep {
                if eat(.comma) != nil {
                    if at(.rightBracket) { break }
                    items.append(parseExpr())
                    continue
                }
                if at(.rightBracket) || atListBoundary { break }
                errorAtToken(.expectedToken, "expected `,` or `]`, found \(describe(tok))")
                skipListElement(closer: .rightBracket)
                if at(.comma) { continue }
                break
            }
            return .list(items)
        }
        if !tooDeep { expectClose(.rightBracket, opener: open, what: "the list") }
        return Expr(kind, range: range(from: open.start))
    }

    /// `callee(a, label: b)`.
    private func parseCall(_ callee: Expr) -> Expr {
        let open = advance()
        guard enter() else { leave(); return errorExpr() }
        defer { leave() }
        var args: [Argument] = []
        insideBrackets {
            while !tooDeep && !at(.rightParen) && !at(.endOfFile) {
                var label: Identifier?
                if tok.kind.isName && peek().kind == .colon {
                    label = identifier(advance())
                    advance()
                }
                args.append(Argument(label: label, value: parseExpr()))
                if eat(.comma) != nil { continue }
                if !at(.rightParen) {
                    if atListBoundary { break }
                    errorAtToken(.expectedToken, "expected `,` or `)` in the argument list, found \(describe(tok))")
                    skipListElement(closer: .rightParen)
                    if eat(.comma) != nil { continue }
                    break
                }
            }
        }
        if !tooDeep { expectClose(.rightParen, opener: open, what: "the argument list") }
        return Expr(.call(callee: callee, arguments: args), range: range(from: callee.range.start))
    }

    /// `xs[i]`.
    private func parseIndex(_ base: Expr) -> Expr {
        let open = advance()
        let index = insideBrackets {
            let e = parseExpr()
            if !at(.rightBracket) && !atListBoundary {
                errorAtToken(.expectedToken, "expected `]` after the index, found \(describe(tok))")
                skipListElement(closer: .rightBracket)
            }
            return e
        }
        if !tooDeep { expectClose(.rightBracket, opener: open, what: "the index") }
        return Expr(.index(base, index), range: range(from: base.range.start))
    }

    /// `if c { } else if d { } else { }`.
    func parseIf() -> Expr {
        let ifTok = advance()
        guard enter() else { leave(); return errorExpr() }
        defer { leave() }
        let condition = restricted { parseExpr() }
        let then = parseBlockOrReport("after the condition of `if`")
        var elseBranch: Block?
        if at(.kwElse) {
            advance()
            if at(.kwIf) {
                let nested = parseIf()
                elseBranch = Block(statements: [Stmt(.expression(nested), range: nested.range)], range: nested.range)
            } else {
                elseBranch = parseBlockOrReport("or `if` after `else`")
            }
        }
        return Expr(.ifElse(condition: condition, then: then, elseBranch: elseBranch), range: range(from: ifTok.start))
    }

    /// `match subject { pattern [if guard] => body, ... }`.
    private func parseMatch() -> Expr {
        let matchTok = advance()
        let subject = restricted { parseExpr() }
        guard let open = at(.leftBrace) ? advance() : nil else {
            errorAtToken(.expectedToken, "expected `{` after the subject of `match`, found \(describe(tok))")
            return Expr(.match(subject: subject, arms: []), range: range(from: matchTok.start))
        }
        guard enter() else { leave(); return errorExpr() }
        defer { leave() }
        let arms: [MatchArm] = insideBraces {
            var arms: [MatchArm] = []
            while !tooDeep && !at(.rightBrace) && !at(.endOfFile) && !atTopLevelDeclaration
                    && !startsStatementAfterBreak(tok, next: peek()) {
                let start = pos
                if eat(.comma) != nil || eat(.semicolon) != nil { continue }
                if let arm = parseArm() { arms.append(arm) }
                if tooDeep { break }
                finishItem(closer: .rightBrace, allowComma: true)
                if pos == start && !at(.rightBrace) && !at(.endOfFile) {
                    advance()
                    synchronize(stopAtBrace: true, stopAtComma: true)
                    panicking = false
                }
            }
            return arms
        }
        if !tooDeep { expectClose(.rightBrace, opener: open, what: "the match") }
        return Expr(.match(subject: subject, arms: arms), range: range(from: matchTok.start))
    }

    private func parseArm() -> MatchArm? {
        let start = tok.start
        let pattern = parsePattern()
        if panicking { return nil }
        var guardExpr: Expr?
        if eat(.kwIf) != nil { guardExpr = parseExpr() }
        guard expect(.arrow, "after the pattern") != nil else { return nil }
        let body: Expr
        if at(.leftBrace) {
            let b = parseBlock()
            body = Expr(.block(b), range: b.range)
        } else {
            let saved = inArmBody
            inArmBody = true
            body = parseExpr()
            inArmBody = saved
        }
        return MatchArm(pattern: pattern, guardExpr: guardExpr, body: body, range: range(from: start))
    }

    /// `Name { entries }`; the current token is `{`.
    func parseComponentBody(name: Identifier) -> Expr {
        let open = advance()
        guard enter() else { leave(); return errorExpr() }
        defer { leave() }
        let entries: [ComponentEntry] = insideBraces {
            var entries: [ComponentEntry] = []
            while !tooDeep && !at(.rightBrace) && !at(.endOfFile) && !atTopLevelDeclaration
                    && !startsStatementAfterBreak(tok, next: peek()) {
                let start = pos
                if eat(.comma) != nil || eat(.semicolon) != nil { continue }
                if let e = parseEntry(component: name.name) { entries.append(e) }
                if tooDeep { break }
                finishItem(closer: .rightBrace, allowComma: true)
                if pos == start && !at(.rightBrace) && !at(.endOfFile) {
                    advance()
                    synchronize(stopAtBrace: true, stopAtComma: true)
                    panicking = false
                }
            }
            return entries
        }
        if !tooDeep { expectClose(.rightBrace, opener: open, what: "the body of `\(name.name)`") }
        return Expr(.component(name: name, entries: entries), range: range(from: name.range.start))
    }

    private func parseEntry(component: String) -> ComponentEntry? {
        let start = tok.start
        if kind == .identifier && text(tok) == "vary" && (peek().kind.isName || peek().kind == .leftParen) {
            advance()
            var targets: [FieldPath] = []
            if let open = eat(.leftParen) {
                insideBrackets {
                    while !at(.rightParen) && !at(.endOfFile) {
                        guard let p = parseFieldPath() else {
                            skipListElement(closer: .rightParen)
                            if eat(.comma) != nil { continue }
                            break
                        }
                        targets.append(p)
                        if eat(.comma) == nil { break }
                    }
                }
                expectClose(.rightParen, opener: open, what: "the list of varied fields")
            } else {
                repeat {
                    guard let p = parseFieldPath() else { return nil }
                    targets.append(p)
                } while eat(.comma) != nil
            }
            guard expect(.colon, "after the varied fields") != nil else { return nil }
            let values = parseExpr()
            return ComponentEntry(.vary(targets: targets, values: values), range: range(from: start))
        }
        guard tok.kind.isName else {
            errorAtToken(.expectedToken, "expected a field name in the body of `\(component)`, found \(describe(tok))")
            return nil
        }
        let name = identifier(advance())
        if at(.leftParen) && !tok.precededByNewline {
            let params = parseParameters()
            let body = parseFunctionBody()
            let f = FunctionDecl(name: name, parameters: params, body: body, range: range(from: start))
            return ComponentEntry(.method(f), range: f.range)
        }
        guard eat(.colon) != nil else {
            errorAtToken(.expectedToken, "expected `:` after the field name `\(name.name)`, found \(describe(tok))")
            return nil
        }
        let value = parseExpr()
        return ComponentEntry(.field(name, value), range: range(from: start))
    }

    /// `name` or `name.name...`.
    private func parseFieldPath() -> FieldPath? {
        guard tok.kind.isName else {
            errorAtToken(.expectedToken, "expected a field name after `vary`, found \(describe(tok))")
            return nil
        }
        var parts = [identifier(advance())]
        while at(.dot) && peek().kind.isName {
            advance()
            parts.append(identifier(advance()))
        }
        return FieldPath(components: parts, range: parts[0].range.union(parts[parts.count - 1].range))
    }
}
