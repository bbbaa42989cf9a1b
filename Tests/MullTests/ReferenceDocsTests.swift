import Foundation
import Testing
@testable import Mull

@Suite("Generated reference")
struct ReferenceDocsTests {
    @Test("docs/reference.md matches the registry (regenerate with `swift run mull reference > docs/reference.md`)")
    func referenceIsCurrent() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/reference.md")
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == ReferenceDocs.markdown(Interpreter().registry))
    }

    @Test func everyComponentIsDocumented() {
        let registry = Interpreter().registry
        for s in registry.allSchemas {
            #expect(!s.doc.isEmpty, "\(s.name) has no doc")
            for f in s.fields { #expect(!f.doc.isEmpty, "\(s.name).\(f.name) has no doc") }
        }
    }
}
