import MullRuntime

extension CallContext {
    /// The check a native planner or learner loop makes between units of work (a real step, a
    /// training or rollout batch, 256 tree simulations): not interrupted, `extra` holds, and
    /// the unit fits the step budget and the memory limit (`nativeWork`).
    func nativeCheck(_ extra: @escaping () -> Bool = { true }) -> () -> Bool {
        let flag = cancellation
        return { [self] in !flag.isCancelled && extra() && nativeWork() }
    }

    /// The check a tabular run makes after each episode: charges the real steps and planning
    /// updates the agent made since `done` (its totals when the run started).
    func tabularCheck(from done: Int) -> (TabularRunMetrics) -> Bool {
        let flag = cancellation
        var charged = done
        return { [self] m in
            let total = (m.cumulativeRealSteps.last ?? 0) &+ (m.cumulativePlanningUpdates.last ?? 0)
            defer { charged = total }
            return !flag.isCancelled && nativeWork(max(1, total &- charged))
        }
    }

    /// After a native loop a host call or REPL entry started: throws the budget or memory error
    /// that stopped it, or `interrupted` with `account` (what was done and kept) when an
    /// interrupt did; returns when it ran to its end.
    func throwIfNativeStopped(_ account: @autoclosure () -> String) throws {
        if let e = nativeStopError(at: nil) { throw e }
        if cancellation.isCancelled { throw MullError("interrupted", account(), at: nil) }
    }
}
