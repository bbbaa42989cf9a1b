import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thread-safe "please stop" flag. The runner checks it before starting each trial; trials
/// already running finish and are kept.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    private var sources: [any DispatchSourceSignal] = []

    public init() {}

    /// Whether cancellation was requested.
    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    /// Requests cancellation (idempotent).
    public func cancel() {
        lock.lock()
        value = true
        lock.unlock()
    }

    /// Makes Ctrl-C (SIGINT) set this flag instead of killing the process: the first SIGINT
    /// prints `message` to stderr and cancels; a second one exits with status 130 at once.
    /// The signal is handled through a dispatch source, so no code runs in signal context.
    public func installInterruptHandler(message: String = "\ninterrupted: finishing running trials (Ctrl-C again to abort)\n") {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [weak self] in
            guard let self else { return }
            if self.isCancelled {
                exit(130)
            }
            FileHandle.standardError.write(Data(message.utf8))
            self.cancel()
        }
        source.resume()
        lock.lock()
        sources.append(source)
        lock.unlock()
    }

    /// Undoes `installInterruptHandler`: SIGINT kills the process again.
    public func removeInterruptHandler() {
        lock.lock()
        let s = sources
        sources.removeAll()
        lock.unlock()
        for source in s { source.cancel() }
        signal(SIGINT, SIG_DFL)
    }
}
