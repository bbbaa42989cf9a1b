/// How a script's runs go: the seed, the output folder, parallel trials and the limits. Set
/// once in `Interpreter.Configuration.run`, or given to one `evaluate`, `evaluateFile` or `call`
/// (the host's hooks stay in `Configuration`). `mull run` sets these from its flags.
public struct RunOptions: Sendable {
    /// The script seed (`--seed`).
    public var seed: UInt64 = 0
    /// Parallel trials in sweeps (nil: all cores).
    public var jobs: Int? = nil
    /// Where runs write their results; nil writes nothing.
    public var outputDirectory: String? = nil
    /// `--dry-run`: list trials instead of running them.
    public var dryRun = false
    /// `--fail-fast`: stop a sweep at its first failed trial.
    public var failFast = false
    /// Show progress of long runs on standard error when it is a terminal.
    public var progress = true
    /// `--shard i/N`: run only the trials whose index is i modulo N, writing their trial files
    /// (no results.csv, summary or plots: other shards write into the same folder).
    public var shard: (index: Int, count: Int)? = nil
    /// `--collect`: run no trial; gather the finished trial files into results.csv, the
    /// summary and the plots, and list the trials that have none as failures.
    public var collect = false
    /// Steps allowed per top-level evaluation or `call`, and per trial of a sweep: Mull
    /// evaluation steps plus native work the script starts (one per real environment step,
    /// training or rollout batch, 256 tree simulations); nil for unlimited.
    public var stepBudget: Int? = nil
    /// Resident bytes the process may reach: an allocation or native run that would pass it
    /// ends in a `memory-limit` diagnostic at its place. Default: 80% of the machine's (or
    /// the control group's) memory; nil for no limit.
    public var memoryLimit: Int? = ResidentMemory.defaultLimit

    public init() {}
}
