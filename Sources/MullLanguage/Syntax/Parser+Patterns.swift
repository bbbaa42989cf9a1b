/// Patterns of match arms.
extension ParseSession {
    /// `p | q | ...`.
    func parsePattern() -> Pattern {
        guard enter() else {
            leave()
            return Pattern(.wildcard, range: range(tok.start, tok.start))
        }
        defer { leave() }
        let first = parseSinglePattern()
        guard at(.pipe) else { return first }
        var alternatives = [first]
        while !tooDeep && eat(.pipe) != nil {
            alternatives.append(parseSinglePattern())
        }
        return Pattern(.alternatives(alternatives), range: first.range.union(alternatives.last!.range))
    }

    private func parseSinglePattern() -> Pattern {
        let t = tok
        switch t.kind {
        case .identifier:
            advance()
            if text(t) == "_" { return Pattern(.wildcard, range: range(t)) }
            return Pattern(.binding(identifier(t)), range: range(t))
        case .integer, .float, .minus:
            guard let lower = parseNumberLiteral() else { return Pattern(.wildcard, range: range(t)) }
            if at(.dotDot) || at(.dotDotLess) {
                let inclusive = advance().kind == .dotDot
                guard let upper = parseNumberLiteral() else { return Pattern(.wildcard, range: range(from: t.start)) }
                return Pattern(.range(lower: lower, upper: upper, inclusive: inclusive), range: range(from: t.start))
            }
            return Pattern(.literal(lower), range: lower.range)
        case .string:
            advance()
            if case .string(let s) = t.value { return Pattern(.literal(Expr(.string(s), range: range(t))), range: range(t)) }
            return Pattern(.wildcard, range: range(t))
        case .kwTrue, .kwFalse:
            advance()
            return Pattern(.literal(Expr(.boolean(t.kind == .kwTrue), range: range(t))), range: range(t))
        case .kwNone:
            advance()
            return Pattern(.literal(Expr(.noneLiteral, range: range(t))), range: range(t))
        case .dot:
            advance()
            guard tok.kind.isName && tok.start == t.end else {
                errorAtToken(.expectedToken, "expected a symbol name after `.`, found \(describe(tok))")
                return Pattern(.wildcard, range: range(t))
            }
            let name = advance()
            return Pattern(.literal(Expr(.symbol(text(name)), range: range(t.start, name.end))), range: range(t.start, name.end))
        case .leftParen:
            return parseTuplePattern()
        default:
            errorAtToken(.invalidPattern, "expected a pattern, found \(describe(t))")
            return Pattern(.wildcard, range: range(t.start, t.start))
        }
    }

    /// An integer or float literal, optionally negated.
    private func parseNumberLiteral() -> Expr? {
        let start = tok.start
        let negative = eat(.minus) != nil
        let t = tok
        switch (t.kind, t.value) {
        case (.integer, .integer(let v)):
            advance()
            return Expr(.integer(negative ? 0 &- v : v), range: range(start, t.end))
        case (.float, .float(let v)):
            advance()
            return Expr(.float(negative ? -v : v), range: range(start, t.end))
        default:
            errorAtToken(.invalidPattern, "expected a number in the pattern, found \(describe(t))")
            return nil
        }
    }

    /// `(a, b)`, `(next: n, reward: _)`, `(p)`.
    private func parseTuplePattern() -> Pattern {
        let open = advance()
        var items: [(label: Identifier?, pattern: Pattern)] = []
        var sawComma = false
        insideBrackets {
            while !tooDeep && !at(.rightParen) && !at(.endOfFile) {
                var label: Identifier?
                if tok.kind.isName && peek().kind == .colon {
                    label = identifier(advance())
                    advance()
                }
                items.append((label, parsePattern()))
                if eat(.comma) != nil {
                    sawComma = true
                    continue
                }
                if !at(.rightParen) {
                    if atListBoundary { break }
                    errorAtToken(.expectedToken, "expected `,` or `)` in the pattern, found \(describe(tok))")
                    skipListElement(closer: .rightParen)
                    if eat(.comma) != nil { sawComma = true; continue }
                    break
                }
            }
        }
        if !tooDeep { expectClose(.rightParen, opener: open, what: "the pattern") }
        let whole = range(from: open.start)
        if items.count == 1 && !sawComma && items[0].label == nil {
            return Pattern(items[0].pattern.kind, range: whole)
        }
        return Pattern(.tuple(items), range: whole)
    }
}
