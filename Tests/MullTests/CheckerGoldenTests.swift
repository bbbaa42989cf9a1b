import Foundation
import Testing
@testable import Mull
import MullLanguage

/// One chunk of a chunked checker file: its text is the whole file with every other chunk's
/// lines blanked, so diagnostics carry the file's line numbers.
struct CheckerCase: CustomTestStringConvertible, Sendable {
    let file: String
    let name: String
    let firstLine: Int
    let text: String
    var testDescription: String { "\(name):\(firstLine)" }

    /// Chunks of every file in `golden/check/`, separated by lines `---`.
    static func all() -> [CheckerCase] {
        let folder = GoldenFile.root.appendingPathComponent("check")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".mull") }.sorted()
        var out: [CheckerCase] = []
        for name in names {
            let path = folder.appendingPathComponent(name).path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var start = 0
            for i in 0...lines.count where i == lines.count || lines[i] == "---" {
                let body = lines.indices.map { ($0 >= start && $0 < i) ? lines[$0] : "" }.joined(separator: "\n")
                out.append(CheckerCase(file: path, name: "check/\(name)", firstLine: start + 1, text: body))
                start = i + 1
            }
        }
        return out
    }
}

@Suite("Checker cases against the real registry")
struct CheckerGoldenTests {
    static func check(_ text: String, path: String) -> [Diagnostic] {
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.progress = false
        return Interpreter(configuration: config).check(text, path: path).filter { $0.severity == .error }
    }

    @Test("chunk", arguments: CheckerCase.all())
    func chunk(_ c: CheckerCase) throws {
        let expected = try GoldenFile.expectations(in: c.text, path: c.file)
        let diagnostics = Self.check(c.text, path: c.file)
        let unmatched = GoldenTests.matchErrors(expected, diagnostics, in: c.testDescription, by: "mull check")
        #expect(unmatched.isEmpty, "unexpected diagnostics in \(c.testDescription):\n\(unmatched.map(\.description).joined(separator: "\n"))")
        // A lone error whose suggestion carries a replacement: applying it leaves a clean script.
        if diagnostics.count == 1, let d = diagnostics.first, let s = d.suggestion, let replacement = s.replacement,
           let range = s.range ?? d.range {
            var bytes = Array(c.text.utf8)
            bytes.replaceSubrange(range.start..<range.end, with: Array(replacement.utf8))
            let fixed = String(decoding: bytes, as: UTF8.self)
            let after = Self.check(fixed, path: c.file)
            #expect(after.isEmpty, "applying `\(replacement)` in \(c.testDescription) left:\n\(after.map(\.description).joined(separator: "\n"))")
        }
    }

    @Test func casesExist() {
        #expect(CheckerCase.all().count >= 15)
    }
}
