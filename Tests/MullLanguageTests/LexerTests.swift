import Testing
@testable import MullLanguage

private func lex(_ source: String) -> (kinds: [TokenKind], values: [TokenValue], diagnostics: [Diagnostic], tokens: [Token]) {
    let (tokens, diagnostics) = Lexer.tokenize(SourceFile(path: "test.mull", text: source))
    let body = tokens.dropLast()
    return (body.map(\.kind), body.map(\.value), diagnostics, Array(body))
}

private func value(_ source: String) -> TokenValue? {
    let r = lex(source)
    #expect(r.diagnostics.isEmpty, "\(r.diagnostics.map(\.description))")
    return r.values.first
}

private func errors(_ source: String) -> [String] {
    lex(source).diagnostics.map(\.message)
}

@Suite struct LexerTests {
    @Test func punctuationAndOperators() {
        let r = lex("( ) [ ] { } , ; : . .. ..< => | = == != < <= > >= + - * ** / // %")
        #expect(r.kinds == [.leftParen, .rightParen, .leftBracket, .rightBracket, .leftBrace, .rightBrace,
                            .comma, .semicolon, .colon, .dot, .dotDot, .dotDotLess, .arrow, .pipe,
                            .equal, .equalEqual, .bangEqual, .less, .lessEqual, .greater, .greaterEqual,
                            .plus, .minus, .star, .starStar, .slash, .slashSlash, .percent])
        #expect(r.diagnostics.isEmpty)
    }

    @Test func keywordsAndIdentifiers() {
        let r = lex("let fn if else match for in return import as true false none and or not env model agent sweep run vary _x x1 letter")
        #expect(r.kinds == [.kwLet, .kwFn, .kwIf, .kwElse, .kwMatch, .kwFor, .kwIn, .kwReturn, .kwImport, .kwAs,
                            .kwTrue, .kwFalse, .kwNone, .kwAnd, .kwOr, .kwNot]
                + Array(repeating: .identifier, count: 9))
    }

    @Test func everyKeywordLexesAsItselfAndNothingElseIsOne() {
        // Keywords are one list: each spelling lexes to its kind, each `kw` case is listed, and a
        // word one letter longer or shorter is an identifier.
        for k in TokenKind.keywordKinds {
            let word = k.spelling!
            #expect(lex(word).kinds == [k], "\(word)")
            #expect(lex(word + "x").kinds == [.identifier], "\(word)x")
            #expect(lex(String(word.dropLast())).kinds.allSatisfy { $0 == .identifier || $0.isKeyword }, "\(word)")
        }
        let kwCases = TokenKind.allCases.filter { "\($0)".hasPrefix("kw") }
        #expect(Set(kwCases) == Set(TokenKind.keywordKinds))
        #expect(kwCases.allSatisfy(\.isKeyword) && !TokenKind.identifier.isKeyword)
    }

    @Test func newlineFlags() {
        let r = lex("a b\nc # comment\n  d /* x\n y */ e /* z */ f")
        #expect(r.tokens.map(\.precededByNewline) == [true, false, true, true, true, false])
    }

    @Test(arguments: [
        ("42", TokenValue.integer(42)), ("1_000_000", .integer(1_000_000)), ("0x1F", .integer(31)),
        ("0b101", .integer(5)), ("9223372036854775807", .integer(Int.max)), ("0", .integer(0)),
        ("0.5", .float(0.5)), ("1e-4", .float(1e-4)), ("2.5E+3", .float(2500)), ("1_0.2_5", .float(10.25)),
        ("3e2", .float(300)),
    ])
    func numbers(_ source: String, _ expected: TokenValue) {
        #expect(value(source) == expected)
    }

    @Test func rangeAfterIntegerIsNotAFloat() {
        #expect(lex("1..10").kinds == [.integer, .dotDot, .integer])
        #expect(lex("0..<3").kinds == [.integer, .dotDotLess, .integer])
        #expect(lex("x.1").kinds == [.identifier, .dot, .integer])
    }

    @Test func numberErrors() {
        #expect(errors("9223372036854775808") == ["integer literal `9223372036854775808` does not fit in 64 bits"])
        #expect(errors("0xFFFFFFFFFFFFFFFFF") == ["integer literal `0xFFFFFFFFFFFFFFFFF` does not fit in 64 bits"])
        #expect(errors("1e999") == ["float literal `1e999` is too large to represent"])
        #expect(errors("0x") == ["expected hexadecimal digits after `0x`"])
        #expect(errors("12abc") == ["invalid number `12abc`"])
        #expect(errors("0b102") == ["invalid number `0b102`"])
    }

    @Test(arguments: [
        (#""plain""#, "plain"), (#""a\nb\tc\rd\0e""#, "a\nb\tc\rd\0e"), (#""q\"q\\""#, "q\"q\\"),
        (#""\u{1F600}!""#, "😀!"), (#""\u{41}""#, "A"), (#""""#, ""), (#""héllo""#, "héllo"),
    ])
    func strings(_ source: String, _ expected: String) {
        #expect(value(source) == .string(expected))
    }

    @Test func stringErrors() {
        #expect(errors(#""abc\q""#) == ["unknown escape sequence `\\q`"])
        #expect(errors(#""\u{D800}""#) == ["`\\u{D800}` is not a valid unicode scalar"])
        #expect(errors(#""\u41""#) == ["expected `{` after `\\u` in a unicode escape"])
        #expect(errors(#""\u{}""#) == ["a unicode escape needs 1 to 8 hexadecimal digits between `{` and `}`"])
        let r = lex("x = \"abc\ny = 1")
        #expect(r.diagnostics.map(\.message) == ["unterminated string"])
        #expect(r.diagnostics[0].range?.startLocation.description == "1:5")
        #expect(r.kinds == [.identifier, .equal, .string, .identifier, .equal, .integer])
    }

    @Test func multilineStringDedents() {
        let source = "let g = \"\"\"\n    #####\n    #..G#\n\n      x\\ty\n    \"\"\"\nz"
        let r = lex(source)
        #expect(r.diagnostics.isEmpty)
        #expect(r.values[3] == .string("#####\n#..G#\n\n  x\ty"))
        #expect(r.kinds.last == .identifier)
        #expect(r.tokens.last?.precededByNewline == true)
    }

    @Test func multilineStringEdges() {
        #expect(value("\"\"\"\n\"\"\"") == .string(""))
        #expect(value("\"\"\"\n\n\"\"\"") == .string(""))
        #expect(value("\"\"\"\na \"quoted\" \\\"\"\"\n\"\"\"") == .string("a \"quoted\" \"\"\""))
        #expect(errors("\"\"\"abc\n\"\"\"") == ["a multi-line string must start with a line break after `\"\"\"`"])
        #expect(errors("\"\"\"\n  abc\n    \"\"\"") == ["line is indented less than the closing `\"\"\"` of its multi-line string"])
        #expect(errors("\"\"\"\nabc\"\"\"") == ["the closing `\"\"\"` of a multi-line string must be on its own line"])
        #expect(errors("\"\"\"\nabc\n") == ["unterminated multi-line string"])
    }

    @Test func comments() {
        #expect(lex("a /* outer /* inner */ still comment */ b").kinds == [.identifier, .identifier])
        let r = lex("a\n/* open /* nested */\nb")
        #expect(r.diagnostics.map(\.message) == ["unterminated block comment"])
        #expect(r.diagnostics[0].range?.startLocation.description == "2:1")
    }

    @Test func strayCharacters() {
        let r = lex("a @ b $$ c")
        #expect(r.diagnostics.map(\.message) == ["unexpected character `@`", "unexpected characters `$$`"])
        #expect(r.kinds == [.identifier, .invalid, .identifier, .invalid, .identifier])
        #expect(lex("a && b").diagnostics.map { $0.suggestion?.replacement } == ["and"])
        #expect(lex("a || b").diagnostics.map { $0.suggestion?.replacement } == ["or"])
        // `!a` becomes `not a`, `! a` becomes `not a`.
        #expect(lex("!a").diagnostics.map { $0.suggestion?.replacement } == ["not "])
        #expect(lex("! a").diagnostics.map { $0.suggestion?.replacement } == ["not"])
        #expect(lex("a != b").diagnostics.isEmpty)
        #expect(errors("a & b") == ["unexpected character `&`"])
        #expect(errors("x = é") == ["unexpected character `é`"])
    }

    @Test func invalidUTF8() {
        let file = SourceFile(path: "bad.mull", bytes: Array("let x = 1\n".utf8) + [0xFF, 0xFE] + Array(" y".utf8))
        let (tokens, diagnostics) = Lexer.tokenize(file)
        #expect(diagnostics.map(\.message) == ["source file is not valid UTF-8"])
        #expect(diagnostics[0].range?.startLocation.description == "2:1")
        #expect(tokens.last?.kind == .endOfFile)
    }

    @Test func tokenRanges() {
        let r = lex("  ab   \"c\"")
        #expect(r.tokens.map { [$0.start, $0.end] } == [[2, 4], [7, 10]])
    }
}
