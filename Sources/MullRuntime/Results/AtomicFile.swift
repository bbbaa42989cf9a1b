import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes that readers never see half done: the bytes go to a temporary file in the
/// same directory, are flushed to disk, and the temporary file is renamed over the target
/// (rename is atomic within one file system).
public enum AtomicFile {
    /// Writes `text` as UTF-8 to `url`, atomically. Creates the parent directory if needed.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Writes `data` to `url`, atomically. Creates the parent directory if needed.
    public static func write(_ data: Data, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var rng = SystemRandomNumberGenerator()
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(String(rng.next(), radix: 36)).tmp")
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil) else {
            throw RuntimeError("cannot create \(tmp.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: tmp)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            if rename(tmp.path, url.path) != 0 {
                throw RuntimeError("cannot rename \(tmp.lastPathComponent) to \(url.path): \(String(cString: strerror(errno)))")
            }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw error
        }
    }

    /// Removes temporary files that writes in `directory` left behind when their process was
    /// killed between creating and renaming them: files named as `write` names them, whose
    /// process no longer runs on this machine and which are more than `minimumAge` seconds old
    /// (so a live writer on another machine sharing the folder keeps its file). Returns how many
    /// were removed; a folder that does not exist has none.
    @discardableResult
    public static func removeLeftovers(in directory: URL, minimumAge: Double = 600) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return 0 }
        var removed = 0
        let now = Date()
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.split(separator: ".")
            guard parts.count >= 4, let pid = Int32(parts[parts.count - 3]) else { continue }
            if pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH { continue }
            let url = directory.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? now
            guard now.timeIntervalSince(modified) >= minimumAge else { continue }
            if (try? FileManager.default.removeItem(at: url)) != nil { removed += 1 }
        }
        return removed
    }
}
