import Testing
@testable import MullLanguage

/// Parses `source` as a file named `test.mull`.
func parseProgram(_ source: String) -> (program: Program, diagnostics: [Diagnostic]) {
    Parser.parse(SourceFile(path: "test.mull", text: source))
}

/// The S-expression dump of every item of `source`, one per line.
func dumpProgram(_ source: String) -> String {
    ASTDump.dump(parseProgram(source).program)
}

/// The S-expression of a source that must parse without diagnostics.
func tree(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
    let (program, diagnostics) = parseProgram(source)
    #expect(diagnostics.isEmpty, "unexpected: \(diagnostics.map(\.description))", sourceLocation: sourceLocation)
    return ASTDump.dump(program)
}

/// The one-line messages of the diagnostics of `source`.
func messages(_ source: String) -> [String] {
    parseProgram(source).diagnostics.map(\.message)
}

/// Markers used to point at places in test sources, as `1️⃣`, `2️⃣`, ...
let markerNames = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣"]

/// Removes the markers from `source`, returning the clean text and the `line:col` of each marker, in order.
func stripMarkers(_ source: String) -> (text: String, locations: [String]) {
    var bytes = Array(source.utf8)
    var offsets: [Int] = []
    for name in markerNames {
        let m = Array(name.utf8)
        guard bytes.count >= m.count,
              let i = (0...(bytes.count - m.count)).first(where: { Array(bytes[$0..<$0 + m.count]) == m })
        else { continue }
        bytes.removeSubrange(i..<i + m.count)
        offsets.append(i)
    }
    let text = String(decoding: bytes, as: UTF8.self)
    let file = SourceFile(path: "test.mull", text: text)
    // Markers are numbered in source order, so removing later ones does not move earlier offsets.
    return (text, offsets.map { file.location(of: $0).description })
}

/// The `line:col` of each diagnostic of a source with markers, and the marker positions.
func diagnosticPlaces(_ marked: String) -> (actual: [String], expected: [String], messages: [String]) {
    let (text, expected) = stripMarkers(marked)
    let diagnostics = parseProgram(text).diagnostics
    return (diagnostics.map { $0.range?.startLocation.description ?? "?" }, expected, diagnostics.map(\.message))
}
