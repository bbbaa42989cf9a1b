import Foundation
import Testing

/// Runs the built `mull` executable as a subprocess, for tests of the command line.
enum MullExecutable {
    /// The package's root folder (three levels above this file).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `mull` binary in the build products folder beside the test bundle, else in
    /// `.build/debug`; nil when it has not been built.
    static let url: URL? = {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("mull"))
        candidates.append(bundle.appendingPathComponent("mull"))
        for arg in CommandLine.arguments.prefix(1) {
            candidates.append(URL(fileURLWithPath: arg).deletingLastPathComponent().appendingPathComponent("mull"))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/mull"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// True when the process died of a signal (a Swift trap, a segmentation fault).
        var crashed: Bool
        var timedOut: Bool
        var seconds: Double
    }

    /// Runs `mull ARGS`, feeding `stdin`; kills it after `timeout` seconds.
    static func run(_ arguments: [String], stdin: String = "", in folder: URL? = nil, timeout: Double = 60,
                    environment: [String: String] = [:]) throws -> Result? {
        guard let url else {
            Issue.record("the `mull` executable is not built (looked beside the test bundle and in .build/debug); run `swift build` first")
            return nil
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mull-proc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inURL = scratch.appendingPathComponent("in"), outURL = scratch.appendingPathComponent("out"),
            errURL = scratch.appendingPathComponent("err")
        try Data(stdin.utf8).write(to: inURL)
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let p = Process()
        p.executableURL = url
        p.arguments = arguments
        if let folder { p.currentDirectoryURL = folder }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let input = try FileHandle(forReadingFrom: inURL)
        let output = try FileHandle(forWritingTo: outURL), errors = try FileHandle(forWritingTo: errURL)
        defer { try? input.close(); try? output.close(); try? errors.close() }
        p.standardInput = input
        p.standardOutput = output
        p.standardError = errors
        let start = Date()
        try p.run()
        var timedOut = false
        while p.isRunning {
            if Date().timeIntervalSince(start) > timeout {
                timedOut = true
                p.terminate()
                break
            }
            usleep(5_000)
        }
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(start)
        let out = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let err = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return Result(status: p.terminationStatus, stdout: out, stderr: err,
                      crashed: p.terminationReason == .uncaughtSignal && !timedOut, timedOut: timedOut, seconds: seconds)
    }
}

extension MullExecutable.Result {
    /// Words that only appear when Swift or the OS reports a crash.
    static let trapMarkers = ["Fatal error", "Stack dump", "Backtracing", "Program crashed", "Segmentation fault",
                              "Illegal instruction", "Thread 0", "failed to allocate"]

    /// True when standard error holds a `file:line:col: error:` line.
    var hasLocatedError: Bool {
        stderr.split(separator: "\n").contains { line in
            line.range(of: #"^.+:[0-9]+:[0-9]+: error: .+"#, options: .regularExpression) != nil
        }
    }

    var showsTrap: Bool { Self.trapMarkers.contains { stderr.contains($0) || stdout.contains($0) } }

    /// Records an issue unless the process failed cleanly: status 1, a located error, no trap.
    func expectCleanFailure(_ what: String, located: Bool = true, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        #expect(!crashed, "\(what): died of a signal\n\(stderr.prefix(2000))", sourceLocation: sourceLocation)
        #expect(!timedOut, "\(what): did not finish", sourceLocation: sourceLocation)
        #expect(status == 1, "\(what): exit status \(status)\n\(stderr.prefix(2000))", sourceLocation: sourceLocation)
        if located { #expect(hasLocatedError, "\(what): no file:line:col error on stderr:\n\(stderr.prefix(2000))", sourceLocation: sourceLocation) }
        #expect(!showsTrap, "\(what): stderr shows a trap:\n\(stderr.prefix(2000))", sourceLocation: sourceLocation)
    }
}

/// A scratch folder removed when the test ends.
final class TemporaryFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mull-test-\(UUID().uuidString)")
            .resolvingSymlinksInPath()
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` (or `bytes`) at the relative `path`, creating folders; returns its URL.
    @discardableResult
    func write(_ path: String, _ text: String) throws -> URL { try write(path, bytes: Array(text.utf8)) }

    @discardableResult
    func write(_ path: String, bytes: [UInt8]) throws -> URL {
        let u = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: u)
        return u
    }

    func path(_ relative: String) -> String { url.appendingPathComponent(relative).path }
}
