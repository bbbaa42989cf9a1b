import Foundation
import Testing
@testable import Mull
import MullLanguage

/// A golden test: a `.mull` file that carries its own expectations in comments.
///
/// - `# expect: TEXT` — the next line of standard output is TEXT (in file order).
/// - `# error: TEXT` — a diagnostic whose message contains TEXT is reported on this line
///   (`# error@3: TEXT` also pins the column).
/// - `# seed: N` — run with this seed; `# args: out` — give the run a scratch output folder.
/// - `# output-file: NAME` — the expected output is in NAME beside the script (long outputs).
struct GoldenFile: CustomTestStringConvertible, Sendable {
    let path: String
    let name: String

    var testDescription: String { name }

    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("golden")
    }

    static func all() -> [GoldenFile] {
        guard let e = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var out: [GoldenFile] = []
        while let p = e.nextObject() as? String {
            // `check/` holds chunked checker cases (CheckerGoldenTests), not scripts to run.
            if p.hasSuffix(".mull") && !p.contains("/_") && !(p as NSString).lastPathComponent.hasPrefix("_") && !p.hasPrefix("check/") {
                out.append(GoldenFile(path: root.appendingPathComponent(p).path, name: p))
            }
        }
        return out.sorted { $0.name < $1.name }
    }

    struct Expectation {
        var output: [String] = []
        var errors: [(line: Int, column: Int?, text: String)] = []
        var seed: UInt64 = 0
        var wantsOutputFolder = false
    }

    func expectations() throws -> Expectation {
        try GoldenFile.expectations(in: try String(contentsOfFile: path, encoding: .utf8), path: path)
    }

    static func expectations(in text: String, path: String) throws -> Expectation {
        var e = Expectation()
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let hash = line.range(of: "# ") else { continue }
            let comment = line[hash.upperBound...]
            if comment.hasPrefix("expect: ") {
                e.output.append(String(comment.dropFirst("expect: ".count)))
            } else if comment == "expect:" {
                e.output.append("")
            } else if comment.hasPrefix("error: ") {
                e.errors.append((i + 1, nil, String(comment.dropFirst("error: ".count))))
            } else if comment.hasPrefix("error@"), let colon = comment.firstIndex(of: ":") {
                let col = Int(comment[comment.index(comment.startIndex, offsetBy: 6)..<colon])
                e.errors.append((i + 1, col, String(comment[comment.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            } else if comment.hasPrefix("seed: "), let s = UInt64(comment.dropFirst(6)) {
                e.seed = s
            } else if comment.hasPrefix("output-file: ") {
                let name = String(comment.dropFirst("output-file: ".count))
                let other = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent(name)
                let body = try String(contentsOf: other, encoding: .utf8)
                e.output.append(contentsOf: body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
                if e.output.last == "" { e.output.removeLast() }
            } else if comment.hasPrefix("args: out") {
                e.wantsOutputFolder = true
            }
        }
        return e
    }
}

/// Collects what a script prints, from any thread.
final class OutputCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func write(_ s: String) {
        lock.lock()
        text += s
        lock.unlock()
    }
    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        var ls = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if ls.last == "" { ls.removeLast() }
        return ls
    }
    var all: String {
        lock.lock()
        defer { lock.unlock() }
        return text
    }
}

/// Runs a script the way `mull run` does, capturing output and diagnostics.
func runScript(path: String, seed: UInt64 = 0, outputDirectory: String? = nil, jobs: Int? = nil) -> (output: [String], diagnostics: [Diagnostic]) {
    let capture = OutputCapture()
    var config = Interpreter.Configuration()
    config.output = { capture.write($0) }
    config.run.seed = seed
    config.run.outputDirectory = outputDirectory
    config.run.progress = false
    config.run.jobs = jobs
    config.run.stepBudget = 50_000_000
    let interpreter = Interpreter(configuration: config)
    do {
        try interpreter.evaluateFile(path)
        return (capture.lines, [])
    } catch let e as DiagnosticsError {
        return (capture.lines, e.diagnostics)
    } catch {
        return (capture.lines, [Diagnostic("internal", .error, "\(error)", at: nil)])
    }
}
