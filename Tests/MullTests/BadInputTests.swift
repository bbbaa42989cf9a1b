import Foundation
import Testing
@testable import Mull
import MullLanguage

/// One hostile input: its bytes, and whether it is expected to fail.
struct BadInput: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    /// Options for `mull run` besides the file.
    var options: [String] = []
    var testDescription: String { name }

    init(_ name: String, _ text: String, options: [String] = []) {
        self.name = name
        self.bytes = Array(text.utf8)
        self.options = options
    }
    init(_ name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
    }

    static func repeated(_ s: String, _ n: Int) -> String { String(repeating: s, count: n) }

    /// Seeded pseudo-random bytes.
    static func randomBytes(_ n: Int, seed: UInt64) -> [UInt8] {
        var g = Mutator.Generator(seed: seed)
        return (0..<n).map { _ in UInt8(truncatingIfNeeded: g.next()) }
    }

    /// Everything the issue lists (besides the empty file and the 10 MB file, tested apart).
    static let all: [BadInput] = [
        BadInput("random bytes", bytes: randomBytes(4096, seed: 1)),
        BadInput("random ASCII", bytes: randomBytes(4096, seed: 2).map { 32 + $0 % 95 }),
        BadInput("invalid UTF-8 in a string", bytes: Array("let s = \"".utf8) + [0xFF, 0xFE] + Array("\"\nprint(s)\n".utf8)),
        BadInput("truncated UTF-8 sequence at the end", bytes: Array("print(\"caf".utf8) + [0xC3]),
        BadInput("stray continuation bytes", bytes: [0x80, 0x80, 0x41]),
        BadInput("NUL bytes", bytes: Array("let x = 1".utf8) + [0, 0, 0] + Array("\n".utf8)),
        BadInput("10,000 parentheses", repeated("(", 10_000) + "1" + repeated(")", 10_000)),
        BadInput("10,000 brackets", repeated("[", 10_000) + repeated("]", 10_000)),
        BadInput("10,000 unclosed brackets", repeated("[", 10_000)),
        BadInput("10,000 braces", "let x = " + repeated("{ ", 10_000) + "1" + repeated(" }", 10_000)),
        BadInput("10,000 nested ifs", repeated("if true {\n", 10_000) + "1\n" + repeated("}\n", 10_000)),
        BadInput("10,000 nested functions", repeated("fn f() {\n", 10_000) + repeated("}\n", 10_000)),
        BadInput("10,000 nested matches", repeated("match 1 { _ => ", 10_000) + "1" + repeated(" }", 10_000)),
        BadInput("10,000 nested comprehensions", repeated("[", 10_000) + "x" + repeated(" for x in [1]]", 10_000)),
        BadInput("10,000 nested records", repeated("(a: ", 10_000) + "1" + repeated(")", 10_000)),
        BadInput("10,000 nested components", repeated("GridWorld { layout: ", 10_000) + "1" + repeated(" }", 10_000)),
        BadInput("10,000 minus signs", repeated("-", 10_000) + "1"),
        BadInput("10,000 nots", "print(" + repeated("not ", 10_000) + "true)"),
        BadInput("100,000 additions", "print(1" + repeated(" + 1", 100_000) + ")"),
        BadInput("100,000 powers", "print(2" + repeated(" ** 2", 100_000) + ")"),
        BadInput("100,000 member accesses", "let x = 1\nprint(x" + repeated(".a", 100_000) + ")"),
        BadInput("100,000 calls", "print" + repeated("()", 100_000)),
        BadInput("100,000 indexings", "let xs = [1]\nprint(xs" + repeated("[0]", 100_000) + ")"),
        BadInput("unterminated string", "let s = \"abc\nprint(s)\n"),
        BadInput("unterminated string at the end", "print(\"abc"),
        BadInput("unterminated multi-line string", "let s = \"\"\"\n  text\n"),
        BadInput("unterminated block comment", "let x = 1\n/* never closed\nprint(x)\n"),
        BadInput("unterminated nested comment", "/* outer /* inner */ still open\n"),
        BadInput("integer literal too large", "print(99999999999999999999999999)"),
        BadInput("100,000-digit integer", "print(" + repeated("9", 100_000) + ")"),
        BadInput("float literal too large", "print(1e999)"),
        BadInput("hexadecimal literal too large", "print(0x" + repeated("F", 40) + ")"),
        BadInput("minimum integer minus one", "print(-9223372036854775807 - 2)"),
        BadInput("deep recursion", "fn down(n) { down(n + 1) }\ndown(0)\n"),
        BadInput("deep mutual recursion", "fn a(n) { b(n + 1) }\nfn b(n) { a(n + 1) }\na(0)\n"),
        BadInput("deep recursion through map", "fn f(x) { map(f, [x]) }\nf(1)\n"),
        BadInput("deep recursion through a closure", "let f = fn(g) => g(g)\nf(f)\n"),
        BadInput("endless loop with a step budget", "for i in 0..<1000000000000 { }\n", options: ["--step-budget", "100000"]),
        BadInput("endless comprehension with a step budget", "print(len([i for i in 0..<1000000000000]))\n", options: ["--step-budget", "100000"]),
        BadInput("range too long to count", "print(len(range(-9223372036854775807, 9223372036854775807)))"),
        BadInput("index into a range too long to count", "print(range(-9223372036854775807, 9223372036854775807)[-1])"),
        BadInput("string repeated past memory", "print(\"ab\" * 4611686018427387905)"),
        BadInput("empty string repeated forever", "print(len(\"\" * 9223372036854775807))"),
        BadInput("list repeated past memory", "print([1, 2] * 4611686018427387905)"),
        BadInput("huge list of a range", "print(len(list(0..<9223372036854775807)))"),
    ]
}

@Suite("Bad input")
struct BadInputTests {
    /// Every error diagnostic of `diagnostics` has a message and a place; there is at least one.
    static func expectLocatedErrors(_ diagnostics: [Diagnostic], _ what: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let errors = diagnostics.filter { $0.severity == .error }
        #expect(!errors.isEmpty, "\(what): no error reported", sourceLocation: sourceLocation)
        for d in errors {
            #expect(!d.message.isEmpty && d.range != nil && d.id.rawValue != "internal", "\(what): \(d)", sourceLocation: sourceLocation)
        }
    }

    @Test("the interpreter reports a located error", arguments: BadInput.all)
    func throughTheInterpreter(_ input: BadInput) throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("bad.mull", bytes: input.bytes)
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.outputDirectory = nil
        config.run.progress = false
        if let i = input.options.firstIndex(of: "--step-budget") { config.run.stepBudget = Int(input.options[i + 1]) }
        let interpreter = Interpreter(configuration: config)
        do {
            try interpreter.evaluateFile(file.path)
            Issue.record("\(input.name): evaluated without an error")
        } catch let e as DiagnosticsError {
            BadInputTests.expectLocatedErrors(e.diagnostics, input.name)
        }
        // `check` must not crash either; syntax errors it finds are located.
        for d in Interpreter().checkFile(file.path) {
            #expect(!d.message.isEmpty && d.range != nil, "check: \(d)")
        }
    }

    @Test("mull run exits 1 with a file:line:col error", arguments: BadInput.all)
    func throughTheExecutable(_ input: BadInput) throws {
        let folder = try TemporaryFolder()
        let file = try folder.write("bad.mull", bytes: input.bytes)
        guard let r = try MullExecutable.run(["run", "--no-output", "--diagnostics", "line"] + input.options + [file.path]) else { return }
        r.expectCleanFailure(input.name)
        #expect(r.stderr.contains("bad.mull:"), "\(input.name): the error names the file")
    }

    @Test func emptyAndBlankFilesAreValidEmptyScripts() throws {
        // An empty script is a program with no statements: it succeeds and prints nothing.
        let folder = try TemporaryFolder()
        for (name, text) in [("empty.mull", ""), ("blank.mull", "\n\n   \n\t\n"), ("comments.mull", "# only a comment\n/* and a block */\n")] {
            let file = try folder.write(name, text)
            #expect(Interpreter().checkFile(file.path).isEmpty)
            #expect(throws: Never.self) { try Interpreter().evaluateFile(file.path) }
            guard let r = try MullExecutable.run(["run", "--no-output", file.path]) else { return }
            #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "\(name): \(r.status) \(r.stderr)")
            guard let c = try MullExecutable.run(["check", file.path]) else { return }
            #expect(c.status == 0 && c.stderr.isEmpty)
        }
    }

    @Test func aTenMegabyteFileGetsOneLocatedError() throws {
        // 10 MB of valid statements with one unclosed parenthesis on the last line.
        let line = "let value = [1, 2, 3]  # " + String(repeating: "x", count: 60) + "\n"
        let count = 10 * 1024 * 1024 / line.utf8.count + 1
        let folder = try TemporaryFolder()
        let file = try folder.write("big.mull", String(repeating: line, count: count) + "let broken = (\n")
        guard let r = try MullExecutable.run(["check", "--diagnostics", "line", file.path]) else { return }
        r.expectCleanFailure("10 MB file")
        #expect(r.stderr.contains("big.mull:\(count + 1):") || r.stderr.contains("big.mull:\(count + 2):"), "\(r.stderr.prefix(500))")
    }

    @Test func missingAndUnreadableFilesFailCleanly() throws {
        let folder = try TemporaryFolder()
        guard let r = try MullExecutable.run(["run", "--no-output", folder.path("nothing.mull")]) else { return }
        r.expectCleanFailure("missing file", located: false)
        #expect(r.stderr.contains("cannot read"))
        guard let d = try MullExecutable.run(["run", "--no-output", folder.url.path]) else { return }
        d.expectCleanFailure("a folder", located: false)
        #expect(d.stderr.contains("folder"))
    }

    @Test func deeplyNestedDataDoesNotCrashTheExecutable() throws {
        // 300,000 nested lists: releasing them recursively used to overflow the main stack.
        let folder = try TemporaryFolder()
        // Printing and comparing them recursed past the 512 MiB evaluation stack.
        let file = try folder.write("deep.mull", """
            let x = reduce(fn(acc, i) => [acc], [], range(300000))
            let y = reduce(fn(acc, i) => [acc], [1], range(300000))
            print(len(x), x == x, x == y, len(str(x)))

            """)
        guard let r = try MullExecutable.run(["run", "--no-output", file.path]) else { return }
        #expect(!r.crashed && r.status == 0 && r.stdout == "1 true false 2005\n", "\(r.status) \(r.stdout) \(r.stderr.prefix(500))")
    }
}
