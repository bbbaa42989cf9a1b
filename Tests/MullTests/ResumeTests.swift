import Foundation
import Testing

/// Running a sweep again reuses finished trials only when nothing that determines them changed,
/// including what a step function reads from outside its own text.
@Suite("Resuming")
struct ResumeTests {
    static func script(wall: Int, penalty: String) -> String {
        """
        let size = 5
        let penalty = \(penalty)
        fn wall(s) { s % size == \(wall) }
        env chain = MDP {
            states: size * size
            actions: [.left, .right]
            start: 0
            max_episode_steps: 100
            step(s, a) {
                let n = if a == .right { min(s + 1, size * size - 1) } else { max(s - 1, 0) }
                if wall(n) { (next: s, reward: penalty, done: false) }
                else { (next: n, reward: if n == size * size - 1 { 1.0 } else { penalty }, done: n == size * size - 1) }
            }
        }
        agent q = QLearning { env: chain }
        sweep s { agent: q, seeds: 2, episodes: 3 }
        run s
        """
    }

    @Test func editingAHelperOrAGlobalRunsTheTrialsAgain() throws {
        let folder = try TemporaryFolder()
        func run(_ text: String) throws -> String? {
            try folder.write("m.mull", text)
            guard let r = try MullExecutable.run(["run", "--jobs", "1", "--out", "out", "m.mull"], in: folder.url) else { return nil }
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout
        }
        guard let first = try run(ResumeTests.script(wall: 9, penalty: "-0.1")) else { return }
        #expect(!first.contains("loaded"))
        let config = try String(contentsOf: folder.url.appendingPathComponent("out/s/config.json"), encoding: .utf8)
        #expect(config.contains("uses: size=5; wall=(<fn wall> fn wall(s) { s % size == 9 } uses: size=5); penalty=-0.1"), "\(config.prefix(600))")
        #expect(try run(ResumeTests.script(wall: 9, penalty: "-0.1"))?.contains("2 of 2 trials loaded from an earlier run") == true)
        #expect(try run(ResumeTests.script(wall: 10, penalty: "-0.1"))?.contains("loaded") == false, "an edited helper reused old trials")
        #expect(try run(ResumeTests.script(wall: 10, penalty: "-0.2"))?.contains("loaded") == false, "an edited global reused old trials")
    }

    @Test func aDamagedOrSwappedTrialFileIsRunAgain() throws {
        let folder = try TemporaryFolder()
        // Slippery FrozenLake: the two seeds' episodes differ.
        try folder.write("m.mull", "env lake = FrozenLake {}\nagent q = QLearning { env: lake }\nsweep s { agent: q, seeds: 2, episodes: 20 }\nrun s\n")
        func run() throws -> String? {
            guard let r = try MullExecutable.run(["run", "--jobs", "1", "--out", "out", "m.mull"], in: folder.url) else { return nil }
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout
        }
        guard try run() != nil else { return }
        let results = folder.url.appendingPathComponent("out/s/results.csv")
        let clean = try String(contentsOf: results, encoding: .utf8)
        let trials = folder.url.appendingPathComponent("out/s/trials")
        let csv0 = trials.appendingPathComponent("0.csv"), csv1 = trials.appendingPathComponent("1.csv")
        let text0 = try String(contentsOf: csv0, encoding: .utf8), text1 = try String(contentsOf: csv1, encoding: .utf8)
        #expect(text0 != text1)
        // Each kind of damage: the trial is run again and the results are those of a clean run.
        let damages: [(String, () throws -> Void)] = [
            ("truncated", { try String(text0.dropLast(8)).write(to: csv0, atomically: true, encoding: .utf8) }),
            ("edited", { try text0.replacingOccurrences(of: "return,episode,1,", with: "return,episode,1,1").write(to: csv0, atomically: true, encoding: .utf8) }),
            ("a row duplicated", { try (text0 + text0.split(separator: "\n").last! + "\n").write(to: csv0, atomically: true, encoding: .utf8) }),
            ("swapped", {
                try text1.write(to: csv0, atomically: true, encoding: .utf8)
                try text0.write(to: csv1, atomically: true, encoding: .utf8)
            }),
        ]
        for (what, damage) in damages {
            try damage()
            let out = try run() ?? ""
            #expect(!out.contains("2 of 2 trials loaded"), "\(what): a damaged trial file was reused")
            #expect(try String(contentsOf: results, encoding: .utf8) == clean, "\(what)")
        }
        #expect(try run()?.contains("2 of 2 trials loaded from an earlier run") == true)
    }

    @Test func editingAnImportedModuleRunsTheTrialsAgain() throws {
        let folder = try TemporaryFolder()
        try folder.write("main.mull", """
            import "lib.mull" as lib
            env chain = MDP {
                states: 5
                actions: [.left, .right]
                start: 0
                max_episode_steps: 50
                step(s, a) {
                    let n = if a == .right { min(s + 1, 4) } else { max(s - 1, 0) }
                    (next: n, reward: lib.reward_of(n), done: n == 4)
                }
            }
            agent q = QLearning { env: chain }
            sweep s { agent: q, seeds: 2, episodes: 3 }
            run s
            """)
        func run(penalty: String) throws -> String? {
            try folder.write("lib.mull", "let penalty = \(penalty)\nfn reward_of(n) { if n == 4 { 1.0 } else { penalty } }\n")
            guard let r = try MullExecutable.run(["run", "--jobs", "1", "--out", "out", "main.mull"], in: folder.url) else { return nil }
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout
        }
        guard try run(penalty: "-0.1") != nil else { return }
        #expect(try run(penalty: "-0.1")?.contains("2 of 2 trials loaded") == true)
        #expect(try run(penalty: "-0.5")?.contains("loaded") == false, "a global of an imported module changed but old trials were reused")
    }
}
