import Testing
@testable import MullLanguage

@Suite struct RendererTests {
    let file = SourceFile(path: "script.mull", text: """
    fn fib(n) {
        n + 1
    }
    \tlet tab = oops
    let 日本 = 語x
    let span = (1 +
        2)
    """)

    func range(_ text: String, line: Int) -> SourceRange {
        let lineText = Array(file.lineText(line).utf8)
        let needle = Array(text.utf8)
        let i = (0...(lineText.count - needle.count)).first { Array(lineText[$0..<$0 + needle.count]) == needle }!
        let start = file.lineStarts[line - 1] + i
        return SourceRange(file: file, start: start, end: start + needle.count)
    }

    @Test func oneLineWithNotesAndHelp() {
        let d = Diagnostic(.expectedToken, .error, "unknown field `planing_steps`", at: range("n + 1", line: 2),
                           notes: [.init("`fib` declared here", at: range("fib", line: 1)), .init("fields are listed in the reference")],
                           suggestion: .init("did you mean `planning_steps`?"))
        #expect(DiagnosticRenderer.oneLine(d) == """
        script.mull:2:5: error: unknown field `planing_steps`
        script.mull:1:4: note: `fib` declared here
        note: fields are listed in the reference
        help: did you mean `planning_steps`?
        """)
        let bare = Diagnostic("x", .warning, "no place", at: nil)
        #expect(DiagnosticRenderer.oneLine(bare) == "warning: no place")
    }

    @Test func excerptUnderlinesTheRange() {
        let d = Diagnostic("t", .error, "cannot add", at: range("n + 1", line: 2),
                           notes: [.init("`fib` declared here", at: range("fib", line: 1))],
                           suggestion: .init("did you mean `planning_steps`?"),
                           backtrace: [.init(function: "fib", range: range("n + 1", line: 2)), .init(function: "<script>", range: nil)])
        #expect(DiagnosticRenderer.excerpt(d, color: false) == """
        script.mull:2:5: error: cannot add
        2 |     n + 1
          |     ^~~~~
        script.mull:1:4: note: `fib` declared here
        1 | fn fib(n) {
          |    ^~~
        help: did you mean `planning_steps`?
          in fib at script.mull:2:5
          in <script>
        """)
    }

    @Test func tabsAndWideCharactersKeepTheCaretAligned() {
        let t = Diagnostic("t", .error, "unknown name `oops`", at: range("oops", line: 4))
        #expect(DiagnosticRenderer.excerpt(t, color: false) == """
        script.mull:4:12: error: unknown name `oops`
        4 |     let tab = oops
          |               ^~~~
        """)
        let w = Diagnostic("t", .error, "unknown name `語x`", at: range("語x", line: 5))
        #expect(DiagnosticRenderer.excerpt(w, color: false) == """
        script.mull:5:10: error: unknown name `語x`
        5 | let 日本 = 語x
          |            ^~~
        """)
    }

    @Test func multiLineRangesAreUnderlinedToTheEndOfTheFirstLine() {
        let start = range("(1 +", line: 6).start
        let end = range("2)", line: 7).end
        let d = Diagnostic("t", .error, "bad", at: SourceRange(file: file, start: start, end: end))
        #expect(DiagnosticRenderer.excerpt(d, color: false) == """
        script.mull:6:12: error: bad
        6 | let span = (1 +
          |            ^~~~
        """)
    }

    @Test func emptyRangeAtEndOfFile() {
        let f = SourceFile(path: "e.mull", text: "let x =")
        let d = Parser.parse(f).diagnostics[0]
        #expect(DiagnosticRenderer.excerpt(d, color: false) == """
        e.mull:1:8: error: expected an expression, found end of file
        1 | let x =
          |        ^
        """)
    }

    @Test func colorOnlyWhenAsked() {
        let d = Diagnostic("t", .error, "bad", at: range("n", line: 2), suggestion: .init("fix it"))
        #expect(!DiagnosticRenderer.excerpt(d, color: false).contains("\u{1B}"))
        let colored = DiagnosticRenderer.excerpt(d, color: true)
        #expect(colored.contains("\u{1B}[31m"))
        #expect(colored.contains("\u{1B}[0m"))
    }

    @Test func parserDiagnosticEndToEnd() {
        let f = SourceFile(path: "example.mull", text: "fn f() {\n  1\n")
        let d = Parser.parse(f).diagnostics
        #expect(d.map(DiagnosticRenderer.oneLine) == ["""
        example.mull:3:1: error: expected `}` to close the block opened here
        example.mull:1:8: note: `{` opened here
        """])
    }
}
