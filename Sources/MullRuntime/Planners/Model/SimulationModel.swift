/// A model that planners search through: from a state and an action, one sampled transition.
///
/// The true simulator of a task, a tabular model and learned models (ensembles) all conform, so
/// a planner is written once and specialises for each. Nothing here assumes determinism: a
/// stochastic model draws from `rng`, a deterministic one ignores it.
///
/// `step` must be safe to call from several threads at once on the same model (it should not
/// mutate shared state): shooting planners evaluate candidates in parallel when asked to.
public protocol SimulationModel {
    associatedtype State
    associatedtype Action

    /// One transition: next state, reward, and whether the next state is terminal.
    func step(_ state: State, _ action: Action, _ rng: inout RandomSource)
        -> (state: State, reward: Double, terminated: Bool)

    /// Rolls out `count` action sequences from `state` at once (`horizon * dimension` numbers
    /// each, time-major), writing each one's predicted return and the transitions simulated, and
    /// returns true; or returns false when the model has no batched form, and planners step it
    /// one transition at a time. Learned models answer in batches: one network evaluation per
    /// step for the whole population is what makes them fast.
    func evaluateBatch(from state: State, sequences: UnsafePointer<Double>, count: Int, horizon: Int, dimension: Int,
                       discount: Double, seed: UInt64, returns: UnsafeMutablePointer<Double>,
                       steps: UnsafeMutablePointer<Int>) -> Bool
}

extension SimulationModel {
    @inlinable @inline(__always)
    public func evaluateBatch(from state: State, sequences: UnsafePointer<Double>, count: Int, horizon: Int, dimension: Int,
                              discount: Double, seed: UInt64, returns: UnsafeMutablePointer<Double>,
                              steps: UnsafeMutablePointer<Int>) -> Bool { false }
}

/// An action that shooting planners build from a slice of their flat plan buffer, so plans of
/// any action dimension live in one contiguous array of `Double`s.
public protocol PlanAction {
    /// The action whose components are `vector[0 ..< count]` (`count` is the action dimension).
    init(planVector vector: UnsafePointer<Double>, count: Int)
    /// The components of the action as an array (for inspection and the interpreter).
    var planComponents: [Double] { get }
}

extension Double: PlanAction {
    @inlinable @inline(__always)
    public init(planVector vector: UnsafePointer<Double>, count: Int) { self = vector[0] }
    public var planComponents: [Double] { [self] }
}

extension SIMD2: PlanAction where Scalar == Double {
    @inlinable @inline(__always)
    public init(planVector v: UnsafePointer<Double>, count: Int) { self.init(v[0], v[1]) }
    public var planComponents: [Double] { [self[0], self[1]] }
}

extension SIMD4: PlanAction where Scalar == Double {
    @inlinable @inline(__always)
    public init(planVector v: UnsafePointer<Double>, count: Int) { self.init(v[0], v[1], v[2], v[3]) }
    public var planComponents: [Double] { [self[0], self[1], self[2], self[3]] }
}

/// Vectors of any length; building one allocates, so prefer `Double` or `SIMD` actions in
/// models that are stepped millions of times.
extension Array: PlanAction where Element == Double {
    @inlinable
    public init(planVector v: UnsafePointer<Double>, count: Int) {
        self.init(UnsafeBufferPointer(start: v, count: count))
    }
    public var planComponents: [Double] { self }
}
