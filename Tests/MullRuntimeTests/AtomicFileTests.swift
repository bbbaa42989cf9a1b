import Foundation
import Testing
@testable import MullRuntime

@Suite("Atomic files")
struct AtomicFileTests {
    @Test func leftoversOfDeadWritersAreRemovedOthersKept() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mull-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // A process id that is not running.
        var dead: Int32 = 4_000_000
        while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
        let old = Date(timeIntervalSinceNow: -3600)
        func make(_ name: String, modified: Date) throws {
            let url = dir.appendingPathComponent(name)
            try Data("x".utf8).write(to: url)
            try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: url.path)
        }
        try make(".3.csv.\(dead).abc.tmp", modified: old)          // dead writer, old: removed
        try make(".4.csv.\(dead).def.tmp", modified: Date())       // dead writer, fresh: kept
        try make(".5.csv.\(getpid()).ghi.tmp", modified: old)      // this process: kept
        try make("3.csv", modified: old)                          // not a temporary file: kept
        try AtomicFile.write("done", to: dir.appendingPathComponent("6.csv"))
        #expect(AtomicFile.removeLeftovers(in: dir) == 1)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(left == [".4.csv.\(dead).def.tmp", ".5.csv.\(getpid()).ghi.tmp", "3.csv", "6.csv"])
    }
}
