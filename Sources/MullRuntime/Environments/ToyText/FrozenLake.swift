/// Gymnasium's FrozenLake-v1: walk from S to G over frozen tiles F without falling into a hole H.
///
/// States are `row * columns + column`; actions are 0 left, 1 down, 2 right, 3 up. On a slippery
/// lake the agent moves in the intended direction with probability `successRate` and in each
/// perpendicular direction with probability `(1 - successRate) / 2`. Holes and the goal are
/// terminal; their own table entries are self-loops with reward 0, as in Gymnasium. The table is
/// built exactly as `FrozenLakeEnv.__init__` builds `P` (same outcome order, duplicates kept).
public final class FrozenLake: TabularDynamics, SimulatableEnvironment {
    public typealias Observation = Int
    public typealias Action = Int
    public typealias State = Int

    /// Rewards for entering the goal, a hole, and any other tile (Gymnasium's `reward_schedule`).
    public struct RewardSchedule: Sendable, Equatable {
        public var goal: Double
        public var hole: Double
        public var frozen: Double
        public init(goal: Double = 1, hole: Double = 0, frozen: Double = 0) {
            self.goal = goal
            self.hole = hole
            self.frozen = frozen
        }
    }

    /// Gymnasium's predefined maps.
    public static let maps: [String: [String]] = [
        "4x4": ["SFFF", "FHFH", "FFFH", "HFFG"],
        "8x8": [
            "SFFFFFFF", "FFFFFFFF", "FFFHFFFF", "FFFFFHFF",
            "FFFHFFFF", "FHHFFFHF", "FHFFHFHF", "FFFHFFFG",
        ],
    ]
    /// Registered step limits: FrozenLake-v1 (4x4 and custom maps) 100, FrozenLake8x8-v1 200.
    public static let registeredStepLimits: [String: Int] = ["4x4": 100, "8x8": 200]
    public static let actionNames = ["left", "down", "right", "up"]
    /// One ASCII character per action, for drawing policies.
    public static let actionSymbols: [Character] = ["<", "v", ">", "^"]

    public let map: [String]
    public let rows: Int
    public let columns: Int
    public let isSlippery: Bool
    public let successRate: Double
    public let rewardSchedule: RewardSchedule
    public let table: TabularTable
    /// Start tiles; `reset` picks one uniformly (Gymnasium's `initial_state_distrib`).
    public let startStates: [Int]
    /// Tile letters, row-major, as bytes.
    public let tiles: [UInt8]

    public var maxEpisodeSteps: Int?
    public var state: Int
    public private(set) var elapsedSteps = 0
    private var started = false

    /// Action names for the interpreter (same as `FrozenLake.actionNames`).
    public var actionNames: [String] { FrozenLake.actionNames }

    public var observationSpace: Space { .discrete(rows * columns) }
    public var actionSpace: Space { .discrete(4) }
    public var stateCount: Int { rows * columns }
    public var actionCount: Int { 4 }

    /// A lake on a custom map: rows of equal length over the letters S, F, H, G, at least one S.
    public init(map: [String], isSlippery: Bool = true, successRate: Double = 1.0 / 3.0,
                rewardSchedule: RewardSchedule = RewardSchedule(), maxEpisodeSteps: Int? = 100) throws {
        guard let first = map.first, !first.isEmpty else { throw RuntimeError("FrozenLake: the map is empty") }
        let rows = map.count
        let columns = first.utf8.count
        var tiles = [UInt8]()
        for line in map {
            guard line.utf8.count == columns else {
                throw RuntimeError("FrozenLake: map rows must all have \(columns) tiles")
            }
            for c in line.utf8 {
                guard c == UInt8(ascii: "S") || c == UInt8(ascii: "F") || c == UInt8(ascii: "H") || c == UInt8(ascii: "G") else {
                    throw RuntimeError("FrozenLake: map tiles are S, F, H and G, found '\(Character(Unicode.Scalar(c)))'")
                }
                tiles.append(c)
            }
        }
        let starts = tiles.indices.filter { tiles[$0] == UInt8(ascii: "S") }
        guard !starts.isEmpty else { throw RuntimeError("FrozenLake: the map has no start tile S") }
        guard successRate >= 0 && successRate <= 1 else {
            throw RuntimeError("FrozenLake: success rate \(successRate) is outside [0, 1]")
        }
        self.map = map
        self.rows = rows
        self.columns = columns
        self.tiles = tiles
        self.isSlippery = isSlippery
        self.successRate = successRate
        self.rewardSchedule = rewardSchedule
        self.startStates = starts
        self.maxEpisodeSteps = maxEpisodeSteps
        self.state = starts[0]
        self.table = FrozenLake.buildTable(tiles: tiles, rows: rows, columns: columns, isSlippery: isSlippery,
                                           successRate: successRate, rewards: rewardSchedule)
    }

    /// A lake on one of Gymnasium's maps ("4x4" or "8x8"), with its registered step limit.
    public convenience init(mapName: String = "4x4", isSlippery: Bool = true, successRate: Double = 1.0 / 3.0,
                            rewardSchedule: RewardSchedule = RewardSchedule()) throws {
        guard let map = FrozenLake.maps[mapName] else {
            throw RuntimeError("FrozenLake: unknown map '\(mapName)' (known: 4x4, 8x8)")
        }
        try self.init(map: map, isSlippery: isSlippery, successRate: successRate,
                      rewardSchedule: rewardSchedule, maxEpisodeSteps: FrozenLake.registeredStepLimits[mapName])
    }

    private static func buildTable(tiles: [UInt8], rows: Int, columns: Int, isSlippery: Bool,
                                   successRate: Double, rewards: RewardSchedule) -> TabularTable {
        let failRate = (1.0 - successRate) / 2.0
        func isTerminal(_ t: UInt8) -> Bool { t == UInt8(ascii: "G") || t == UInt8(ascii: "H") }
        func move(_ row: Int, _ col: Int, _ a: Int) -> Outcome {
            var r = row, c = col
            switch a {
            case 0: c = max(c - 1, 0)
            case 1: r = min(r + 1, rows - 1)
            case 2: c = min(c + 1, columns - 1)
            default: r = max(r - 1, 0)
            }
            let next = r * columns + c
            let t = tiles[next]
            let reward = t == UInt8(ascii: "G") ? rewards.goal : t == UInt8(ascii: "H") ? rewards.hole : rewards.frozen
            return Outcome(probability: 1.0, next: next, reward: reward, terminated: isTerminal(t))
        }
        return TabularTable(stateCount: rows * columns, actionCount: 4) { s, a, out in
            let row = s / columns, col = s % columns
            if isTerminal(tiles[s]) {
                out.append(Outcome(probability: 1.0, next: s, reward: 0, terminated: true))
            } else if isSlippery {
                for b in [(a + 3) % 4, a, (a + 1) % 4] {
                    var o = move(row, col, b)
                    o.probability = b == a ? successRate : failRate
                    out.append(o)
                }
            } else {
                out.append(move(row, col, a))
            }
        }
    }

    public func transitions(from state: Int, action: Int) -> [Outcome] {
        table.transitions(from: state, action: action)
    }

    public func reset(_ rng: inout RandomSource) throws -> Int {
        state = startStates.count == 1 ? startStates[0] : startStates[rng.int(below: startStates.count)]
        elapsedSteps = 0
        started = true
        return state
    }

    public func step(_ action: Int, _ rng: inout RandomSource) throws -> StepResult<Int> {
        guard started else { throw RuntimeError("FrozenLake: step called before reset") }
        try checkAction(action, 4, "FrozenLake")
        let o = table.sample(state, action, &rng)
        state = o.next
        elapsedSteps += 1
        let truncated = maxEpisodeSteps.map { elapsedSteps >= $0 } ?? false
        return StepResult(observation: o.next, reward: o.reward, terminated: o.terminated, truncated: truncated)
    }

    public func simulate(_ state: Int, _ action: Int, _ rng: inout RandomSource) throws -> (state: Int, result: StepResult<Int>) {
        try checkAction(action, 4, "FrozenLake")
        guard state >= 0 && state < stateCount else { throw RuntimeError("FrozenLake: state \(state) is outside 0..<\(stateCount)") }
        let o = table.sample(state, action, &rng)
        return (o.next, StepResult(observation: o.next, reward: o.reward, terminated: o.terminated, truncated: false))
    }

    /// Whether `state` is a hole or the goal.
    public func isTerminal(_ state: Int) -> Bool {
        tiles[state] == UInt8(ascii: "H") || tiles[state] == UInt8(ascii: "G")
    }

    /// The map as text, one line per row. `overlay` (one entry per state) replaces a tile's letter
    /// where it is not nil; the agent, if given, is drawn as `*` over everything.
    public func render(agent: Int? = nil, overlay: [Character?]? = nil) -> String {
        var out = ""
        for r in 0..<rows {
            for c in 0..<columns {
                let s = r * columns + c
                if s == agent {
                    out.append("*")
                } else if let overlay, s < overlay.count, let ch = overlay[s] {
                    out.append(ch)
                } else {
                    out.append(Character(Unicode.Scalar(tiles[s])))
                }
            }
            out.append("\n")
        }
        return out
    }

    /// An overlay drawing `policy` (one action per state) as arrows on non-terminal tiles.
    public func policyOverlay(_ policy: [Int]) -> [Character?] {
        (0..<stateCount).map { s in
            guard !isTerminal(s), s < policy.count, (0..<4).contains(policy[s]) else { return nil }
            return FrozenLake.actionSymbols[policy[s]]
        }
    }

    /// A random map as Gymnasium's `generate_random_map`: each tile frozen with probability
    /// `frozenProbability`, S at the top left, G at the bottom right, redrawn until a path exists.
    public static func randomMap(size: Int = 8, frozenProbability: Double = 0.8,
                                 _ rng: inout RandomSource) -> [String] {
        precondition(size >= 2, "FrozenLake.randomMap: size must be at least 2")
        let p = min(1, frozenProbability)
        while true {
            var board = [[UInt8]](repeating: [UInt8](repeating: UInt8(ascii: "F"), count: size), count: size)
            for r in 0..<size {
                for c in 0..<size where !(rng.uniform() < p) { board[r][c] = UInt8(ascii: "H") }
            }
            board[0][0] = UInt8(ascii: "S")
            board[size - 1][size - 1] = UInt8(ascii: "G")
            if hasPath(board, size) { return board.map { String(decoding: $0, as: UTF8.self) } }
        }
    }

    /// Gymnasium's `is_valid`: a depth-first search from the top left through non-hole tiles.
    private static func hasPath(_ board: [[UInt8]], _ size: Int) -> Bool {
        var frontier = [(0, 0)]
        var seen = Set<Int>()
        while let (r, c) = frontier.popLast() {
            guard seen.insert(r * size + c).inserted else { continue }
            for (dr, dc) in [(1, 0), (0, 1), (-1, 0), (0, -1)] {
                let nr = r + dr, nc = c + dc
                guard nr >= 0, nr < size, nc >= 0, nc < size else { continue }
                if board[nr][nc] == UInt8(ascii: "G") { return true }
                if board[nr][nc] != UInt8(ascii: "H") { frontier.append((nr, nc)) }
            }
        }
        return false
    }
}
