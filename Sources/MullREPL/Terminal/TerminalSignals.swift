import Foundation
import Mull
import Synchronization

/// Ctrl-C handling for the terminal front end.
///
/// The SIGINT handler only does async-signal-safe work: atomic loads and stores. While an
/// entry is evaluating it sets the interpreter's cancellation flag (the evaluator polls it and
/// stops with an "interrupted" error; the session keeps its state); a second Ctrl-C before the
/// evaluator has noticed the first exits at once, as an escape hatch from native code that does
/// not poll. At the prompt it only records the request: the input loop waits in `poll()`, which
/// the signal interrupts, and clears the line with readline's functions outside the handler
/// (calling readline from a signal handler is not safe).
enum TerminalSignals {
    /// True while an entry is evaluating.
    static let evaluating = Atomic<Bool>(false)
    /// Set by the handler when Ctrl-C interrupts an evaluation (the terminal has echoed `^C`).
    static let interruptedEvaluation = Atomic<Bool>(false)
    /// Set by the handler when Ctrl-C is pressed at the prompt.
    static let interruptedAtPrompt = Atomic<Bool>(false)
    /// The flag of the interpreter being driven. Written before the handler is installed and
    /// only read afterwards, so the handler sees a stable reference.
    nonisolated(unsafe) static var cancellation: CancellationFlag?

    static func install(_ flag: CancellationFlag) {
        cancellation = flag
        // Touch the atomics so their lazy initialisation never happens inside the handler.
        evaluating.store(false, ordering: .relaxed)
        interruptedAtPrompt.store(false, ordering: .relaxed)
        interruptedEvaluation.store(false, ordering: .relaxed)
        var action = sigaction()
        #if os(Linux)
        action.__sigaction_handler.sa_handler = handleInterrupt
        #else
        action.__sigaction_u.__sa_handler = handleInterrupt
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0  // no SA_RESTART: the prompt's poll() must wake up
        sigaction(SIGINT, &action, nil)
        // A blocked SIGINT inherited from the parent would make Ctrl-C do nothing.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
    }

    static func uninstall() {
        signal(SIGINT, SIG_DFL)
        cancellation = nil
    }
}

private func handleInterrupt(_: Int32) {
    if TerminalSignals.evaluating.load(ordering: .relaxed) {
        guard let flag = TerminalSignals.cancellation else { return }
        if flag.isCancelled { _exit(130) }
        flag.cancel()
        TerminalSignals.interruptedEvaluation.store(true, ordering: .relaxed)
    } else {
        TerminalSignals.interruptedAtPrompt.store(true, ordering: .relaxed)
    }
}
