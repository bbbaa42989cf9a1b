/// A binary max-heap of integer keys in `0..<capacity` with at most one entry per key, over
/// flat arrays (no allocation after construction). Pushing a key already present raises its
/// priority if the new one is higher and otherwise leaves it unchanged. Equal priorities pop in
/// an order fixed by the sequence of operations (deterministic).
public final class IndexedMaxHeap {
    @usableFromInline let keys: FixedBuffer<Int>
    @usableFromInline let priorities: FixedBuffer<Double>
    /// Position of each key in the heap, -1 when absent.
    @usableFromInline let position: FixedBuffer<Int>
    public private(set) var count = 0

    public init(capacity: Int) {
        keys = FixedBuffer(repeating: 0, count: capacity)
        priorities = FixedBuffer(repeating: 0, count: capacity)
        position = FixedBuffer(repeating: -1, count: capacity)
    }

    public var isEmpty: Bool { count == 0 }
    public func contains(_ key: Int) -> Bool { position[key] >= 0 }
    /// The priority of `key`, or nil if absent.
    public func priority(of key: Int) -> Double? { position[key] >= 0 ? priorities[position[key]] : nil }
    /// The top entry without removing it.
    public var top: (key: Int, priority: Double)? { count > 0 ? (keys[0], priorities[0]) : nil }

    /// Inserts `key`, or raises its priority to `priority` if that is higher.
    public func push(_ key: Int, priority: Double) {
        var i = position[key]
        if i >= 0 {
            if priority <= priorities[i] { return }
        } else {
            i = count
            count += 1
        }
        // Sift up with a hole.
        while i > 0 {
            let parent = (i - 1) >> 1
            if priorities[parent] >= priority { break }
            keys[i] = keys[parent]
            priorities[i] = priorities[parent]
            position[keys[i]] = i
            i = parent
        }
        keys[i] = key
        priorities[i] = priority
        position[key] = i
    }

    /// Removes and returns the entry with the highest priority.
    public func pop() -> (key: Int, priority: Double)? {
        if count == 0 { return nil }
        let topKey = keys[0], topPriority = priorities[0]
        position[topKey] = -1
        count -= 1
        if count > 0 {
            let key = keys[count], priority = priorities[count]
            var i = 0
            while true {
                let left = 2 * i + 1
                if left >= count { break }
                var child = left
                if left + 1 < count && priorities[left + 1] > priorities[left] { child = left + 1 }
                if priorities[child] <= priority { break }
                keys[i] = keys[child]
                priorities[i] = priorities[child]
                position[keys[i]] = i
                i = child
            }
            keys[i] = key
            priorities[i] = priority
            position[key] = i
        }
        return (topKey, topPriority)
    }

    public func removeAll() {
        for i in 0..<count { position[keys[i]] = -1 }
        count = 0
    }
}
