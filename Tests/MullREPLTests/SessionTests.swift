import Foundation
import Mull
import MullLanguage
import Testing
@testable import MullREPL

@Suite struct SessionGatheringTests {
    func session() -> (ReplSession, Interpreter) {
        let i = Fixture.interpreter()
        return (ReplSession(interpreter: i, needsMoreInput: Fixture.bracketCounting), i)
    }

    @Test func unfinishedEntryContinuesOnTheNextLine() {
        let (s, i) = session()
        let first = s.handle(line: "let xs = [1,")
        #expect(first.prompt == "  ... ")
        #expect(s.prompt == ReplSession.continuationPrompt)
        #expect(i.loadedSources.isEmpty)
        let second = s.handle(line: "  2]")
        #expect(second.prompt == "mull> ")
        #expect(s.pending.isEmpty)
        #expect(i.loadedSources.last?.text == "let xs = [1,\n  2]")
        #expect(i.loadedSources.last?.path == "<repl>")
    }

    @Test func loadingAFileDefinesButDoesNotRunItsSweeps() throws {
        let (s, i) = session()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mull-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("s.mull")
        try """
            env maze = GridWorld { layout: "S.G" }
            agent q = QLearning { env: maze }
            sweep long { agent: q, seeds: 1000, episodes: 100000 }
            run long
            print("loaded")
            """.write(to: file, atomically: true, encoding: .utf8)
        let out = s.load(file.path)
        #expect(!out.failed, "\(out.errors)")
        #expect(out.output.contains("not run: sweep `long` (type `run long` to run it)"), "\(out.output)")
        #expect(i.loadedSources.last?.path == file.path)
        // The definitions are there.
        #expect(s.handle(line: "q.train(episodes: 1).episodes").output.contains("1"))
    }

    @Test func aRecalledMultiLineEntryRunsAsOne() {
        // History recalls a multi-line entry as one line holding newlines.
        let (s, i) = session()
        let out = s.handle(line: "fn twice(x) {\n  2 * x\n}")
        #expect(!out.failed, "\(out.errors)")
        #expect(s.prompt == ReplSession.primaryPrompt)
        #expect(s.handle(line: "twice(21)").output.contains("42"))
        #expect(i.loadedSources.count == 2)
    }

    @Test func blankLineEndsAnEntryThatCannotBeFinished() {
        let (s, i) = session()
        s.handle(line: "GridWorld {")
        s.handle(line: "  width: 3")
        #expect(i.loadedSources.isEmpty)
        let r = s.handle(line: "")
        #expect(r.prompt == "mull> ")
        #expect(i.loadedSources.last?.text == "GridWorld {\n  width: 3")
    }

    @Test func blankLinesInsideATripleQuotedStringAreContent() {
        let i = Fixture.interpreter()
        let s = ReplSession(interpreter: i, needsMoreInput: { SourceScanner($0).endsInsideTripleQuotedString })
        s.handle(line: "let maze = \"\"\"")
        s.handle(line: "S..")
        #expect(s.handle(line: "").prompt == "  ... ")
        s.handle(line: "..G")
        s.handle(line: "\"\"\"")
        #expect(i.loadedSources.last?.text == "let maze = \"\"\"\nS..\n\n..G\n\"\"\"")
    }

    @Test func pipedInputKeepsBlankLinesInsideAnEntry() {
        let i = Fixture.interpreter()
        let s = ReplSession(interpreter: i, blankLineEndsEntry: false, needsMoreInput: Fixture.bracketCounting)
        s.handle(line: "sweep {")
        #expect(s.handle(line: "").prompt == "  ... ")
        s.handle(line: "}")
        #expect(i.loadedSources.last?.text == "sweep {\n\n}")
    }

    @Test func blankLinesAtThePromptDoNothing() {
        let (s, i) = session()
        #expect(s.handle(line: "   ") == ReplOutput())
        #expect(i.loadedSources.isEmpty)
    }

    @Test func commandsAreNotGatheredIntoAnEntry() {
        let (s, _) = session()
        s.handle(line: "f(")
        // Inside an entry a line starting with a colon is source text (e.g. a field).
        let r = s.handle(line: ":q")
        #expect(!r.quit)
        #expect(s.pendingText == "f(\n:q")
        s.discardPending()
        #expect(s.handle(line: ":q").quit)
    }

    @Test func finishEvaluatesAnUnfinishedEntry() {
        let (s, i) = session()
        s.handle(line: "[1,")
        _ = s.finish()
        #expect(i.loadedSources.last?.text == "[1,")
        #expect(s.pending.isEmpty)
    }

    @Test func linesCountAcrossEntriesForPipedInput() {
        let i = Fixture.interpreter()
        let s = ReplSession(interpreter: i, path: "<stdin>", style: .oneLine, countsLinesAcrossEntries: true,
                            needsMoreInput: Fixture.bracketCounting)
        s.handle(line: "a")
        s.handle(line: "")
        s.handle(line: "b")
        // The third line is evaluated with two blank lines in front, so it reports line 3.
        #expect(i.loadedSources.last?.text == "\n\nb")
        #expect(i.loadedSources.last?.path == "<stdin>")
    }
}

@Suite struct MetaCommandTests {
    let interpreter = Fixture.interpreter()
    var session: ReplSession { ReplSession(interpreter: interpreter) }

    @Test func helpListsCommandsBuiltinsAndComponents() {
        let r = session.handle(line: ":help")
        #expect(!r.failed)
        for expected in [":load FILE", ":type EXPR", ":globals", ":reset", ":quit, :q", "print", "len", "TestWorld"] {
            #expect(r.output.contains(expected), "missing \(expected)")
        }
    }

    @Test func helpForAComponentShowsItsFieldsTable() {
        let r = session.handle(line: ":help TestWorld")
        #expect(r.errors.isEmpty)
        let lines = r.output.split(separator: "\n").map(String.init)
        #expect(lines[0] == "TestWorld (env)")
        #expect(lines[1] == "A corridor of cells for tests.")
        #expect(lines.contains("  name    type    default   range        doc"))
        #expect(lines.contains("  width   int     5         in [1, 100]  number of cells"))
        #expect(lines.contains("  slip    float   0.0       in [0, 1]    chance a move fails"))
        #expect(lines.contains("  layout  string  required  -            the cells as text (also: map)"))
        #expect(lines.contains("  reset()  back to the start cell"))
    }

    @Test func helpForAGlobalShowsItsTypeAndValue() {
        interpreter.setGlobal("gamma", .float(0.95))
        #expect(session.handle(line: ":help gamma").output == "gamma: float = 0.95\n")
    }

    @Test func helpForADeclaredComponentNamesItOnce() {
        #expect(session.handle(line: "env w = TestWorld { layout: \"S.G\", width: 3 }").errors.isEmpty)
        let lines = session.handle(line: ":help w").output.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "env w = TestWorld { layout: \"S.G\", width: 3 }")
        #expect(lines[1] == "")
        #expect(lines[2] == "TestWorld (env)")
        #expect(session.handle(line: "let v = w").errors.isEmpty)
        #expect(session.handle(line: ":help v").output.hasPrefix("v: env = env w = TestWorld {"))
    }

    @Test func helpForACommand() {
        #expect(session.handle(line: ":help :load").output.hasPrefix(":load FILE\n"))
        #expect(session.handle(line: ":help reset").output.hasPrefix(":reset\n"))
    }

    @Test func helpForAnUnknownNameSuggests() {
        let r = session.handle(line: ":help TestWorl")
        #expect(r.failed)
        #expect(r.errors == "error: no help for `TestWorl`; did you mean `TestWorld`?\n")
    }

    @Test(arguments: [(":hlep", ":help"), (":glob", ":globals"), (":lod", ":load"), (":rest", ":reset")])
    func unknownCommandSuggestsTheClosest(typed: String, suggested: String) {
        let r = session.handle(line: typed)
        #expect(r.failed)
        #expect(r.errors.contains("unknown command `\(typed)`; did you mean `\(suggested)`?"))
    }

    @Test func quitAndItsAlias() {
        #expect(session.handle(line: ":quit").quit)
        #expect(session.handle(line: "  :q").quit)
        #expect(!session.handle(line: ":help").quit)
    }

    @Test func globalsListsNamesAndTypes() {
        #expect(session.handle(line: ":globals").output == "no globals yet\n")
        interpreter.setGlobal("episodes", .int(10))
        interpreter.setGlobal("rates", .list([.float(0.1)]))
        #expect(session.handle(line: ":globals").output == "episodes  int\nrates     list\n")
    }

    @Test func typeOfAGlobalNeedsNoEvaluation() {
        interpreter.setGlobal("r", .record(Record([("next", .int(3)), ("reward", .float(0))])))
        #expect(session.handle(line: ":type r").output == "record\n")
        #expect(session.handle(line: ":type").failed)
    }

    @Test func resetForgetsGlobals() {
        interpreter.setGlobal("x", .int(1))
        let r = session.handle(line: ":reset")
        #expect(r.output == "session reset\n")
        #expect(interpreter.globalNames.isEmpty)
        #expect(interpreter.global("x") == nil)
    }

    @Test func loadingAMissingFileReportsAndKeepsState() {
        interpreter.setGlobal("x", .int(1))
        let r = session.handle(line: ":load /nonexistent/dir/script.mull")
        #expect(r.failed)
        #expect(r.errors.contains("cannot read `/nonexistent/dir/script.mull`"))
        #expect(interpreter.global("x").map { $0.isEqual(to: .int(1)) } == true)
        #expect(session.handle(line: ":load").failed)
    }

    @Test func loadEvaluatesTheFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("repl-load-\(UUID().uuidString).mull")
        try "let loaded = 42\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let r = session.handle(line: ":load \"\(url.path)\"")
        #expect(!r.failed)
        #expect(interpreter.loadedSources.last?.text == "let loaded = 42\n")
    }
}

/// Evaluation through the real parser; enabled once it is in.
@Suite(.enabled(if: Fixture.parserAvailable, "needs the parser"))
struct SessionEvaluationTests {
    let printed = PrintBuffer()
    let interpreter: Interpreter
    let session: ReplSession
    init() {
        interpreter = Fixture.interpreter(printed: printed)
        session = ReplSession(interpreter: interpreter)
    }

    @Test func expressionsShowTheirValue() {
        #expect(session.handle(line: "1 + 2").output == "3\n")
        #expect(session.handle(line: "\"a\"").output == "\"a\"\n")
        #expect(session.handle(line: "[1, 2.5]").output == "[1, 2.5]\n")
    }

    @Test func declarationsShowNothing() {
        let r = session.handle(line: "let x = 5")
        #expect(r.output.isEmpty && r.errors.isEmpty)
        #expect(session.handle(line: "x * 2").output == "10\n")
    }

    @Test func printedTextGoesToTheInterpreterOutput() {
        let r = session.handle(line: "print(\"hi\")")
        #expect(r.output.isEmpty)
        #expect(printed.contents == "hi\n")
    }

    @Test func multiLineEntry() {
        #expect(session.handle(line: "let xs = [1,").prompt == "  ... ")
        #expect(session.handle(line: "2, 3]").prompt == "mull> ")
        #expect(session.handle(line: "len(xs)").output == "3\n")
    }

    @Test func anErrorKeepsTheSessionState() {
        session.handle(line: "let y = 1")
        let bad = session.handle(line: "y + nosuchname")
        #expect(bad.failed)
        #expect(bad.errors.contains("nosuchname"))
        #expect(session.prompt == "mull> ")
        #expect(session.handle(line: "y").output == "1\n")
    }

    @Test func blankLineReportsAnEntryThatCannotBeFinished() {
        session.handle(line: "let kept = 7")
        #expect(session.handle(line: "let a = [1,").prompt == "  ... ")
        let r = session.handle(line: "")
        #expect(r.failed)
        #expect(!r.errors.isEmpty)
        #expect(session.prompt == "mull> ")
        #expect(session.handle(line: "kept").output == "7\n")
    }

    @Test func anInterruptedEntryKeepsTheSessionAndClearsTheFlag() {
        // A native function pulls the Ctrl-C trigger from inside the loop, as the signal
        // handler would; the evaluator notices within 1024 steps.
        interpreter.register(function: "press_ctrl_c") { _, ctx in
            ctx.cancellation.cancel()
            return .null
        }
        session.handle(line: "let before = 1")
        let r = session.handle(line: "for i in 0..<100000 { press_ctrl_c() }")
        #expect(r.failed)
        #expect(r.errors.contains("interrupted"))
        #expect(!interpreter.configuration.cancellation.isCancelled)
        #expect(session.handle(line: "before + 1").output == "2\n")
    }

    @Test func typeOfAnExpression() {
        #expect(session.handle(line: ":type 1.5 * 2").output == "float\n")
        #expect(session.handle(line: ":type [1]").output == "list\n")
    }

    @Test func helpForABuiltinFunction() {
        #expect(session.handle(line: ":help len").output == "len(x)\n  the number of elements of a list, string, record or range\n")
    }
}
