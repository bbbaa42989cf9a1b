/// Frames of finished calls, kept per thread for the next call of the same size.
///
/// A call's frame is usually garbage once the call returns; taking it from here instead of
/// allocating saves two `malloc`/`free` pairs per call. A frame is only put back when nothing
/// else refers to it (`isKnownUniquelyReferenced`): a function made during the call keeps it
/// (and, through `pin()`, its enclosing frames), so those frames are never reused.
final class FramePool {
    /// Frames of up to this many slots are pooled.
    static let largestFrame = 32
    /// Frames kept per size (more are freed, so a deep recursion does not leave a long list).
    static let keptPerSize = 64

    private let heads: UnsafeMutablePointer<Frame?>
    private let counts: UnsafeMutablePointer<Int>

    init() {
        heads = .allocate(capacity: FramePool.largestFrame + 1)
        heads.initialize(repeating: nil, count: FramePool.largestFrame + 1)
        counts = .allocate(capacity: FramePool.largestFrame + 1)
        counts.initialize(repeating: 0, count: FramePool.largestFrame + 1)
    }

    deinit {
        // Unlink one frame at a time: releasing the head of a long list would free it
        // recursively.
        for size in 0...FramePool.largestFrame {
            var next = heads[size]
            heads[size] = nil
            while let f = next {
                next = f.nextFree
                f.nextFree = nil
            }
        }
        heads.deinitialize(count: FramePool.largestFrame + 1)
        heads.deallocate()
        counts.deallocate()
    }

    /// A frame of `size` slots, all `none`, inside `parent`.
    @inline(__always)
    func take(size: Int, parent: Unmanaged<Frame>?) -> Frame {
        if size <= FramePool.largestFrame, let f = heads[size] {
            heads[size] = f.nextFree
            f.nextFree = nil
            counts[size] -= 1
            f.reuse(parent: parent)
            return f
        }
        return Frame(size: size, parent: parent)
    }

    /// Puts `frame` back if nothing else refers to it.
    @inline(__always)
    func give(_ frame: inout Frame) {
        let size = frame.count
        guard size <= FramePool.largestFrame, counts[size] < FramePool.keptPerSize,
              isKnownUniquelyReferenced(&frame) else { return }
        frame.clearForReuse()
        frame.nextFree = heads[size]
        heads[size] = frame
        counts[size] += 1
    }
}
