import Foundation
import Testing
@testable import MullREPL

@Suite struct TerminalSupportTests {
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
