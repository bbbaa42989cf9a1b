/// Gymnasium's Taxi-v4 (Dietterich, 2000): a taxi on a 5x5 grid with walls picks a passenger up
/// at one of four locations (R, G, Y, B) and drops them at the destination.
///
/// 500 states encoded as `((row * 5 + column) * 5 + passenger) * 4 + destination`, where
/// `passenger` is a location index 0...3 or 4 for "in the taxi". Actions: 0 south, 1 north,
/// 2 east, 3 west, 4 pickup, 5 dropoff. Rewards: -1 per step, -10 for an illegal pickup or
/// dropoff, +20 for delivering (terminal). Options as in Gymnasium 1.x: `isRainy` (a move goes
/// sideways with probability `(1 - rainyProbability) / 2` each way) and `ficklePassenger` (with
/// probability `fickleProbability`, drawn at reset, the passenger picks another destination the
/// first time the taxi moves with them aboard). The table `P` is built as
/// `TaxiEnv.__init__` builds it; the fickle change is not part of `P` (it depends on the
/// episode's flag), but `step` and `simulate` apply it.
public final class Taxi: TabularDynamics, SimulatableEnvironment {
    public typealias Observation = Int
    public typealias Action = Int

    /// The full state: the table state and whether the passenger may still change destination.
    public struct State: Sendable, Equatable, Hashable {
        public var index: Int
        public var fickleArmed: Bool
        public init(index: Int, fickleArmed: Bool = false) {
            self.index = index
            self.fickleArmed = fickleArmed
        }
    }

    public static let map = [
        "+---------+",
        "|R: | : :G|",
        "| : | : : |",
        "| : : : : |",
        "| | : | : |",
        "|Y| : |B: |",
        "+---------+",
    ]
    /// (row, column) of the four locations R, G, Y, B.
    public static let locations = [(0, 0), (0, 4), (4, 0), (4, 3)]
    public static let locationNames: [Character] = ["R", "G", "Y", "B"]
    public static let actionNames = ["south", "north", "east", "west", "pickup", "dropoff"]
    /// One ASCII character per action, for drawing policies.
    public static let actionSymbols: [Character] = ["v", "^", ">", "<", "P", "D"]

    public let isRainy: Bool
    public let ficklePassenger: Bool
    public let rainyProbability: Double
    public let fickleProbability: Double
    public let table: TabularTable
    /// States `reset` draws from uniformly: passenger at a location other than the destination.
    public let startStates: [Int]
    public var maxEpisodeSteps: Int?
    public var state = State(index: 0)
    public private(set) var elapsedSteps = 0
    private var started = false

    public var observationSpace: Space { .discrete(500) }
    public var actionSpace: Space { .discrete(6) }
    public var stateCount: Int { 500 }
    public var actionCount: Int { 6 }

    public init(isRainy: Bool = false, ficklePassenger: Bool = false, rainyProbability: Double = 0.8,
                fickleProbability: Double = 0.3, maxEpisodeSteps: Int? = 200) throws {
        guard rainyProbability >= 0 && rainyProbability <= 1, fickleProbability >= 0 && fickleProbability <= 1 else {
            throw RuntimeError("Taxi: probabilities must lie in [0, 1]")
        }
        self.isRainy = isRainy
        self.ficklePassenger = ficklePassenger
        self.rainyProbability = rainyProbability
        self.fickleProbability = fickleProbability
        self.maxEpisodeSteps = maxEpisodeSteps
        var starts = [Int]()
        for s in 0..<500 {
            let (_, _, p, d) = Taxi.decode(s)
            if p < 4 && p != d { starts.append(s) }
        }
        self.startStates = starts
        self.table = Taxi.buildTable(isRainy: isRainy, rainyProbability: rainyProbability)
    }

    @inlinable
    public static func encode(row: Int, column: Int, passenger: Int, destination: Int) -> Int {
        ((row * 5 + column) * 5 + passenger) * 4 + destination
    }

    @inlinable
    public static func decode(_ s: Int) -> (row: Int, column: Int, passenger: Int, destination: Int) {
        (s / 100, (s / 20) % 5, (s / 4) % 5, s % 4)
    }

    /// The map character at (map row, map column), as a byte.
    private static let mapBytes: [[UInt8]] = map.map { Array($0.utf8) }
    private static func wall(_ r: Int, _ c: Int) -> UInt8 { mapBytes[r][c] }
    private static let colon = UInt8(ascii: ":")

    private static func locationIndex(_ row: Int, _ col: Int) -> Int? {
        locations.firstIndex { $0.0 == row && $0.1 == col }
    }

    /// `_pickup`: (new passenger, reward).
    private static func pickup(_ row: Int, _ col: Int, _ pass: Int, _ reward: Double) -> (Int, Double) {
        if pass < 4 && locations[pass] == (row, col) { return (4, reward) }
        return (pass, -10)
    }

    /// `_dropoff`: (new passenger, reward, terminated).
    private static func dropoff(_ row: Int, _ col: Int, _ pass: Int, _ dest: Int, _ reward: Double) -> (Int, Double, Bool) {
        if locations[dest] == (row, col) && pass == 4 { return (dest, 20, true) }
        if let i = locationIndex(row, col), pass == 4 { return (i, reward, false) }
        return (pass, -10, false)
    }

    /// `_calc_new_position`: a sideways move, blocked by walls.
    private static func sideways(_ row: Int, _ col: Int, _ dr: Int, _ dc: Int) -> (Int, Int) {
        let nr = max(0, min(row + dr, 4))
        let nc = max(0, min(col + dc, 4))
        if dc == 1 && wall(1 + nr, 2 * nc) != colon { return (row, col) }
        if dc == -1 && wall(1 + nr, 2 * nc + 2) != colon { return (row, col) }
        return (nr, nc)
    }

    private static func buildTable(isRainy: Bool, rainyProbability: Double) -> TabularTable {
        let lateral = (1.0 - rainyProbability) / 2.0
        // Intended, left and right displacement of each move (Gymnasium's `moves`).
        let moves = [[(1, 0), (0, 1), (0, -1)], [(-1, 0), (0, -1), (0, 1)],
                     [(0, 1), (-1, 0), (1, 0)], [(0, -1), (1, 0), (-1, 0)]]
        return TabularTable(stateCount: 500, actionCount: 6) { s, action, out in
            let (row, col, pass, dest) = decode(s)
            var nr = row, nc = col, np = pass
            var reward = -1.0
            var terminated = false
            if !isRainy {
                if action == 0 { nr = min(row + 1, 4) } else if action == 1 { nr = max(row - 1, 0) }
                if action == 2 && wall(1 + row, 2 * col + 2) == colon {
                    nc = min(col + 1, 4)
                } else if action == 3 && wall(1 + row, 2 * col) == colon {
                    nc = max(col - 1, 0)
                } else if action == 4 {
                    (np, reward) = pickup(row, col, np, reward)
                } else if action == 5 {
                    (np, reward, terminated) = dropoff(row, col, np, dest, reward)
                }
                out.append(Outcome(probability: 1.0, next: encode(row: nr, column: nc, passenger: np, destination: dest),
                                   reward: reward, terminated: terminated))
                return
            }
            var left = (row, col), right = (row, col)
            if (action == 0 && row < 4) || (action == 1 && row > 0)
                || (action == 2 && wall(1 + row, 2 * col + 2) == colon)
                || (action == 3 && wall(1 + row, 2 * col) == colon) {
                let (dr, dc) = moves[action][0]
                nr = max(0, min(row + dr, 4))
                nc = max(0, min(col + dc, 4))
                left = sideways(row, col, moves[action][1].0, moves[action][1].1)
                right = sideways(row, col, moves[action][2].0, moves[action][2].1)
            } else if action == 4 {
                (np, reward) = pickup(row, col, np, reward)
            } else if action == 5 {
                (np, reward, terminated) = dropoff(row, col, np, dest, reward)
            }
            let intended = encode(row: nr, column: nc, passenger: np, destination: dest)
            if action <= 3 {
                out.append(Outcome(probability: rainyProbability, next: intended, reward: -1, terminated: terminated))
                out.append(Outcome(probability: lateral, next: encode(row: left.0, column: left.1, passenger: np, destination: dest),
                                   reward: -1, terminated: terminated))
                out.append(Outcome(probability: lateral, next: encode(row: right.0, column: right.1, passenger: np, destination: dest),
                                   reward: -1, terminated: terminated))
            } else {
                out.append(Outcome(probability: 1.0, next: intended, reward: reward, terminated: terminated))
            }
        }
    }

    public func transitions(from state: Int, action: Int) -> [Outcome] {
        table.transitions(from: state, action: action)
    }

    /// Gymnasium's `action_mask`: 1 for actions that change the state or deliver.
    public func actionMask(_ s: Int) -> [Bool] {
        let (row, col, pass, dest) = Taxi.decode(s)
        let here = Taxi.locationIndex(row, col)
        return [
            row < 4,
            row > 0,
            col < 4 && Taxi.wall(row + 1, 2 * col + 2) == Taxi.colon,
            col > 0 && Taxi.wall(row + 1, 2 * col) == Taxi.colon,
            pass < 4 && Taxi.locations[pass] == (row, col),
            pass == 4 && (Taxi.locations[dest] == (row, col) || here != nil),
        ]
    }

    public func reset(_ rng: inout RandomSource) throws -> Int {
        let s = startStates[rng.int(below: startStates.count)]
        // Gymnasium draws the fickle flag only when the option is on.
        let armed = ficklePassenger && rng.uniform() < fickleProbability
        state = State(index: s, fickleArmed: armed)
        elapsedSteps = 0
        started = true
        return s
    }

    public func step(_ action: Int, _ rng: inout RandomSource) throws -> StepResult<Int> {
        guard started else { throw RuntimeError("Taxi: step called before reset") }
        let (next, result) = try simulate(state, action, &rng)
        state = next
        elapsedSteps += 1
        var r = result
        r.truncated = maxEpisodeSteps.map { elapsedSteps >= $0 } ?? false
        return r
    }

    public func simulate(_ state: State, _ action: Int, _ rng: inout RandomSource) throws -> (state: State, result: StepResult<Int>) {
        try checkAction(action, 6, "Taxi")
        guard state.index >= 0 && state.index < 500 else { throw RuntimeError("Taxi: state \(state.index) is outside 0..<500") }
        let o = table.sample(state.index, action, &rng)
        var next = State(index: o.next, fickleArmed: state.fickleArmed)
        if ficklePassenger && state.fickleArmed {
            let (r0, c0, p0, d0) = Taxi.decode(state.index)
            let (r1, c1, p1, _) = Taxi.decode(o.next)
            if p0 == 4 && (r1 != r0 || c1 != c0) {
                next.fickleArmed = false
                var d = rng.int(below: 3)  // uniform over the three other destinations
                if d >= d0 { d += 1 }
                next.index = Taxi.encode(row: r1, column: c1, passenger: p1, destination: d)
            }
        }
        return (next, StepResult(observation: next.index, reward: o.reward, terminated: o.terminated, truncated: false))
    }

    /// The map as text. The taxi is drawn as `T` (empty) or `@` (carrying the passenger); a
    /// waiting passenger's location letter is lower-cased; a last line names passenger and
    /// destination. `overlay` (25 entries, row-major cells) replaces cell characters where not nil.
    public func render(state s: Int? = nil, overlay: [Character?]? = nil) -> String {
        var lines = Taxi.map.map { Array($0) }
        if let overlay {
            for cell in 0..<min(25, overlay.count) {
                if let ch = overlay[cell] { lines[1 + cell / 5][2 * (cell % 5) + 1] = ch }
            }
        }
        var footer = ""
        if let s, (0..<500).contains(s) {
            let (row, col, pass, dest) = Taxi.decode(s)
            if pass < 4 {
                let (pr, pc) = Taxi.locations[pass]
                lines[1 + pr][2 * pc + 1] = Character(Taxi.locationNames[pass].lowercased())
            }
            lines[1 + row][2 * col + 1] = pass == 4 ? "@" : "T"
            let who = pass == 4 ? "in taxi" : String(Taxi.locationNames[pass])
            footer = "passenger: \(who), destination: \(Taxi.locationNames[dest])\n"
        }
        return lines.map { String($0) }.joined(separator: "\n") + "\n" + footer
    }

    /// Action names for the interpreter (same as `Taxi.actionNames`).
    public var actionNames: [String] { Taxi.actionNames }
}
