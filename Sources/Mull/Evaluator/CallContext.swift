import MullLanguage
import Synchronization

/// A flag another thread (a Ctrl-C handler, a host) sets to stop a running script.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    public init() {}
    public func cancel() { flag.store(true, ordering: .relaxed) }
    public func reset() { flag.store(false, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
}

/// Per-thread state of running Mull code: the step budget, call depth, cancellation and output.
/// Each thread that runs Mull code (the main script, each parallel trial) has its own.
public final class CallContext: @unchecked Sendable {
    /// Evaluation steps (calls and loop iterations) allowed; nil for no limit. Native work the
    /// script starts (real steps, training batches, tree simulations) counts too: see `nativeWork`.
    @exclusivity(unchecked) public var stepBudget: Int?
    @exclusivity(unchecked) public internal(set) var steps = 0
    /// Resident bytes the process may reach before the script's next allocation or unit of
    /// native work fails with a `memory-limit` diagnostic; nil for no limit.
    @exclusivity(unchecked) public var memoryLimit: Int?
    /// Elements allocated, and units of native work done, since the memory was last measured.
    @exclusivity(unchecked) var allocatedSinceCheck = 0
    @exclusivity(unchecked) var workSinceCheck = 0
    /// When native work last measured the memory (`ResidentMemory.coarseNanoseconds`).
    @exclusivity(unchecked) var lastWorkCheck: UInt64 = 0
    /// Set when native work stopped because of the memory limit (see `nativeStopError`).
    @exclusivity(unchecked) var memoryExceeded: Int?
    public let cancellation: CancellationFlag
    public var output: @Sendable (String) -> Void
    /// Deepest allowed nesting of Mull calls.
    @exclusivity(unchecked) public var maxDepth: Int
    @exclusivity(unchecked) var depth = 0
    /// The interpreter services behind component member access (set by the interpreter).
    weak var services: (any InterpreterServices)?
    @exclusivity(unchecked) var returning = false
    @exclusivity(unchecked) var returnValue: Value = .null
    /// This thread's frames of finished calls, for the next calls.
    let frames = FramePool()
    /// This thread's copies of the labels of record literals, by literal (see `labels(_:_:)`).
    @exclusivity(unchecked) private var labelCopies: [[String?]?] = []

    /// Numbers record literals as they are compiled, so each thread can keep its own labels.
    static let nextLabelSite = Atomic<Int>(0)

    /// The labels of record literal `site` as this thread's own array: records made from a literal
    /// share its labels, and sharing one array between threads would put an atomic reference
    /// count that every parallel trial updates into each record made.
    @inline(__always) func labels(_ site: Int, _ template: [String?]) -> [String?] {
        if site < labelCopies.count, let l = labelCopies[site] { return l }
        return newLabels(site, template)
    }

    @inline(never) private func newLabels(_ site: Int, _ template: [String?]) -> [String?] {
        if site >= labelCopies.count {
            labelCopies.append(contentsOf: [[String?]?](repeating: nil, count: site + 1 - labelCopies.count))
        }
        let copy = template.map { $0.map { String(decoding: Array($0.utf8), as: UTF8.self) } }
        labelCopies[site] = copy
        return copy
    }

    public init(stepBudget: Int? = nil, memoryLimit: Int? = nil, maxDepth: Int = 10_000, cancellation: CancellationFlag = CancellationFlag(),
                output: @escaping @Sendable (String) -> Void = { print($0, terminator: "") }) {
        self.stepBudget = stepBudget
        self.memoryLimit = memoryLimit
        self.maxDepth = maxDepth
        self.cancellation = cancellation
        self.output = output
    }

    /// A context for another thread with the same limits and hooks.
    public func fork() -> CallContext {
        let c = CallContext(stepBudget: stepBudget, memoryLimit: memoryLimit, maxDepth: maxDepth, cancellation: cancellation, output: output)
        c.services = services
        return c
    }

    @inline(__always) func enterCall(at range: SourceRange?) throws {
        depth += 1
        if depth > maxDepth {
            depth -= 1
            throw MullError("recursion-too-deep", "recursion deeper than \(maxDepth) calls", at: range,
                            notes: ["the limit is the interpreter's `maxCallDepth`"])
        }
        try tick(at: range)
    }

    @inline(__always) func tick(at range: SourceRange?) throws {
        steps &+= 1
        if steps & 1023 == 0 {
            if cancellation.isCancelled { throw MullError("interrupted", "interrupted", at: range) }
            if steps & 65535 == 0, memoryLimit != nil { try checkMemory(adding: 0, at: range) }
        }
        if let budget = stepBudget, steps > budget { throw budgetError(budget, at: range) }
    }

    func budgetError(_ budget: Int, at range: SourceRange?) -> MullError {
        MullError("step-budget", "the script exceeded its step budget of \(budget) steps (evaluation steps and native work)", at: range,
                  suggestion: "raise it with `--step-budget N` (or `Interpreter.Configuration.stepBudget`), or look for a loop, recursion or run that does not end")
    }

    /// Notes `elements` values about to be allocated at `range`; once a million or more have
    /// been allocated since the memory was last measured, measures it, counting these.
    @inline(__always) func allocating(_ elements: Int, at range: SourceRange?) throws {
        guard memoryLimit != nil else { return }
        allocatedSinceCheck &+= elements
        if allocatedSinceCheck >= 1 << 20 { try checkMemory(adding: elements, at: range) }
    }

    /// Throws `memory-limit` when the process's resident memory, plus `elements` values about to
    /// be allocated, passes the limit.
    @inline(never) func checkMemory(adding elements: Int, at range: SourceRange?) throws {
        allocatedSinceCheck = 0
        guard let limit = memoryLimit else { return }
        let resident = ResidentMemory.bytes()
        let (asked, overflow) = elements.multipliedReportingOverflow(by: MemoryLayout<Value>.stride)
        if overflow || resident > limit - min(limit, asked) {
            throw memoryError(limit, resident: resident, asked: overflow ? Int.max : asked, at: range)
        }
    }

    func memoryError(_ limit: Int, resident: Int, asked: Int, at range: SourceRange?) -> MullError {
        let more = asked > 1 << 20 ? ", and about \(asked == .max ? "more than 9e18 bytes" : ResidentMemory.describe(asked)) more asked for here" : ""
        return MullError("memory-limit", "the script would take the process past its memory limit of \(ResidentMemory.describe(limit)) (\(ResidentMemory.describe(resident)) in use\(more))",
                         at: range, notes: ["the limit covers everything the process holds: the script's values, its runs' results and the runtime's buffers"],
                         suggestion: "build smaller values or keep fewer alive, run fewer episodes or trials at once (`--jobs`), or raise the limit with `--memory-limit SIZE` (or `Interpreter.Configuration.memoryLimit`)")
    }

    /// Charges `units` of native work a script started (a real environment step, a training or
    /// rollout batch, 256 tree simulations) against the step budget, and measures the memory
    /// at most every 10 ms (a coarse clock read every 64 units decides, so cheap units such as
    /// tabular planning updates do not pay for a read of the process's memory). False once
    /// either is exceeded: the native loop then stops as at an interrupt, and
    /// `nativeStopError` says why. Called on the thread that owns this context.
    @inline(__always) public func nativeWork(_ units: Int = 1) -> Bool {
        steps &+= units
        if let budget = stepBudget, steps > budget { return false }
        if memoryLimit != nil {
            workSinceCheck &+= units
            if workSinceCheck >= 64 {
                workSinceCheck = 0
                return nativeMemoryCheck()
            }
        }
        return true
    }

    @inline(never) func nativeMemoryCheck() -> Bool {
        let now = ResidentMemory.coarseNanoseconds()
        guard now &- lastWorkCheck >= 10_000_000 else { return true }
        lastWorkCheck = now
        let resident = ResidentMemory.bytes()
        if let limit = memoryLimit, resident > limit { memoryExceeded = resident; return false }
        return true
    }

    /// After a native loop stopped early: the budget or memory error that stopped it, or nil
    /// (an interrupt, or the loop finished).
    public func nativeStopError(at range: SourceRange?) -> MullError? {
        if let resident = memoryExceeded, let limit = memoryLimit {
            memoryExceeded = nil
            return memoryError(limit, resident: resident, asked: 0, at: range)
        }
        if let budget = stepBudget, steps > budget { return budgetError(budget, at: range) }
        return nil
    }
}

/// A runtime error in Mull code: a diagnostic plus the Mull frames it passed through.
public struct MullError: Error, Sendable, CustomStringConvertible {
    public var diagnostic: Diagnostic

    public init(_ id: DiagnosticID, _ message: String, at range: SourceRange?, notes: [String] = [], suggestion: String? = nil) {
        diagnostic = Diagnostic(id, .error, message, at: range, notes: notes.map { Diagnostic.Note($0) },
                                suggestion: suggestion.map { Diagnostic.Suggestion($0) })
    }

    public init(_ diagnostic: Diagnostic) { self.diagnostic = diagnostic }

    /// The error with one more frame of the Mull call stack.
    func adding(frame name: String, at range: SourceRange?) -> MullError {
        var e = self
        if e.diagnostic.range == nil { e.diagnostic.range = range }
        e.diagnostic.backtrace.append(Diagnostic.Frame(function: name, range: range))
        return e
    }

    public var description: String { diagnostic.description }
}
