import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A snapshot of a running sweep, passed to the progress callback after every trial.
public struct SweepProgress: Sendable {
    /// Trials finished so far (run, resumed or failed).
    public var done: Int
    public var total: Int
    /// Of `done`, how many were loaded from earlier output instead of run.
    public var resumed: Int
    /// Of `done`, how many failed.
    public var failed: Int
    /// Seconds since the sweep started.
    public var elapsed: Double
    /// Estimated seconds left, from the rate of trials actually run (nil before the first).
    public var eta: Double?
    /// Whether this is the last report of the sweep (finished, stopped or cancelled).
    public var finished: Bool

    public init(done: Int, total: Int, resumed: Int, failed: Int, elapsed: Double, eta: Double?, finished: Bool) {
        self.done = done
        self.total = total
        self.resumed = resumed
        self.failed = failed
        self.elapsed = elapsed
        self.eta = eta
        self.finished = finished
    }

    /// `[12/40] 30% 0:12 elapsed, ~0:28 left, 1 failed`
    public var line: String {
        let pct = total > 0 ? done * 100 / total : 100
        var s = "[\(done)/\(total)] \(pct)% \(Self.clock(elapsed)) elapsed"
        if let eta, !finished { s += ", ~\(Self.clock(eta)) left" }
        if resumed > 0 { s += ", \(resumed) resumed" }
        if failed > 0 { s += ", \(failed) failed" }
        return s
    }

    /// `m:ss` or `h:mm:ss`.
    public static func clock(_ seconds: Double) -> String {
        let t = max(0, Int(seconds.rounded()))
        let h = t / 3600, m = (t / 60) % 60, s = t % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(m):\(two(s))"
    }
}

/// A progress callback that redraws one line on stderr with `\r`, only when stderr is a
/// terminal; when stderr is piped or redirected it prints nothing at all.
public final class StderrProgressPrinter: @unchecked Sendable {
    private let lock = NSLock()
    private let enabled: Bool
    private let label: String
    private var lastWidth = 0
    private var lastDraw: Double = -1
    private let minInterval: Double

    /// - Parameters:
    ///   - label: printed before the counts (e.g. the experiment name).
    ///   - minInterval: seconds between redraws (the final report always draws).
    ///   - enabled: defaults to `isatty(2)`.
    public init(label: String = "", minInterval: Double = 0.1, enabled: Bool? = nil) {
        self.label = label
        self.minInterval = minInterval
        self.enabled = enabled ?? (isatty(STDERR_FILENO) != 0)
    }

    /// Pass this as the runner's `progress`.
    public var callback: @Sendable (SweepProgress) -> Void {
        { [self] p in self.report(p) }
    }

    public func report(_ p: SweepProgress) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if !p.finished && lastDraw >= 0 && p.elapsed - lastDraw < minInterval { return }
        lastDraw = p.elapsed
        let text = (label.isEmpty ? "" : label + " ") + p.line
        let pad = max(0, lastWidth - text.count)
        lastWidth = text.count
        let out = "\r" + text + String(repeating: " ", count: pad) + (p.finished ? "\n" : "")
        FileHandle.standardError.write(Data(out.utf8))
    }
}
