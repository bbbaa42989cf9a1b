import Foundation
import Synchronization

/// Swift concurrency for hosts: `await interpreter.evaluate(...)` and `await interpreter.call(...)`
/// run Mull code on the interpreter's own thread, so no thread of the cooperative pool waits on
/// it, and cancelling the calling Task interrupts the evaluation as Ctrl-C does (it ends with
/// the diagnostic `interrupted`). A Task cancelled before the evaluation starts throws
/// `CancellationError` without running anything.
extension Interpreter {
    @discardableResult
    public func evaluate(_ source: String, path: String = "<input>") async throws -> Value {
        try await cancellable { try self.evaluate(source, path: path, resettingCancellation: false) }
    }

    @discardableResult
    public func evaluateFile(_ path: String) async throws -> Value {
        try await cancellable { try self.evaluateFile(path, resettingCancellation: false) }
    }

    public func call(_ function: Function, _ arguments: [Value]) async throws -> Value {
        try await cancellable { try self.call(function, arguments, resettingCancellation: false) }
    }

    /// Runs `body` on a thread of its own, mapping the Task's cancellation onto the interpreter's
    /// cancellation flag. The flag is reset first and the Task's state checked after, so a
    /// cancellation is never lost: before the reset it is seen by the check, after it by the
    /// evaluation (which, called this way, does not reset the flag again).
    func cancellable<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try Task.checkCancellation()
        let flag = configuration.cancellation
        let cancelled = Atomic<Bool>(false)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                Thread.detachNewThread {
                    flag.reset()
                    if cancelled.load(ordering: .sequentiallyConsistent) {
                        continuation.resume(throwing: CancellationError())
                        return
                    }
                    continuation.resume(with: Result { try body() })
                }
            }
        } onCancel: {
            cancelled.store(true, ordering: .sequentiallyConsistent)
            flag.cancel()
        }
    }
}
