import Mull
import MullLanguage
import Testing
@testable import MullREPL

@Suite struct CompletionTests {
    let interpreter: Interpreter
    let completer: Completer
    init() {
        interpreter = Fixture.interpreter()
        interpreter.setGlobal("episodes", .int(10))
        interpreter.setGlobal("epsilon", .float(0.1))
        interpreter.setGlobal("result", .record(Record([("steps", .int(1)), ("score", .float(2))])))
        let world = ComponentValue(componentName: "TestWorld", kind: .env,
                                   fields: [("layout", .string("S.G"), nil), ("width", .int(3), nil)], range: nil)
        interpreter.setGlobal("world", .component(world))
        interpreter.setGlobal("live", .object(Corridor()))
        interpreter.setGlobal("nested", .record(Record([("inner", .record(Record([("deep", .int(1))])))])))
        completer = Completer(interpreter: interpreter)
    }

    /// Completes with the cursor at the end of `line`.
    func complete(_ line: String, context: String = "") -> Completion {
        completer.complete(line: line, cursor: line.utf8.count, context: context)
    }

    @Test func globalNames() {
        let c = complete("let n = ep")
        #expect(c.candidates == ["episodes", "epsilon"])
        #expect(c.start == 8)
    }

    @Test func builtinNamesAndKeywords() {
        #expect(complete("pri").candidates == ["print"])
        #expect(complete("pri").appendCharacter == " ")
        #expect(complete("le").candidates.contains("len"))
        #expect(complete("le").candidates.contains("let"))
    }

    @Test func metaCommands() {
        #expect(complete(":").candidates == MetaCommand.spellings.sorted())
        let c = complete(":gl")
        #expect(c.candidates == [":globals"])
        #expect(c.start == 0)
        #expect(complete("  :q").candidates == [":q", ":quit"])
        #expect(complete("  :q").start == 2)
    }

    @Test func helpArgumentCompletesEveryKindOfName() {
        let c = complete(":help Tes")
        #expect(c.candidates == ["TestWorld"])
        #expect(c.start == 6)
        #expect(complete(":help ep").candidates == ["episodes", "epsilon"])
    }

    @Test func loadArgumentAsksForFileNames() {
        let c = complete(":load exa")
        #expect(c.wantsFileNames)
        #expect(c.start == 6)
    }

    @Test func typeArgumentCompletesExpressions() {
        let c = complete(":type result.st")
        #expect(c.candidates == ["steps"])
        #expect(c.start == 13)
    }

    @Test func componentTypeNamesAfterEquals() {
        #expect(complete("env w = Test").candidates == ["TestWorld"])
    }

    @Test func blockFieldNamesInsideAComponentLiteral() {
        #expect(complete("env w = TestWorld { wi").candidates == ["width"])
        #expect(complete("env w = TestWorld { wi").appendCharacter == ":")
        #expect(complete("env w = TestWorld { width: 3, ").candidates == ["layout", "slip", "width"])
        #expect(complete("TestWorld {").candidates == ["layout", "slip", "width"])
    }

    @Test func fieldValuesCompleteAsExpressions() {
        #expect(complete("TestWorld { width: epi").candidates == ["episodes"])
    }

    @Test func fieldNamesOfABlockOpenedOnAnEarlierLine() {
        let c = complete("  sl", context: "env w = TestWorld {\n  width: 3")
        #expect(c.candidates == ["slip"])
        #expect(c.start == 2)
    }

    @Test func innermostOpenLiteralWins() {
        // Inside a list inside the block, names are expressions again.
        #expect(complete("TestWorld { layout: [wi").candidates.isEmpty)
        #expect(complete("TestWorld { layout: f(x), sl").candidates == ["slip"])
    }

    @Test func nothingInsideStringsOrComments() {
        #expect(complete("\"TestWorld { wi").candidates.isEmpty)
        #expect(complete("let a = 1 # ep").candidates.isEmpty)
        // A closed triple-quoted string with braces inside does not open a block.
        #expect(complete("ep", context: "let m = \"\"\"{\"\"\"").candidates == ["episodes", "epsilon"])
    }

    @Test func recordFieldsAfterADot() {
        let c = complete("result.s")
        #expect(c.candidates == ["score", "steps"])
        #expect(c.start == 7)
        #expect(c.appendCharacter == nil)
        #expect(complete("result.").candidates == ["fields", "len", "score", "steps"])
        #expect(complete("nested.inner.d").candidates == ["deep"])
    }

    @Test func componentFieldsSchemaFieldsAndMethods() {
        #expect(complete("world.").candidates == ["layout", "reset", "slip", "width", "with"])
    }

    @Test func liveObjectMembers() {
        #expect(complete("live.p").candidates == ["position"])
    }

    @Test func noMembersForUnknownNamesOrNumbers() {
        #expect(complete("nosuch.").candidates.isEmpty)
        #expect(complete("1.5").candidates.isEmpty)
    }

    @Test func cursorInTheMiddleOfTheLine() {
        let line = "print(epsi) + 1"
        let c = completer.complete(line: line, cursor: 10, context: "")
        #expect(c.candidates == ["epsilon"])
        #expect(c.start == 6)
    }

    @Test func readlineMatchArrayStartsWithTheCommonPrefix() {
        #expect(LineEditor.commonPrefix(["episodes", "epsilon"]) == "ep")
        #expect(LineEditor.commonPrefix(["a"]) == "a")
    }
}
