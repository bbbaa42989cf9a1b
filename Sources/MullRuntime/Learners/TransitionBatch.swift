/// A minibatch of transitions for a learner's update, in flat `Float` buffers allocated once:
/// `observations` and `nextObservations` (`count x observationLength`), `actions`
/// (`count x actionLength`; a discrete action is its index), `rewards`, and `continuing`
/// (0 where the transition ended in a terminal state, 1 otherwise; a step limit is not a terminal
/// state, so the value after it is still bootstrapped).
public final class TransitionBatch {
    public let capacity: Int
    public let observationLength: Int
    public let actionLength: Int
    /// Rows in use.
    public var count: Int
    public let observations: UnsafeMutablePointer<Float>
    public let actions: UnsafeMutablePointer<Float>
    public let rewards: UnsafeMutablePointer<Float>
    public let nextObservations: UnsafeMutablePointer<Float>
    public let continuing: UnsafeMutablePointer<Float>

    public init(capacity: Int, observationLength: Int, actionLength: Int) {
        precondition(capacity >= 1)
        self.capacity = capacity
        self.observationLength = observationLength
        self.actionLength = actionLength
        count = capacity
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        observations = buffer(capacity * observationLength)
        actions = buffer(capacity * actionLength)
        rewards = buffer(capacity)
        nextObservations = buffer(capacity * observationLength)
        continuing = buffer(capacity)
    }

    deinit {
        observations.deallocate()
        actions.deallocate()
        rewards.deallocate()
        nextObservations.deallocate()
        continuing.deallocate()
    }

    /// Fills rows `offset ..< offset + rows` with transitions drawn uniformly, with replacement,
    /// from `buffer` (as the replay buffers of SAC and DQN implementations sample).
    public func sample(from buffer: TransitionBuffer, rows: Int, offset: Int = 0, _ rng: inout RandomSource) {
        precondition(buffer.observationLength == observationLength && buffer.actionLength == actionLength)
        precondition(offset + rows <= capacity && buffer.count > 0)
        let o = observationLength, a = actionLength
        for r in offset..<(offset + rows) {
            let i = rng.int(below: buffer.count)
            (observations + r * o).update(from: buffer.observations + i * o, count: o)
            (nextObservations + r * o).update(from: buffer.nextObservations + i * o, count: o)
            (actions + r * a).update(from: buffer.actions + i * a, count: a)
            rewards[r] = buffer.rewards[i]
            continuing[r] = buffer.terminals[i] ? 0 : 1
        }
    }
}

/// A learner's update produced a non-finite loss or value: the trial stops naming the learner
/// and the update.
public struct LearnerDivergedError: Error, CustomStringConvertible {
    /// Values beyond this count as diverged: no return of a classic-control task comes near it.
    public static let valueLimit: Float = 1e9
    public var what: String
    public var update: Int
    /// Finite but beyond `valueLimit` (rather than not finite).
    public var exploded = false
    public init(what: String, update: Int, exploded: Bool = false) {
        self.what = what
        self.update = update
        self.exploded = exploded
    }
    public var description: String {
        "\(what) \(exploded ? "exceeded 1e9" : "is not finite") at update \(update): the learner diverged (lower the learning rate, or check the rewards' scale)"
    }
}
