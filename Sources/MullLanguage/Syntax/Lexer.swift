/// Turns the text of a source file into tokens, reporting malformed input as diagnostics.
package enum Lexer {
    /// Every token of `file`, ending with an `.endOfFile` token, and the problems found.
    package static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        var scanner = Scanner(file: file)
        scanner.run()
        return (scanner.tokens, scanner.diagnostics)
    }

    /// The full result of a scan, with what the REPL needs to know about unfinished input.
    static func scan(_ file: SourceFile) -> Scanner {
        var scanner = Scanner(file: file)
        scanner.run()
        return scanner
    }
}

/// The state of one pass over a file's bytes.
struct Scanner {
    let file: SourceFile
    var tokens: [Token] = []
    var diagnostics: [Diagnostic] = []
    /// The input ended inside a `/* ... */` comment.
    var endsInsideComment = false
    /// The input ended inside a `"""` string.
    var endsInsideMultilineString = false

    init(file: SourceFile) {
        self.file = file
        tokens.reserveCapacity(file.bytes.count / 3 + 1)
    }

    mutating func run() {
        let bytes = file.bytes
        if file.hadInvalidUTF8 {
            reportInvalidUTF8(bytes)
        }
        bytes.withUnsafeBufferPointer { buf in
            lex(buf)
        }
    }

    private func range(_ start: Int, _ end: Int) -> SourceRange {
        SourceRange(file: file, start: start, end: end)
    }

    private mutating func error(_ id: DiagnosticID, _ message: String, _ start: Int, _ end: Int,
                                suggestion: Diagnostic.Suggestion? = nil) {
        diagnostics.append(Diagnostic(id, .error, message, at: range(start, end), suggestion: suggestion))
    }

    private mutating func reportInvalidUTF8(_ bytes: [UInt8]) {
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0xEF && bytes[i + 1] == 0xBF && bytes[i + 2] == 0xBD {
                error(.invalidUTF8, "source file is not valid UTF-8", i, i + 3)
                return
            }
            i += 1
        }
        error(.invalidUTF8, "source file is not valid UTF-8", 0, 0)
    }

    // MARK: - Character classes

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    @inline(__always) static func isIdentStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F
    }
    @inline(__always) static func isIdentContinue(_ c: UInt8) -> Bool { isIdentStart(c) || isDigit(c) }
    @inline(__always) static func hexValue(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: Int(c - 0x30)
        case 0x61...0x66: Int(c - 0x61 + 10)
        case 0x41...0x46: Int(c - 0x41 + 10)
        default: nil
        }
    }
    /// The length of the UTF-8 sequence starting with `c` (1 for stray continuation bytes).
    @inline(__always) static func sequenceLength(_ c: UInt8) -> Int {
        if c < 0xC0 { return 1 }
        if c < 0xE0 { return 2 }
        if c < 0xF0 { return 3 }
        return 4
    }

    // MARK: - Main loop

    private mutating func lex(_ b: UnsafeBufferPointer<UInt8>) {
        let n = b.count
        var i = 0
        var newline = true
        @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? b[k] : 0 }

        while i < n {
            let c = b[i]
            let start = i
            var kind: TokenKind
            var value = TokenValue.none
            switch c {
            case 0x20, 0x09, 0x0D, 0x0C:
                i += 1
                continue
            case 0x0A:
                newline = true
                i += 1
                continue
            case UInt8(ascii: "#"):
                while i < n && b[i] != 0x0A { i += 1 }
                continue
            case UInt8(ascii: "/") where at(i + 1) == UInt8(ascii: "*"):
                var depth = 1
                i += 2
                while i < n && depth > 0 {
                    if b[i] == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") {
                        depth += 1
                        i += 2
                    } else if b[i] == UInt8(ascii: "*") && at(i + 1) == UInt8(ascii: "/") {
                        depth -= 1
                        i += 2
                    } else {
                        if b[i] == 0x0A { newline = true }
                        i += 1
                    }
                }
                if depth > 0 {
                    error(.unterminatedComment, "unterminated block comment", start, start + 2)
                    endsInsideComment = true
                }
                continue
            case _ where Scanner.isIdentStart(c):
                i += 1
                while i < n && Scanner.isIdentContinue(b[i]) { i += 1 }
                kind = .identifier
                let len = i - start
                if TokenKind.keywordLengths.contains(len) && TokenKind.keywordFirstBytes.contains(c) {
                    let word = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                    if let k = TokenKind.keywords[word] { kind = k }
                }
            case _ where Scanner.isDigit(c):
                (kind, value, i) = lexNumber(b, start)
            case UInt8(ascii: "\""):
                if at(i + 1) == UInt8(ascii: "\"") && at(i + 2) == UInt8(ascii: "\"") {
                    (value, i) = lexMultilineString(b, start)
                } else {
                    (value, i) = lexString(b, start)
                }
                kind = .string
            case UInt8(ascii: "("): kind = .leftParen; i += 1
            case UInt8(ascii: ")"): kind = .rightParen; i += 1
            case UInt8(ascii: "["): kind = .leftBracket; i += 1
            case UInt8(ascii: "]"): kind = .rightBracket; i += 1
            case UInt8(ascii: "{"): kind = .leftBrace; i += 1
            case UInt8(ascii: "}"): kind = .rightBrace; i += 1
            case UInt8(ascii: ","): kind = .comma; i += 1
            case UInt8(ascii: ";"): kind = .semicolon; i += 1
            case UInt8(ascii: ":"): kind = .colon; i += 1
            case UInt8(ascii: "%"): kind = .percent; i += 1
            case UInt8(ascii: "+"): kind = .plus; i += 1
            case UInt8(ascii: "-"): kind = .minus; i += 1
            case UInt8(ascii: "."):
                if at(i + 1) == UInt8(ascii: ".") {
                    if at(i + 2) == UInt8(ascii: "<") { kind = .dotDotLess; i += 3 } else { kind = .dotDot; i += 2 }
                } else {
                    kind = .dot; i += 1
                }
            case UInt8(ascii: "="):
                if at(i + 1) == UInt8(ascii: "=") { kind = .equalEqual; i += 2 }
                else if at(i + 1) == UInt8(ascii: ">") { kind = .arrow; i += 2 }
                else { kind = .equal; i += 1 }
            case UInt8(ascii: "<"):
                if at(i + 1) == UInt8(ascii: "=") { kind = .lessEqual; i += 2 } else { kind = .less; i += 1 }
            case UInt8(ascii: ">"):
                if at(i + 1) == UInt8(ascii: "=") { kind = .greaterEqual; i += 2 } else { kind = .greater; i += 1 }
            case UInt8(ascii: "*"):
                if at(i + 1) == UInt8(ascii: "*") { kind = .starStar; i += 2 } else { kind = .star; i += 1 }
            case UInt8(ascii: "/"):
                if at(i + 1) == UInt8(ascii: "/") { kind = .slashSlash; i += 2 } else { kind = .slash; i += 1 }
            case UInt8(ascii: "!"):
                if at(i + 1) == UInt8(ascii: "=") {
                    kind = .bangEqual; i += 2
                } else {
                    kind = .invalid; i += 1
                    // `!x` becomes `not x`: the keyword needs a space before the operand.
                    let spaced = at(i) == UInt8(ascii: " ") || at(i) == UInt8(ascii: "\t")
                    error(.unexpectedCharacter, "unexpected `!`", start, i,
                          suggestion: .init("use `not` for logical negation", replacement: spaced ? "not" : "not "))
                }
            case UInt8(ascii: "|"):
                if at(i + 1) == UInt8(ascii: "|") {
                    kind = .invalid; i += 2
                    error(.unexpectedCharacter, "unexpected `||`", start, i,
                          suggestion: .init("use `or` for logical or", replacement: "or"))
                } else {
                    kind = .pipe; i += 1
                }
            case UInt8(ascii: "&") where at(i + 1) == UInt8(ascii: "&"):
                kind = .invalid; i += 2
                error(.unexpectedCharacter, "unexpected `&&`", start, i,
                      suggestion: .init("use `and` for logical and", replacement: "and"))
            default:
                // A run of characters that start no token is reported once.
                kind = .invalid
                var count = 0
                var onlyReplacement = true
                while i < n {
                    let d = b[i]
                    if d == 0x20 || d == 0x09 || d == 0x0A || d == 0x0D || Scanner.isIdentContinue(d) || d == UInt8(ascii: "\"") {
                        break
                    }
                    if count > 0 && Scanner.startsToken(d, at(i + 1)) { break }
                    let len = min(Scanner.sequenceLength(d), n - i)
                    let isReplacement = len == 3 && d == 0xEF && at(i + 1) == 0xBF && at(i + 2) == 0xBD
                    if !isReplacement || !file.hadInvalidUTF8 { onlyReplacement = false }
                    i += len
                    count += 1
                }
                if !onlyReplacement {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                    let shown = Scanner.printable(text)
                    error(.unexpectedCharacter, count == 1 ? "unexpected character `\(shown)`" : "unexpected characters `\(shown)`",
                          start, i)
                }
            }
            tokens.append(Token(kind: kind, start: start, end: i, precededByNewline: newline, value: value))
            newline = false
        }
        tokens.append(Token(kind: .endOfFile, start: n, end: n, precededByNewline: true))
    }

    /// True when `c` (followed by `next`) starts a valid token, ending a run of stray characters.
    private static func startsToken(_ c: UInt8, _ next: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
             UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "."),
             UInt8(ascii: "="), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "+"), UInt8(ascii: "-"),
             UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "|"),
             UInt8(ascii: "!"):
            true
        case UInt8(ascii: "&"): next == UInt8(ascii: "&")
        default: false
        }
    }

    /// Control characters shown as `\u{...}` so messages stay on one line.
    static func printable(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            if s.value < 0x20 || s.value == 0x7F {
                out += "\\u{\(String(s.value, radix: 16, uppercase: true))}"
            } else {
                out.unicodeScalars.append(s)
            }
        }
        return out
    }

    // MARK: - Numbers

    private mutating func lexNumber(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> (TokenKind, TokenValue, Int) {
        let n = b.count
        @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? b[k] : 0 }
        var i = start
        if b[i] == UInt8(ascii: "0") && (at(i + 1) | 0x20 == UInt8(ascii: "x") || at(i + 1) | 0x20 == UInt8(ascii: "b")) {
            let hex = at(i + 1) | 0x20 == UInt8(ascii: "x")
            let radix = hex ? 16 : 2
            i += 2
            var value = 0
            var digits = 0
            var overflow = false
            while i < n {
                let c = b[i]
                if c == UInt8(ascii: "_") { i += 1; continue }
                guard let d = Scanner.hexValue(c), d < radix else { break }
                let (m, o1) = value.multipliedReportingOverflow(by: radix)
                let (s, o2) = m.addingReportingOverflow(d)
                if o1 || o2 { overflow = true }
                value = s
                digits += 1
                i += 1
            }
            if digits == 0 {
                if i < n && Scanner.isIdentContinue(b[i]) { while i < n && Scanner.isIdentContinue(b[i]) { i += 1 } }
                error(.invalidNumber, "expected \(hex ? "hexadecimal" : "binary") digits after `\(text(b, start, start + 2))`", start, i)
                return (.integer, .integer(0), i)
            }
            if i < n && Scanner.isIdentContinue(b[i]) { return badSuffix(b, start, i) }
            if overflow {
                error(.integerOverflow, "integer literal `\(text(b, start, i))` does not fit in 64 bits", start, i)
                return (.integer, .integer(0), i)
            }
            return (.integer, .integer(value), i)
        }
        while i < n && (Scanner.isDigit(b[i]) || b[i] == UInt8(ascii: "_")) { i += 1 }
        var isFloat = false
        if at(i) == UInt8(ascii: ".") && Scanner.isDigit(at(i + 1)) {
            isFloat = true
            i += 1
            while i < n && (Scanner.isDigit(b[i]) || b[i] == UInt8(ascii: "_")) { i += 1 }
        }
        if at(i) | 0x20 == UInt8(ascii: "e") {
            var k = i + 1
            if at(k) == UInt8(ascii: "+") || at(k) == UInt8(ascii: "-") { k += 1 }
            if Scanner.isDigit(at(k)) {
                isFloat = true
                i = k
                while i < n && (Scanner.isDigit(b[i]) || b[i] == UInt8(ascii: "_")) { i += 1 }
            }
        }
        if i < n && Scanner.isIdentContinue(b[i]) { return badSuffix(b, start, i) }
        let literal = text(b, start, i)
        if isFloat {
            let cleaned = String(literal.filter { $0 != "_" })
            guard let d = Double(cleaned), d.isFinite else {
                error(.floatOverflow, "float literal `\(literal)` is too large to represent", start, i)
                return (.float, .float(0), i)
            }
            return (.float, .float(d), i)
        }
        var value = 0
        var k = start
        while k < i {
            let c = b[k]
            k += 1
            if c == UInt8(ascii: "_") { continue }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int(c - 0x30))
            if o1 || o2 {
                error(.integerOverflow, "integer literal `\(literal)` does not fit in 64 bits", start, i)
                return (.integer, .integer(0), i)
            }
            value = s
        }
        return (.integer, .integer(value), i)
    }

    private mutating func badSuffix(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ at: Int) -> (TokenKind, TokenValue, Int) {
        var i = at
        while i < b.count && Scanner.isIdentContinue(b[i]) { i += 1 }
        error(.invalidNumber, "invalid number `\(text(b, start, i))`", start, i)
        return (.integer, .integer(0), i)
    }

    private func text(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self)
    }

    // MARK: - Strings

    /// Decodes the escape starting at the backslash at `i`; appends the result to `out` and
    /// returns the offset just past the escape.
    private mutating func lexEscape(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, into out: inout [UInt8]) -> Int {
        let n = b.count
        guard i + 1 < n else { return i + 1 }
        let c = b[i + 1]
        switch c {
        case UInt8(ascii: "n"): out.append(0x0A); return i + 2
        case UInt8(ascii: "t"): out.append(0x09); return i + 2
        case UInt8(ascii: "r"): out.append(0x0D); return i + 2
        case UInt8(ascii: "0"): out.append(0x00); return i + 2
        case UInt8(ascii: "\\"): out.append(0x5C); return i + 2
        case UInt8(ascii: "\""): out.append(0x22); return i + 2
        case UInt8(ascii: "u"):
            var k = i + 2
            guard k < n && b[k] == UInt8(ascii: "{") else {
                error(.invalidEscape, "expected `{` after `\\u` in a unicode escape", i, min(n, i + 2),
                      suggestion: .init("write unicode escapes as `\\u{1F600}`"))
                return i + 2
            }
            k += 1
            var value: UInt32 = 0
            var digits = 0
            while k < n, let d = Scanner.hexValue(b[k]) {
                if digits < 8 { value = value &* 16 &+ UInt32(d) }
                digits += 1
                k += 1
            }
            guard k < n && b[k] == UInt8(ascii: "}") && digits > 0 && digits <= 8 else {
                error(.invalidEscape, "a unicode escape needs 1 to 8 hexadecimal digits between `{` and `}`", i, k)
                return k
            }
            k += 1
            guard let scalar = Unicode.Scalar(value) else {
                error(.invalidEscape, "`\(text(b, i, k))` is not a valid unicode scalar", i, k)
                return k
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
            return k
        default:
            let len = min(Scanner.sequenceLength(c), n - i - 1)
            let shown = Scanner.printable(text(b, i, i + 1 + len))
            error(.invalidEscape, "unknown escape sequence `\(shown)`", i, i + 1 + len,
                  suggestion: .init("write `\\\\` for a backslash"))
            return i + 1 + len
        }
    }

    private mutating func lexString(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> (TokenValue, Int) {
        let n = b.count
        var i = start + 1
        var out: [UInt8] = []
        while true {
            if i >= n || b[i] == 0x0A || (b[i] == 0x5C && (i + 1 >= n || b[i + 1] == 0x0A)) {
                if i < n && b[i] == 0x5C { i += 1 }
                error(.unterminatedString, "unterminated string", start, start + 1,
                      suggestion: .init("close the string with `\"` before the end of the line; use `\"\"\"` for text spanning lines"))
                var end = i
                if end > start + 1 && end <= n && b[end - 1] == 0x0D { end -= 1 }
                return (.string(String(decoding: out, as: UTF8.self)), end)
            }
            let c = b[i]
            if c == UInt8(ascii: "\"") { return (.string(String(decoding: out, as: UTF8.self)), i + 1) }
            if c == 0x5C {
                i = lexEscape(b, i, into: &out)
            } else {
                out.append(c)
                i += 1
            }
        }
    }

    private mutating func lexMultilineString(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> (TokenValue, Int) {
        let n = b.count
        @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? b[k] : 0 }
        var i = start + 3
        if at(i) == 0x0D && at(i + 1) == 0x0A {
            i += 2
        } else if at(i) == 0x0A {
            i += 1
        } else {
            error(.invalidMultilineString, "a multi-line string must start with a line break after `\"\"\"`", start, start + 3)
        }
        // Find the closing delimiter, skipping escapes; remember where its line starts.
        let contentStart = i
        var lineStart = i
        var closing = -1
        while i < n {
            let c = b[i]
            if c == 0x5C { i += 2; continue }
            if c == 0x0A { i += 1; lineStart = i; continue }
            if c == UInt8(ascii: "\"") && at(i + 1) == UInt8(ascii: "\"") && at(i + 2) == UInt8(ascii: "\"") {
                closing = i
                break
            }
            i += 1
        }
        if closing < 0 {
            error(.invalidMultilineString, "unterminated multi-line string", start, start + 3)
            endsInsideMultilineString = true
            return (.string(""), n)
        }
        var indentEnd = lineStart
        while indentEnd < closing && (b[indentEnd] == 0x20 || b[indentEnd] == 0x09) { indentEnd += 1 }
        var contentEnd = lineStart
        if indentEnd != closing {
            if contentStart != start + 3 {
                error(.invalidMultilineString, "the closing `\"\"\"` of a multi-line string must be on its own line", closing, closing + 3)
            }
            indentEnd = lineStart
            contentEnd = closing
        }
        let indent = Array(UnsafeBufferPointer(rebasing: b[lineStart..<indentEnd]))
        var out: [UInt8] = []
        var ls = contentStart
        var reportedIndent = false
        // Every line before the closing delimiter's line is one line of the value; the line
        // break before the delimiter is not part of it.
        while ls < contentEnd {
            var le = ls
            while le < contentEnd && b[le] != 0x0A { le += 1 }
            var lineEnd = le
            if lineEnd > ls && b[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if ls != contentStart { out.append(0x0A) }
            var k = ls
            var matched = 0
            while matched < indent.count && k < lineEnd && b[k] == indent[matched] { k += 1; matched += 1 }
            if matched < indent.count {
                let onlyBlank = (ls..<lineEnd).allSatisfy { b[$0] == 0x20 || b[$0] == 0x09 }
                if onlyBlank {
                    k = lineEnd
                } else if !reportedIndent {
                    reportedIndent = true
                    error(.invalidMultilineString, "line is indented less than the closing `\"\"\"` of its multi-line string",
                          ls, max(ls + 1, k))
                }
            }
            while k < lineEnd {
                if b[k] == 0x5C {
                    k = lexEscape(b, k, into: &out)
                } else {
                    out.append(b[k])
                    k += 1
                }
            }
            ls = le + 1
        }
        return (.string(String(decoding: out, as: UTF8.self)), closing + 3)
    }
}
