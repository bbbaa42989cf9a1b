import Foundation
import Testing
@testable import MullLanguage

/// One fenced example of docs/language.md.
struct DocBlock: CustomTestStringConvertible, Sendable {
    var line: Int
    var info: String
    var source: String
    var output: String?
    var testDescription: String { "docs/language.md:\(line) (\(info))" }

    /// The blocks, extracted the way the interpreter's documentation test does.
    static func load() -> [DocBlock] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/language.md")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var blocks: [(line: Int, info: String, body: String)] = []
        var i = 0
        while i < lines.count {
            let l = lines[i].trimmingCharacters(in: .whitespaces)
            if l.hasPrefix("```") && l.count > 3 {
                let info = String(l.dropFirst(3)).trimmingCharacters(in: .whitespaces)
                var j = i + 1
                while j < lines.count && lines[j].trimmingCharacters(in: .whitespaces) != "```" { j += 1 }
                blocks.append((i + 1, info, lines[(i + 1)..<min(j, lines.count)].joined(separator: "\n")))
                i = j + 1
            } else {
                i += 1
            }
        }
        var out: [DocBlock] = []
        for (k, b) in blocks.enumerated() where b.info.hasPrefix("mull") {
            let next = k + 1 < blocks.count && blocks[k + 1].info == "output" ? blocks[k + 1].body : nil
            out.append(DocBlock(line: b.line, info: b.info, source: b.body, output: next))
        }
        return out
    }
}

@Suite struct LanguageDocSyntaxTests {
    @Test func documentHasExamples() {
        #expect(DocBlock.load().count > 30)
    }

    /// Runnable and non-runnable examples parse cleanly; error examples show exactly the
    /// documented one-line diagnostics.
    @Test(arguments: DocBlock.load())
    func example(_ block: DocBlock) {
        let (_, diagnostics) = Parser.parse(SourceFile(path: "example.mull", text: block.source))
        let rendered = diagnostics.map(DiagnosticRenderer.oneLine).joined(separator: "\n")
        if block.info == "mull-error" {
            #expect(!diagnostics.isEmpty)
            if let expected = block.output {
                #expect(rendered == expected.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        } else {
            #expect(diagnostics.isEmpty, "\(rendered)")
        }
    }
}
