import Testing
@testable import MullLanguage

@Suite struct ParserLimitTests {
    @Test(arguments: [
        ("(", ")"), ("[", "]"), ("f(", ")"), ("- ", ""), ("not ", ""), ("if a { ", "}"), ("2 ** ", ""),
        ("fn() { ", "}"), ("A { x: ", "}"), ("xs[", "]"),
    ])
    func deepNestingGivesOneDiagnostic(_ open: String, _ close: String) {
        let depth = 10_000
        let source = "let v = " + String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
        let d = parseProgram(source).diagnostics
        #expect(d.map(\.id) == [.nestingTooDeep])
        #expect(d.first?.message == "nesting deeper than 256 levels")
    }

    @Test func deepUnclosedNestingGivesOneDiagnostic() {
        for open in ["(", "[", "{"] {
            let d = parseProgram(String(repeating: open, count: 10_000)).diagnostics
            #expect(d.count == 1, "\(open): \(d.map(\.description))")
        }
    }

    @Test func patternNesting() {
        let source = "match x { " + String(repeating: "(", count: 5_000) + "a" + String(repeating: ")", count: 5_000) + " => 1 }"
        #expect(parseProgram(source).diagnostics.map(\.id) == [.nestingTooDeep])
    }

    @Test func moderateNestingIsFine() {
        let source = "let v = " + String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)
        #expect(parseProgram(source).diagnostics.isEmpty)
    }

    @Test func largeInputParsesQuickly() {
        let unit = "let x = f(a, 2) + [1, 2][0] * 3.5 # comment\n"
        let count = 10_000_000 / unit.utf8.count
        let source = String(repeating: unit, count: count)
        let clock = ContinuousClock()
        var items = 0
        let elapsed = clock.measure {
            let (program, diagnostics) = parseProgram(source)
            items = program.items.count
            #expect(diagnostics.isEmpty)
        }
        #expect(items == count)
        // Linear time: in debug builds this takes a few seconds on a slow machine.
        #expect(elapsed < .seconds(30))
    }

    @Test func randomBytesNeverCrash() {
        // A fixed-seed generator (SplitMix64) so failures reproduce.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let alphabet = Array("()[]{}.,;:=<>+-*/%|&!@#\"\\ \n\tabcxyz019_életfnifelsematchforinreturnimportas".utf8)
        for i in 0..<3_000 {
            let length = Int(next() % 80)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                // Half the inputs are raw bytes, half are drawn from Mull's own characters.
                bytes.append(i % 2 == 0 ? UInt8(truncatingIfNeeded: next()) : alphabet[Int(next() % UInt64(alphabet.count))])
            }
            let file = SourceFile(path: "fuzz.mull", bytes: bytes)
            let (program, _) = Parser.parse(file)
            _ = ASTDump.dump(program)
            _ = Parser.needsMoreInput(file.text)
        }
    }
}
