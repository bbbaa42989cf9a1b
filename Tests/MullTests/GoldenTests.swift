import Foundation
import Testing
@testable import Mull
import MullLanguage

@Suite("Golden scripts")
struct GoldenTests {
    @Test("script", arguments: GoldenFile.all())
    func golden(_ file: GoldenFile) throws {
        let expected = try file.expectations()
        // A file that expects nothing would pass whatever the script did.
        try #require(!expected.output.isEmpty || !expected.errors.isEmpty,
                     "\(file.name) has no `# expect:` or `# error:` lines; a golden file must say what it expects")
        var out: String? = nil
        if expected.wantsOutputFolder {
            out = FileManager.default.temporaryDirectory.appendingPathComponent("mull-golden-\(UUID().uuidString)").path
        }
        defer { if let out { try? FileManager.default.removeItem(atPath: out) } }
        let (output, diagnostics) = runScript(path: file.path, seed: expected.seed, outputDirectory: out)
        #expect(output == expected.output, "output of \(file.name)")
        // Every expected error is reported at its line; no other errors are.
        let unmatched = GoldenTests.matchErrors(expected, diagnostics, in: file.name, by: "run")
        #expect(unmatched.isEmpty, "unexpected diagnostics in \(file.name):\n\(unmatched.map(\.description).joined(separator: "\n"))")
    }

    /// Records an issue for each expected error not among `diagnostics` (at its line, its
    /// column if given, containing its text); returns the errors that matched no expectation.
    static func matchErrors(_ expected: GoldenFile.Expectation, _ diagnostics: [Diagnostic], in name: String, by what: String) -> [Diagnostic] {
        var unmatched = diagnostics.filter { $0.severity == .error }
        for e in expected.errors {
            if let i = unmatched.firstIndex(where: { d in
                guard let r = d.range else { return false }
                let loc = r.startLocation
                return loc.line == e.line && (e.column == nil || loc.column == e.column) && d.message.contains(e.text)
            }) {
                unmatched.remove(at: i)
            } else {
                Issue.record("\(what) \(name):\(e.line): expected an error containing \"\(e.text)\"; got:\n\(diagnostics.map(\.description).joined(separator: "\n"))")
            }
        }
        return unmatched
    }

    /// `errors/` holds what can be found without running the script's own code; `mull check`
    /// must report exactly the errors a run reports there (`runtime_errors/` holds the rest).
    @Test("mull check agrees with mull run", arguments: GoldenFile.all().filter { $0.name.hasPrefix("errors/") })
    func checkAgreesWithRun(_ file: GoldenFile) throws {
        let expected = try file.expectations()
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.progress = false
        let diagnostics = Interpreter(configuration: config).checkFile(file.path)
        let unmatched = GoldenTests.matchErrors(expected, diagnostics, in: file.name, by: "mull check")
        #expect(unmatched.isEmpty, "mull check reports more than a run in \(file.name):\n\(unmatched.map(\.description).joined(separator: "\n"))")
    }

    @Test func goldenFilesExist() {
        #expect(GoldenFile.all().count >= 10)
    }
}
