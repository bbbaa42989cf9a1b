import Foundation
import Testing
@testable import Mull
import MullLanguage

/// Every example in docs/language.md runs, and prints what the document says it prints, so the
/// specification cannot drift from the implementation.
struct DocExample: CustomTestStringConvertible, Sendable {
    var line: Int
    var source: String
    var expected: String?
    var expectsError: Bool
    var testDescription: String { "docs/language.md:\(line)" }

    static func load(_ relative: String) -> [DocExample] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(relative)
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [(line: Int, info: String, body: String)] = []
        var i = 0
        while i < lines.count {
            let l = lines[i].trimmingCharacters(in: .whitespaces)
            if l.hasPrefix("```") && l.count > 3 {
                let info = String(l.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                let start = i + 1
                var j = start
                while j < lines.count && lines[j].trimmingCharacters(in: .whitespaces) != "```" { j += 1 }
                blocks.append((start, info, lines[start..<min(j, lines.count)].joined(separator: "\n")))
                i = j + 1
            } else {
                i += 1
            }
        }
        var out: [DocExample] = []
        for (k, b) in blocks.enumerated() where b.info == "mull" || b.info == "mull-error" {
            let next = k + 1 < blocks.count && blocks[k + 1].info == "output" ? blocks[k + 1].body : nil
            out.append(DocExample(line: b.line, source: b.body, expected: next, expectsError: b.info == "mull-error"))
        }
        return out
    }
}

@Suite("docs/language.md examples")
struct LanguageDocTests {
    @Test("example", arguments: DocExample.load("docs/language.md"))
    func example(_ ex: DocExample) {
        let capture = OutputCapture()
        var config = Interpreter.Configuration()
        config.output = { capture.write($0) }
        config.run.stepBudget = 10_000_000
        config.run.progress = false
        let interpreter = Interpreter(configuration: config)
        var errorText = ""
        do {
            try interpreter.evaluate(ex.source, path: "example.mull")
        } catch let e as DiagnosticsError {
            errorText = e.diagnostics.map { DiagnosticRenderer.oneLine($0) }.joined(separator: "\n")
        } catch {
            errorText = "\(error)"
        }
        if ex.expectsError {
            #expect(!errorText.isEmpty, "expected an error")
            if let expected = ex.expected {
                #expect(errorText.trimmingCharacters(in: .whitespacesAndNewlines) == expected.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        } else {
            #expect(errorText.isEmpty, "unexpected error: \(errorText)")
            if let expected = ex.expected {
                #expect(capture.all.trimmingCharacters(in: .newlines) == expected.trimmingCharacters(in: .newlines))
            }
        }
    }
}
