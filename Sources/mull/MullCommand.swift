import ArgumentParser
import Foundation
import Mull
import MullLanguage
import MullREPL

/// `mull`: run, check and explore Mull scripts.
@main
struct MullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mull",
        abstract: "A small language for model-based reinforcement-learning experiments.",
        discussion: """
            Examples:
              mull run examples/dyna_maze.mull          run an experiment, print its summary, write results
              mull check examples/*.mull                check scripts without running them
              mull repl examples/dyna_maze.mull         explore a script interactively
            """,
        version: MullVersion.string,
        subcommands: [Run.self, Check.self, ReplCommand.self, Reference.self, Status.self],
        defaultSubcommand: nil)

    /// Parses and runs, with exit status 0 on success, 1 for script errors, 2 for usage errors.
    static func main() {
        // No subcommand is a usage error: the help goes to standard error with status 2.
        if CommandLine.arguments.count <= 1 {
            FileHandle.standardError.write(Data((helpMessage() + "\n").utf8))
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

enum MullVersion {
    static let string = "0.1.0"
}

/// How diagnostics are written to standard error.
enum DiagnosticStyle: String, ExpressibleByArgument, CaseIterable {
    case auto, human, line
}

struct ScriptOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("How to show errors: human (source excerpt), line (file:line:col), or auto (human on a terminal).", valueName: "style"))
    var diagnostics: DiagnosticStyle = .auto

    @Option(name: .long, help: ArgumentHelp("Evaluation steps allowed before a script is stopped (default: unlimited).", valueName: "n"))
    var stepBudget: Int?

    @Option(name: .long, help: ArgumentHelp("Memory the process may use before a script's allocation or run stops with a diagnostic: 4G, 512M, or none (default: 80% of the machine's memory).", valueName: "size"))
    var memoryLimit: String?

    /// `--memory-limit` as bytes: the default when not given, nil for `none`.
    var memoryLimitBytes: Int? {
        guard let text = memoryLimit else { return ResidentMemory.defaultLimit }
        return text.lowercased() == "none" ? nil : ResidentMemory.parse(text)
    }

    @Option(name: .customLong("import-path"), help: ArgumentHelp("Another folder scripts may import from (repeatable).", valueName: "dir"))
    var importPaths: [String] = []

    func validate() throws {
        if let b = stepBudget, b <= 0 { throw ValidationError("--step-budget must be positive") }
        if let m = memoryLimit, m.lowercased() != "none", ResidentMemory.parse(m) == nil {
            throw ValidationError("--memory-limit \(m): give a size such as 4G, 512M or 2000000000, or none")
        }
        for path in importPaths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--import-path \(path): no such folder")
            }
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a script: its sweeps print a summary and write results.",
        discussion: "Results go to --out (default: results/<script name>). Running the same sweep again resumes it, skipping finished trials.")

    @ArgumentParser.Argument(help: "The script to run.", completion: .file(extensions: ["mull"]))
    var file: String

    // `.unconditional`: `--seed -1` is a bad seed, not a missing one.
    @Option(name: .long, parsing: .unconditional, help: "The script seed (0 to 2^64 - 1): the same seed gives the same numbers.")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Trials run in parallel (default: all cores).")
    var jobs: Int?

    @Option(name: .long, help: ArgumentHelp("Folder for results (default: results/<script name>).", valueName: "dir"))
    var out: String?

    @Flag(name: .long, help: "List the trials of each sweep without running them.")
    var dryRun = false

    @Flag(name: .long, help: "Stop a sweep at its first failed trial (default: continue and list failures).")
    var failFast = false

    @Flag(name: .long, help: "Do not write result files.")
    var noOutput = false

    @Option(name: .long, help: ArgumentHelp("Run only shard i of N (trials whose index is i modulo N), writing their trial files into --out; collect the shards with --collect. For schedulers: a job array's task i runs `--shard i/N`.", valueName: "i/N"))
    var shard: String?

    @Flag(name: .long, help: "Run no trial: gather the finished trial files in --out into results.csv, the summary and the plots, listing the missing trials as failures.")
    var collect = false

    @Option(name: .long, help: ArgumentHelp("Where the trials run: local (default) or slurm (a job array of shards and a collect job, submitted with sbatch; see docs/cluster.md).", valueName: "local|slurm"))
    var launcher: String = "local"

    @Option(name: .long, help: ArgumentHelp("Slurm: array tasks (shards) to split the trials into (default: the largest sweep's trial count, at most 1000).", valueName: "n"))
    var shards: Int?

    @Option(name: .long, help: ArgumentHelp("Slurm: the partition.", valueName: "name"))
    var partition: String?

    @Option(name: .long, help: ArgumentHelp("Slurm: each task's time limit (sbatch --time).", valueName: "time"))
    var time: String?

    @Option(name: .customLong("cpus-per-task"), help: ArgumentHelp("Slurm: CPUs per task, also the task's --jobs (default 1).", valueName: "n"))
    var cpusPerTask: Int = 1

    @Option(name: .long, help: ArgumentHelp("Slurm: memory per task (sbatch --mem).", valueName: "size"))
    var mem: String?

    @Option(name: .customLong("array-parallelism"), help: ArgumentHelp("Slurm: at most this many array tasks at once (%K).", valueName: "k"))
    var arrayParallelism: Int?

    @Option(name: .long, help: ArgumentHelp("Slurm: the account to charge.", valueName: "name"))
    var account: String?

    @Option(name: .customLong("sbatch-arg"), help: ArgumentHelp("Slurm: another sbatch option for both jobs, e.g. --sbatch-arg=--qos=short (repeatable).", valueName: "option"))
    var sbatchArgs: [String] = []

    @OptionGroup var options: ScriptOptions

    /// `i/N` with 0 <= i < N.
    static func parseShard(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 1_000_000, i >= 0, i < n else { return nil }
        return (i, n)
    }

    func validate() throws {
        if let j = jobs, j < 1 { throw ValidationError("--jobs must be at least 1") }
        if let o = out, o.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--out needs a folder name") }
        if let s = shard, Self.parseShard(s) == nil {
            throw ValidationError("--shard takes i/N with 0 <= i < N (e.g. --shard 0/4 for the first of four shards), got '\(s)'")
        }
        if (shard != nil || collect) && noOutput {
            throw ValidationError("--\(shard != nil ? "shard" : "collect") works through the trial files in the output folder; it cannot be combined with --no-output")
        }
        if shard != nil && collect { throw ValidationError("--shard runs trials and --collect gathers them: give one of them") }
        guard launcher == "local" || launcher == "slurm" else { throw ValidationError("--launcher is local or slurm, got '\(launcher)'") }
        if launcher == "slurm" {
            if shard != nil || collect { throw ValidationError("--launcher slurm submits the shards and the collection itself: leave out --shard and --collect") }
            if noOutput { throw ValidationError("--launcher slurm works through the output folder; it cannot be combined with --no-output") }
            if let n = shards, n < 1 || n > 100_000 { throw ValidationError("--shards must be between 1 and 100000") }
            if cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be at least 1") }
            if let k = arrayParallelism, k < 1 { throw ValidationError("--array-parallelism must be at least 1") }
        } else if shards != nil || partition != nil || time != nil || mem != nil || arrayParallelism != nil || account != nil || !sbatchArgs.isEmpty || cpusPerTask != 1 {
            throw ValidationError("--shards, --partition, --time, --cpus-per-task, --mem, --array-parallelism, --account and --sbatch-arg go with --launcher slurm")
        }
    }

    func launchOnSlurm() throws {
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let settings = SlurmLauncher.Settings(partition: partition, time: time, cpusPerTask: cpusPerTask, memory: mem,
                                              arrayParallelism: arrayParallelism, account: account, extraArguments: sbatchArgs,
                                              shards: shards, failFast: failFast)
        let launcher = SlurmLauncher(script: URL(fileURLWithPath: file, relativeTo: cwd).standardizedFileURL,
                                     output: URL(fileURLWithPath: out ?? "results/\(name)", relativeTo: cwd).standardizedFileURL,
                                     seed: seed, importPaths: options.importPaths.map { URL(fileURLWithPath: $0, relativeTo: cwd).standardizedFileURL.path },
                                     settings: settings, print: { Swift.print($0, terminator: "") })
        do {
            try launcher.launch(dryRun: dryRun)
        } catch let e as DiagnosticsError {
            DiagnosticPrinter(style: options.diagnostics).print(e.diagnostics)
            throw ExitCode(1)
        } catch let e as SlurmLauncher.LaunchError {
            FileHandle.standardError.write(Data("error: \(e.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    func run() throws {
        if launcher == "slurm" { return try launchOnSlurm() }
        var config = Interpreter.Configuration()
        config.run.seed = seed
        config.run.jobs = jobs
        config.run.dryRun = dryRun
        config.run.failFast = failFast
        config.run.shard = shard.flatMap(Self.parseShard)
        config.run.collect = collect
        config.run.stepBudget = options.stepBudget
        config.run.memoryLimit = options.memoryLimitBytes
        config.importPaths = options.importPaths
        if !noOutput {
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            config.run.outputDirectory = out ?? "results/\(name)"
        }
        let interrupt = InterruptHandler.install(config.cancellation)
        defer { interrupt.uninstall() }
        let interpreter = Interpreter(configuration: config)
        // The process ends after this; tearing down a script's values would release deeply
        // nested lists recursively on the main thread's small stack.
        _ = Unmanaged.passRetained(interpreter)
        do {
            try interpreter.evaluateFile(file)
        } catch let e as DiagnosticsError {
            DiagnosticPrinter(style: options.diagnostics).print(e.diagnostics)
            throw ExitCode(1)
        }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scripts for errors without running them.")

    @ArgumentParser.Argument(help: "The scripts to check.", completion: .file(extensions: ["mull"]))
    var files: [String]

    @OptionGroup var options: ScriptOptions

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one script to check") }
    }

    func run() throws {
        var failed = false
        var config = Interpreter.Configuration()
        config.importPaths = options.importPaths
        for file in files {
            let interpreter = Interpreter(configuration: config)
            let diagnostics = interpreter.checkFile(file)
            DiagnosticPrinter(style: options.diagnostics).print(diagnostics)
            if diagnostics.contains(where: { $0.severity == .error }) { failed = true }
        }
        if failed { throw ExitCode(1) }
    }
}

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Explore scripts interactively: train agents, ask for Q-values, draw policies.",
        discussion: "When standard input is not a terminal, statements are read from it and each result is printed.")

    @ArgumentParser.Argument(help: "A script to load first.", completion: .file(extensions: ["mull"]))
    var file: String?

    @Option(name: .long, parsing: .unconditional, help: "The session seed (0 to 2^64 - 1).")
    var seed: UInt64 = 0

    @OptionGroup var options: ScriptOptions

    func run() throws {
        var config = Interpreter.Configuration()
        config.run.seed = seed
        config.run.stepBudget = options.stepBudget
        config.run.memoryLimit = options.memoryLimitBytes
        config.importPaths = options.importPaths
        config.run.outputDirectory = nil
        let interpreter = Interpreter(configuration: config)
        _ = Unmanaged.passRetained(interpreter)  // see Run: values outlive the process's work
        let status = Repl.run(interpreter: interpreter, loading: file)
        if status != 0 { throw ExitCode(status) }
    }
}

struct Reference: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the reference of every built-in component (docs/reference.md) as Markdown.")

    func run() throws {
        print(ReferenceDocs.markdown(Interpreter().registry), terminator: "")
    }
}
