/// The catalog of diagnostics raised while a script runs (the interpreter and the runtime),
/// beside the checker's and the parser's. `DiagnosticCatalogTests` checks that every id the
/// sources raise is listed in `DiagnosticID.catalog`.
extension DiagnosticID {
    /// A call with too many or too few arguments, or a label the function does not have.
    public static let arity: DiagnosticID = "arity"
    /// Division or remainder by zero.
    public static let divisionByZero: DiagnosticID = "division-by-zero"
    /// The same argument given twice.
    public static let duplicateArgument: DiagnosticID = "duplicate-argument"
    /// Two sweeps of one name that would write into the same folder.
    public static let duplicateSweep: DiagnosticID = "duplicate-sweep"
    /// Episodes that could never end (no terminal state reachable) asked for by count.
    public static let episodesNeverEnd: DiagnosticID = "episodes-never-end"
    /// A Swift error thrown by a host's native function or environment; the error is attached.
    public static let hostError: DiagnosticID = "host-error"
    /// Modules that import each other.
    public static let importCycle: DiagnosticID = "import-cycle"
    /// An import path that names no module.
    public static let importNotFound: DiagnosticID = "import-not-found"
    /// An import path that leaves the script's folder and the import paths.
    public static let importOutsideRoot: DiagnosticID = "import-outside-root"
    /// Components that cannot work together (a planner on a task it cannot plan, a learner on the wrong action space).
    public static let incompatible: DiagnosticID = "incompatible"
    /// An index past the end of a list, string or record.
    public static let indexOutOfRange: DiagnosticID = "index-out-of-range"
    /// A fault of Mull itself; please report it with the script.
    public static let internalError: DiagnosticID = "internal"
    /// Ctrl-C, a host's cancellation or a cancelled Task stopped the evaluation; finished work is kept.
    public static let interrupted: DiagnosticID = "interrupted"
    /// An action the environment or model does not have.
    public static let invalidAction: DiagnosticID = "invalid-action"
    /// An argument of the right type but an unusable value.
    public static let invalidArgument: DiagnosticID = "invalid-argument"
    /// A component value that cannot be used where it was given.
    public static let invalidComponent: DiagnosticID = "invalid-component"
    /// A field value the component cannot use (found when it is built).
    public static let invalidField: DiagnosticID = "invalid-field"
    /// What an MDP's or a task's step function returned is not a valid outcome (next state out of range, probabilities not summing to 1, a reward that is not a number).
    public static let invalidOutcome: DiagnosticID = "invalid-outcome"
    /// A state given to an agent, model or planner that the task does not have.
    public static let invalidState: DiagnosticID = "invalid-state"
    /// A sweep that cannot run as written (its budget, seeds or agent).
    public static let invalidSweep: DiagnosticID = "invalid-sweep"
    /// Results could not be written, or a file could not be read.
    public static let io: DiagnosticID = "io"
    /// A learner's trial stopped: its loss or values diverged.
    public static let learnerFailed: DiagnosticID = "learner-failed"
    /// The process would pass its memory limit; the allocation or run is stopped.
    public static let memoryLimit: DiagnosticID = "memory-limit"
    /// A required argument not given.
    public static let missingArgument: DiagnosticID = "missing-argument"
    /// A `match` whose arms all failed.
    public static let noMatch: DiagnosticID = "no-match"
    /// A component that cannot be built from what it was given.
    public static let notBuildable: DiagnosticID = "not-buildable"
    /// A call of a value that is not a function.
    public static let notCallable: DiagnosticID = "not-callable"
    /// A `for` over a value that is not a list, range, string or record.
    public static let notIterable: DiagnosticID = "not-iterable"
    /// A member asked of a component before it can answer (a model no agent uses yet).
    public static let notReady: DiagnosticID = "not-ready"
    /// A number outside the range a member or function accepts.
    public static let outOfRange: DiagnosticID = "out-of-range"
    /// Integer arithmetic past the 64-bit range.
    public static let overflow: DiagnosticID = "overflow"
    /// Mull calls nested deeper than the call-depth limit.
    public static let recursionTooDeep: DiagnosticID = "recursion-too-deep"
    /// A component used inside its own planner or step function.
    public static let reentrant: DiagnosticID = "reentrant"
    /// An error raised by the native runtime, with its message.
    public static let runtimeError: DiagnosticID = "runtime-error"
    /// The evaluation passed its step budget (Mull steps plus native work).
    public static let stepBudget: DiagnosticID = "step-budget"
    /// Source text that does not parse (from code built at run time).
    public static let syntax: DiagnosticID = "syntax"
    /// A sweep, planner or model whose size is past what Mull runs (the figure is in the message).
    public static let tooLarge: DiagnosticID = "too-large"
    /// A trial without a finished result when collecting a sharded sweep.
    public static let trialMissing: DiagnosticID = "trial-missing"
    /// A labelled argument the function does not take.
    public static let unknownArgument: DiagnosticID = "unknown-argument"
    /// A `record:` metric the agent does not produce.
    public static let unknownMetric: DiagnosticID = "unknown-metric"
    /// A string, list or value's text past 10 million elements, refused before it is built.
    public static let valueTooLarge: DiagnosticID = "value-too-large"
    /// A `vary` entry whose values do not fit the field (a list of the wrong shape).
    public static let varyShape: DiagnosticID = "vary-shape"
    /// A script file past 64 MB, refused before it is read.
    public static let fileTooLarge: DiagnosticID = "file-too-large"
    /// One or more trials of a sweep failed; the first one's diagnostic follows.
    public static let trialFailed: DiagnosticID = "trial-failed"
}
