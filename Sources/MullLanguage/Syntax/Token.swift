/// The kinds of token the lexer produces.
package enum TokenKind: UInt8, Sendable, CaseIterable {
    case identifier, integer, float, string
    // Reserved words.
    case kwLet, kwFn, kwIf, kwElse, kwMatch, kwFor, kwIn, kwReturn, kwImport, kwAs
    case kwTrue, kwFalse, kwNone, kwAnd, kwOr, kwNot
    // Brackets and separators.
    case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
    case comma, semicolon, colon, dot, dotDot, dotDotLess, arrow, pipe
    // Operators.
    case equal, equalEqual, bangEqual, less, lessEqual, greater, greaterEqual
    case plus, minus, star, starStar, slash, slashSlash, percent
    /// Characters that form no token; already reported by the lexer.
    case invalid
    case endOfFile

    /// The reserved words: the one list every other fact about keywords is derived from (their
    /// spellings come from `spelling`).
    package static let keywordKinds: [TokenKind] = [
        .kwLet, .kwFn, .kwIf, .kwElse, .kwMatch, .kwFor, .kwIn, .kwReturn, .kwImport, .kwAs,
        .kwTrue, .kwFalse, .kwNone, .kwAnd, .kwOr, .kwNot,
    ]

    /// The reserved words, by spelling.
    package static let keywords: [String: TokenKind] = Dictionary(uniqueKeysWithValues: keywordKinds.map { ($0.spelling!, $0) })

    /// The lengths and first bytes of the reserved words, so the lexer looks words up only when
    /// they could be one.
    static let keywordLengths: ClosedRange<Int> = {
        let lengths = keywords.keys.map(\.utf8.count)
        return lengths.min()!...lengths.max()!
    }()
    static let keywordFirstBytes: Set<UInt8> = Set(keywords.keys.map { $0.utf8.first! })
    private static let keywordSet: Set<TokenKind> = Set(keywordKinds)

    /// True for reserved words.
    package var isKeyword: Bool { TokenKind.keywordSet.contains(self) }

    /// True for tokens that may serve as a field name, label or member name (any identifier or keyword).
    package var isName: Bool { self == .identifier || isKeyword }

    /// The fixed spelling of punctuation and keywords; nil for tokens with variable text.
    package var spelling: String? {
        switch self {
        case .identifier, .integer, .float, .string, .invalid, .endOfFile: nil
        case .kwLet: "let"
        case .kwFn: "fn"
        case .kwIf: "if"
        case .kwElse: "else"
        case .kwMatch: "match"
        case .kwFor: "for"
        case .kwIn: "in"
        case .kwReturn: "return"
        case .kwImport: "import"
        case .kwAs: "as"
        case .kwTrue: "true"
        case .kwFalse: "false"
        case .kwNone: "none"
        case .kwAnd: "and"
        case .kwOr: "or"
        case .kwNot: "not"
        case .leftParen: "("
        case .rightParen: ")"
        case .leftBracket: "["
        case .rightBracket: "]"
        case .leftBrace: "{"
        case .rightBrace: "}"
        case .comma: ","
        case .semicolon: ";"
        case .colon: ":"
        case .dot: "."
        case .dotDot: ".."
        case .dotDotLess: "..<"
        case .arrow: "=>"
        case .pipe: "|"
        case .equal: "="
        case .equalEqual: "=="
        case .bangEqual: "!="
        case .less: "<"
        case .lessEqual: "<="
        case .greater: ">"
        case .greaterEqual: ">="
        case .plus: "+"
        case .minus: "-"
        case .star: "*"
        case .starStar: "**"
        case .slash: "/"
        case .slashSlash: "//"
        case .percent: "%"
        }
    }

    /// The binary operator this token spells, if any (ranges are handled separately).
    package var binaryOperator: BinaryOperator? {
        switch self {
        case .plus: .add
        case .minus: .subtract
        case .star: .multiply
        case .slash: .divide
        case .slashSlash: .floorDivide
        case .percent: .remainder
        case .starStar: .power
        case .equalEqual: .equal
        case .bangEqual: .notEqual
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .kwAnd: .and
        case .kwOr: .or
        case .kwIn: .contains
        default: nil
        }
    }

    /// True when a line ending with this token continues on the next line.
    package var continuesLine: Bool {
        switch self {
        case .comma, .leftParen, .leftBracket, .equal, .arrow, .colon, .dotDot, .dotDotLess, .kwNot: true
        default: binaryOperator != nil
        }
    }
}

/// A decoded literal value carried by a token.
package enum TokenValue: Sendable, Equatable {
    case none
    case integer(Int)
    case float(Double)
    case string(String)
}

/// One token: its kind, its byte range in the file, and whether a line break preceded it.
package struct Token: Sendable {
    package var kind: TokenKind
    /// Byte offset of the first byte.
    package var start: Int
    /// Byte offset just past the last byte.
    package var end: Int
    /// True when at least one newline separates this token from the previous one (or the start).
    package var precededByNewline: Bool
    /// The literal's value for integers, floats and strings (escapes decoded).
    package var value: TokenValue

    package init(kind: TokenKind, start: Int, end: Int, precededByNewline: Bool, value: TokenValue = .none) {
        self.kind = kind
        self.start = start
        self.end = end
        self.precededByNewline = precededByNewline
        self.value = value
    }
}
