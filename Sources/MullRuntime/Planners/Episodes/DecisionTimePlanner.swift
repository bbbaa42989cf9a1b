/// A planner that acts by searching forward from the current true state at every real step.
public protocol DecisionTimePlanner: AnyObject {
    associatedtype State
    associatedtype Action

    /// Forgets everything carried between steps (warm starts, reused trees); call at episode start.
    func reset()
    /// Plans from `state` and returns the action to execute.
    func act(_ state: State) -> Action
    /// Model transitions simulated since the planner was made.
    var modelSteps: Int { get }
    /// A check the planner asks during one long `act` (nil: none); when it answers true, the
    /// search stops early and `act` returns at once. Planners whose steps are short ignore it.
    func setInterruption(_ interrupted: (() -> Bool)?)
}

extension DecisionTimePlanner {
    public func setInterruption(_ interrupted: (() -> Bool)?) {}

    /// Runs `body` with `shouldContinue` as the planner's interruption check for its duration.
    @inlinable
    public func interruptible<T>(by shouldContinue: () -> Bool, _ body: () throws -> T) rethrows -> T {
        try withInterruption(setInterruption, by: shouldContinue, body)
    }
}

/// Installs `!shouldContinue()` through `set` for the duration of `body`, then removes it: the
/// check may be stored although `shouldContinue` does not escape, because it is gone before
/// this returns.
@inlinable
public func withInterruption<T>(_ set: ((() -> Bool)?) -> Void, by shouldContinue: () -> Bool,
                                _ body: () throws -> T) rethrows -> T {
    try withoutActuallyEscaping(shouldContinue) { check in
        set { !check() }
        defer { set(nil) }
        return try body()
    }
}
