import Foundation
import Testing
@testable import Mull
import MullLanguage

/// Mutated example and golden scripts must end in success or in clean diagnostics: no crash,
/// no hang, no diagnostic without a message or an id, no syntax error without a place.
///
/// Every 30th mutant has its sweeps run (jobs 2, a step budget of 20,000 that the native work
/// counts against), the others only listed. The default run is small (about 300 mutants, a few
/// seconds). For a long run:
///
///     MULL_FUZZ_ITERATIONS=20000 MULL_FUZZ_SEED=7 swift test --filter MullTests.FuzzTests
///
/// (`tools/fuzz.sh ITERATIONS SEED` does the same). A failure prints the seed, the iteration
/// and the mutated script, which is enough to reproduce it.
@Suite("Fuzzing")
struct FuzzTests {
    static var iterations: Int {
        ProcessInfo.processInfo.environment["MULL_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 300
    }
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["MULL_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_125
    }

    /// The scripts mutated: the examples, the golden scripts and the standard library.
    static func corpus() -> [(name: String, text: String)] {
        let root = MullExecutable.packageRoot
        var out: [(String, String)] = []
        for folder in ["examples", "Tests/MullTests/golden", "stdlib"] {
            let base = root.appendingPathComponent(folder)
            guard let e = FileManager.default.enumerator(atPath: base.path) else { continue }
            while let p = e.nextObject() as? String {
                if p.hasSuffix(".mull"), let t = try? String(contentsOf: base.appendingPathComponent(p), encoding: .utf8) { out.append(("\(folder)/\(p)", t)) }
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// Lexer and parser diagnostics: these always point at the source.
    static let syntaxIDs: Set<DiagnosticID> = [.unexpectedCharacter, .invalidUTF8, .unterminatedString, .unterminatedComment,
                                               .invalidEscape, .invalidMultilineString, .integerOverflow, .floatOverflow,
                                               .invalidNumber, .unexpectedToken, .expectedToken, .expectedExpression,
                                               .unclosedDelimiter, .missingSeparator, .nestingTooDeep]

    /// Problems with one diagnostic, or nil when it is clean.
    static func problem(with d: Diagnostic, requireRange: Bool) -> String? {
        if d.message.trimmingCharacters(in: .whitespaces).isEmpty { return "a diagnostic without a message (\(d.id))" }
        if d.id.rawValue.isEmpty { return "a diagnostic without an id: \(d.message)" }
        if d.id.rawValue == "internal" { return "an internal error: \(d.message)" }
        if requireRange && d.range == nil { return "a diagnostic without a place: \(d.id): \(d.message)" }
        return nil
    }

    /// Every `runEvery`-th mutant's sweeps are run, not only listed.
    static let runEvery = 30

    /// A sandboxed evaluation: no output folder, sweeps only listed (or, with `running`, run
    /// under a small step budget, which native work counts against), a step budget, and a
    /// watchdog that cancels after a few seconds.
    static func evaluate(_ text: String, running: Bool = false) -> (diagnostics: [Diagnostic], error: String?, seconds: Double) {
        var config = Interpreter.Configuration()
        config.output = { _ in }
        config.run.outputDirectory = nil
        config.run.dryRun = !running
        config.run.progress = false
        config.run.jobs = running ? 2 : 1
        config.run.stepBudget = running ? 20_000 : 200_000
        config.cancellation = CancellationFlag()
        let flag = config.cancellation
        let interpreter = Interpreter(configuration: config)
        let start = Date()
        let watchdog = DispatchWorkItem { flag.cancel() }
        DispatchQueue.global().asyncAfter(deadline: .now() + 3, execute: watchdog)
        defer { watchdog.cancel() }
        do {
            try interpreter.evaluate(text, path: "<fuzz>")
            return ([], nil, Date().timeIntervalSince(start))
        } catch let e as DiagnosticsError {
            return (e.diagnostics, e.diagnostics.isEmpty ? "an error without diagnostics" : nil, Date().timeIntervalSince(start))
        } catch {
            return ([], "a non-diagnostic error: \(error)", Date().timeIntervalSince(start))
        }
    }

    @Test("mutated scripts end in success or clean diagnostics")
    func mutatedScripts() throws {
        let corpus = FuzzTests.corpus()
        try #require(corpus.count >= 5, "the corpus of scripts was not found")
        var mutator = Mutator(seed: FuzzTests.seed)
        var failures: [String] = []
        var outcomes = (ok: 0, failed: 0)
        for i in 0..<FuzzTests.iterations {
            let (name, original) = corpus[mutator.int(corpus.count)]
            let (text, applied) = mutator.mutate(original, count: 1 + mutator.int(3))
            var problems: [String] = []
            let checked = Interpreter().check(text, path: "<fuzz>")
            for d in checked {
                if let p = FuzzTests.problem(with: d, requireRange: true) { problems.append("check: \(p)") }
            }
            let (diagnostics, error, seconds) = FuzzTests.evaluate(text, running: i % FuzzTests.runEvery == 0)
            if let error { problems.append("evaluate: \(error)") }
            for d in diagnostics {
                if let p = FuzzTests.problem(with: d, requireRange: FuzzTests.syntaxIDs.contains(d.id)) { problems.append("evaluate: \(p)") }
            }
            if seconds > 15 { problems.append("evaluate took \(Int(seconds)) s despite the watchdog") }
            // `check` finds every syntax error `evaluate` finds.
            let checkSyntax = Set(checked.filter { FuzzTests.syntaxIDs.contains($0.id) }.map { "\($0.id)@\($0.range?.start ?? -1)" })
            for d in diagnostics where FuzzTests.syntaxIDs.contains(d.id) && !checkSyntax.contains("\(d.id)@\(d.range?.start ?? -1)") {
                problems.append("evaluate reported a syntax error that check missed: \(d)")
            }
            if diagnostics.isEmpty { outcomes.ok += 1 } else { outcomes.failed += 1 }
            if !problems.isEmpty {
                failures.append("iteration \(i) (seed \(FuzzTests.seed)), \(name) with \(applied.map(\.rawValue)):\n"
                                + problems.joined(separator: "\n") + "\n--- script ---\n\(text.prefix(3000))\n---")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) mutants misbehaved; the first:\n\(failures.first ?? "")")
        // The mutants must exercise both paths, or the test proves little.
        #expect(outcomes.failed > 0)
        if FuzzTests.iterations >= 100 { #expect(outcomes.ok > 0) }
    }

    @Test func theMutatorIsDeterministicAndChangesScripts() {
        let text = "let x = [1, 2, 3]\nprint(len(x))  # a comment\n"
        var a = Mutator(seed: 42), b = Mutator(seed: 42)
        var changed = 0
        for _ in 0..<50 {
            let ma = a.mutate(text, count: 1), mb = b.mutate(text, count: 1)
            #expect(ma.text == mb.text && ma.applied == mb.applied)
            if ma.text != text { changed += 1 }
        }
        #expect(changed >= 40)
        #expect(Mutator.tokens(text).joined() == text)
    }
}
