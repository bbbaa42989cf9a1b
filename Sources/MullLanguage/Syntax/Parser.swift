/// Placeholder for the parser; replaced by the full implementation.
public enum Parser {
    public static func parse(_ file: SourceFile) -> (program: Program, diagnostics: [Diagnostic]) {
        (Program(file: file, items: []), [])
    }
    public static func parseExpression(_ file: SourceFile) -> (Expr?, [Diagnostic]) { (nil, []) }
    public static func needsMoreInput(_ text: String) -> Bool { false }
}
