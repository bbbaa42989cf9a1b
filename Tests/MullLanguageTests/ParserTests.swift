import Testing
@testable import MullLanguage

@Suite struct ParserTests {
    @Test(arguments: [
        ("1 + 2 * 3", "(+ 1 (* 2 3))"),
        ("1 - 2 - 3", "(- (- 1 2) 3)"),
        ("2 ** 3 ** 2", "(** 2 (** 3 2))"),
        ("-2 ** 2", "(- (** 2 2))"),
        ("2 ** -1", "(** 2 (- 1))"),
        ("a // b % c / d * e", "(* (/ (% (// a b) c) d) e)"),
        ("- - x", "(- (- x))"),
        ("not a and b or c", "(or (and (not a) b) c)"),
        ("not a == b", "(not (== a b))"),
        ("a or b and c", "(or a (and b c))"),
        ("x in xs and y", "(and (in x xs) y)"),
        ("a + 1 < b * 2", "(< (+ a 1) (* b 2))"),
        ("0..n - 1", "(.. 0 (- n 1))"),
        ("0..<3", "(..< 0 3)"),
        ("x in 1..10", "(in x (.. 1 10))"),
        ("-x.y(1)[2]", "(- (index (call (. x y) 1) 2))"),
        ("f(a, by: 2)(3)", "(call (call f a by:2) 3)"),
        ("a.b.c", "(. (. a b) c)"),
        ("a != b", "(!= a b)"),
        ("a >= b", "(>= a b)"),
        ("a <= b", "(<= a b)"),
        ("a > b", "(> a b)"),
    ])
    func precedence(_ source: String, _ expected: String) {
        #expect(tree(source) == expected)
    }

    @Test(arguments: [
        ("42", "42"), ("0.5", "0.5"), (#""s""#, #""s""#), ("true", "true"), ("false", "false"),
        ("none", "none"), (".left", ".left"), ("x", "x"),
        ("[]", "(list)"), ("[1, 2,]", "(list 1 2)"), ("[\n1,\n2\n]", "(list 1 2)"),
        ("()", "(record)"), ("(1)", "1"), ("(1,)", "(record 1)"), ("(1, 2)", "(record 1 2)"),
        ("(next: n, reward: 0.0)", "(record next:n reward:0.0)"),
        ("(if: 1, for: 2)", "(record if:1 for:2)"),
        ("[x for x in xs]", "(comprehension x (for x xs))"),
        ("[x * y for x in xs if x > 0 for y in ys]", "(comprehension (* x y) (for x xs) (if (> x 0)) (for y ys))"),
        ("if c { 1 }", "(if c (block 1))"),
        ("if c { 1 } else { 2 }", "(if c (block 1) (block 2))"),
        ("if a { 1 } else if b { 2 } else { 3 }", "(if a (block 1) (block (if b (block 2) (block 3))))"),
        ("if a {\n 1\n}\nelse {\n 2\n}", "(if a (block 1) (block 2))"),
        ("fn(x, y) { x + y }", "(fn (x y) (block (+ x y)))"),
        ("fn(x) => x + 1", "(fn (x) (block (+ x 1)))"),
        ("fn() => 0", "(fn () (block 0))"),
        ("Tabular {}", "(Tabular)"),
        ("x.model", "(. x model)"),
        ("x.if", "(. x if)"),
        ("xs.len", "(. xs len)"),
        ("xs[0][1]", "(index (index xs 0) 1)"),
    ])
    func primaries(_ source: String, _ expected: String) {
        #expect(tree(source) == expected)
    }

    @Test func match() {
        #expect(tree("match a { .left => \"L\", .right | .up => \"R\", _ => \"?\" }")
                == #"(match a (.left => "L") ((| .right .up) => "R") (_ => "?"))"#)
        let multi = """
        match r {
            (next: n, reward: _) if n > 0 => n
            (a, b) => { let c = a + b
                c }
            -1 => 0
            1..5 => 1
            0..<1 => 2
            -3.5 => 3
            "s" | true | none => 4
            .left => 5
            k => k
        }
        """
        #expect(tree(multi) == "(match r ((tuple next:$n reward:_) if (> n 0) => n) ((tuple $a $b) => (block (let c (+ a b)) c)) (-1 => 0) ((.. 1 5) => 1) ((..< 0 1) => 2) (-3.5 => 3) ((| \"s\" true none) => 4) (.left => 5) ($k => k))")
    }

    @Test func armsStartingWithSymbolsAreNotMemberAccess() {
        #expect(tree("match a {\n  .left => x\n  .right => y\n}") == "(match a (.left => x) (.right => y))")
    }

    @Test func methodChainsAcrossLines() {
        #expect(tree("let y = xs\n    .map(f)\n    .len") == "(let y (. (call (. xs map) f) len))")
    }

    @Test func newlinesEndExpressions() {
        #expect(tree("a\n(b)") == "a\nb")
        #expect(tree("a\n[1]") == "a\n(list 1)")
        #expect(tree("a\n-1") == "a\n(- 1)")
        #expect(tree("a +\n b") == "(+ a b)")
        #expect(tree("f(a,\n b)") == "(call f a b)")
        #expect(tree("let x =\n 1") == "(let x 1)")
        #expect(tree("a; b; c") == "a\nb\nc")
    }

    @Test func statements() {
        #expect(tree("let x = 1") == "(let x 1)")
        #expect(tree("fn f(a, b = 2) { return a + b }") == "(fn f (a b=2) (block (return (+ a b))))")
        #expect(tree("fn f() { return }") == "(fn f () (block (return)))")
        #expect(tree("for x in xs { print(x) }") == "(for x xs (block (call print x)))")
        #expect(tree("fn g() {\n let a = 1\n\n a\n}") == "(fn g () (block (let a 1) a))")
    }

    @Test func topLevel() {
        #expect(tree("import \"std/mazes\"") == "(import \"std/mazes\")")
        #expect(tree("import \"lib/common.mull\" as common") == "(import \"lib/common.mull\" as common)")
        #expect(tree("env maze = GridWorld { layout: mazes.dyna }") == "(env maze (GridWorld (layout: (. mazes dyna))))")
        #expect(tree("model m = Tabular {}") == "(model m (Tabular))")
        #expect(tree("agent b = a.with(alpha: 0.5)") == "(agent b (call (. a with) alpha:0.5))")
        #expect(tree("sweep s { agent: a, seeds: 3 }") == "(sweep s (Sweep (agent: a) (seeds: 3)))")
        #expect(tree("run s") == "(run s)")
        #expect(tree("run(s)") == "(call run s)")
        #expect(tree("let env = 1\nenv + 1") == "(let env 1)\n(+ env 1)")
        #expect(tree("model\nagent") == "model\nagent")
    }

    @Test func sweepDeclarationShape() {
        let (program, _) = parseProgram("sweep fig { vary alpha: [0.1] }")
        guard case .component(let decl) = program.items[0].kind,
              case .component(let name, let entries) = decl.value.kind else {
            Issue.record("not a component declaration")
            return
        }
        #expect(decl.kind == .sweep && decl.name.name == "fig" && name.name == "Sweep" && entries.count == 1)
        #expect(decl.keywordRange.text == "sweep")
        #expect(decl.value.range.text == "sweep fig { vary alpha: [0.1] }")
    }

    @Test func componentEntries() {
        let src = """
        Sweep {
            vary planning_steps: [0, 5]
            vary alpha, epsilon: [1]
            vary (dyna.alpha, maze.size): [(0.1, 5)]
            vary: 3
            step(s, a) { s }
            reward(s) => 0
            model: Tabular {}; if: 1
        }
        """
        #expect(tree(src) == "(Sweep (vary (planning_steps) (list 0 5)) (vary (alpha epsilon) (list 1)) (vary (dyna.alpha maze.size) (list (record 0.1 5))) (vary: 3) (fn step (s a) (block s)) (fn reward (s) (block 0)) (model: (Tabular)) (if: 1))")
    }

    @Test func componentLiteralRestriction() {
        #expect(tree("if x { 1 }") == "(if x (block 1))")
        #expect(tree("for a in xs { a }") == "(for a xs (block a))")
        #expect(tree("match m { _ => 1 }") == "(match m (_ => 1))")
        #expect(tree("if (A {}) == b { 1 }") == "(if (== (A) b) (block 1))")
        #expect(tree("if a {\n 1\n}") == "(if a (block 1))")
        #expect(messages("let a = A\n{}") == ["expected an expression, found `{`"])
    }

    @Test func tripleQuotedLayout() {
        let src = "env m = GridWorld {\n    layout: \"\"\"\n        #.G\n        S.#\n        \"\"\"\n}"
        #expect(tree(src) == "(env m (GridWorld (layout: \"#.G\\nS.#\")))")
    }

    @Test func nodeRanges() {
        let (program, _) = parseProgram("let total = f(a, b: 2) + xs[3]")
        guard case .statement(let s) = program.items[0].kind, case .letBinding(let name, let value) = s.kind,
              case .binary(_, let call, let index) = value.kind else {
            Issue.record("unexpected shape")
            return
        }
        #expect(s.range.text == "let total = f(a, b: 2) + xs[3]")
        #expect(name.range.text == "total")
        #expect(value.range.text == "f(a, b: 2) + xs[3]")
        #expect(call.range.text == "f(a, b: 2)")
        #expect(index.range.text == "xs[3]")
        #expect(value.range.startLocation.description == "1:13")
    }

    @Test func parseExpressionEntryPoint() {
        let (e, d) = Parser.parseExpression(SourceFile(path: "<expr>", text: "1 +\n 2"))
        #expect(d.isEmpty)
        #expect(e.map(ASTDump.dump) == "(+ 1 2)")
        let (bad, diags) = Parser.parseExpression(SourceFile(path: "<expr>", text: "1 2"))
        #expect(bad == nil)
        #expect(diags.map(\.message) == ["unexpected `2` after the expression"])
    }

    @Test(arguments: [
        ("(1 + ", true), ("[1,\n2", true), ("fn f() {", true), ("x = \"\"\"\nabc", true), ("/* a", true),
        ("1 +", true), ("let x =", true), ("a and", true), ("f(", true), ("if c { 1 } else", true),
        ("1 + 2", false), ("let x = 1", false), ("", false), ("f())", false), ("\"abc", false), ("x # (", false),
    ])
    func needsMoreInput(_ text: String, _ expected: Bool) {
        #expect(Parser.needsMoreInput(text) == expected)
    }
}

@Suite struct ParserDiagnosticTests {
    @Test func positionsOfErrors() {
        let cases = [
            "let x = 1️⃣)",
            "let 1️⃣= = 1",
            "let a = [1, 2 1️⃣3]",
            "print(1 1️⃣2)",
            "let a = 1 1️⃣2",
            "fn f(1️⃣1) { }",
            "if x { 1 }\nelse 1️⃣3",
            "match x { 1️⃣+ => 1 }",
            "GridWorld { 1️⃣+: 1 }",
            "let y = 1️⃣.5",
            "let z = a < b 1️⃣< c",
        ]
        for c in cases {
            let p = diagnosticPlaces(c)
            #expect(p.actual == p.expected, "\(c): \(p.messages)")
        }
    }

    @Test func messagesOfErrors() {
        #expect(messages("let x = )") == ["unexpected `)`"])
        #expect(messages("let x =") == ["expected an expression, found end of file"])
        #expect(messages("let 1 = 2") == ["expected a name after `let`, found `1`"])
        #expect(messages("let if = 2") == ["expected a name after `let`, found `if` (`if` is a keyword)"])
        #expect(messages("let a = 1 2") == ["expected a line break or `;` before `2`"])
        #expect(messages("GridWorld { a 1 }") == ["expected `:` after the field name `a`, found `1`"])
        #expect(messages("a..b..c") == ["range operators cannot be chained"])
        #expect(messages("x = 1") == ["expected a line break or `;` before `=`"])
    }

    @Test func chainedComparisonSuggestion() {
        let d = parseProgram("a < b < c").diagnostics
        #expect(d.map(\.message) == ["comparison operators cannot be chained"])
        #expect(d.first?.suggestion?.message == "did you mean `a < b and b < c`?")
        #expect(d.first?.suggestion?.replacement == "a < b and b < c")
    }

    @Test func leadingDotFloatSuggestion() {
        let d = parseProgram("let y = .5").diagnostics
        #expect(d.first?.suggestion?.replacement == "0.5")
        #expect(dumpProgram("let y = .5") == "(let y 0.5)")
    }

    @Test func unclosedBlockNotesTheOpener() {
        let (text, places) = stripMarkers("fn f() 1️⃣{\n  let a = 1\n2️⃣")
        let d = parseProgram(text).diagnostics
        #expect(d.map(\.message) == ["expected `}` to close the block opened here"])
        #expect(d.first?.range?.startLocation.description == places[1])
        #expect(d.first?.notes.first?.range?.startLocation.description == places[0])
        #expect(d.first?.notes.first?.message == "`{` opened here")
    }

    @Test func unclosedParenthesisBeforeNextStatement() {
        let d = parseProgram("let a = f(1, 2\nlet b = 3\nlet c = b").diagnostics
        #expect(d.map(\.message) == ["expected `)` to close the argument list opened here"])
        #expect(dumpProgram("let a = f(1, 2\nlet b = 3\nlet c = b") == "(let a (call f 1 2))\n(let b 3)\n(let c b)")
    }

    @Test func threeIndependentErrorsGiveThreeDiagnostics() {
        let src = """
        let a = (1 + ) * 2
        let ok = 1
        env maze = GridWorld {
            layout: mazes.dyna
            goal_reward 1
            size: 3
        }
        fn f(x) {
            let y = x +* 2
            y
        }
        let fine = [1, 2, 3]
        """
        let d = parseProgram(src).diagnostics
        #expect(d.count == 3, "\(d.map(\.description))")
        #expect(d.map { $0.range!.startLocation.line } == [1, 5, 9])
        // Everything else still parsed.
        #expect(parseProgram(src).program.items.count == 5)
    }

    @Test func lexerErrorsAreNotReportedTwice() {
        let d = parseProgram("let a = 1 @ 2\nlet b = $\nlet c = (1 && 2)").diagnostics
        #expect(d.map(\.message) == ["unexpected character `@`", "unexpected character `$`", "unexpected `&&`"])
    }

    @Test func strayClosersAndRecovery() {
        let d = parseProgram("}\n)\nlet a = 1\n]").diagnostics
        #expect(d.map(\.message) == ["unexpected `}`", "unexpected `)`", "unexpected `]`"])
    }

    @Test func errorsInsideBlocksRecoverWithinTheBlock() {
        let src = "fn f() {\n  let = 1\n  let b = 2 3\n  b\n}\nlet after = 1"
        let (program, d) = parseProgram(src)
        #expect(d.count == 2)
        #expect(ASTDump.dump(program) == "(fn f () (block (let b 2) b))\n(let after 1)")
    }
}

@Suite struct UnclosedBodyTests {
    @Test func unclosedComponentBodyStopsAtTheNextDeclaration() {
        let src = "env maze = GridWorld {\n    size: 3\n\nagent dyna = DynaQ {\n    env: maze\n}\nlet x = 1"
        let (program, d) = parseProgram(src)
        #expect(d.map(\.message) == ["expected `}` to close the body of `GridWorld` opened here"])
        #expect(d.first?.range?.startLocation.description == "4:1")
        #expect(program.items.count == 3)
    }

    @Test func unclosedFunctionBodyStopsAtTheNextDeclaration() {
        let d = parseProgram("fn f() {\n  1\nenv m = A {}\n").diagnostics
        #expect(d.map(\.message) == ["expected `}` to close the block opened here"])
    }

    @Test func unclosedMatchStopsAtLet() {
        let d = parseProgram("let m = match x {\n  1 => 2\nlet y = 3").diagnostics
        #expect(d.map(\.message) == ["expected `}` to close the match opened here"])
    }
}

@Suite struct KeywordNamedFieldTests {
    @Test func keywordFieldsOnTheirOwnLines() {
        #expect(tree("A {\n  let: 1\n  return: 2\n  import(x) => x\n}") == "(A (let: 1) (return: 2) (fn import (x) (block x)))")
        #expect(tree("let r = (\n  let: 1,\n  return: 2\n)") == "(let r (record let:1 return:2))")
    }
}
