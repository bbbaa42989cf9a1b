import Foundation
import Synchronization

/// One long-lived thread with a large stack (512 MiB: deep recursion in scripts, deep values)
/// on which an interpreter does all its work, one request at a time. A request from another
/// thread waits for the ones before it, so an interpreter shared by several threads serialises
/// their calls instead of racing; a request made on the worker itself (a native function
/// calling back into the interpreter) runs at once.
///
/// Handing a request over must be cheap for hosts that call a Mull function per step: waking a
/// sleeping thread costs tens of microseconds on a virtual machine, so each side first spins
/// briefly on an atomic state (the worker for about 50 µs after each request, the caller while
/// the request runs, up to the same bound) and only then sleeps on a condition.
final class LargeStackWorker: @unchecked Sendable {
    private static let idle = 0, posted = 1, done = 2
    private static let spins = 20_000
    private let state = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let condition = NSCondition()
    /// Serialises requests from other threads.
    private let queue = NSLock()
    nonisolated(unsafe) private var job: (() -> Void)?
    nonisolated(unsafe) private var thread: Thread?

    init() {
        let t = Thread { [self] in loop() }
        t.stackSize = 1 << 29
        t.name = "mull-interpreter"
        thread = t
        t.start()
    }

    /// Whether the caller is the worker thread.
    var isCurrent: Bool { Thread.current === thread }

    /// Runs `body` on the worker and returns its result (or rethrows its error).
    func run<T>(_ body: () throws -> T) rethrows -> T {
        if isCurrent { return try body() }
        queue.lock()
        defer { queue.unlock() }
        return try withoutActuallyEscaping(body) { body in
            nonisolated(unsafe) var result: Result<T, any Error>?
            nonisolated(unsafe) let work = body
            job = { result = Result { try work() } }
            condition.lock()
            state.store(Self.posted, ordering: .releasing)
            condition.broadcast()
            condition.unlock()
            var n = 0
            while state.load(ordering: .acquiring) != Self.done && n < Self.spins { n += 1 }
            if state.load(ordering: .acquiring) != Self.done {
                condition.lock()
                while state.load(ordering: .acquiring) != Self.done { condition.wait() }
                condition.unlock()
            }
            state.store(Self.idle, ordering: .relaxed)
            switch result! {
            case .success(let v): return v
            case .failure(let e): throw e
            }
        }
    }

    private func loop() {
        while true {
            var n = 0
            while state.load(ordering: .acquiring) != Self.posted && n < Self.spins && !stopping.load(ordering: .relaxed) { n += 1 }
            if state.load(ordering: .acquiring) != Self.posted {
                condition.lock()
                while state.load(ordering: .acquiring) != Self.posted && !stopping.load(ordering: .relaxed) { condition.wait() }
                condition.unlock()
            }
            if stopping.load(ordering: .relaxed) && state.load(ordering: .acquiring) != Self.posted { break }
            // The request is released before it is reported done: the caller lent it without
            // letting it escape.
            do {
                let j = job!
                job = nil
                j()
            }
            condition.lock()
            state.store(Self.done, ordering: .releasing)
            condition.broadcast()
            condition.unlock()
        }
        thread = nil
    }

    /// Ends the thread once it is idle (the interpreter is going away).
    func stop() {
        condition.lock()
        stopping.store(true, ordering: .relaxed)
        condition.broadcast()
        condition.unlock()
    }
}
