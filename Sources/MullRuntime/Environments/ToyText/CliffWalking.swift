/// Gymnasium's CliffWalking-v1 (Sutton & Barto, Example 6.6): a 4x12 grid, start at the bottom
/// left (state 36), goal at the bottom right (state 47), the cells between them a cliff.
///
/// Actions are 0 up, 1 right, 2 down, 3 left. Every step costs -1; stepping into the cliff costs
/// -100 and puts the agent back at the start *without* ending the episode; entering the goal ends
/// it. With `isSlippery` the agent moves in the intended direction or either perpendicular one
/// with probability 1/3 each. As in Gymnasium the table also has rows for the cliff cells and the
/// goal (the goal is not absorbing in `P`; episodes end on entering it), and CliffWalking-v1 is
/// registered without a step limit.
public final class CliffWalking: TabularDynamics, SimulatableEnvironment {
    public typealias Observation = Int
    public typealias Action = Int
    public typealias State = Int

    public static let rows = 4
    public static let columns = 12
    public static let startState = 36
    public static let goalState = 47
    public static let actionNames = ["up", "right", "down", "left"]
    /// One ASCII character per action, for drawing policies.
    public static let actionSymbols: [Character] = ["^", ">", "v", "<"]

    public let isSlippery: Bool
    public let table: TabularTable
    public var maxEpisodeSteps: Int?
    public var state: Int = CliffWalking.startState
    public private(set) var elapsedSteps = 0
    private var started = false

    /// Action names for the interpreter (same as `CliffWalking.actionNames`).
    public var actionNames: [String] { CliffWalking.actionNames }

    public var observationSpace: Space { .discrete(48) }
    public var actionSpace: Space { .discrete(4) }
    public var stateCount: Int { 48 }
    public var actionCount: Int { 4 }

    public init(isSlippery: Bool = false, maxEpisodeSteps: Int? = nil) {
        self.isSlippery = isSlippery
        self.maxEpisodeSteps = maxEpisodeSteps
        self.table = CliffWalking.buildTable(isSlippery: isSlippery)
    }

    /// Whether cell `state` is part of the cliff (row 3, columns 1...10).
    public static func isCliff(_ state: Int) -> Bool {
        state / columns == 3 && state % columns >= 1 && state % columns <= columns - 2
    }

    private static func buildTable(isSlippery: Bool) -> TabularTable {
        let deltas = [(-1, 0), (0, 1), (1, 0), (0, -1)]  // up, right, down, left
        return TabularTable(stateCount: 48, actionCount: 4) { s, a, out in
            let moves = isSlippery ? [(a + 3) % 4, a, (a + 1) % 4] : [a]
            let p = 1 / Double(moves.count)
            for m in moves {
                let r = min(max(s / columns + deltas[m].0, 0), rows - 1)
                let c = min(max(s % columns + deltas[m].1, 0), columns - 1)
                let next = r * columns + c
                if isCliff(next) {
                    out.append(Outcome(probability: p, next: startState, reward: -100, terminated: false))
                } else {
                    out.append(Outcome(probability: p, next: next, reward: -1, terminated: next == goalState))
                }
            }
        }
    }

    public func transitions(from state: Int, action: Int) -> [Outcome] {
        table.transitions(from: state, action: action)
    }

    public func reset(_ rng: inout RandomSource) throws -> Int {
        state = CliffWalking.startState
        elapsedSteps = 0
        started = true
        return state
    }

    public func step(_ action: Int, _ rng: inout RandomSource) throws -> StepResult<Int> {
        guard started else { throw RuntimeError("CliffWalking: step called before reset") }
        try checkAction(action, 4, "CliffWalking")
        let o = table.sample(state, action, &rng)
        state = o.next
        elapsedSteps += 1
        let truncated = maxEpisodeSteps.map { elapsedSteps >= $0 } ?? false
        return StepResult(observation: o.next, reward: o.reward, terminated: o.terminated, truncated: truncated)
    }

    public func simulate(_ state: Int, _ action: Int, _ rng: inout RandomSource) throws -> (state: Int, result: StepResult<Int>) {
        try checkAction(action, 4, "CliffWalking")
        guard state >= 0 && state < 48 else { throw RuntimeError("CliffWalking: state \(state) is outside 0..<48") }
        let o = table.sample(state, action, &rng)
        return (o.next, StepResult(observation: o.next, reward: o.reward, terminated: o.terminated, truncated: false))
    }

    /// The grid as Gymnasium's text rendering draws it: `x` the agent, `C` the cliff, `T` the goal,
    /// `o` other cells. `overlay` (one entry per state) replaces a cell's letter where not nil.
    public func render(agent: Int? = nil, overlay: [Character?]? = nil) -> String {
        var out = ""
        for s in 0..<48 {
            let ch: Character
            if s == agent { ch = "x" }
            else if let overlay, s < overlay.count, let o = overlay[s] { ch = o }
            else if s == CliffWalking.goalState { ch = "T" }
            else if CliffWalking.isCliff(s) { ch = "C" }
            else { ch = "o" }
            let col = s % CliffWalking.columns
            if col != 0 { out.append(" ") }
            out.append(ch)
            if col == CliffWalking.columns - 1 { out.append("\n") } else { out.append(" ") }
        }
        out.append("\n")
        return out
    }

    /// An overlay drawing `policy` (one action per state) as arrows on cells that are neither
    /// cliff nor goal.
    public func policyOverlay(_ policy: [Int]) -> [Character?] {
        (0..<48).map { s in
            guard s != CliffWalking.goalState, !CliffWalking.isCliff(s), s < policy.count,
                  (0..<4).contains(policy[s]) else { return nil }
            return CliffWalking.actionSymbols[policy[s]]
        }
    }
}
