/// One growable column of `MCTSTree`: elements in a buffer that doubles when full and keeps its
/// capacity when cleared, read and written through a reference without copy-on-write or
/// exclusivity checks (which a tree of Swift arrays pays on every update during a search).
/// Owned by one tree and used by one thread.
@usableFromInline
final class TreeColumn<Element> {
    @exclusivity(unchecked) @usableFromInline var base: UnsafeMutablePointer<Element>
    @exclusivity(unchecked) @usableFromInline var count = 0
    @exclusivity(unchecked) @usableFromInline var capacity: Int

    @usableFromInline
    init(capacity: Int = 64) {
        self.capacity = max(capacity, 1)
        base = UnsafeMutablePointer<Element>.allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inlinable @inline(__always)
    subscript(_ i: Int) -> Element {
        get {
            assert(i >= 0 && i < count, "tree column index out of range")
            return base[i]
        }
        set {
            assert(i >= 0 && i < count, "tree column index out of range")
            base[i] = newValue
        }
    }

    @inlinable @inline(__always)
    func append(_ x: Element) {
        if count == capacity { grow(to: capacity &* 2) }
        (base + count).initialize(to: x)
        count &+= 1
    }

    /// Makes room for at least `minimum` elements, keeping the contents.
    @usableFromInline
    func grow(to minimum: Int) {
        guard minimum > capacity else { return }
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: minimum)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity = minimum
    }

    /// Empties the column, keeping its capacity.
    @inlinable
    func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }

    /// Replaces the contents with `n` copies of `x`.
    @usableFromInline
    func reset(count n: Int, repeating x: Element) {
        removeAll()
        grow(to: n)
        base.initialize(repeating: x, count: n)
        count = n
    }

    /// The first `n` elements as a mutable buffer.
    @inlinable
    func buffer(_ n: Int) -> UnsafeMutableBufferPointer<Element> {
        assert(n <= count)
        return UnsafeMutableBufferPointer(start: base, count: n)
    }
}
