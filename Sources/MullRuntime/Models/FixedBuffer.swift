/// A fixed-size block of elements with reference semantics, read and written through a `let`
/// pointer: hot loops index it without copy-on-write checks or dynamic exclusivity checks
/// (which Swift applies to a class's stored `var` arrays). Owned by one object; not thread-safe.
@usableFromInline
final class FixedBuffer<Element> {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    @usableFromInline let count: Int

    @usableFromInline
    init(repeating value: Element, count: Int) {
        self.count = count
        base = UnsafeMutablePointer<Element>.allocate(capacity: max(count, 1))
        base.initialize(repeating: value, count: count)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inlinable @inline(__always)
    subscript(_ i: Int) -> Element {
        get { base[i] }
        set { base[i] = newValue }
    }

    @usableFromInline func fill(_ value: Element) {
        for i in 0..<count { base[i] = value }
    }

    @usableFromInline var array: [Element] { Array(UnsafeBufferPointer(start: base, count: count)) }
}
