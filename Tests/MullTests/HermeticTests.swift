import Foundation
import Testing
@testable import Mull
import MullLanguage

/// Scripts can read only the standard library and `.mull` files under their own folder (or an
/// `--import-path` folder), write only to the output folder, and have no clock, network,
/// process or unseeded randomness.
@Suite("Hermetic scripts")
struct HermeticTests {
    static let marker = "SECRET-CONTENT-7f3a"

    /// A tree: `tree/main.mull` (written per test), `tree/sub/helpers.mull`, and
    /// `outside/secret.mull` beside the tree, which holds the marker.
    static func makeTree() throws -> TemporaryFolder {
        let folder = try TemporaryFolder()
        try folder.write("outside/secret.mull", "let secret = \"\(marker)\"\n\(marker) is not even valid Mull\n")
        try folder.write("tree/sub/helpers.mull", "let answer = 42\nfn twice(x) { 2 * x }\nlet name = \"helpers\"\n")
        return folder
    }

    /// Evaluates `source` as `tree/main.mull`; returns what it printed and the diagnostics.
    static func run(_ source: String, in folder: TemporaryFolder, importPaths: [String] = []) throws -> (output: String, diagnostics: [Diagnostic]) {
        let main = try folder.write("tree/main.mull", source)
        let capture = OutputCapture()
        var config = Interpreter.Configuration()
        config.output = { capture.write($0) }
        config.importPaths = importPaths
        config.run.outputDirectory = nil
        do {
            try Interpreter(configuration: config).evaluateFile(main.path)
            return (capture.all, [])
        } catch let e as DiagnosticsError {
            return (capture.all, e.diagnostics)
        }
    }

    static func expectRefused(_ source: String, in folder: TemporaryFolder, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let (output, diagnostics) = try run(source, in: folder)
        #expect(diagnostics.contains { $0.id == "import-outside-root" && $0.range != nil },
                "\(source): \(diagnostics)", sourceLocation: sourceLocation)
        let everything = output + diagnostics.map { d in d.description + d.notes.map(\.message).joined() + (d.suggestion?.message ?? "") }.joined()
        #expect(!everything.contains(marker), "the foreign file's contents leaked: \(everything)", sourceLocation: sourceLocation)
        #expect(!everything.contains("root:x:0"), sourceLocation: sourceLocation)
    }

    @Test func anAbsoluteImportIsRefused() throws {
        let folder = try HermeticTests.makeTree()
        try HermeticTests.expectRefused("import \"/etc/passwd\"\n", in: folder)
        try HermeticTests.expectRefused("import \"\(folder.path("outside/secret"))\"\nprint(secret.secret)\n", in: folder)
    }

    @Test func climbingOutOfTheFolderIsRefused() throws {
        let folder = try HermeticTests.makeTree()
        try HermeticTests.expectRefused("import \"../outside/secret\"\nprint(secret.secret)\n", in: folder)
        try HermeticTests.expectRefused("import \"../../x\"\n", in: folder)
        try HermeticTests.expectRefused("import \"sub/../../outside/secret\"\n", in: folder)
    }

    @Test func climbingOutOfTheStandardLibraryIsRefused() throws {
        let folder = try HermeticTests.makeTree()
        let ups = String(repeating: "../", count: 40)
        try HermeticTests.expectRefused("import \"std/\(ups)\(folder.path("outside/secret").dropFirst())\"\nprint(secret.secret)\n", in: folder)
        try HermeticTests.expectRefused("import \"std/../std/mazes\"\n", in: folder)
    }

    @Test func aSymlinkPointingOutsideIsRefused() throws {
        let folder = try HermeticTests.makeTree()
        try FileManager.default.createSymbolicLink(atPath: folder.path("tree/link.mull"), withDestinationPath: folder.path("outside/secret.mull"))
        try FileManager.default.createSymbolicLink(atPath: folder.path("tree/linkdir"), withDestinationPath: folder.path("outside"))
        try HermeticTests.expectRefused("import \"link\"\nprint(link.secret)\n", in: folder)
        try HermeticTests.expectRefused("import \"linkdir/secret\"\nprint(secret.secret)\n", in: folder)
    }

    @Test func relativeImportsInsideTheTreeWork() throws {
        let folder = try HermeticTests.makeTree()
        let (output, diagnostics) = try HermeticTests.run("""
            import "sub/helpers"
            import "sub/helpers" as h
            print(helpers.answer, helpers.twice(21), h.name)
            """, in: folder)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(output == "42 42 helpers\n")
    }

    @Test func anImportPathFolderIsAllowed() throws {
        let folder = try HermeticTests.makeTree()
        try folder.write("lib/extra.mull", "let value = 5\n")
        let (output, diagnostics) = try HermeticTests.run("import \"../lib/extra\"\nprint(extra.value)\n", in: folder,
                                                          importPaths: [folder.path("lib")])
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(output == "5\n")
    }

    @Test func importCyclesAreReported() throws {
        let folder = try HermeticTests.makeTree()
        try folder.write("tree/a.mull", "import \"b\"\nlet x = 1\n")
        try folder.write("tree/b.mull", "import \"a\"\nlet y = 2\n")
        let (_, diagnostics) = try HermeticTests.run("import \"a\"\nprint(a.x)\n", in: folder)
        #expect(diagnostics.contains { $0.id == "import-cycle" && $0.message.contains("cycle") }, "\(diagnostics)")
        try folder.write("tree/self.mull", "import \"self\"\n")
        let (_, selfDiagnostics) = try HermeticTests.run("import \"self\"\n", in: folder)
        #expect(selfDiagnostics.contains { $0.id == "import-cycle" }, "\(selfDiagnostics)")
    }

    @Test func theExecutableRefusesForeignImportsWithoutEchoingThem() throws {
        let folder = try HermeticTests.makeTree()
        try FileManager.default.createSymbolicLink(atPath: folder.path("tree/link.mull"), withDestinationPath: folder.path("outside/secret.mull"))
        for source in ["import \"/etc/passwd\"\n", "import \"../outside/secret\"\n", "import \"link\"\n",
                       "import \"std/\(String(repeating: "../", count: 40))\(folder.path("outside/secret").dropFirst())\"\n"] {
            let main = try folder.write("tree/main.mull", source)
            guard let r = try MullExecutable.run(["run", "--no-output", "--diagnostics", "line", main.path]) else { return }
            r.expectCleanFailure(source)
            #expect(!r.stderr.contains(HermeticTests.marker) && !r.stdout.contains(HermeticTests.marker))
            #expect(!r.stderr.contains("root:x:0"))
        }
    }

    /// A small sweep: two settings, two seeds, a few episodes.
    static let smallSweep = """
        import "std/mazes"
        env maze = GridWorld { layout: mazes.dyna }
        agent dyna = DynaQ {
            env: maze
            model: Tabular {}
            alpha: 0.1, epsilon: 0.1, gamma: 0.95
            planning_steps: 5
        }
        sweep small {
            agent: dyna
            vary planning_steps: [0, 5]
            seeds: 2
            episodes: 4
            record: [.steps]
        }
        run small

        """

    static func files(under url: URL) -> [String] {
        guard let e = FileManager.default.enumerator(atPath: url.path) else { return [] }
        var out: [String] = []
        while let p = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(p).path, isDirectory: &isDir), !isDir.boolValue { out.append(p) }
        }
        return out.sorted()
    }

    @Test func aSweepWritesOnlyUnderItsOutputFolder() throws {
        let folder = try TemporaryFolder()
        try folder.write("work/small.mull", HermeticTests.smallSweep)
        guard let r = try MullExecutable.run(["run", "--jobs", "1", "--out", folder.path("results-here"), "small.mull"],
                                             in: folder.url.appendingPathComponent("work")) else { return }
        #expect(r.status == 0, "\(r.stderr)")
        let all = HermeticTests.files(under: folder.url)
        let outside = all.filter { !$0.hasPrefix("results-here/") && $0 != "work/small.mull" }
        #expect(outside.isEmpty, "files written outside --out: \(outside)")
        #expect(all.contains("results-here/small/results.csv"), "\(all)")
    }

    @Test func noBuiltinReachesTheClockTheNetworkTheFileSystemOrUnseededRandomness() {
        let forbidden = ["time", "now", "clock", "date", "today", "random", "rand", "randint", "seed", "shuffle", "open",
                         "read", "write", "file", "load", "save", "http", "fetch", "url", "request", "socket", "exec",
                         "system", "shell", "spawn", "run", "env", "getenv", "sleep", "input", "eval", "import"]
        let names = Interpreter().builtinNames
        #expect(names.contains("print") && names.contains("len"), "the builtin list is not what this test expects")
        for name in names {
            let lower = name.lowercased()
            #expect(!forbidden.contains(lower), "builtin `\(name)`")
            for prefix in ["time", "read", "write", "open", "http", "exec", "system", "random", "file"] {
                #expect(!lower.hasPrefix(prefix), "builtin `\(name)`")
            }
        }
    }
}
