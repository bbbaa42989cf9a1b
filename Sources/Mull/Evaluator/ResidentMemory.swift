import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The process's memory as the operating system counts it, for the memory limit of the values
/// and runs a script makes (docs/language.md, "Limits"). Reading it costs a few microseconds
/// (one small read of `/proc/self/statm`), so callers ask every few million bytes allocated or
/// every few thousand units of work, not per value.
package enum ResidentMemory {
    /// Resident bytes of this process; 0 where the system does not say.
    package static func bytes() -> Int {
        #if os(Linux)
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer -> Int in
            let n = read(fd, buffer.baseAddress, 127)
            guard n > 0 else { return 0 }
            // "size resident shared ...", in pages: the second number.
            var field = 0, value = 0, i = 0
            while i < n {
                let c = buffer[i]
                if c == 32 { field += 1; if field == 2 { break } }
                else if field == 1, c >= 48, c <= 57 { value = value &* 10 &+ Int(c - 48) }
                i += 1
            }
            return value &* pageSize
        }
        #else
        return 0
        #endif
    }

    /// A monotonic clock with a few milliseconds' resolution, cheap enough to read often.
    static func coarseNanoseconds() -> UInt64 {
        #if os(Linux)
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC_COARSE, &t)
        return UInt64(t.tv_sec) &* 1_000_000_000 &+ UInt64(t.tv_nsec)
        #else
        return DispatchTime.now().uptimeNanoseconds
        #endif
    }

    static let pageSize: Int = {
        #if os(Linux)
        return max(1, sysconf(Int32(_SC_PAGESIZE)))
        #else
        return 4096
        #endif
    }()

    /// The default limit: 80% of the memory this process may use (the machine's, or its control
    /// group's limit when lower) and half of an address-space limit, leaving room for the
    /// system and the results being written.
    package static let defaultLimit: Int = {
        var available = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0 {
                available = min(available, limit)
            }
        }
        var limit = available / 10 * 8
        #if os(Linux)
        // An address-space limit (`ulimit -v`) counts reserved memory too (thread stacks,
        // mappings), so only half of it is taken as room for resident memory.
        var r = rlimit()
        if getrlimit(Int32(RLIMIT_AS.rawValue), &r) == 0, r.rlim_cur < UInt64(Int.max) {
            limit = min(limit, Int(r.rlim_cur) / 2)
        }
        #endif
        return max(1 << 28, limit)
    }()

    /// `3.2 GB`, `512 MB`.
    package static func describe(_ bytes: Int) -> String {
        let b = Double(bytes)
        if b >= 1e9 { return String(format: "%.1f GB", b / 1e9) }
        return String(format: "%.0f MB", b / 1e6)
    }

    /// Parses a size as given on the command line: `4G`, `512M`, `1.5GB`, `200000000`; nil
    /// when it is not one. `none` (no limit) is handled by the caller.
    package static func parse(_ text: String) -> Int? {
        var t = text.trimmingCharacters(in: .whitespaces).uppercased()
        if t.hasSuffix("B") { t.removeLast() }
        var scale = 1.0
        if let last = t.last, let s = ["K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12][String(last)] {
            scale = s
            t.removeLast()
        }
        guard let x = Double(t), x.isFinite, x > 0, x * scale < 9e18 else { return nil }
        return Int(x * scale)
    }
}
