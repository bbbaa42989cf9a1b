/// A binary max-heap of integer keys in `0..<capacity` with at most one entry per key, over
/// flat buffers (no allocation after construction). Pushing a key already present raises its
/// priority if the new one is higher and otherwise leaves it unchanged. Equal priorities pop in
/// an order fixed by the sequence of operations (deterministic).
///
/// Entries (priority and key together) sit in one buffer, so moving an entry is one 16-byte
/// copy. `pop` uses Floyd's bottom-up sift: the hole left by the top goes down to a leaf along
/// the larger children (one comparison per level), then the last entry rises from there while
/// its parent's priority is not higher. That places every entry exactly where the textbook
/// sift-down (stop at the first child not higher than the moving entry) does, with about half
/// the comparisons, because the moving entry, taken from the bottom, rarely rises far.
public final class IndexedMaxHeap {
    @usableFromInline struct Entry {
        @usableFromInline var priority: Double
        @usableFromInline var key: Int
        @inlinable init(_ priority: Double, _ key: Int) {
            self.priority = priority
            self.key = key
        }
    }

    @usableFromInline let entries: FixedBuffer<Entry>
    /// Position of each key in the heap, -1 when absent.
    @usableFromInline let position: FixedBuffer<Int>
    @exclusivity(unchecked) public private(set) var count = 0

    public init(capacity: Int) {
        entries = FixedBuffer(repeating: Entry(0, 0), count: capacity)
        position = FixedBuffer(repeating: -1, count: capacity)
    }

    public var isEmpty: Bool { count == 0 }
    public func contains(_ key: Int) -> Bool { position[key] >= 0 }
    /// The priority of `key`, or nil if absent.
    public func priority(of key: Int) -> Double? { position[key] >= 0 ? entries[position[key]].priority : nil }
    /// The top entry without removing it.
    public var top: (key: Int, priority: Double)? { count > 0 ? (entries[0].key, entries[0].priority) : nil }

    /// Inserts `key`, or raises its priority to `priority` if that is higher.
    public func push(_ key: Int, priority: Double) {
        let e = entries.base, pos = position.base
        var i = pos[key]
        if i >= 0 {
            if priority <= e[i].priority { return }
        } else {
            i = count
            count = i &+ 1
        }
        // Sift up with a hole.
        while i > 0 {
            let parent = (i &- 1) >> 1
            let p = e[parent]
            if p.priority >= priority { break }
            e[i] = p
            pos[p.key] = i
            i = parent
        }
        e[i] = Entry(priority, key)
        pos[key] = i
    }

    /// Removes and returns the entry with the highest priority.
    public func pop() -> (key: Int, priority: Double)? {
        let n = count
        if n == 0 { return nil }
        let e = entries.base, pos = position.base
        let top = e[0]
        pos[top.key] = -1
        let last = n &- 1
        count = last
        if last > 0 {
            let moving = e[last]
            // The hole goes down to a leaf along the larger children (the left one on ties).
            // Where both children exist the choice is a flag added to the index rather than a
            // branch: which child is larger is unpredictable, a mispredicted branch per level
            // costs more than the rest of the level's work.
            var i = 0
            var left = 1
            while left &+ 1 < last {
                let right = left &+ 1
                let child = left &+ Int(truncatingIfNeeded: unsafeBitCast(e[right].priority > e[left].priority, to: UInt8.self))
                let c = e[child]
                e[i] = c
                pos[c.key] = i
                i = child
                left = 2 &* i &+ 1
            }
            if left < last {
                let c = e[left]
                e[i] = c
                pos[c.key] = i
                i = left
            }
            // The moving entry rises past every ancestor that is not higher than it.
            while i > 0 {
                let parent = (i &- 1) >> 1
                let p = e[parent]
                if p.priority > moving.priority { break }
                e[i] = p
                pos[p.key] = i
                i = parent
            }
            e[i] = moving
            pos[moving.key] = i
        }
        return (top.key, top.priority)
    }

    public func removeAll() {
        for i in 0..<count { position[entries[i].key] = -1 }
        count = 0
    }
}
