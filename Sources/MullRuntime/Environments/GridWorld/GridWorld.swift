/// A deterministic maze on a rectangular grid, built from a text layout (Sutton & Barto ch. 8).
///
/// Layout characters: `S` start (exactly one), `G` goal (terminal, entering it yields
/// `goalReward`; several allowed), `#` wall, `.` or space empty, and any character declared in
/// `cellKinds` (cliffs, traps, ...). Rows shorter than the longest row are padded with empty cells.
///
/// **States** are numbered row-major over *all* cells, walls included, so that the layout maps
/// 1:1 onto state numbers: `state = row * columns + column`. Wall cells are unreachable states.
///
/// **Actions** are, in this order: 0 up, 1 down, 2 right, 3 left (`GridWorld.actionNames`).
/// Moving into a wall or off the grid leaves the agent in place.
///
/// **Rewards**: a transition yields the reward of the cell the agent occupies after the move:
/// `goalReward` for a goal, the kind's reward for a declared kind, `stepReward` otherwise
/// (also when the agent bumps into a wall and stays on an empty cell).
///
/// **Changing mazes**: `changes` lists `(afterSteps, layout)` pairs; once the environment has
/// taken `afterSteps` real steps in total (counted across episodes over the object's life), the
/// walls are replaced by the walls of `layout` (start, goals and declared cells stay as they
/// were). An agent standing where a new wall appears may still move out of it.
///
/// **Resolution** `k`: every cell becomes a `k x k` block of the same kind, except that the
/// start and goals stay single cells, placed at the top-left cell of their block (the rest of
/// the block is empty). With this choice the shortest path of the Dyna maze is exactly `14 k`
/// steps (14 at resolution 1, as in Sutton & Barto Example 8.4).
public final class GridWorld: TabularDynamics {
    public typealias Observation = Int
    public typealias Action = Int

    /// A user-defined cell kind, e.g. a cliff (`reward: -100, terminal: false, toStart: true`).
    public struct CellKind: Sendable, Equatable {
        public var reward: Double
        public var terminal: Bool
        /// Entering the cell sends the agent back to the start (as in the cliff-walking task).
        public var toStart: Bool
        public init(reward: Double, terminal: Bool, toStart: Bool = false) {
            self.reward = reward
            self.terminal = terminal
            self.toStart = toStart
        }
    }

    /// Action names in action-index order.
    public static let actionNames = ["up", "down", "right", "left"]
    /// Arrow characters for the actions, in action-index order.
    public static let actionArrows: [Character] = ["^", "v", ">", "<"]
    /// Row and column offsets of the actions.
    @usableFromInline static let rowDelta = [-1, 1, 0, 0]
    @usableFromInline static let columnDelta = [0, 0, 1, -1]

    public let rows: Int
    public let columns: Int
    public let resolution: Int
    public let stepReward: Double
    public let goalReward: Double
    public let maxEpisodeSteps: Int?
    /// The start state.
    public let startState: Int
    /// The goal states.
    public let goalStates: [Int]
    /// Scaled layout rows the grid was built from (the current walls may differ after changes).
    public let layout: [String]

    /// Wall flag per cell (current walls).
    @exclusivity(unchecked) public private(set) var walls: [Bool]
    /// Reward for entering each cell.
    @exclusivity(unchecked) @usableFromInline var cellReward: [Double]
    /// Terminal flag per cell.
    @exclusivity(unchecked) @usableFromInline var cellTerminal: [Bool]
    /// Whether entering the cell sends the agent back to the start.
    @exclusivity(unchecked) @usableFromInline var cellToStart: [Bool]
    /// Display character per cell of the original layout.
    let cellCharacter: [Character]
    let initialWalls: [Bool]
    /// Pending wall changes, sorted by step.
    public let changes: [(afterSteps: Int, walls: [Bool])]
    @exclusivity(unchecked) var nextChange = 0

    /// Real steps taken over the object's life (drives maze changes).
    @exclusivity(unchecked) public private(set) var totalSteps = 0
    /// Steps taken in the current episode.
    @exclusivity(unchecked) public private(set) var episodeSteps = 0
    /// The current state.
    @exclusivity(unchecked) public var state: Int
    /// Number of wall changes applied so far.
    public var changesApplied: Int { nextChange }

    public var stateCount: Int { rows * columns }
    public var actionCount: Int { 4 }
    public var observationSpace: Space { .discrete(rows * columns) }
    public var actionSpace: Space { .discrete(4) }

    /// Builds a grid world from layout rows.
    /// - Parameters:
    ///   - layout: rows of characters (see the type's documentation).
    ///   - cellKinds: extra cell characters and their reward/terminal behaviour.
    ///   - stepReward: reward for entering an ordinary cell (default 0).
    ///   - goalReward: reward for entering a goal (default 1).
    ///   - maxEpisodeSteps: episode length after which `step` reports `truncated`.
    ///   - changes: `(afterSteps, layout)` wall changes; layouts must have the same size.
    ///   - resolution: the factor `k` by which every cell becomes a `k x k` block.
    public init(
        layout: [String],
        cellKinds: [Character: CellKind] = [:],
        stepReward: Double = 0,
        goalReward: Double = 1,
        maxEpisodeSteps: Int? = nil,
        changes: [(afterSteps: Int, layout: [String])] = [],
        resolution: Int = 1
    ) throws {
        guard resolution >= 1 else { throw RuntimeError("grid world resolution must be at least 1, got \(resolution)") }
        if let m = maxEpisodeSteps, m < 1 { throw RuntimeError("maxEpisodeSteps must be positive, got \(m)") }
        for c in cellKinds.keys where "SG#. ".contains(c) {
            throw RuntimeError("cell kind '\(c)' clashes with a built-in layout character")
        }
        let grid = try GridWorld.parse(layout, resolution: resolution, kinds: cellKinds)
        rows = grid.rows
        columns = grid.columns
        self.resolution = resolution
        self.stepReward = stepReward
        self.goalReward = goalReward
        self.maxEpisodeSteps = maxEpisodeSteps
        self.layout = grid.lines
        let n = rows * columns
        var starts: [Int] = []
        var goals: [Int] = []
        var walls = [Bool](repeating: false, count: n)
        var reward = [Double](repeating: stepReward, count: n)
        var terminal = [Bool](repeating: false, count: n)
        var toStart = [Bool](repeating: false, count: n)
        for i in 0..<n {
            let c = grid.cells[i]
            switch c {
            case "S": starts.append(i)
            case "G": goals.append(i); reward[i] = goalReward; terminal[i] = true
            case "#": walls[i] = true
            case ".", " ": break
            default:
                guard let kind = cellKinds[c] else {
                    throw RuntimeError("unknown grid world cell '\(c)' at row \(i / columns), column \(i % columns)")
                }
                reward[i] = kind.reward
                terminal[i] = kind.terminal
                toStart[i] = kind.toStart
            }
        }
        guard starts.count == 1 else { throw RuntimeError("a grid world layout needs exactly one start 'S', found \(starts.count)") }
        startState = starts[0]
        goalStates = goals
        self.walls = walls
        initialWalls = walls
        cellReward = reward
        cellTerminal = terminal
        cellToStart = toStart
        cellCharacter = grid.cells
        state = starts[0]
        var parsedChanges: [(afterSteps: Int, walls: [Bool])] = []
        for change in changes.sorted(by: { $0.afterSteps < $1.afterSteps }) {
            guard change.afterSteps >= 0 else { throw RuntimeError("a maze change needs a non-negative step, got \(change.afterSteps)") }
            let g = try GridWorld.parse(change.layout, resolution: resolution, kinds: cellKinds)
            guard g.rows == rows, g.columns == columns else {
                throw RuntimeError("a maze change layout must be \(rows / resolution)x\(columns / resolution) like the original")
            }
            parsedChanges.append((change.afterSteps, g.cells.map { $0 == "#" }))
        }
        self.changes = parsedChanges
        applyDueChanges()
    }

    /// Convenience: a layout given as one string with newline-separated rows.
    public convenience init(
        layout text: String,
        cellKinds: [Character: CellKind] = [:],
        stepReward: Double = 0,
        goalReward: Double = 1,
        maxEpisodeSteps: Int? = nil,
        changes: [(afterSteps: Int, layout: [String])] = [],
        resolution: Int = 1
    ) throws {
        try self.init(layout: GridWorld.lines(of: text), cellKinds: cellKinds, stepReward: stepReward,
                      goalReward: goalReward, maxEpisodeSteps: maxEpisodeSteps, changes: changes,
                      resolution: resolution)
    }

    /// Splits a multi-line string into layout rows, dropping empty leading and trailing lines.
    public static func lines(of text: String) -> [String] {
        var rows = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while let first = rows.first, first.allSatisfy({ $0 == " " }) { rows.removeFirst() }
        while let last = rows.last, last.allSatisfy({ $0 == " " }) { rows.removeLast() }
        return rows
    }

    static func parse(_ layout: [String], resolution k: Int, kinds: [Character: CellKind])
        throws -> (rows: Int, columns: Int, cells: [Character], lines: [String])
    {
        let raw = layout.map(Array.init)
        guard !raw.isEmpty, let width = raw.map(\.count).max(), width > 0 else {
            throw RuntimeError("a grid world layout needs at least one non-empty row")
        }
        let rows = raw.count * k
        let columns = width * k
        var cells = [Character](repeating: ".", count: rows * columns)
        for (r, line) in raw.enumerated() {
            for c in 0..<width {
                var ch: Character = c < line.count ? line[c] : "."
                if ch == " " { ch = "." }
                for dr in 0..<k {
                    for dc in 0..<k {
                        let single = ch == "S" || ch == "G"
                        cells[(r * k + dr) * columns + c * k + dc] = (single && (dr > 0 || dc > 0)) ? "." : ch
                    }
                }
            }
        }
        var lines: [String] = []
        for r in 0..<rows { lines.append(String(cells[(r * columns)..<((r + 1) * columns)])) }
        return (rows, columns, cells, lines)
    }

    // MARK: Dynamics

    /// The cell reached from `state` by `action`, ignoring special-cell effects.
    @inlinable @inline(__always)
    func moved(_ state: Int, _ action: Int) -> Int {
        let r = state / columns + GridWorld.rowDelta[action]
        let c = state % columns + GridWorld.columnDelta[action]
        if r < 0 || r >= rows || c < 0 || c >= columns { return state }
        let target = r * columns + c
        return walls[target] ? state : target
    }

    /// The deterministic outcome of `action` in `state` under the current walls.
    @inlinable
    public func outcome(from state: Int, action: Int) -> (next: Int, reward: Double, terminated: Bool) {
        let target = moved(state, action)
        let reward = cellReward[target]
        let terminated = cellTerminal[target]
        let next = cellToStart[target] ? startState : target
        return (next, reward, terminated)
    }

    /// The first wall change (1-based) after which no terminal cell can be reached from the start,
    /// or nil when every layout the maze will have lets episodes end. The check that runs before
    /// a sweep sees the current walls only; a change can wall the goal off later.
    public func changeThatWallsOffTheGoal() -> Int? {
        for (k, change) in changes.enumerated() where !canReachTerminal(walls: change.walls) { return k + 1 }
        return nil
    }

    /// Breadth-first search from the start under `layoutWalls` for a terminal cell.
    func canReachTerminal(walls layoutWalls: [Bool]) -> Bool {
        var seen = [Bool](repeating: false, count: rows * columns)
        var queue = [startState]
        seen[startState] = true
        var head = 0
        while head < queue.count {
            let s = queue[head]
            head += 1
            for a in 0..<GridWorld.rowDelta.count {
                let r = s / columns + GridWorld.rowDelta[a], c = s % columns + GridWorld.columnDelta[a]
                var target = r < 0 || r >= rows || c < 0 || c >= columns ? s : r * columns + c
                if layoutWalls[target] { target = s }
                if cellTerminal[target] { return true }
                let next = cellToStart[target] ? startState : target
                if !seen[next] {
                    seen[next] = true
                    queue.append(next)
                }
            }
        }
        return false
    }

    /// Whether `state` is terminal (a goal or a terminal cell kind).
    public func isTerminal(_ state: Int) -> Bool { cellTerminal[state] }
    /// Whether `state` is a wall cell under the current walls.
    public func isWall(_ state: Int) -> Bool { walls[state] }

    /// The exact dynamics under the current walls. Terminal states loop on themselves with
    /// reward 0 (terminated); wall cells, unreachable, loop on themselves with reward 0.
    public func transitions(from state: Int, action: Int) -> [Outcome] {
        if cellTerminal[state] { return [Outcome(probability: 1, next: state, reward: 0, terminated: true)] }
        if walls[state] { return [Outcome(probability: 1, next: state, reward: 0, terminated: false)] }
        let o = outcome(from: state, action: action)
        return [Outcome(probability: 1, next: o.next, reward: o.reward, terminated: o.terminated)]
    }

    public func reset(_ rng: inout RandomSource) throws -> Int {
        state = startState
        episodeSteps = 0
        return state
    }

    public func step(_ action: Int, _ rng: inout RandomSource) throws -> StepResult<Int> {
        guard action >= 0 && action < 4 else { throw RuntimeError("grid world action must be in 0..<4, got \(action)") }
        let o = outcome(from: state, action: action)
        state = o.next
        episodeSteps += 1
        totalSteps += 1
        if nextChange < changes.count { applyDueChanges() }
        var truncated = false
        if let m = maxEpisodeSteps, !o.terminated, episodeSteps >= m { truncated = true }
        return StepResult(observation: o.next, reward: o.reward, terminated: o.terminated, truncated: truncated)
    }

    func applyDueChanges() {
        while nextChange < changes.count && totalSteps >= changes[nextChange].afterSteps {
            walls = changes[nextChange].walls
            nextChange += 1
        }
    }

    /// Restores the initial walls and the step counter (a fresh trial on the same object).
    public func restart() {
        walls = initialWalls
        totalSteps = 0
        episodeSteps = 0
        nextChange = 0
        state = startState
        applyDueChanges()
    }

    // MARK: Paths

    /// Length of a shortest path from the start to the nearest goal under the current walls
    /// (breadth-first search), or nil when no goal is reachable.
    public func shortestPathLength() -> Int? { shortestPathLength(from: startState) }

    /// Length of a shortest path from `source` to the nearest goal under the current walls.
    public func shortestPathLength(from source: Int) -> Int? {
        let n = stateCount
        var distance = [Int](repeating: -1, count: n)
        var queue = [Int](repeating: 0, count: n)
        var head = 0, tail = 0
        distance[source] = 0
        queue[tail] = source; tail += 1
        while head < tail {
            let s = queue[head]; head += 1
            if goalStates.contains(s) { return distance[s] }
            if cellTerminal[s] { continue }
            for a in 0..<4 {
                let next = outcome(from: s, action: a).next
                if distance[next] < 0 {
                    distance[next] = distance[s] + 1
                    queue[tail] = next; tail += 1
                }
            }
        }
        return nil
    }

    /// Follows `policy` from the start; returns the number of steps to a goal, or nil if none is
    /// reached within `maxSteps` steps (or the path ends in a non-goal terminal cell).
    public func pathLength(maxSteps: Int, policy: (Int) -> Int) -> Int? {
        var s = startState
        var steps = 0
        while steps < maxSteps {
            let o = outcome(from: s, action: policy(s))
            steps += 1
            if o.terminated { return goalStates.contains(o.next) ? steps : nil }
            s = o.next
        }
        return nil
    }
}
