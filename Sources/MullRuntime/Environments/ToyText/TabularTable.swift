/// A tabular transition function stored flat: every `(state, action)` pair owns a contiguous run
/// of outcomes, in the order Gymnasium lists them in `P[s][a]`.
///
/// Planners read outcomes without allocating through `outcomeRange(_:_:)` and `outcomes`;
/// `transitions(from:action:)` returns a fresh array for convenience.
public struct TabularTable: Sendable {
    public let stateCount: Int
    public let actionCount: Int
    /// Outcomes of `(s, a)` are `outcomes[offsets[s * actionCount + a] ..< offsets[s * actionCount + a + 1]]`.
    public let offsets: [Int]
    public let outcomes: [Outcome]

    /// Builds a table by asking `build` for the outcome list of every `(state, action)`, in order.
    public init(stateCount: Int, actionCount: Int, build: (Int, Int, inout [Outcome]) -> Void) {
        self.stateCount = stateCount
        self.actionCount = actionCount
        var offsets = [Int]()
        offsets.reserveCapacity(stateCount * actionCount + 1)
        var outcomes = [Outcome]()
        offsets.append(0)
        for s in 0..<stateCount {
            for a in 0..<actionCount {
                build(s, a, &outcomes)
                offsets.append(outcomes.count)
            }
        }
        self.offsets = offsets
        self.outcomes = outcomes
    }

    /// Indices into `outcomes` of the outcomes of `action` in `state`.
    @inlinable @inline(__always)
    public func outcomeRange(_ state: Int, _ action: Int) -> Range<Int> {
        let k = state &* actionCount &+ action
        return offsets[k]..<offsets[k &+ 1]
    }

    /// The outcomes of `action` in `state`, as a new array.
    public func transitions(from state: Int, action: Int) -> [Outcome] {
        Array(outcomes[outcomeRange(state, action)])
    }

    /// Draws one outcome as Gymnasium's `categorical_sample` does: the first outcome whose
    /// cumulative probability exceeds a uniform draw (the first outcome if rounding leaves the
    /// total below the draw, as NumPy's `argmax` of an all-false array gives).
    @inlinable
    public func sample(_ state: Int, _ action: Int, _ rng: inout RandomSource) -> Outcome {
        let range = outcomeRange(state, action)
        let u = rng.uniform()
        var cumulative = 0.0
        for i in range {
            cumulative += outcomes[i].probability
            if cumulative > u { return outcomes[i] }
        }
        return outcomes[range.lowerBound]
    }
}

/// Shared checks for the toy-text environments' `step`.
@usableFromInline
func checkAction(_ action: Int, _ count: Int, _ name: String) throws {
    guard action >= 0 && action < count else {
        throw RuntimeError("\(name): action \(action) is outside 0..<\(count)")
    }
}
