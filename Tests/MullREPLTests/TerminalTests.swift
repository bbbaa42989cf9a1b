import Foundation
import Testing
@testable import MullREPL

@Suite struct TerminalSupportTests {
    @Test func aMultiLineEntryIsOneHistoryItem() {
        var h = HistoryEntries()
        let more = ReplSession.continuationPrompt, done = ReplSession.primaryPrompt
        #expect(h.add(line: "fn f(x) {", nextPrompt: more) == nil)
        #expect(h.add(line: "  x + 1", nextPrompt: more) == nil)
        #expect(h.add(line: "}", nextPrompt: done) == "fn f(x) {\n  x + 1\n}")
        #expect(h.add(line: "   ", nextPrompt: done) == nil)
        #expect(h.add(line: "f(1)", nextPrompt: done) == "f(1)")
        // An entry ended by a blank line keeps its lines, not the blank one.
        #expect(h.add(line: "GridWorld {", nextPrompt: more) == nil)
        #expect(h.add(line: "", nextPrompt: done) == "GridWorld {")
    }

    @Test func historyFileDefaultsToHome() {
        #expect(ReplTerminal.defaultHistoryPath(["HOME": "/home/ada"]) == "/home/ada/.mull_history")
    }

    @Test func historyFileCanBeOverriddenOrTurnedOff() {
        #expect(ReplTerminal.defaultHistoryPath(["HOME": "/home/ada", "MULL_HISTORY": "/tmp/h"]) == "/tmp/h")
        #expect(ReplTerminal.defaultHistoryPath(["HOME": "/home/ada", "MULL_HISTORY": ""]) == nil)
        #expect(ReplTerminal.defaultHistoryPath([:]) == nil)
    }

    @Test func readlineMatchArrayHoldsThePrefixThenTheMatches() throws {
        let array = try #require(LineEditor.matchArray(["episodes", "epsilon"]))
        defer {
            for i in 0..<3 { free(array[i]) }
            free(array)
        }
        #expect(String(cString: array[0]!) == "ep")
        #expect(String(cString: array[1]!) == "episodes")
        #expect(String(cString: array[2]!) == "epsilon")
        #expect(array[3] == nil)
        #expect(LineEditor.matchArray([]) == nil)
    }
}
