#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MullLanguage

/// Compiled code: a Swift closure made once from the AST, run without re-walking the tree.
typealias Code = (Frame, CallContext) throws -> Value

/// The slots of one function activation (or of a module's top level). A function keeps the frame
/// it was made in alive (`CompiledBody.captured`), and that frame its enclosing ones (`pin()`).
///
/// The slots live in one buffer the frame allocates and frees itself: a Swift array here would
/// cost an extra uniqueness check per write and, for `[Value]`, a generic-metadata look-up per
/// allocation in the runtime library (about a tenth of a Mull function call).
final class Frame: @unchecked Sendable {
    // Frames belong to one call on one thread: the runtime exclusivity check is pure overhead.
    @exclusivity(unchecked) fileprivate(set) var storage: UnsafeMutablePointer<Value>
    @exclusivity(unchecked) fileprivate(set) var count: Int
    /// The enclosing frame. It is not retained: while a call runs, its function keeps the frame
    /// it closes over alive, and loop and comprehension frames live inside their parent's run.
    /// Retaining it would put an atomic reference-count update on a frame every parallel trial
    /// shares (the top level) into every call, and the trials would contend for it.
    @exclusivity(unchecked) private(set) var parentRef: Unmanaged<Frame>?
    var parent: Frame? { parentRef?.takeUnretainedValue() }
    /// The next frame in a `FramePool` list, while this one waits there.
    @exclusivity(unchecked) var nextFree: Frame?
    /// A strong reference to `parent`, set once a function made in this frame (or in a frame
    /// inside it) captures it and so may outlive the call; see `pin()`.
    @exclusivity(unchecked) private var keepParent: Frame?

    init(size: Int, parent: Unmanaged<Frame>?) {
        storage = Frame.allocate(size)
        storage.initialize(repeating: .null, count: size)
        count = size
        parentRef = parent
    }

    /// Made ready for another call by `FramePool` (its slots were cleared when it was put back).
    @inline(__always) func reuse(parent: Unmanaged<Frame>?) {
        parentRef = parent
    }

    /// Empties the frame before `FramePool` keeps it: every slot back to `none`, no parent kept.
    @inline(__always) func clearForReuse() {
        clear()
        keepParent = nil
    }

    /// A frame inside `parent` (a loop's or a comprehension's), which outlives it.
    convenience init(size: Int, inside parent: Frame) {
        self.init(size: size, parent: Unmanaged.passUnretained(parent))
    }

    /// Keeps this frame's chain of enclosing frames alive for as long as this frame lives: called
    /// when a function made here captures the frame.
    func pin() {
        var f = self
        while let p = f.parent, f.keepParent == nil {
            f.keepParent = p
            f = p
        }
    }

    /// A new frame with the same parent and a copy of `other`'s slots.
    init(copying other: Frame) {
        storage = Frame.allocate(other.count)
        storage.initialize(from: other.storage, count: other.count)
        count = other.count
        parentRef = other.parentRef
    }

    deinit {
        // One element at a time: the bulk form goes through the runtime's generic array
        // destroy, which costs more than the handful of slots a frame has.
        for i in 0..<count { (storage + i).deinitialize(count: 1) }
        free(storage)
    }

    /// Plain `malloc`: `UnsafeMutablePointer.allocate` goes through the runtime's aligned
    /// allocator, which costs more than the rest of setting up a small frame.
    @inline(__always) private static func allocate(_ n: Int) -> UnsafeMutablePointer<Value> {
        guard let raw = malloc(max(n, 1) * MemoryLayout<Value>.stride) else { fatalError("out of memory") }
        return raw.bindMemory(to: Value.self, capacity: max(n, 1))
    }

    /// `frame.slots[i]`: reads and writes go to the buffer as it is at the time of the access.
    struct Slots {
        unowned(unsafe) let frame: Frame
        var count: Int { frame.count }
        subscript(_ i: Int) -> Value {
            @inline(__always) get { frame.storage[i] }
            @inline(__always) nonmutating set { frame.storage[i] = newValue }
        }
    }
    var slots: Slots { @inline(__always) get { Slots(frame: self) } }

    /// Grows the frame to `size` slots (new ones `none`); the top level grows as it declares names.
    func grow(to size: Int) {
        guard size > count else { return }
        let new = Frame.allocate(size)
        new.moveInitialize(from: storage, count: count)
        (new + count).initialize(repeating: .null, count: size - count)
        free(storage)
        storage = new
        count = size
    }

    /// Sets every slot to `none`, keeping the size (functions made here may still read them).
    func clear() {
        for i in 0..<count { storage[i] = .null }
    }

    /// The slots of the frame `depth` levels up, reached without retaining the frames between
    /// (they are kept alive by this one).
    @inline(__always) func ancestorStorage(_ depth: Int) -> UnsafeMutablePointer<Value> {
        var f = Unmanaged<Frame>.passUnretained(self)
        var d = depth
        while d > 0 {
            f = f._withUnsafeGuaranteedRef { $0.parentRef.unsafelyUnwrapped }
            d -= 1
        }
        return f._withUnsafeGuaranteedRef { $0.storage }
    }

}

/// Arguments of a call: positional values, then labelled ones.
public struct Arguments: Sendable {
    public var positional: [Value]
    public var labelled: [(label: String, value: Value)]
    /// Where each argument was written, when known (for error messages).
    public var ranges: [SourceRange?]
    public init(_ positional: [Value], labelled: [(label: String, value: Value)] = [], ranges: [SourceRange?] = []) {
        self.positional = positional
        self.labelled = labelled
        self.ranges = ranges
    }
    public var count: Int { positional.count + labelled.count }
    public func label(_ name: String) -> Value? { labelled.first { $0.label == name }?.value }
}

/// A Mull function: compiled from source, or native Swift registered by the interpreter or a host.
public final class Function: @unchecked Sendable {
    public let name: String
    enum Body {
        case compiled(CompiledBody)
        case native(@Sendable (Arguments, CallContext) throws -> Value)
    }
    /// A class, so taking it out of `body` costs one retain rather than one per field.
    final class CompiledBody {
        let parameterNames: [String]
        let parameterCount: Int
        let defaults: [Code?]
        let frameSize: Int
        let body: Code
        let captured: Frame?
        /// `captured` again, for making call frames without touching its reference count (the
        /// strong `captured` keeps it alive; see `Frame.parent`).
        let enclosing: Unmanaged<Frame>?
        let range: SourceRange?
        /// The outside variables the body reads (see `FreeVariables`).
        let freeVariables: [(name: String, depth: Int, slot: Int)]
        init(parameterNames: [String], defaults: [Code?], frameSize: Int, body: @escaping Code, captured: Frame?, range: SourceRange?,
             freeVariables: [(name: String, depth: Int, slot: Int)] = []) {
            self.freeVariables = freeVariables
            self.parameterNames = parameterNames
            self.parameterCount = parameterNames.count
            self.defaults = defaults
            self.frameSize = frameSize
            self.body = body
            self.captured = captured
            self.enclosing = captured.map { Unmanaged.passUnretained($0) }
            self.range = range
        }
    }
    let body: Body
    /// The compiled body again, without reference counting, for the call paths: taking it out
    /// of `body` retains it, and parallel trials calling the same function would then fight over
    /// that reference count's cache line on every call.
    let compiledRef: Unmanaged<CompiledBody>?
    /// Parameter names, for `:type`, completion and labelled arguments.
    public let parameterNames: [String]
    /// Documentation for `:help` (natives).
    public let doc: String

    init(name: String, compiled: CompiledBody) {
        self.name = name
        self.body = .compiled(compiled)
        self.compiledRef = Unmanaged.passUnretained(compiled)
        self.parameterNames = compiled.parameterNames
        self.doc = ""
        self.unary = nil
        self.binary = nil
    }

    /// Optional shortcuts for natives called with one or two positional arguments: they return
    /// the result without building `Arguments`, or nil to let `body` handle the call (and report
    /// any error). Built-ins such as `max`, `abs` and `sin` have them, since Mull step functions
    /// call them on every step.
    let unary: (@Sendable (Value) -> Value?)?
    let binary: (@Sendable (Value, Value) -> Value?)?

    /// A native function. `parameters` names its parameters, for help and labels, and bounds
    /// its calls: more arguments than parameters, or a label that is none of them, is an
    /// `arity` error at the call (and found by `check`). End the last name with `...` to take
    /// any number, or give none to check the arguments in `body`.
    public init(native name: String, parameters: [String] = [], doc: String = "",
                _ body: @escaping @Sendable (Arguments, CallContext) throws -> Value) {
        self.name = name
        self.body = .native(body)
        self.compiledRef = nil
        self.parameterNames = parameters
        self.doc = doc
        self.unary = nil
        self.binary = nil
    }

    init(native name: String, parameters: [String], doc: String,
         unary: (@Sendable (Value) -> Value?)?, binary: (@Sendable (Value, Value) -> Value?)?,
         _ body: @escaping @Sendable (Arguments, CallContext) throws -> Value) {
        self.name = name
        self.body = .native(body)
        self.compiledRef = nil
        self.parameterNames = parameters
        self.doc = doc
        self.unary = unary
        self.binary = binary
    }

    /// The values of the outside variables a function written in Mull reads, by name, as they
    /// are now (empty for natives).
    public var freeVariableValues: [(name: String, value: Value)] {
        guard case .compiled(let c) = body, let captured = c.captured else { return [] }
        return c.freeVariables.compactMap { v in
            var f: Frame? = captured
            for _ in 0..<(v.depth - 1) { f = f?.parent }
            guard let frame = f, v.slot < frame.count else { return nil }
            return (v.name, frame.storage[v.slot])
        }
    }

    /// The source text of a function written in Mull (nil for natives).
    public var sourceText: String? {
        if case .compiled(let c) = body { return c.range?.text }
        return nil
    }

    /// The most arguments a native takes: the number of its named parameters, or no limit when
    /// it names none (it checks its arguments itself) or its last ends in `...` (variadic).
    var maximumArguments: Int {
        guard compiledRef == nil, Arity.isBounded(parameterNames) else { return .max }
        return parameterNames.count
    }

    /// What is wrong with the count or the labels of `args` for this native, or nil.
    func argumentProblem(_ args: Arguments) -> String? {
        guard maximumArguments != .max else { return nil }
        if args.count > maximumArguments { return Arity.tooMany(name, parameters: parameterNames, given: args.count) }
        for (label, _) in args.labelled where !parameterNames.contains(label) {
            return Arity.unknownLabel(name, parameters: parameterNames, label: label)
        }
        return nil
    }

    public var arity: Int? {
        if case .compiled(let c) = body { return c.parameterNames.count }
        return nil
    }

    /// Calls the function from Swift (the runtime calls step and reward functions this way).
    public func call(_ args: Arguments, _ ctx: CallContext, at range: SourceRange? = nil) throws -> Value {
        if let ref = compiledRef {
            return try ref._withUnsafeGuaranteedRef { c in try callCompiled(c, args, ctx, at: range) }
        }
        guard case .native(let f) = body else { fatalError("a function is compiled or native") }
        if args.count > maximumArguments || !args.labelled.isEmpty {
            if let problem = argumentProblem(args) { throw MullError("arity", problem, at: range) }
        }
        do {
            return try f(args, ctx)
        } catch let e as MullError {
            throw e.adding(frame: name, at: range)
        } catch let e as DiagnosticsError {
            throw e
        } catch {
            // A Swift error from a host's native function or environment becomes a diagnostic
            // at the call, as it does in a sweep's trial.
            var e = MullError("host-error", "`\(name)` failed: \(error)", at: range)
            e.diagnostic.hostError = error
            throw e
        }
    }

    /// Fast path for positional calls from Swift.
    public func call(_ positional: [Value], _ ctx: CallContext) throws -> Value {
        try call(Arguments(positional), ctx)
    }

    /// Calls with one argument, without building an argument list when the function is written
    /// in Mull and takes exactly one (compiled calls `f(x)`, rollout policies, leaf values).
    /// `ranges` says where the argument was written, for natives' messages.
    public func call(_ a: Value, _ ctx: CallContext, at range: SourceRange? = nil, ranges: [SourceRange?] = []) throws -> Value {
        if let ref = compiledRef {
            return try ref._withUnsafeGuaranteedRef { c in
                guard c.parameterCount == 1 else { return try callCompiled(c, Arguments([a], ranges: ranges), ctx, at: range) }
                var frame = ctx.frames.take(size: c.frameSize, parent: c.enclosing)
                defer { ctx.frames.give(&frame) }
                frame.slots[0] = a
                return try invoke(c, frame, ctx, at: range)
            }
        }
        return try call(Arguments([a], ranges: ranges), ctx, at: range)
    }

    /// Calls with two arguments, the same way (compiled calls `f(x, y)`, step functions).
    public func call(_ a: Value, _ b: Value, _ ctx: CallContext, at range: SourceRange? = nil, ranges: [SourceRange?] = []) throws -> Value {
        if let ref = compiledRef {
            return try ref._withUnsafeGuaranteedRef { c in
                guard c.parameterCount == 2 else { return try callCompiled(c, Arguments([a, b], ranges: ranges), ctx, at: range) }
                var frame = ctx.frames.take(size: c.frameSize, parent: c.enclosing)
                defer { ctx.frames.give(&frame) }
                frame.slots[0] = a
                frame.slots[1] = b
                return try invoke(c, frame, ctx, at: range)
            }
        }
        return try call(Arguments([a, b], ranges: ranges), ctx, at: range)
    }

    private func callCompiled(_ c: CompiledBody, _ args: Arguments, _ ctx: CallContext, at range: SourceRange?) throws -> Value {
        let n = c.parameterCount
        if args.positional.count > n {
            throw MullError("arity", Arity.tooMany(name, takes: n, given: args.count), at: range)
        }
        var frame = ctx.frames.take(size: c.frameSize, parent: c.enclosing)
        defer { ctx.frames.give(&frame) }
        for (i, v) in args.positional.enumerated() { frame.slots[i] = v }
        var filled = args.positional.count
        if !args.labelled.isEmpty {
            var set = [Bool](repeating: false, count: n)
            for i in 0..<filled { set[i] = true }
            for (label, v) in args.labelled {
                guard let i = c.parameterNames.firstIndex(of: label) else {
                    throw MullError("unknown-argument", "`\(name)` has no parameter `\(label)`", at: range,
                                    suggestion: Suggest.closest(to: label, among: c.parameterNames).map { "did you mean `\($0)`?" })
                }
                if set[i] { throw MullError("duplicate-argument", "argument `\(label)` given twice", at: range) }
                frame.slots[i] = v
                set[i] = true
            }
            for i in 0..<n where !set[i] {
                guard let d = c.defaults[i] else {
                    throw MullError("missing-argument", "missing argument `\(c.parameterNames[i])` in call to `\(name)`", at: range)
                }
                frame.slots[i] = try evaluateDefault(d, frame, ctx, at: range)
            }
            filled = n
        }
        if filled < n {
            for i in filled..<n {
                guard let d = c.defaults[i] else {
                    throw MullError("missing-argument", "missing argument `\(c.parameterNames[i])` in call to `\(name)`", at: range)
                }
                frame.slots[i] = try evaluateDefault(d, frame, ctx, at: range)
            }
        }
        return try invoke(c, frame, ctx, at: range)
    }

    /// A default value is evaluated inside the call, so it counts towards the call depth: a
    /// default that calls its own function (`fn f(x = f())`) ends in the depth diagnostic
    /// instead of overflowing the stack.
    private func evaluateDefault(_ d: Code, _ frame: Frame, _ ctx: CallContext, at range: SourceRange?) throws -> Value {
        try ctx.enterCall(at: range)
        defer { ctx.depth -= 1 }
        do {
            return try d(frame, ctx)
        } catch let e as MullError {
            throw e.adding(frame: name, at: range)
        }
    }

    /// Runs a compiled body in a frame whose parameters are already set.
    @inline(__always)
    func invoke(_ c: CompiledBody, _ frame: Frame, _ ctx: CallContext, at range: SourceRange?) throws -> Value {
        try ctx.enterCall(at: range)
        defer { ctx.depth -= 1 }
        do {
            let v = try c.body(frame, ctx)
            if ctx.returning {
                ctx.returning = false
                let r = ctx.returnValue
                ctx.returnValue = .null
                return r
            }
            return v
        } catch let e as MullError {
            ctx.returning = false
            throw e.adding(frame: name, at: range)
        }
    }
}
