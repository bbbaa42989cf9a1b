#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pure, allocation-free dynamics of a classic-control task, for planners that simulate
/// millions of transitions: a small value-type state, a transition function, an observation
/// written into a caller's buffer, and the start-state distribution.
///
/// Every conforming type reproduces Gymnasium's arithmetic operation by operation, so that a
/// state evolves as it does in Gymnasium up to the last bits of the platform's `sin`/`cos`.
public protocol ControlDynamics: Sendable {
    /// The full simulator state: a few `Double`s, no references.
    associatedtype State: ControlState
    /// The action the transition function takes: `Int` for discrete actions, `Double` for a
    /// one-dimensional continuous action.
    associatedtype Action: Sendable
    /// The action `Environment.step` takes: `Int`, or `[Double]` for a box.
    associatedtype EnvironmentAction: Sendable

    /// Gymnasium's id, e.g. "CartPole-v1".
    static var gymnasiumID: String { get }
    /// Length of the observation vector.
    static var observationCount: Int { get }
    /// Names of the discrete actions, in order (empty for continuous actions).
    static var actionNames: [String] { get }
    /// The step limit Gymnasium registers for the task.
    static var registeredStepLimit: Int { get }

    var observationSpace: Space { get }
    var actionSpace: Space { get }

    /// One step: next state, reward and whether the next state is terminal.
    func transition(_ state: State, _ action: Action) -> (state: State, reward: Double, terminated: Bool)
    /// Writes the observation of `state` into `buffer[0 ..< observationCount]`.
    func observe(_ state: State, into buffer: UnsafeMutableBufferPointer<Double>)
    /// Draws a start state from Gymnasium's reset distribution.
    func initialState(_ rng: inout RandomSource) -> State
    /// Validates and converts an environment action.
    func action(from action: EnvironmentAction) throws -> Action
    /// The reward `step` reports for a terminal step taken after the episode already terminated
    /// (CartPole's `steps_beyond_terminated` rule); nil to report the ordinary reward.
    var rewardBeyondTermination: Double? { get }
    /// The simulator state whose observation is `observation`, where the observation determines
    /// it (nil otherwise, or for a vector of the wrong length). By default the observation is the
    /// state itself when both have the same length.
    func state(observation: [Double]) -> State?

    /// A decision-time planner for `env` (a planning-through-a-learned-model agent when
    /// `learnedModel` is given). Implemented once per kind of dynamics in PlannableEnvironment.swift;
    /// a requirement so that each task gets the most specific implementation.
    static func planningAgent(_ env: ControlEnvironment<Self>, spec: PlannerSpec, seed: UInt64,
                              learnedModel: LearnedModelSpec?) throws -> any PlanningAgent
    /// A replay learner (SAC, DQN, alone or in MBPO) for `env`, implemented once per kind of
    /// dynamics in ReplayAgents.swift.
    static func replayAgent(_ env: ControlEnvironment<Self>, spec: ReplayAgentSpec, seed: UInt64) throws -> any ReplayAgentProtocol
}

extension ControlDynamics {
    public var rewardBeyondTermination: Double? { nil }
    public func state(observation: [Double]) -> State? {
        Self.observationCount == State.count ? try? State(values: observation) : nil
    }
    public static var actionNames: [String] { [] }

    /// The observation of `state` as a new array.
    @inlinable
    public func observation(_ state: State) -> [Double] {
        [Double](unsafeUninitializedCapacity: Self.observationCount) { buffer, count in
            observe(state, into: buffer)
            count = Self.observationCount
        }
    }
}

/// A simulator state that converts to and from a flat vector of numbers (Gymnasium's
/// `env.unwrapped.state` layout), for the interpreter and for tests.
public protocol ControlState: Sendable, Equatable {
    static var count: Int { get }
    /// The state from `values` (exactly `count` numbers, in Gymnasium's order).
    init(values: [Double]) throws
    var values: [Double] { get }
}

extension ControlState {
    @usableFromInline
    static func check(_ values: [Double], _ name: String) throws {
        guard values.count == count else {
            throw RuntimeError("\(name) state has \(count) components, got \(values.count)")
        }
    }
}

/// Validation shared by the discrete-action tasks.
@inlinable
func discreteAction(_ a: Int, _ count: Int, _ id: String) throws -> Int {
    guard a >= 0 && a < count else { throw RuntimeError("\(id): action \(a) is outside 0..<\(count)") }
    return a
}

/// Validation shared by the one-dimensional continuous tasks.
@inlinable
func scalarAction(_ a: [Double], _ id: String) throws -> Double {
    guard a.count == 1 else { throw RuntimeError("\(id): the action is a vector of 1 number, got \(a.count)") }
    guard a[0].isFinite else { throw RuntimeError("\(id): the action is not a finite number") }
    return a[0]
}

/// NumPy's `clip` / Python's `min(max(x, lo), hi)` for ordinary numbers.
@inlinable @inline(__always)
func clip(_ x: Double, _ lo: Double, _ hi: Double) -> Double {
    min(max(x, lo), hi)
}

/// Python's and NumPy's floating-point `%`: the remainder with the sign of the divisor.
@inlinable @inline(__always)
func floorMod(_ a: Double, _ b: Double) -> Double {
    // fmod returns `a` itself when 0 <= a < b, so this shortcut gives the same bits.
    if a >= 0 && a < b { return a }
    var m = a.truncatingRemainder(dividingBy: b)
    if m != 0 {
        if (b < 0) != (m < 0) { m += b }
    } else {
        m = b < 0 ? -0.0 : 0.0
    }
    return m
}

@inlinable @inline(__always) func cosine(_ x: Double) -> Double { cos(x) }
@inlinable @inline(__always) func sine(_ x: Double) -> Double { sin(x) }

/// The C library's `sincos` where it is glibc's, nil elsewhere. glibc computes both values with
/// the same range reduction and kernels as its `sin` and `cos`, so the results are the same bits
/// (checked by the tests on millions of arguments) at about three quarters of the cost of two
/// calls. Looked up at run time because the Glibc module does not declare it.
@usableFromInline
let libcSinCos: (@convention(c) (Double, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void)? = {
    #if canImport(Glibc)
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sincos") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (Double, UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void).self)
    #else
    return nil
    #endif
}()

/// `(sin(x), cos(x))`, bit for bit, with one call where the C library allows.
@inlinable @inline(__always)
func sineCosine(_ x: Double) -> (sin: Double, cos: Double) {
    if let f = libcSinCos {
        var s = 0.0, c = 0.0
        f(x, &s, &c)
        return (s, c)
    }
    return (sin(x), cos(x))
}
