import Foundation
import Testing

/// Every diagnostic id the sources raise is declared, with a line of documentation, in the
/// catalog (`Sources/MullLanguage/Diagnostics/DiagnosticID+*.swift`): a new id written as a raw
/// string in a `MullError` or `Diagnostic` fails here until it is added there.
@Suite("Diagnostic catalog")
struct DiagnosticCatalogTests {
    static func matches(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }

    @Test func everyRaisedIdIsInTheCatalog() throws {
        let root = MullExecutable.packageRoot.appendingPathComponent("Sources")
        var declared: Set<String> = []
        var raised: [String: String] = [:]
        let files = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        for file in files {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            if file.contains("Diagnostics/DiagnosticID+") {
                declared.formUnion(Self.matches(#"static let \w+: DiagnosticID = "([a-z0-9-]+)""#, in: text))
            }
            for id in Self.matches(#"(?:MullError|Diagnostic)\("([a-z0-9-]+)""#, in: text) { raised[id] = file }
        }
        #expect(declared.count >= 80, "the catalog was not found (\(declared.count) ids)")
        #expect(raised.count >= 40, "no raised ids found")
        let missing = raised.filter { !declared.contains($0.key) }.map { "\($0.key) (\($0.value))" }.sorted()
        #expect(missing.isEmpty, "ids raised but not in the catalog: \(missing)")
    }
}
