import Testing
@testable import MullLanguage

@Suite struct ParserSmoke {
    @Test func example() {
        let src = """
        # Sutton & Barto, Figure 8.2: Dyna-Q on the Dyna maze
        import "std/mazes"

        env maze = GridWorld {
            layout: mazes.dyna
            goal_reward: 1
        }

        agent dyna = DynaQ {
            env: maze
            model: Tabular {}
            alpha: 0.1, epsilon: 0.1, gamma: 0.95
            planning_steps: 50
        }

        sweep figure_8_2 {
            agent: dyna
            vary planning_steps: [0, 5, 50]
            seeds: 30
            episodes: 50
            record: [.steps]
        }

        run figure_8_2

        env chain = MDP {
            states: 10
            actions: [.left, .right]
            start: 0
            step(s, a) {
                let n = if a == .right { min(s + 1, 9) } else { max(s - 1, 0) }
                (next: n, reward: if n == 9 { 1 } else { 0 }, done: n == 9)
            }
        }

        fn fib(n) { if n < 2 { n } else { fib(n - 1) + fib(n - 2) } }
        let squares = [x * x for x in 1..10 if x % 2 == 0]
        let name = match a { .left => "L", .right | .up => "R/U", _ => "?" }
        let inc = fn(x) => x + 1
        for s in 0..<3 { print(s, dyna.q(s)) }
        """
        let (p, d) = parseProgram(src)
        print(ASTDump.dump(p))
        print(d.map(\.description))
    }
}
