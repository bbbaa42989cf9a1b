/// The catalog of diagnostics produced by the resolver and the checker, before anything runs.
extension DiagnosticID {
    // MARK: Names

    /// A name that is not a builtin, a global, a parameter or a local binding.
    public static let undefinedName: DiagnosticID = "undefined-name"
    /// A top-level `let` or import read at top level before the line that defines it.
    public static let usedBeforeDefinition: DiagnosticID = "used-before-definition"
    /// Two top-level declarations (`let`, `fn`, components, imports) with one name.
    public static let duplicateDeclaration: DiagnosticID = "duplicate-declaration"
    /// `fn f(x, x)`.
    public static let duplicateParameter: DiagnosticID = "duplicate-parameter"
    /// A component literal that gives one field twice (directly or through an alias).
    public static let duplicateField: DiagnosticID = "duplicate-field"
    /// A record literal or a call with one label twice.
    public static let duplicateLabel: DiagnosticID = "duplicate-label"
    /// `return` at top level.
    public static let returnOutsideFunction: DiagnosticID = "return-outside-function"
    /// `GridWorld` used as a value without `{ ... }`.
    public static let componentWithoutBody: DiagnosticID = "component-without-body"
    /// A pattern `p | q` whose alternatives bind different names (`(x, 1) | (1, y)`).
    public static let alternativeBindings: DiagnosticID = "alternative-bindings"
    /// `f(alpha: 1, 2)`: a positional argument after a labelled one.
    public static let positionalAfterLabelled: DiagnosticID = "positional-after-labelled"

    // MARK: Components and kinds

    /// `Name { ... }` where no component is called `Name`.
    public static let unknownComponent: DiagnosticID = "unknown-component"
    /// A component of one kind where another is expected (`env x = DynaQ {...}`, `env: dyna`).
    public static let kindMismatch: DiagnosticID = "kind-mismatch"
    /// `run x` where `x` is neither a sweep nor an agent.
    public static let notRunnable: DiagnosticID = "not-runnable"
    /// A component that lacks what another one needs of it (Dyna-Q on continuous states).
    public static let incompatibleComponent: DiagnosticID = "incompatible-component"

    // MARK: Fields

    /// A field that the component's schema does not have.
    public static let unknownField: DiagnosticID = "unknown-field"
    /// A required field that is not given.
    public static let missingField: DiagnosticID = "missing-field"
    /// A value whose type the field does not accept.
    public static let typeMismatch: DiagnosticID = "type-mismatch"
    /// A symbol that is not one of the field's allowed symbols.
    public static let unknownSymbol: DiagnosticID = "unknown-symbol"
    /// A numeric literal outside the field's bounds.
    public static let valueOutOfRange: DiagnosticID = "value-out-of-range"

    // MARK: Sweeps

    /// A `vary` entry in a component that is not a sweep.
    public static let varyOutsideSweep: DiagnosticID = "vary-outside-sweep"
    /// A `vary` path that names no field of the agent or of the components it uses.
    public static let unknownVaryTarget: DiagnosticID = "unknown-vary-target"
    /// The same field varied by two entries.
    public static let duplicateVary: DiagnosticID = "duplicate-vary"
    /// Values of a `vary` that are neither a list nor a distribution.
    public static let invalidVaryValues: DiagnosticID = "invalid-vary-values"
    /// `vary (a, b): [...]` with an element that is not a tuple of two values.
    public static let varyArity: DiagnosticID = "vary-arity"
    /// A sweep that gives both or neither of two fields of which it needs exactly one
    /// (`episodes` and `steps`).
    public static let conflictingFields: DiagnosticID = "conflicting-fields"
}
