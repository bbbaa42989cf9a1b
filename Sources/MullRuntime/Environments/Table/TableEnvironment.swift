/// A finite MDP given by its full transition table: what an MDP written in Mull compiles to.
///
/// Mull functions are pure (the language has no mutable state, clock or randomness), so a step
/// function written in Mull can be evaluated once for every state and action; the episode then
/// runs on the table at native speed.
public final class TableEnvironment: TabularDynamics, SimulatableEnvironment {
    public typealias Observation = Int
    public typealias Action = Int

    public let table: TabularTable
    /// Start states, drawn uniformly at reset.
    public let startStates: [Int]
    public var maxEpisodeSteps: Int?
    public var state: Int
    private var elapsed = 0

    public init(table: TabularTable, startStates: [Int], maxEpisodeSteps: Int? = nil) throws {
        guard !startStates.isEmpty else { throw RuntimeError("an MDP needs at least one start state") }
        for s in startStates where s < 0 || s >= table.stateCount {
            throw RuntimeError("start state \(s) is outside 0..<\(table.stateCount)")
        }
        if let m = maxEpisodeSteps, m < 1 { throw RuntimeError("max episode steps must be positive, got \(m)") }
        self.table = table
        self.startStates = startStates
        self.maxEpisodeSteps = maxEpisodeSteps
        self.state = startStates[0]
    }

    public var stateCount: Int { table.stateCount }
    public var actionCount: Int { table.actionCount }
    public var observationSpace: Space { .discrete(table.stateCount) }
    public var actionSpace: Space { .discrete(table.actionCount) }

    public func transitions(from state: Int, action: Int) -> [Outcome] { table.transitions(from: state, action: action) }

    public func reset(_ rng: inout RandomSource) throws -> Int {
        state = startStates.count == 1 ? startStates[0] : startStates[rng.int(below: startStates.count)]
        elapsed = 0
        return state
    }

    public func step(_ action: Int, _ rng: inout RandomSource) throws -> StepResult<Int> {
        guard action >= 0 && action < table.actionCount else {
            throw RuntimeError("action \(action) is outside 0..<\(table.actionCount)")
        }
        let o = table.sample(state, action, &rng)
        state = o.next
        elapsed += 1
        let truncated = !o.terminated && maxEpisodeSteps.map { elapsed >= $0 } == true
        return StepResult(observation: o.next, reward: o.reward, terminated: o.terminated, truncated: truncated)
    }

    public func simulate(_ state: Int, _ action: Int, _ rng: inout RandomSource) throws -> (state: Int, result: StepResult<Int>) {
        let o = table.sample(state, action, &rng)
        return (o.next, StepResult(observation: o.next, reward: o.reward, terminated: o.terminated, truncated: false))
    }
}
