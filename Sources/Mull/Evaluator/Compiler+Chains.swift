/// Evaluating a list of compiled expressions without walking an array of closures at run time.
///
/// Taking a closure out of an array retains its context, and the contexts are shared by every
/// thread that runs the same code: parallel trials calling one Mull function would contend for
/// those reference counts on every evaluation. A chain of closures, each holding the next, calls
/// them without touching a reference count.
/// A compiled expression or statement kept in an array while compiling. Closures stored in an
/// `Array` directly are kept in the generic (indirect) form and come back wrapped in a
/// reabstraction thunk, an extra call on every evaluation; a class box keeps the closure as it is.
final class CodeBox {
    let code: Code
    init(_ code: @escaping Code) { self.code = code }
}

extension Compiler {
    /// Longest chain built; longer literals (rare, and not in inner loops) walk their array.
    static let longestChain = 32

    typealias Fill = (Frame, CallContext, inout [Value]) throws -> Void

    /// Appends the values of `codes`, in order, to an array.
    static func appending(_ codes: [CodeBox]) -> Fill {
        guard codes.count <= longestChain else {
            return { frame, ctx, out in
                for c in codes { out.append(try c.code(frame, ctx)) }
            }
        }
        var fill: Fill = { _, _, _ in }
        for box in codes {
            let c = box.code
            let previous = fill
            fill = { frame, ctx, out in
                try previous(frame, ctx, &out)
                out.append(try c(frame, ctx))
            }
        }
        return fill
    }

    typealias Store = (Frame, CallContext, Frame) throws -> Void

    /// Stores the values of `codes`, in order, into slots 0, 1, ... of a callee's frame.
    static func storing(_ codes: [CodeBox]) -> Store {
        guard codes.count <= longestChain else {
            return { frame, ctx, callee in
                for (i, c) in codes.enumerated() { callee.slots[i] = try c.code(frame, ctx) }
            }
        }
        var store: Store = { _, _, _ in }
        for (i, box) in codes.enumerated() {
            let c = box.code
            let previous = store
            store = { frame, ctx, callee in
                try previous(frame, ctx, callee)
                callee.slots[i] = try c(frame, ctx)
            }
        }
        return store
    }
}
