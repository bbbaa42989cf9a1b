extension GridWorld {
    /// The mazes of Sutton & Barto, *Reinforcement Learning: An Introduction* (2nd ed., 2018), ch. 8.
    ///
    /// All are 6 rows x 9 columns with the goal in the top-right corner. Row 0 is the top row.
    public enum Layouts {
        /// The Dyna maze of Figure 8.2: start at row 2, column 0; goal at row 0, column 8; walls
        /// at (1,2), (2,2), (3,2), (0,7), (1,7), (2,7) and (4,5). Shortest path: 14 steps.
        public static let dynaMaze: [String] = [
            ".......#G",
            "..#....#.",
            "S.#....#.",
            "..#......",
            ".....#...",
            ".........",
        ]

        /// The blocking maze of Figure 8.4 before the change: a wall across row 3 with an
        /// opening at the right end; start at row 5, column 3.
        public static let blockingMaze: [String] = [
            "........G",
            ".........",
            ".........",
            "########.",
            ".........",
            "...S.....",
        ]

        /// The blocking maze of Figure 8.4 after the change (1000 steps in the book): the right
        /// opening is closed and a left one opens, so the learned path is blocked.
        public static let blockingMazeChanged: [String] = [
            "........G",
            ".........",
            ".........",
            ".########",
            ".........",
            "...S.....",
        ]

        /// Step after which the blocking maze changes in Figure 8.4.
        public static let blockingMazeChangeStep = 1000

        /// The shortcut maze of Figure 8.5 before the change: a wall across row 3 with an
        /// opening at the left end; start at row 5, column 3.
        public static let shortcutMaze: [String] = [
            "........G",
            ".........",
            ".........",
            ".########",
            ".........",
            "...S.....",
        ]

        /// The shortcut maze of Figure 8.5 after the change (3000 steps in the book): a shorter
        /// path opens at the right end of the wall while the left opening stays.
        public static let shortcutMazeChanged: [String] = [
            "........G",
            ".........",
            ".........",
            ".#######.",
            ".........",
            "...S.....",
        ]

        /// Step after which the shortcut maze changes in Figure 8.5.
        public static let shortcutMazeChangeStep = 3000
    }

    /// The Dyna maze of Figure 8.2 (optionally at a higher resolution, Example 8.4).
    public static func dynaMaze(resolution: Int = 1, maxEpisodeSteps: Int? = nil) throws -> GridWorld {
        try GridWorld(layout: Layouts.dynaMaze, maxEpisodeSteps: maxEpisodeSteps, resolution: resolution)
    }

    /// The blocking maze of Figure 8.4, changing after `changeAfter` steps.
    public static func blockingMaze(changeAfter: Int = Layouts.blockingMazeChangeStep) throws -> GridWorld {
        try GridWorld(layout: Layouts.blockingMaze, changes: [(changeAfter, Layouts.blockingMazeChanged)])
    }

    /// The shortcut maze of Figure 8.5, changing after `changeAfter` steps.
    public static func shortcutMaze(changeAfter: Int = Layouts.shortcutMazeChangeStep) throws -> GridWorld {
        try GridWorld(layout: Layouts.shortcutMaze, changes: [(changeAfter, Layouts.shortcutMazeChanged)])
    }
}
