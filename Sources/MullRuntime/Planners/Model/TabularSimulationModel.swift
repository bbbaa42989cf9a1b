/// The exact model of a tabular task: samples an outcome of `(state, action)` from its table,
/// and exposes the outcome distribution for planners that enumerate chance nodes.
public struct TabularSimulationModel: SimulationModel, Sendable {
    public typealias State = Int
    public typealias Action = Int

    public let table: TabularTable

    public var stateCount: Int { table.stateCount }
    public var actionCount: Int { table.actionCount }

    public init(table: TabularTable) { self.table = table }

    /// The model of any tabular environment, built from its `transitions(from:action:)`.
    public init<E: TabularDynamics>(_ environment: E) {
        self.table = TabularTable(stateCount: environment.stateCount, actionCount: environment.actionCount) { s, a, out in
            out.append(contentsOf: environment.transitions(from: s, action: a))
        }
    }

    /// One outcome drawn as the environment draws it (Gymnasium's `categorical_sample`).
    @inlinable @inline(__always)
    public func step(_ state: Int, _ action: Int, _ rng: inout RandomSource)
        -> (state: Int, reward: Double, terminated: Bool) {
        let o = table.sample(state, action, &rng)
        return (o.next, o.reward, o.terminated)
    }

    /// Indices into `outcomes` of the outcomes of `(state, action)` (no allocation).
    @inlinable @inline(__always)
    public func outcomeRange(_ state: Int, _ action: Int) -> Range<Int> { table.outcomeRange(state, action) }

    /// Probability that `action` in `state` leads to `next` (summed over duplicate outcomes).
    @inlinable
    public func probability(of next: Int, from state: Int, _ action: Int) -> Double {
        var p = 0.0
        for i in table.outcomeRange(state, action) where table.outcomes[i].next == next { p += table.outcomes[i].probability }
        return p
    }

    /// All outcomes of all pairs; index with `outcomeRange`.
    @inlinable public var outcomes: [Outcome] { table.outcomes }
}
