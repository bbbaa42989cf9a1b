/// Real transitions in flat storage of fixed capacity (the oldest is overwritten when full):
/// observation, action, next observation, reward and termination per row. Adding a transition
/// allocates nothing.
public final class TransitionBuffer {
    public let capacity: Int
    public let observationLength: Int
    public let actionLength: Int
    public internal(set) var count = 0
    /// Transitions ever added (so `added - count` were overwritten).
    public internal(set) var added = 0
    @usableFromInline var next = 0
    public let observations: UnsafeMutablePointer<Float>
    public let actions: UnsafeMutablePointer<Float>
    public let nextObservations: UnsafeMutablePointer<Float>
    public let rewards: UnsafeMutablePointer<Float>
    public let terminals: UnsafeMutablePointer<Bool>

    public init(capacity: Int, observationLength: Int, actionLength: Int) {
        precondition(capacity >= 1)
        self.capacity = capacity
        self.observationLength = observationLength
        self.actionLength = actionLength
        observations = .allocate(capacity: capacity * observationLength)
        actions = .allocate(capacity: capacity * actionLength)
        nextObservations = .allocate(capacity: capacity * observationLength)
        rewards = .allocate(capacity: capacity)
        terminals = .allocate(capacity: capacity)
    }

    deinit {
        observations.deallocate()
        actions.deallocate()
        nextObservations.deallocate()
        rewards.deallocate()
        terminals.deallocate()
    }

    /// Row index of the `i`-th stored transition, oldest first.
    @inlinable
    public func row(_ i: Int) -> Int { count < capacity ? i : (next + i) % capacity }

    public func add(observation: UnsafePointer<Double>, action: UnsafePointer<Double>, next o2: UnsafePointer<Double>,
                    reward: Double, terminated: Bool) {
        let r = next
        let o = observationLength, a = actionLength
        for j in 0..<o {
            observations[r * o + j] = Float(observation[j])
            nextObservations[r * o + j] = Float(o2[j])
        }
        for j in 0..<a { actions[r * a + j] = Float(action[j]) }
        rewards[r] = Float(reward)
        terminals[r] = terminated
        next = (next + 1) % capacity
        count = min(count + 1, capacity)
        added += 1
    }
}

extension TransitionBuffer {
    /// Records a transition given in `Float`s (a model's imagined one).
    public func add(observation: UnsafePointer<Float>, action: UnsafePointer<Float>, next o2: UnsafePointer<Float>,
                    reward: Float, terminated: Bool) {
        let r = next
        let o = observationLength, a = actionLength
        (observations + r * o).update(from: observation, count: o)
        (nextObservations + r * o).update(from: o2, count: o)
        (actions + r * a).update(from: action, count: a)
        rewards[r] = reward
        terminals[r] = terminated
        next = (next + 1) % capacity
        count = min(count + 1, capacity)
        added += 1
    }

    /// A buffer of another capacity holding the newest transitions of this one (as many as fit),
    /// oldest first.
    public func resized(to newCapacity: Int) -> TransitionBuffer {
        let b = TransitionBuffer(capacity: newCapacity, observationLength: observationLength, actionLength: actionLength)
        let o = observationLength, a = actionLength
        for i in max(0, count - newCapacity)..<count {
            let r = row(i)
            b.add(observation: observations + r * o, action: actions + r * a, next: nextObservations + r * o,
                  reward: rewards[r], terminated: terminals[r])
        }
        return b
    }
}
