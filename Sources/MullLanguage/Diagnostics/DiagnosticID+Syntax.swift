/// The catalog of diagnostics produced by the lexer and the parser.
extension DiagnosticID {
    /// A character that cannot start any token (`@`, `$`, a lone `&`, ...).
    public static let unexpectedCharacter: DiagnosticID = "unexpected-character"
    /// The file's bytes are not valid UTF-8.
    public static let invalidUTF8: DiagnosticID = "invalid-utf8"
    /// A `"` string with no closing quote on its line.
    public static let unterminatedString: DiagnosticID = "unterminated-string"
    /// A `/*` comment with no matching `*/`.
    public static let unterminatedComment: DiagnosticID = "unterminated-comment"
    /// `\q` and other unknown escapes, or `\u{...}` that is not a Unicode scalar.
    public static let invalidEscape: DiagnosticID = "invalid-escape"
    /// A multi-line string whose layout breaks the rules (opening, closing, indentation).
    public static let invalidMultilineString: DiagnosticID = "invalid-multiline-string"
    /// An integer literal outside the 64-bit range.
    public static let integerOverflow: DiagnosticID = "integer-overflow"
    /// A float literal too large to represent.
    public static let floatOverflow: DiagnosticID = "float-overflow"
    /// A malformed number (`0x`, `1e`, `12abc`, `.5`).
    public static let invalidNumber: DiagnosticID = "invalid-number"
    /// A token that cannot appear where it was found.
    public static let unexpectedToken: DiagnosticID = "unexpected-token"
    /// A specific token was required (`=`, `:`, `=>`, a name, ...).
    public static let expectedToken: DiagnosticID = "expected-token"
    /// An expression was required.
    public static let expectedExpression: DiagnosticID = "expected-expression"
    /// A bracket or brace that is never closed.
    public static let unclosedDelimiter: DiagnosticID = "unclosed-delimiter"
    /// Two statements or entries on one line without a separator.
    public static let missingSeparator: DiagnosticID = "missing-separator"
    /// `a < b < c` or `a..b..c`.
    public static let nonAssociativeOperator: DiagnosticID = "non-associative-operator"
    /// A pattern that is not one of the allowed forms.
    public static let invalidPattern: DiagnosticID = "invalid-pattern"
    /// More nesting than the parser accepts.
    public static let nestingTooDeep: DiagnosticID = "nesting-too-deep"
}
