import Foundation
import Mull

/// Turns Ctrl-C into a cancellation request, so a run stops cleanly and keeps finished trials.
/// A second Ctrl-C exits at once.
final class InterruptHandler {
    nonisolated(unsafe) private static var flag: CancellationFlag?

    static func install(_ flag: CancellationFlag) -> InterruptHandler {
        InterruptHandler.flag = flag
        // A parent that blocked SIGINT (some test runners and task launchers do) passes the
        // blocked mask on to this process, and Ctrl-C would never arrive: unblock it.
        var interrupt = sigset_t()
        sigemptyset(&interrupt)
        sigaddset(&interrupt, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
        signal(SIGINT) { _ in
            // Only an atomic store and async-signal-safe calls here.
            if let f = InterruptHandler.flag {
                if f.isCancelled { _exit(130) }
                f.cancel()
            }
        }
        return InterruptHandler()
    }

    func uninstall() {
        signal(SIGINT, SIG_DFL)
        InterruptHandler.flag = nil
    }
}
