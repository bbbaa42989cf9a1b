import Testing
@testable import MullRuntime

@Suite struct GridWorldTests {
    @Test func dynaMazeShape() throws {
        let g = try GridWorld.dynaMaze()
        #expect(g.rows == 6 && g.columns == 9)
        #expect(g.stateCount == 54 && g.actionCount == 4)
        #expect(g.startState == 2 * 9 + 0)
        #expect(g.goalStates == [0 * 9 + 8])
        let wallCells = (0..<54).filter { g.isWall($0) }
        #expect(wallCells == [7, 11, 16, 20, 25, 29, 41])
        #expect(GridWorld.actionNames == ["up", "down", "right", "left"])
    }

    @Test func shortestPaths() throws {
        #expect(try GridWorld.dynaMaze().shortestPathLength() == 14)
        for k in 2...4 {
            #expect(try GridWorld.dynaMaze(resolution: k).shortestPathLength() == 14 * k)
        }
        #expect(try GridWorld.blockingMaze().shortestPathLength() == 10)
        #expect(try GridWorld.shortcutMaze().shortestPathLength() == 16)
    }

    @Test func resolutionKeepsStartAndGoalSingle() throws {
        let g = try GridWorld.dynaMaze(resolution: 3)
        #expect(g.rows == 18 && g.columns == 27)
        #expect(g.startState == 6 * 27 + 0)
        #expect(g.goalStates == [0 * 27 + 24])
        #expect((0..<g.stateCount).filter { g.isWall($0) }.count == 7 * 9)
    }

    @Test func movesAndWalls() throws {
        let g = try GridWorld(layout: ["S.#", "..G"])
        var rng = RandomSource(seed: 1)
        _ = try g.reset(&rng)
        // Up off the grid: stays.
        var r = try g.step(0, &rng)
        #expect(r.observation == 0 && r.reward == 0 && !r.done)
        // Left off the grid: stays.
        r = try g.step(3, &rng)
        #expect(r.observation == 0)
        r = try g.step(2, &rng)
        #expect(r.observation == 1)
        // Right into the wall: stays.
        r = try g.step(2, &rng)
        #expect(r.observation == 1)
        r = try g.step(1, &rng)
        #expect(r.observation == 4)
        r = try g.step(2, &rng)
        #expect(r.observation == 5 && r.reward == 1 && r.terminated && !r.truncated)
        #expect(g.totalSteps == 6)
    }

    @Test func cellKindsAndStepReward() throws {
        let g = try GridWorld(
            layout: ["S.C.G", "..T.."],
            cellKinds: ["C": .init(reward: -100, terminal: false, toStart: true), "T": .init(reward: -5, terminal: true)],
            stepReward: -1, goalReward: 10)
        #expect(g.outcome(from: 1, action: 2) == (0, -100, false))
        #expect(g.outcome(from: 6, action: 2) == (7, -5, true))
        #expect(g.outcome(from: 3, action: 2) == (4, 10, true))
        #expect(g.outcome(from: 0, action: 1) == (5, -1, false))
        #expect(g.transitions(from: 4, action: 0) == [Outcome(probability: 1, next: 4, reward: 0, terminated: true)])
        #expect(throws: RuntimeError.self) { try GridWorld(layout: ["S.X"]) }
        #expect(throws: RuntimeError.self) { try GridWorld(layout: ["..G"]) }
    }

    @Test func truncation() throws {
        let g = try GridWorld(layout: ["S...G"], maxEpisodeSteps: 3)
        var rng = RandomSource(seed: 1)
        _ = try g.reset(&rng)
        #expect(try !g.step(3, &rng).truncated)
        #expect(try !g.step(3, &rng).truncated)
        #expect(try g.step(3, &rng).truncated)
        _ = try g.reset(&rng)
        #expect(g.episodeSteps == 0)
    }

    @Test func blockingMazeChangesAfterSteps() throws {
        let g = try GridWorld.blockingMaze(changeAfter: 5)
        var rng = RandomSource(seed: 1)
        _ = try g.reset(&rng)
        #expect(g.isWall(3 * 9 + 0) && !g.isWall(3 * 9 + 8))
        for _ in 0..<4 { _ = try g.step(0, &rng) }
        #expect(g.changesApplied == 0)
        _ = try g.reset(&rng)  // changes count steps across episodes
        _ = try g.step(0, &rng)
        #expect(g.changesApplied == 1)
        #expect(!g.isWall(3 * 9 + 0) && g.isWall(3 * 9 + 8) && g.isWall(3 * 9 + 1))
        #expect(g.shortestPathLength() == 16)
        g.restart()
        #expect(g.changesApplied == 0 && g.shortestPathLength() == 10)
    }

    @Test func shortcutMazeOpensShortcut() throws {
        let g = try GridWorld.shortcutMaze(changeAfter: 2)
        var rng = RandomSource(seed: 1)
        _ = try g.reset(&rng)
        #expect(g.shortestPathLength() == 16)
        _ = try g.step(0, &rng); _ = try g.step(0, &rng)
        #expect(g.shortestPathLength() == 10)
    }

    @Test func rendering() throws {
        let g = try GridWorld(layout: ["S.#", "..G"])
        #expect(g.render() == "S.#\n..G")
        #expect(g.render(marks: [1: "*"]) == "S*#\n..G")
        #expect(g.renderPolicy { _ in 2 } == ">>#\n>>G")
        let text = g.renderValues([0.5, -1, 0, 2.25, 10, 0])
        #expect(text == " 0.50 -1.00     #\n 2.25 10.00  0.00")
        #expect(GridWorld.format(-0.004, 2) == "0.00")
        #expect(GridWorld.format(3.14159, 3) == "3.142")
    }

    @Test func greedyPathLength() throws {
        let g = try GridWorld.dynaMaze()
        #expect(g.pathLength(maxSteps: 100) { _ in 0 } == nil)
        let g2 = try GridWorld(layout: ["S..G"])
        #expect(g2.pathLength(maxSteps: 10) { _ in 2 } == 3)
        #expect(g2.pathLength(maxSteps: 2) { _ in 2 } == nil)
    }
}
