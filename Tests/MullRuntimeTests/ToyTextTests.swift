import Foundation
import Testing
@testable import MullRuntime

/// One outcome row of a fixture table: `[probability, next, reward, terminated]`.
struct FixtureOutcome: Decodable, Sendable {
    let probability: Double
    let next: Int
    let reward: Double
    let terminated: Bool
    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        probability = try c.decode(Double.self)
        next = try c.decode(Int.self)
        reward = try c.decode(Double.self)
        terminated = try c.decode(Bool.self)
    }
}

struct ToyTextEnvFixture: Decodable, Sendable {
    let states: Int
    let actions: Int
    let max_episode_steps: Int?
    let initial: [[Double]]
    let P: [[[FixtureOutcome]]]
    let ansi: [String: String]?
}

struct ToyTextFixture: Decodable, Sendable {
    let gymnasium_version: String
    let envs: [String: ToyTextEnvFixture]
}

/// Tables dumped from Gymnasium by Fixtures/generate_toytext.py.
let toyTextFixture: ToyTextFixture = {
    let url = Bundle.module.url(forResource: "toytext", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode(ToyTextFixture.self, from: Data(contentsOf: url))
}()

/// The Swift environment matching each fixture entry, as a table, start states and step limit.
func toyTextEnvironment(_ name: String) throws -> (table: TabularTable, starts: [Int], limit: Int?) {
    switch name {
    case "FrozenLake4x4Slippery": let e = try FrozenLake(mapName: "4x4"); return (e.table, e.startStates, e.maxEpisodeSteps)
    case "FrozenLake4x4": let e = try FrozenLake(mapName: "4x4", isSlippery: false); return (e.table, e.startStates, e.maxEpisodeSteps)
    case "FrozenLake8x8Slippery": let e = try FrozenLake(mapName: "8x8"); return (e.table, e.startStates, e.maxEpisodeSteps)
    case "FrozenLake8x8": let e = try FrozenLake(mapName: "8x8", isSlippery: false); return (e.table, e.startStates, e.maxEpisodeSteps)
    case "FrozenLakeCustom":
        let e = try FrozenLake(map: ["SFFH", "FHFF", "FFSF", "HFFG", "FFHF"], isSlippery: true, successRate: 0.7,
                               rewardSchedule: .init(goal: 5, hole: -2, frozen: -0.5))
        return (e.table, e.startStates, e.maxEpisodeSteps)
    case "CliffWalking": let e = CliffWalking(); return (e.table, [CliffWalking.startState], e.maxEpisodeSteps)
    case "CliffWalkingSlippery": let e = CliffWalking(isSlippery: true); return (e.table, [CliffWalking.startState], e.maxEpisodeSteps)
    case "Taxi": let e = try Taxi(); return (e.table, e.startStates, e.maxEpisodeSteps)
    case "TaxiRainy": let e = try Taxi(isRainy: true); return (e.table, e.startStates, e.maxEpisodeSteps)
    case "TaxiRainy06": let e = try Taxi(isRainy: true, rainyProbability: 0.6); return (e.table, e.startStates, e.maxEpisodeSteps)
    default: throw RuntimeError("no environment for fixture \(name)")
    }
}

@Suite("Toy-text environments against Gymnasium's tables")
struct ToyTextTests {
    static let names = ["FrozenLake4x4Slippery", "FrozenLake4x4", "FrozenLake8x8Slippery", "FrozenLake8x8",
                        "FrozenLakeCustom", "CliffWalking", "CliffWalkingSlippery", "Taxi", "TaxiRainy", "TaxiRainy06"]

    @Test func fixtureCoversEveryCase() {
        #expect(Set(toyTextFixture.envs.keys) == Set(Self.names))
        #expect(!toyTextFixture.gymnasium_version.isEmpty)
    }

    /// Every (s, a) outcome list equals Gymnasium's `P[s][a]`: same order, bit-identical numbers.
    @Test(arguments: names)
    func transitionTableIsIdentical(_ name: String) throws {
        let fx = try #require(toyTextFixture.envs[name])
        let (table, starts, limit) = try toyTextEnvironment(name)
        #expect(table.stateCount == fx.states)
        #expect(table.actionCount == fx.actions)
        #expect(limit == fx.max_episode_steps)
        var mismatches = 0
        for s in 0..<fx.states {
            for a in 0..<fx.actions {
                let ours = table.transitions(from: s, action: a)
                let theirs = fx.P[s][a]
                let same = ours.count == theirs.count && zip(ours, theirs).allSatisfy { o, t in
                    o.probability == t.probability && o.next == t.next && o.reward == t.reward && o.terminated == t.terminated
                }
                if !same {
                    mismatches += 1
                    if mismatches <= 3 { Issue.record("\(name) P[\(s)][\(a)]: \(ours) vs \(theirs.map { ($0.probability, $0.next, $0.reward, $0.terminated) })") }
                }
            }
        }
        #expect(mismatches == 0)
        // Start states: Gymnasium's initial distribution is uniform over exactly these.
        #expect(starts == fx.initial.map { Int($0[0]) })
        for entry in fx.initial { #expect(abs(entry[1] - 1.0 / Double(starts.count)) < 1e-15) }
    }

    @Test func cliffWalkingRenderMatchesGymnasiumText() throws {
        let fx = try #require(toyTextFixture.envs["CliffWalking"]?.ansi)
        let env = CliffWalking()
        for (s, text) in fx { #expect(env.render(agent: Int(s)!) == text) }
    }

    @Test func taxiEncodeDecodeRoundTrip() {
        for s in 0..<500 {
            let d = Taxi.decode(s)
            #expect(Taxi.encode(row: d.row, column: d.column, passenger: d.passenger, destination: d.destination) == s)
        }
        #expect(Taxi.encode(row: 4, column: 4, passenger: 4, destination: 3) == 499)
    }

    /// Sampling follows the table: 30,000 draws of a three-way 1/3 split; one frequency has
    /// standard deviation sqrt((1/3)(2/3)/30000) ≈ 0.0027, and 0.015 is about 5.5 of them.
    @Test func slipperySamplingFollowsTable() throws {
        let env = try FrozenLake(mapName: "4x4")
        var rng = RandomSource(seed: 7)
        var counts = [Int: Int]()
        let n = 30_000
        for _ in 0..<n {
            let (next, _) = try env.simulate(6, 0, &rng)  // from (1,2) left: up 2, left 5 (hole), down 10
            counts[next, default: 0] += 1
        }
        #expect(Set(counts.keys) == [2, 5, 10])
        for (_, c) in counts { #expect(abs(Double(c) / Double(n) - 1.0 / 3.0) < 0.015) }
    }

    @Test func episodesEndAsRegistered() throws {
        var rng = RandomSource(seed: 1)
        let lake = try FrozenLake(mapName: "4x4", isSlippery: false)
        #expect(try lake.reset(&rng) == 0)
        for t in 1...100 {
            let r = try lake.step(3, &rng)  // up from the top-left corner: stay
            #expect(r.observation == 0 && !r.terminated)
            #expect(r.truncated == (t == 100))
        }
        // Down, down, right, right, down, right reaches the goal (15) with reward 1.
        _ = try lake.reset(&rng)
        var last = StepResult(observation: 0, reward: 0, terminated: false, truncated: false)
        for a in [1, 1, 2, 2, 1, 2] { last = try lake.step(a, &rng) }
        #expect(last.observation == 15 && last.reward == 1 && last.terminated)

        let cliff = CliffWalking()
        #expect(cliff.maxEpisodeSteps == nil)
        #expect(try cliff.reset(&rng) == 36)
        let fall = try cliff.step(1, &rng)  // right from the start: into the cliff, back to start
        #expect(fall.observation == 36 && fall.reward == -100 && !fall.terminated)
        #expect(try FrozenLake(mapName: "8x8").maxEpisodeSteps == 200)
        #expect(try Taxi().maxEpisodeSteps == 200)
    }

    @Test func taxiResetDrawsValidStarts() throws {
        let taxi = try Taxi()
        var rng = RandomSource(seed: 3)
        var seen = Set<Int>()
        for _ in 0..<3000 {
            let s = try taxi.reset(&rng)
            let d = Taxi.decode(s)
            #expect(d.passenger < 4 && d.passenger != d.destination)
            seen.insert(s)
        }
        // 300 equally likely starts, 3000 draws: each is missed with probability (299/300)^3000 ≈ 4.5e-5,
        // so some start being missed has probability about 1.4%; requiring 290 keeps the test stable.
        #expect(seen.count >= 290)
    }

    @Test func ficklePassengerChangesDestinationOnce() throws {
        let taxi = try Taxi(ficklePassenger: true, fickleProbability: 1)
        var rng = RandomSource(seed: 5)
        _ = try taxi.reset(&rng)
        #expect(taxi.state.fickleArmed)
        // Passenger aboard at (2, 2), destination R: move north.
        taxi.state = Taxi.State(index: Taxi.encode(row: 2, column: 2, passenger: 4, destination: 0), fickleArmed: true)
        let r = try taxi.step(1, &rng)
        let d = Taxi.decode(r.observation)
        #expect(d.row == 1 && d.column == 2 && d.passenger == 4 && d.destination != 0)
        #expect(!taxi.state.fickleArmed)
        let r2 = try taxi.step(0, &rng)
        #expect(Taxi.decode(r2.observation).destination == d.destination)
        // Without the option the flag is never armed and no random number is spent on it.
        let plain = try Taxi()
        var a = RandomSource(seed: 9), b = RandomSource(seed: 9)
        _ = try plain.reset(&a)
        _ = b.int(below: 300)
        #expect(a.next() == b.next())
    }

    @Test func renderingAndOverlays() throws {
        let lake = try FrozenLake(mapName: "4x4")
        #expect(lake.render() == "SFFF\nFHFH\nFFFH\nHFFG\n")
        let arrows = lake.policyOverlay([Int](repeating: 2, count: 16))
        #expect(lake.render(agent: 0, overlay: arrows) == "*>>>\n>H>H\n>>>H\nH>>G\n")
        let cliff = CliffWalking()
        let lines = cliff.render(overlay: cliff.policyOverlay([Int](repeating: 1, count: 48))).split(separator: "\n")
        #expect(lines[3] == ">  C  C  C  C  C  C  C  C  C  C  T")
        let taxi = try Taxi()
        let text = taxi.render(state: Taxi.encode(row: 2, column: 1, passenger: 2, destination: 1))
        #expect(text.contains("|y| : |B: |"))
        #expect(text.contains("| :T: : : |"))
        #expect(text.hasSuffix("passenger: Y, destination: G\n"))
        #expect(FrozenLake.actionNames == ["left", "down", "right", "up"])
    }

    @Test func badConfigurationsThrow() {
        #expect(throws: RuntimeError.self) { try FrozenLake(map: ["SFF", "FG"]) }
        #expect(throws: RuntimeError.self) { try FrozenLake(map: ["FFF", "FFG"]) }
        #expect(throws: RuntimeError.self) { try FrozenLake(map: ["SXF", "FFG"]) }
        #expect(throws: RuntimeError.self) { try FrozenLake(mapName: "5x5") }
        #expect(throws: RuntimeError.self) {
            var rng = RandomSource(seed: 0)
            _ = try CliffWalking().step(0, &rng)  // before reset
        }
        #expect(throws: RuntimeError.self) {
            var rng = RandomSource(seed: 0)
            let taxi = try Taxi()
            _ = try taxi.reset(&rng)
            _ = try taxi.step(6, &rng)
        }
    }

    @Test func randomMapsHaveAPath() {
        var rng = RandomSource(seed: 11)
        for _ in 0..<20 {
            let map = FrozenLake.randomMap(size: 6, frozenProbability: 0.6, &rng)
            #expect(map.count == 6 && map[0].first == "S" && map[5].last == "G")
            #expect((try? FrozenLake(map: map)) != nil)
        }
    }
}
