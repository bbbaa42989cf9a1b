import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread-safe "please stop" flag for a sweep (named apart from the interpreter's
/// `CancellationFlag`, so a host importing both modules sees no ambiguity). The runner checks
/// it before starting each trial; trials already running finish and are kept.
public final class SweepCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    private var watching = false
    private var previousHandler: sighandler_t?

    public init() {}

    /// Whether cancellation was requested.
    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value || (watching && interruptCount.load(ordering: .relaxed) > 0)
    }

    /// Requests cancellation (idempotent).
    public func cancel() {
        lock.lock()
        value = true
        lock.unlock()
    }

    /// Makes Ctrl-C (SIGINT) set this flag instead of killing the process: the first SIGINT
    /// prints `message` to stderr and cancels; a second one exits at once with status 130.
    /// The handler only does async-signal-safe work (a counter store, `write`, `_exit`); the
    /// flag reads the counter. One flag at a time owns SIGINT.
    public func installInterruptHandler(message: String = "\ninterrupted: finishing running trials (Ctrl-C again to abort)\n") {
        lock.lock()
        defer { lock.unlock() }
        guard !watching else { return }
        interruptMessage?.deallocate()
        let bytes = Array(message.utf8CString)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
        buffer.initialize(from: bytes, count: bytes.count)
        interruptMessage = buffer
        interruptCount.store(0, ordering: .relaxed)
        previousHandler = signal(SIGINT) { _ in
            let savedErrno = errno  // `write` may set it; the interrupted code must not see that
            defer { errno = savedErrno }
            if interruptCount.add(1, ordering: .relaxed).newValue >= 2 { _exit(130) }
            if let m = interruptMessage { _ = write(2, m, strlen(m)) }
        }
        watching = true
    }

    /// Undoes `installInterruptHandler`: SIGINT gets the handler it had before.
    public func removeInterruptHandler() {
        lock.lock()
        defer { lock.unlock() }
        guard watching else { return }
        signal(SIGINT, previousHandler ?? SIG_DFL)
        if interruptCount.load(ordering: .relaxed) > 0 { value = true }
        watching = false
    }
}

/// SIGINT bookkeeping shared with the C signal handler: a lock-free atomic counter (safe in a
/// signal handler) and a message written before the handler is installed.
private let interruptCount = Atomic<Int32>(0)
nonisolated(unsafe) private var interruptMessage: UnsafeMutablePointer<CChar>?

/// Thrown by a trial that stopped because the sweep was cancelled (Ctrl-C): the runner counts
/// it as interrupted, not failed. Any other error is a failure, even one thrown after the
/// cancellation, so a genuine failure is never hidden by a concurrent interrupt.
public struct TrialInterrupted: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "interrupted" }
}
