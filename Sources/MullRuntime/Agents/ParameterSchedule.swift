#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// A parameter that may change with the number of real steps taken (step size, exploration).
public enum ParameterSchedule: Sendable, Equatable {
    /// The same value throughout.
    case constant(Double)
    /// From `start` to `end` linearly over `steps` real steps, then `end`.
    case linear(start: Double, end: Double, steps: Int)
    /// `start * decay^t` after `t` real steps, never below `floor`.
    case exponential(start: Double, decay: Double, floor: Double)

    /// The value after `step` real steps.
    @inlinable
    public func value(at step: Int) -> Double {
        switch self {
        case .constant(let v):
            return v
        case .linear(let start, let end, let steps):
            if steps <= 0 || step >= steps { return end }
            return start + (end - start) * Double(step) / Double(steps)
        case .exponential(let start, let decay, let floor):
            return max(floor, start * _pow(decay, Double(step)))
        }
    }

    /// The value before any step.
    public var initialValue: Double { value(at: 0) }
}

/// Settings shared by the tabular agents.
public struct TabularSettings: Sendable, Equatable {
    /// Step size.
    public var alpha: ParameterSchedule
    /// Discount factor.
    public var gamma: Double
    /// Exploration probability of the epsilon-greedy behaviour policy.
    public var epsilon: ParameterSchedule
    /// Initial value of every Q(s, a).
    public var initialQ: Double

    public init(alpha: ParameterSchedule = .constant(0.1), gamma: Double = 0.95, epsilon: ParameterSchedule = .constant(0.1), initialQ: Double = 0) {
        self.alpha = alpha
        self.gamma = gamma
        self.epsilon = epsilon
        self.initialQ = initialQ
    }

    /// Constant step size and exploration.
    public init(alpha: Double, gamma: Double = 0.95, epsilon: Double = 0.1, initialQ: Double = 0) {
        self.init(alpha: .constant(alpha), gamma: gamma, epsilon: .constant(epsilon), initialQ: initialQ)
    }

    /// Checks ranges; throws a `RuntimeError` naming the offending setting.
    public func validate() throws {
        guard gamma >= 0 && gamma <= 1 else { throw RuntimeError("gamma must be in [0, 1], got \(gamma)") }
        for (name, s) in [("alpha", alpha), ("epsilon", epsilon)] {
            switch s {
            case .constant(let v):
                guard v >= 0 && v <= 1 else { throw RuntimeError("\(name) must be in [0, 1], got \(v)") }
            case .linear(let a, let b, let n):
                guard a >= 0 && a <= 1 && b >= 0 && b <= 1 && n >= 0 else { throw RuntimeError("\(name) linear schedule needs values in [0, 1] and steps >= 0") }
            case .exponential(let a, let d, let f):
                guard a >= 0 && a <= 1 && d > 0 && d <= 1 && f >= 0 && f <= 1 else { throw RuntimeError("\(name) exponential schedule needs start, floor in [0, 1] and decay in (0, 1]") }
            }
        }
        guard initialQ.isFinite else { throw RuntimeError("initial Q value must be finite") }
    }
}

@usableFromInline func _pow(_ x: Double, _ y: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.pow(x, y)
    #else
    return Foundation.pow(x, y)
    #endif
}
