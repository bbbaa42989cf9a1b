import Foundation
import Mull
import Testing
@testable import MullREPL

/// Collects what a piped run writes.
final class Streams {
    var out = ""
    var err = ""
    func run(_ lines: [String], interpreter: Interpreter = Fixture.interpreter(), loading file: String? = nil) -> Int32 {
        Repl.runPiped(interpreter: interpreter, loading: file, input: lines, output: { self.out += $0 }, errors: { self.err += $0 })
    }
}

@Suite struct PipedTests {
    @Test func commandsWorkWithoutPrompts() {
        let s = Streams()
        let i = Fixture.interpreter()
        i.setGlobal("episodes", .int(3))
        #expect(s.run([":globals", ":type episodes"], interpreter: i) == 0)
        #expect(s.out == "episodes  int\nint\n")
        #expect(s.err.isEmpty)
    }

    @Test func anyErrorMakesTheStatusOne() {
        let s = Streams()
        #expect(s.run([":hlep", ":globals"]) == 1)
        #expect(s.err == "error: unknown command `:hlep`; did you mean `:help`?\n")
        #expect(s.out == "no globals yet\n")
    }

    @Test func quitStopsReading() {
        let s = Streams()
        #expect(s.run([":q", ":nonsense"]) == 0)
        #expect(s.err.isEmpty)
    }

    @Test func aFileThatCannotBeLoadedFails() {
        let s = Streams()
        #expect(s.run([], loading: "/nonexistent/x.mull") == 1)
        #expect(s.err.contains("cannot read"))
    }

    @Test(.enabled(if: Fixture.parserAvailable, "needs the parser"))
    func statementsAreEvaluatedAsTheyComplete() {
        let s = Streams()
        #expect(s.run(["let x = [1,", "2]", "len(x)", "x"]) == 0)
        #expect(s.out == "2\n[1, 2]\n")
    }

    @Test(.enabled(if: Fixture.parserAvailable, "needs the parser"))
    func errorsAreOneLineWithStdinPositions() {
        let s = Streams()
        #expect(s.run(["let a = 1", "", "a + nosuchname", "a"]) == 1)
        #expect(s.err.hasPrefix("<stdin>:3:5: error: "))
        #expect(s.out == "1\n")
    }
}

/// Runs the built `mull` executable with `repl` on a pipe.
@Suite struct ExecutablePipeTests {
    /// `.build/debug/mull` (or wherever the test bundle was built), if it has been built.
    static let executable: URL? = {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("mull"))
        candidates.append(bundle.appendingPathComponent("mull"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/mull"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static func run(_ input: String, arguments: [String] = ["repl"]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = executable!
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    @Test(.enabled(if: executable != nil, "the mull executable has not been built"))
    func successfulInputExitsZero() throws {
        let r = try Self.run(":globals\n:q\n")
        #expect(r.status == 0)
        #expect(r.out == "no globals yet\n")
        #expect(r.err.isEmpty)
    }

    @Test(.enabled(if: executable != nil, "the mull executable has not been built"))
    func anErrorExitsOne() throws {
        let r = try Self.run(":bogus\n:globals\n")
        #expect(r.status == 1)
        #expect(r.err.contains("unknown command `:bogus`"))
        #expect(r.out == "no globals yet\n")
    }

    @Test(.enabled(if: executable != nil && Fixture.parserAvailable, "needs the mull executable and the parser"))
    func evaluatesStatements() throws {
        let r = try Self.run("let x = 2\nx * 21\n")
        #expect(r.status == 0)
        #expect(r.out == "42\n")
    }
}
