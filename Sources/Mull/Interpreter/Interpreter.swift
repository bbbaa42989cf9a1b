import Foundation
import MullLanguage
import MullRuntime

/// The Mull interpreter: the one type the CLI, the REPL and embedding hosts use.
///
/// ```swift
/// let mull = Interpreter()
/// let v = try mull.evaluate("1 + 2")   // .int(3)
/// ```
///
/// Each interpreter is independent: two in one process share nothing mutable.
public final class Interpreter: @unchecked Sendable {
    /// The host's hooks (output, diagnostics, modules, call depth, cancellation) and the
    /// default `RunOptions`.
    public struct Configuration: Sendable {
        /// Where `print` and run summaries go (default: standard output).
        public var output: @Sendable (String) -> Void = { s in
            FileHandle.standardOutput.write(Data(s.utf8))
        }
        /// Called with each diagnostic as it is reported (besides being thrown).
        public var diagnosticHandler: (@Sendable (Diagnostic) -> Void)? = nil
        /// Resolves imports the host provides itself: given the import path as written, return
        /// the module's source, or nil to fall back to the standard library and files.
        public var moduleLoader: (@Sendable (String) -> String?)? = nil
        /// Folders searched for `std/...` modules; empty means: `MULL_STDLIB_PATH`, then a
        /// `stdlib` folder next to (or above) the executable.
        public var stdlibPaths: [String] = []
        /// Extra folders scripts may import from, besides their own folder.
        public var importPaths: [String] = []
        /// Deepest allowed nesting of Mull function calls.
        public var maxCallDepth: Int = 5_000
        /// Set it to interrupt a running evaluation.
        public var cancellation = CancellationFlag()
        /// How runs go (seed, output folder, jobs, limits), unless an evaluation gives its own.
        public var run = RunOptions()
        public init() {}
    }

    public let configuration: Configuration
    /// The run options in force: the configuration's, or those the current evaluation gave.
    public internal(set) var runOptions: RunOptions
    public let registry: ComponentRegistry
    let globals = GlobalScope()
    var builtins: [String: Value]
    /// The parameter names of the built-in and host functions, for the checker.
    var builtinParameters: [String: [String]] {
        builtins.compactMapValues { v in
            guard case .function(let f) = v, f.arity == nil else { return nil }
            return f.parameterNames
        }
    }
    let context: CallContext
    let services: Services
    /// Modules by resolved path.
    var modules: [String: Module] = [:]
    /// The top-level frames of imported modules (see `deinit`).
    var moduleScopes: [GlobalScope] = []
    var loading: [String] = []
    /// The folder of the script being run: imports may not leave it.
    var rootFolder: String?
    /// The REPL's session-wide build context.
    lazy var sessionBuild = BuildContext(registry: registry, callContext: context, seed: runOptions.seed, stream: 0,
                                         shareWithSession: true)
    /// Source text of every file loaded, for results that record the script.
    public private(set) var loadedSources: [(path: String, text: String)] = []
    /// Results of the runs this interpreter performed, newest last.
    public internal(set) var runs: [RunRecord] = []
    /// Under `dryRun`: every sweep the script would run, with the trials not yet finished in the
    /// output folder (what a launcher needs to split and submit the work).
    public internal(set) var plannedSweeps: [PlannedSweep] = []
    /// Where each sweep name that wrote results in the current file was declared: two
    /// different sweeps of one name (one in an imported module, or two anonymous ones) would
    /// write into the same folder.
    var sweepDeclarations: [String: SourceRange] = [:]
    /// The thread all of this interpreter's work runs on, one request at a time.
    let worker = LargeStackWorker()
    /// Whether a script is running on the worker (a host call then joins it, not restarts it).
    var nested = false
    /// While set (a REPL loading a file), `run NAME` is not executed but its name recorded here.
    var deferredRuns: [String]?

    public init(configuration: Configuration = Configuration(), registry: ComponentRegistry? = nil) {
        self.configuration = configuration
        self.registry = registry ?? BuiltinComponents.makeRegistry()
        self.builtins = Builtins.all()
        self.runOptions = configuration.run
        self.context = CallContext(stepBudget: configuration.run.stepBudget, memoryLimit: configuration.run.memoryLimit, maxDepth: configuration.maxCallDepth,
                                   cancellation: configuration.cancellation, output: configuration.output)
        self.services = Services()
        services.interpreter = self
        context.services = services
    }

    // MARK: - Evaluating

    /// Evaluates source text; the value of its last expression statement is returned.
    /// Throws `DiagnosticsError` with every problem found (syntax, checks, or the runtime error).
    /// `options` replace the configuration's run options for this evaluation only.
    @discardableResult
    public func evaluate(_ source: String, path: String = "<input>", options: RunOptions? = nil) throws -> Value {
        try with(options) { try evaluate(source, path: path, resettingCancellation: true) }
    }

    /// Runs `body` with `options` (when given) as the run options, restoring the previous ones.
    func with<T>(_ options: RunOptions?, _ body: () throws -> T) rethrows -> T {
        guard let options, !nested else { return try body() }
        let previous = runOptions
        runOptions = options
        defer { runOptions = previous }
        return try body()
    }

    /// `resettingCancellation: false` keeps a cancellation made before the evaluation (the async
    /// API resets the flag itself before it checks the Task).
    func evaluate(_ source: String, path: String, resettingCancellation: Bool) throws -> Value {
        try worker.run { try evaluate(file: SourceFile(path: path, text: source), resettingCancellation: resettingCancellation) }
    }

    /// Reads and evaluates a file. Its folder becomes the root that imports may not leave.
    @discardableResult
    public func evaluateFile(_ path: String, options: RunOptions? = nil) throws -> Value {
        try with(options) { try evaluateFile(path, resettingCancellation: true) }
    }

    func evaluateFile(_ path: String, resettingCancellation: Bool) throws -> Value {
        try worker.run {
            let file = try Interpreter.readSource(path)
            if rootFolder == nil { rootFolder = Interpreter.canonicalFolder(of: path) }
            sweepDeclarations = [:]
            return try evaluate(file: file, resettingCancellation: resettingCancellation)
        }
    }

    /// Loads a file's definitions without running its sweeps (the REPL's `mull repl FILE` and
    /// `:load`): returns the names of the `run` statements it skipped, in order.
    public func loadFile(_ path: String) throws -> (value: Value, skippedRuns: [String]) {
        try worker.run {
            deferredRuns = []
            defer { deferredRuns = nil }
            let value = try evaluateFile(path)
            return (value, deferredRuns ?? [])
        }
    }

    /// Parses and checks without running anything (`mull check`).
    public func check(_ source: String, path: String = "<input>") -> [Diagnostic] {
        worker.run { check(file: SourceFile(path: path, text: source)) }
    }

    public func checkFile(_ path: String) -> [Diagnostic] {
        worker.run { checkFileOnWorker(path) }
    }

    private func checkFileOnWorker(_ path: String) -> [Diagnostic] {
        do {
            let file = try Interpreter.readSource(path)
            return check(file: file)
        } catch let e as DiagnosticsError {
            return e.diagnostics
        } catch {
            return [Diagnostic("io", .error, "cannot read `\(path)`", at: nil)]
        }
    }

    func check(file: SourceFile) -> [Diagnostic] {
        // The same front end as a run, on a copy of the session's globals that is then dropped.
        let (diagnostics, program, _) = frontEnd(file, globals: globals, commit: false)
        // With no error so far, build what is plain data as a run would (see StaticCheck).
        guard let program, !diagnostics.contains(where: { $0.severity == .error }) else { return Interpreter.sorted(diagnostics) }
        return Interpreter.sorted(diagnostics + staticBuildDiagnostics(program))
    }

    func evaluate(file: SourceFile, resettingCancellation: Bool = true) throws -> Value {
        // A cancellation of an earlier evaluation does not stop this one.
        if resettingCancellation { configuration.cancellation.reset() }
        loadedSources.append((file.path, file.text))
        let (diagnostics, code) = compile(file, into: globals)
        try report(diagnostics)
        return try execute(code!, in: globals.frame)
    }

    /// The one front end of scripts, REPL entries, imported modules and `mull check`: parse;
    /// resolve names (on a copy of `globals`); check types, components and sweeps; validate
    /// every import path. Each diagnostic comes from one phase. With `commit` and no error,
    /// `globals` takes the names the program declares. Returns the diagnostics and, when the
    /// program parsed, its tree and resolution.
    func frontEnd(_ file: SourceFile, globals: GlobalScope, commit: Bool) -> (diagnostics: [Diagnostic], program: Program?, resolution: Resolution?) {
        let (program, parseDiagnostics) = Parser.parse(file)
        guard !parseDiagnostics.contains(where: { $0.severity == .error }) else { return (parseDiagnostics, nil, nil) }
        let names = globals.names.copy()
        let resolution = Resolver(builtins: builtinNameSet, schemas: registry).resolve(program, globals: names)
        var diagnostics = parseDiagnostics + resolution.diagnostics
        diagnostics += Checker(schemas: registry, predeclared: builtinNameSet, builtinParameters: builtinParameters)
            .check(program, resolution: resolution)
        for item in program.items {
            guard case .importDecl(let decl) = item.kind else { continue }
            do { _ = try resolveImport(decl) } catch let e as MullError { diagnostics.append(e.diagnostic) } catch {}
        }
        if commit && !diagnostics.contains(where: { $0.severity == .error }) {
            globals.adopt(names, declaring: resolution.declaredGlobals)
        }
        return (diagnostics, program, resolution)
    }

    /// The front end, then the compiler: the code of `file` against `globals` when it has no error.
    func compile(_ file: SourceFile, into globals: GlobalScope) -> (diagnostics: [Diagnostic], code: Code?) {
        let (diagnostics, program, resolution) = frontEnd(file, globals: globals, commit: true)
        guard let program, let resolution, !diagnostics.contains(where: { $0.severity == .error }) else { return (diagnostics, nil) }
        return (diagnostics, Compiler(hooks: hooks(), resolution: resolution).compileProgram(program))
    }

    /// Starts running Mull code: a request from the host starts afresh (its own step budget and
    /// depth, and for `call` no cancellation left over); one from a native function inside a
    /// running script joins it. Returns whether it was nested, to restore afterwards.
    private func enter(resettingCancellation: Bool) -> Bool {
        let wasNested = nested
        if !wasNested {
            context.depth = 0
            context.returning = false
            context.steps = 0
            context.memoryExceeded = nil
            context.stepBudget = runOptions.stepBudget
            context.memoryLimit = runOptions.memoryLimit
            if resettingCancellation { configuration.cancellation.reset() }
        }
        nested = true
        return wasNested
    }

    func execute(_ code: @escaping Code, in frame: Frame) throws -> Value {
        let wasNested = enter(resettingCancellation: false)
        defer { nested = wasNested }
        do {
            return try worker.run { try code(frame, self.context) }
        } catch let e as MullError {
            try report([e.diagnostic])
            throw DiagnosticsError([e.diagnostic])
        } catch let e as DiagnosticsError {
            throw e
        } catch {
            var d = Diagnostic("host-error", .error, "a native function or environment failed: \(error)", at: nil)
            d.hostError = error
            try report([d])
            throw DiagnosticsError([d])
        }
    }

    private func report(_ diagnostics: [Diagnostic]) throws {
        guard !diagnostics.isEmpty else { return }
        let sorted = Interpreter.sorted(diagnostics)
        if let h = configuration.diagnosticHandler { sorted.forEach(h) }
        if sorted.contains(where: { $0.severity == .error }) { throw DiagnosticsError(sorted) }
    }

    static func sorted(_ ds: [Diagnostic]) -> [Diagnostic] {
        ds.enumerated().sorted { a, b in
            let pa = a.element.range?.file.path ?? "", pb = b.element.range?.file.path ?? ""
            if pa != pb { return a.offset < b.offset }
            let sa = a.element.range?.start ?? 0, sb = b.element.range?.start ?? 0
            return sa != sb ? sa < sb : a.offset < b.offset
        }.map(\.element)
    }

    // MARK: - Globals and host functions

    /// The value of a global name (a `let`, a function, a declared component, a module).
    public func global(_ name: String) -> Value? { globals.value(of: name) }

    /// Defines or replaces a global.
    public func setGlobal(_ name: String, _ value: Value) { globals.set(name, value) }

    /// Global names in the order they were defined.
    public var globalNames: [String] { globals.order }

    /// Names of the built-in functions.
    public var builtinNames: [String] { builtins.keys.sorted() }

    /// A built-in function or constant by name (for `:help NAME`).
    public func builtin(named name: String) -> Value? { builtins[name] }

    /// Members a value offers after `.` (record fields, module names, a component's fields and
    /// its live instance's queries), for completion. Builds nothing that does not exist yet.
    public func memberNames(of value: Value) -> [String] {
        switch value {
        case .record(let r): return r.fieldNames
        case .module(let m): return m.names
        case .list, .string, .range: return ["len"]
        case .object(let o): return o.memberNames
        case .component(let c):
            var names = c.fields.map(\.name)
            if let schema = registry.schema(named: c.componentName) {
                names += schema.fields.map(\.name) + schema.methods.map(\.name)
            }
            if let i = c.existingInstance { names += i.memberNames }
            var seen = Set<String>()
            return names.filter { seen.insert($0).inserted }
        default: return []
        }
    }

    /// Registers a native function under `name`, visible to scripts evaluated afterwards.
    public func register(function name: String, parameters: [String] = [], doc: String = "",
                         _ body: @escaping @Sendable (Arguments, CallContext) throws -> Value) {
        builtins[name] = .function(Function(native: name, parameters: parameters, doc: doc, body))
    }

    /// Registers a native component type (environment, model, agent) under its schema's name.
    public func register(component: ComponentDefinition) { registry.register(component) }

    /// Calls a Mull function value from Swift.
    public func call(_ function: Function, _ arguments: [Value], options: RunOptions? = nil) throws -> Value {
        try with(options) { try call(function, arguments, resettingCancellation: true) }
    }

    func call(_ function: Function, _ arguments: [Value], resettingCancellation: Bool) throws -> Value {
        do {
            return try worker.run {
                // Each call from the host starts afresh: its own step budget, depth and
                // cancellation (a call from a native function inside a running script does not).
                let wasNested = enter(resettingCancellation: resettingCancellation)
                defer { nested = wasNested }
                return try function.call(arguments, self.context)
            }
        } catch let e as MullError {
            throw DiagnosticsError([e.diagnostic])
        } catch let e as DiagnosticsError {
            throw e
        } catch {
            var d = Diagnostic("host-error", .error, "`\(function.name)` failed: \(error)", at: nil)
            d.hostError = error
            throw DiagnosticsError([d])
        }
    }

    /// A top-level frame holds the functions defined in it, and they hold the frame: left alone,
    /// that cycle would keep every global value alive after the interpreter is gone. Clearing the
    /// slots breaks it (a function a host kept then finds `none` where a global was). It runs on a
    /// large stack, since freeing a deeply nested value recurses once per level.
    deinit {
        worker.stop()
        let frames = [globals.frame] + moduleScopes.map(\.frame)
        let modules = Array(self.modules.values)
        _ = try? Interpreter.onLargeStack {
            for f in frames { f.clear() }
            for m in modules { m.values = [:] }
        }
    }

    /// Forgets all globals, modules and live objects (the REPL's `:reset`).
    public func reset() {
        globals.reset()
        globals.frame.clear()
        modules = [:]
        moduleScopes = []
        sessionBuild = BuildContext(registry: registry, callContext: context, seed: runOptions.seed, stream: 0, shareWithSession: true)
    }

    /// The names the resolver takes as built-ins.
    var builtinNameSet: Set<String> { Set(builtins.keys) }

    func hooks() -> CompilerHooks {
        CompilerHooks(
            importModule: { [unowned self] decl in try self.importModule(decl) },
            run: { [unowned self] value, range, ctx in
                if self.deferredRuns != nil, case .component(let c) = value, c.kind == .sweep {
                    self.deferredRuns!.append(c.declaredName ?? "sweep")
                    return
                }
                try self.run(value, at: range, ctx)
            },
            componentKind: { [registry] name in registry.schema(named: name)?.kind },
            builtins: builtins)
    }

    // MARK: - Threads

    /// Runs `body` on a thread with a large stack, so deep (bounded) Mull recursion cannot
    /// overflow the host's stack.
    static func onLargeStack<T>(_ body: @escaping () throws -> T) throws -> T {
        nonisolated(unsafe) var result: Result<T, Error>?
        // Dropped before signalling: the thread object (and the closure it runs) may outlive
        // this call briefly, and what `body` captures (the interpreter) must not live on with it.
        nonisolated(unsafe) var work: (() throws -> T)? = body
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result = Result { try work!() }
            work = nil
            done.signal()
        }
        thread.stackSize = 1 << 29
        thread.start()
        done.wait()
        return try result!.get()
    }

    static func readSource(_ path: String) throws -> SourceFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            let reason = FileManager.default.fileExists(atPath: path, isDirectory: &isDir) ? (isDir.boolValue ? "it is a folder" : "it is not readable") : "no such file"
            throw DiagnosticsError([Diagnostic("io", .error, "cannot read `\(path)`: \(reason)", at: nil)])
        }
        guard data.count <= 64 << 20 else {
            throw DiagnosticsError([Diagnostic("file-too-large", .error, "`\(path)` is larger than 64 MB", at: nil)])
        }
        return SourceFile(path: path, bytes: [UInt8](data))
    }

    static func canonicalFolder(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.resolvingSymlinksInPath().path
    }
}

/// What one `run` produced, for hosts and tests.
/// A sweep as a dry run sees it.
public struct PlannedSweep: Sendable, Codable, Equatable {
    public var name: String
    public var trials: Int
    /// Indices of the trials without a finished, valid trial file.
    public var unfinished: [Int]
    /// Each setting's varied values, in setting order (trials `i * seeds ..< (i + 1) * seeds`).
    public var settings: [String]
    public var seeds: Int
}

public struct RunRecord: Sendable {
    public var name: String
    /// The summary as printed.
    public var summary: String
    public var outputDirectory: String?
    /// The summary as data: per setting and metric, the parameters, the per-run figures, their
    /// mean and IQM with confidence intervals (what the printed table shows), with or without an
    /// output folder.
    public var summaries: [MetricSummary] = []
    /// Every trial (its setting, parameters and seed) with its recorded series; nil for a trial
    /// that did not finish.
    public var trials: [(spec: TrialSpec, result: TrialResult?)] = []
}

/// The interpreter's side of component member access.
final class Services: InterpreterServices, @unchecked Sendable {
    weak var interpreter: Interpreter?

    func schema(named name: String) -> ComponentSchema? { interpreter?.registry.schema(named: name) }

    func defaultValue(of field: FieldSchema, in component: ComponentValue, _ ctx: CallContext) throws -> Value {
        interpreter?.registry.definition(named: component.componentName)?.defaults[field.name] ?? .null
    }

    func instance(of component: ComponentValue, _ ctx: CallContext, at range: SourceRange?) throws -> any ComponentInstance {
        guard let interpreter else { throw MullError("internal", "interpreter is gone", at: range) }
        return try interpreter.sessionBuild.instance(of: component)
    }
}
