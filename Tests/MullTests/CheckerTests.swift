import Foundation
import Testing
@testable import MullLanguage
import Mull

/// The real registry: checker cases run against the components scripts use.
let realSchemas = ComponentRegistry.builtins()

let checkerBuiltins: Set<String> = ["print", "len", "min", "max", "uniform", "log_uniform", "int_uniform", "choice"]

/// The checker's diagnostics of `source`, which must parse cleanly.
func checkSource(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
    let (program, parseDiagnostics) = Parser.parse(SourceFile(path: "test.mull", text: source))
    #expect(parseDiagnostics.isEmpty, "parse errors: \(parseDiagnostics.map(\.description))", sourceLocation: sourceLocation)
    return Checker(schemas: realSchemas, predeclared: checkerBuiltins).check(program)
}

/// `line:col id: message`, one per diagnostic.
func checkLines(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [String] {
    checkSource(source, sourceLocation: sourceLocation).map { d in
        "\(d.range?.startLocation.description ?? "?") \(d.id): \(d.message)"
    }
}

/// The single diagnostic of `source`.
func onlyDiagnostic(_ source: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Diagnostic? {
    let ds = checkSource(source, sourceLocation: sourceLocation)
    #expect(ds.count == 1, "expected one diagnostic, got \(ds.map(\.description))", sourceLocation: sourceLocation)
    return ds.first
}

let mazePrelude = """
env maze = GridWorld { layout: "S..G" }

"""

@Suite struct CheckerTests {
    // MARK: - A clean file

    @Test func cleanScriptHasNoDiagnostics() {
        let source = """
        import "std/mazes"

        env maze = GridWorld {
            layout: mazes.dyna
            goal_reward: 1
        }

        agent dyna = DynaQ {
            env: maze
            model: Tabular {}
            alpha: 0.1, epsilon: 0.1, gamma: 0.95
            n: 50
        }

        agent faster = dyna.with(alpha: 0.5)
        let rates = [0.1, 0.2]
        let later = 3
        fn helper(x, scale = 2) {
            if x < 0 { return 0 }
            let y = x * scale
            match y { (a, b) => a + b, k if k > later => k, _ => 0 }
        }
        print([x * 2 for x in rates if x > 0.1], helper(1, scale: 3))
        for r in rates { let s = r * 2; print(s) }

        sweep figure_8_2 {
            agent: dyna
            vary planning_steps: [0, 5, 50]
            vary (alpha, epsilon): [(0.1, 0.1), (0.5, 0.05)]
            vary maze.goal_reward: uniform(0, 1)
            vary dyna.gamma: rates
            vary model.stochastic: [false, true]
            vary resolution: int_uniform(1, 3)
            seeds: 30
            episodes: 50
            record: [.steps]
        }

        run figure_8_2
        """
        #expect(checkLines(source) == [])
    }

    @Test func componentsMayBeUsedBeforeTheirDeclaration() {
        let source = """
        agent dyna = DynaQ { env: maze }
        sweep s { agent: dyna, episodes: 1 }
        run s
        env maze = GridWorld { layout: "S.G" }
        """
        #expect(checkLines(source) == [])
    }

    // MARK: - Names

    @Test func undefinedNameSuggestsAClosestName() throws {
        let d = try #require(onlyDiagnostic("let rate = 1\nprint(rat + 1)"))
        #expect(d.id == .undefinedName)
        #expect(d.message == "undefined name `rat`")
        #expect(d.range?.startLocation.description == "2:7")
        #expect(d.suggestion?.message == "did you mean `rate`?")
        #expect(d.suggestion?.replacement == "rate")
    }

    @Test func undefinedNameSuggestsBuiltinsAndLocals() throws {
        let d = try #require(onlyDiagnostic("fn f(alpha) { alpah * 2 }\nprnt(1)".components(separatedBy: "\n")[0]))
        #expect(d.suggestion?.message == "did you mean `alpha`?")
        let e = try #require(onlyDiagnostic("prnt(1)"))
        #expect(e.suggestion?.message == "did you mean `print`?")
    }

    @Test func letIsUsedBeforeItsDefinition() throws {
        let d = try #require(onlyDiagnostic("print(rate)\nlet rate = 0.5"))
        #expect(d.id == .usedBeforeDefinition)
        #expect(d.message == "`rate` is used before its definition")
        #expect(d.range?.startLocation.description == "1:7")
        #expect(d.notes.first?.range?.startLocation.description == "2:5")
    }

    /// A `let` binds from its line on, in function bodies too (the interpreter has always
    /// refused this; the checker used to pass it).
    @Test func functionBodiesMayNotReadLaterLets() {
        #expect(checkLines("fn f() { rate * 2 }\nlet rate = 0.5\nprint(f())") == ["1:10 used-before-definition: `rate` is used before its definition"])
        #expect(checkLines("fn f() { g() }\nfn g() { 1 }\nprint(f())") == [])
    }

    @Test func localLetIsNotVisibleOutsideItsBlock() {
        #expect(checkLines("fn f() { if true { let y = 1 }\n y }") == ["2:2 undefined-name: undefined name `y`"])
    }

    @Test func duplicateTopLevelDeclaration() throws {
        let d = try #require(onlyDiagnostic("let maze = 1\nfn maze() { 2 }"))
        #expect(d.id == .duplicateDeclaration)
        #expect(d.message == "`maze` is already declared")
        #expect(d.range?.startLocation.description == "2:4")
        #expect(d.notes.first?.range?.startLocation.description == "1:5")
    }

    @Test func duplicateParameter() throws {
        let d = try #require(onlyDiagnostic("fn f(x, y, x) { x + y }"))
        #expect(d.id == .duplicateParameter)
        #expect(d.message == "parameter `x` appears twice")
        #expect(d.range?.startLocation.description == "1:12")
    }

    @Test func duplicateFieldInComponent() throws {
        let d = try #require(onlyDiagnostic(mazePrelude + "agent a = DynaQ { env: maze, planning_steps: 1, n: 2 }"))
        #expect(d.id == .duplicateField)
        #expect(d.message == "field `planning_steps` is given twice")
        #expect(d.range?.startLocation.description == "2:49")
        #expect(d.notes.first?.range?.startLocation.description == "2:30")
    }

    @Test func duplicateLabels() {
        #expect(checkLines("let r = (a: 1, b: 2, a: 3)\nfn f(x = 1) { x }\nprint(f(x: 1, x: 2))") == [
            "1:22 duplicate-label: field `a` appears twice in the record",
            "3:15 duplicate-label: argument `x` appears twice",
        ])
    }

    @Test func returnOutsideFunction() throws {
        let d = try #require(onlyDiagnostic("let x = 1\nreturn x"))
        #expect(d.id == .returnOutsideFunction)
        #expect(d.message == "`return` outside a function")
        #expect(d.range?.startLocation.description == "2:1")
    }

    @Test func componentTypeUsedAsAValue() throws {
        let d = try #require(onlyDiagnostic("agent a = DynaQ { env: GridWorld }"))
        #expect(d.id == .componentWithoutBody)
        #expect(d.message == "`GridWorld` is a component type; write `GridWorld { ... }` to make one")
        #expect(d.range?.startLocation.description == "1:24")
    }

    @Test func scopesOfParametersLoopsComprehensionsAndPatterns() {
        let source = """
        fn f(a) { [b + a for b in [1, 2] if b > 0] }
        for i in [1] { print(i) }
        print(match (1, 2) { (p, q) => p + q, .left | .right => 0, _ => 1 })
        print(i, p, b)
        """
        #expect(checkLines(source) == [
            "4:7 undefined-name: undefined name `i`",
            "4:10 undefined-name: undefined name `p`",
            "4:13 undefined-name: undefined name `b`",
        ])
    }

    // MARK: - Kinds

    @Test func declarationOfTheWrongKind() throws {
        let d = try #require(onlyDiagnostic(mazePrelude + "env dyna = DynaQ { env: maze }"))
        #expect(d.id == .kindMismatch)
        #expect(d.message == "`DynaQ` is an agent, not an env")
        #expect(d.range?.startLocation.description == "2:12")
        #expect(d.suggestion?.message == "declare it with `agent dyna = ...`")
        #expect(d.suggestion?.replacement == "agent")
        #expect(d.suggestion?.range?.startLocation.description == "2:1")
    }

    @Test func unknownComponentSuggestsRegisteredName() throws {
        let d = try #require(onlyDiagnostic("env maze = GridWrld { layout: \"S.G\" }"))
        #expect(d.id == .unknownComponent)
        #expect(d.message == "unknown component `GridWrld`")
        #expect(d.range?.startLocation.description == "1:12")
        #expect(d.suggestion?.message == "did you mean `GridWorld`?")
    }

    @Test func fieldGivenADeclaredComponentOfTheWrongKind() throws {
        let d = try #require(onlyDiagnostic(mazePrelude + "agent dyna = DynaQ { env: maze }\nagent b = DynaQ { env: dyna }"))
        #expect(d.id == .kindMismatch)
        #expect(d.message == "field `env` expects an env, but `dyna` (DynaQ) is an agent")
        #expect(d.range?.startLocation.description == "3:24")
        #expect(d.notes.first?.message == "`dyna` declared here")
        #expect(d.notes.first?.range?.startLocation.description == "2:7")
    }

    @Test func fieldGivenAnInlineComponentOfTheWrongKind() throws {
        let d = try #require(onlyDiagnostic(mazePrelude + "agent b = DynaQ { env: maze, model: GridWorld { layout: \"S\" } }"))
        #expect(d.id == .kindMismatch)
        #expect(d.message == "field `model` expects a model, but `GridWorld` is an env")
        #expect(d.range?.startLocation.description == "2:37")
    }

    @Test func runTakesASweep() throws {
        let d = try #require(onlyDiagnostic(mazePrelude + "run maze"))
        #expect(d.id == .notRunnable)
        #expect(d.message == "`maze` (GridWorld) is an env; `run` takes a sweep")
        #expect(d.range?.startLocation.description == "2:5")
        #expect(checkLines("run 42") == ["1:5 not-runnable: `run` takes a sweep, got an int"])
    }

    // MARK: - Fields

    @Test func unknownFieldSuggestsTheClosestField() throws {
        let d = try #require(onlyDiagnostic(mazePrelude + "agent dyna = DynaQ {\n    env: maze\n    planing_steps: 5\n}"))
        #expect(d.id == .unknownField)
        #expect(d.message == "DynaQ has no field `planing_steps`")
        #expect(d.range?.startLocation.description == "4:5")
        #expect(d.suggestion?.message == "did you mean `planning_steps`?")
        #expect(d.suggestion?.replacement == "planning_steps")
    }

    @Test func missingRequiredField() throws {
        let d = try #require(onlyDiagnostic("env maze = GridWorld { goal_reward: 2 }"))
        #expect(d.id == .missingField)
        #expect(d.message == "missing required field `layout` in GridWorld")
        #expect(d.range?.startLocation.description == "1:12")
    }

    @Test func missingFieldInASweepPointsAtItsName() {
        #expect(checkLines("sweep s {\n    seeds: 3\n}") == ["1:7 missing-field: missing required field `agent` in sweep `s`",
                                                       "1:7 missing-field: sweep `s` needs `episodes` or `steps`"])
    }

    @Test(arguments: [
        ("alpha: \"0.1\"", "3:37", "field `alpha` expects a float, got a string"),
        ("planning_steps: 2.5", "3:46", "field `planning_steps` expects an int, got a float"),
        ("gamma: [1]", "3:37", "field `gamma` expects a float, got a list"),
        ("alpha: fn(x) => x", "3:37", "field `alpha` expects a float, got a function"),
        ("alpha: rate_text", "3:37", "field `alpha` expects a float, got a string"),
        ("planning_steps: fn(x) => x", "3:46", "field `planning_steps` expects an int, got a function"),
    ])
    func wrongLiteralType(_ entry: String, _ place: String, _ message: String) throws {
        let source = mazePrelude + "let rate_text = \"fast\"\nagent a = DynaQ { env: maze, \(entry) }"
        let d = try #require(onlyDiagnostic(source))
        #expect(d.id == .typeMismatch)
        #expect(d.message == message)
        #expect(d.range?.startLocation.description == place)
    }

    @Test func intsAreFineForFloats() {
        #expect(checkLines(mazePrelude + "agent a = DynaQ { env: maze, alpha: 1, gamma: 0 }") == [])
    }

    @Test func methodOfTheWrongArity() throws {
        let d = try #require(onlyDiagnostic("env cart = CartPole {}\nagent a = MCTS {\n    env: cart\n    rollout_policy(s, a) { 0 }\n}"))
        #expect(d.id == .typeMismatch)
        #expect(d.message == "field `rollout_policy` expects a function of 1 argument, got a function of 2 arguments")
        #expect(d.range?.startLocation.description == "4:5")
    }

    @Test func symbolNotAmongTheAllowedOnes() throws {
        let d = try #require(onlyDiagnostic("env cart = CartPole {}\nagent m = MCTS { env: cart, selection: .uctt }"))
        #expect(d.id == .unknownSymbol)
        #expect(d.message == "field `selection` expects one of `.uct`, `.puct`, got `.uctt`")
        #expect(d.range?.startLocation.description == "2:40")
        #expect(d.suggestion?.message == "did you mean `.uct`?")
    }

    @Test func listElementsAreChecked() {
        let source = "model m = Ensemble { hidden: [32, \"wide\"] }"
        #expect(checkLines(source) == ["1:35 type-mismatch: field `hidden` expects a list of ints, but this element is a string"])
    }

    @Test(arguments: [
        ("alpha: 1.5", "3:37", "`alpha` must be in (0, 1], got 1.5"),
        ("alpha: 0", "3:37", "`alpha` must be in (0, 1], got 0"),
        ("epsilon: -0.5", "3:39", "`epsilon` must be in [0, 1], got -0.5"),
        ("n: -1", "3:33", "`n` must be at least 0, got -1"),
    ])
    func numericLiteralOutOfRange(_ entry: String, _ place: String, _ message: String) throws {
        let source = mazePrelude + "\nagent a = DynaQ { env: maze, \(entry) }"
        let d = try #require(onlyDiagnostic(source))
        #expect(d.id == .valueOutOfRange)
        #expect(d.message == message)
        #expect(d.range?.startLocation.description == place)
    }

    @Test func varyOutsideASweep() throws {
        let d = try #require(onlyDiagnostic(mazePrelude + "agent a = DynaQ {\n    env: maze\n    vary alpha: [0.1]\n}"))
        #expect(d.id == .varyOutsideSweep)
        #expect(d.message == "`vary` is only allowed in a sweep")
        #expect(d.range?.startLocation.description == "4:5")
    }

    // MARK: - Compatibility

    @Test func requirementNotMetByADeclaredEnvironment() throws {
        let source = "env pendulum = Pendulum {}\nagent dyna = DynaQ { env: pendulum }"
        let d = try #require(onlyDiagnostic(source))
        #expect(d.id == .incompatibleComponent)
        #expect(d.message == "DynaQ needs an environment with discrete states and discrete actions, but `pendulum` (Pendulum) has continuous states and continuous actions")
        #expect(d.range?.startLocation.description == "2:27")
        #expect(d.notes.map(\.message) == ["a tabular agent keeps one value per state and action", "`pendulum` declared here"])
    }

    @Test func requirementFollowsLetAliasesAndInlineLiterals() {
        let source = """
        env pole = CartPole {}
        let e = pole
        agent a = DynaQ { env: e }
        agent b = CEM { env: CartPole {} }
        agent c = CEM { env: Pendulum {} }
        """
        #expect(checkLines(source) == [
            "3:24 incompatible-component: DynaQ needs an environment with discrete states and discrete actions, but `pole` (CartPole) has continuous states and discrete actions",
            "4:22 incompatible-component: CEM needs an environment with continuous actions and queries from any state, but `CartPole` has discrete actions and queries from any state",
        ])
    }

    // MARK: - Sweeps

    let sweepPrelude = """
    env maze = GridWorld { layout: "S..G" }
    agent dyna = DynaQ { env: maze, model: Tabular {} }

    """

    @Test func unknownVaryTargetSuggestsAField() throws {
        let d = try #require(onlyDiagnostic(sweepPrelude + "sweep s {\n    agent: dyna, episodes: 1\n    vary planing_steps: [0, 5]\n}"))
        #expect(d.id == .unknownVaryTarget)
        #expect(d.message == "no field `planing_steps` to vary in `dyna` (DynaQ) or the components it uses")
        #expect(d.range?.startLocation.description == "5:10")
        #expect(d.suggestion?.message == "did you mean `planning_steps`?")
    }

    @Test func dottedVaryTargets() {
        let source = sweepPrelude + """
        sweep s {
            agent: dyna, episodes: 1
            vary maze.sise: [4]
            vary mdl.stochastic: [true]
            vary env.goal_reward: [1, 2]
            vary stochastic: [true]
            vary layout: ["S.G"]
        }
        """
        #expect(checkLines(source) == [
            "5:15 unknown-vary-target: `maze` (GridWorld) has no field `sise`",
            "6:10 unknown-vary-target: `mdl` is neither `dyna` (DynaQ) nor a component it uses",
        ])
    }

    @Test func varyAgentListsOtherAgentsWhoseFieldsMayBeVaried() {
        let source = sweepPrelude + """
        agent cem = CEM { env: Pendulum {} }
        sweep s {
            agent: dyna, episodes: 1
            vary agent: [dyna, cem, maze]
            vary population: [10, 20]
            vary agent.alpha: [0.5]
            vary env.integrator: [.rk4]
            vary a.b.c: [1]
        }
        """
        #expect(checkLines(source) == [
            "6:29 kind-mismatch: field `agent` expects an agent, but `maze` (GridWorld) is an env",
            // The first component called `env` decides, as when the sweep runs.
            "9:14 unknown-vary-target: `maze` (GridWorld) has no field `integrator`",
            "10:10 unknown-vary-target: a `vary` path has at most two parts, got `a.b.c`",
        ])
    }

    @Test func modelLeftOutIsTabular() {
        let source = "env maze = GridWorld { layout: \"S.G\" }\nagent d = DynaQ { env: maze }\nsweep s { agent: d, episodes: 1, vary stochastic: [true, false] }\nsweep t { agent: d, vary model.stochastic: [0], episodes: 1 }"
        #expect(checkLines(source) == ["4:45 type-mismatch: field `model.stochastic` expects a bool, got an int"])
    }

    @Test func varyValuesMustBeAListOrADistribution() throws {
        let d = try #require(onlyDiagnostic(sweepPrelude + "sweep s { agent: dyna, vary alpha: 0.5, episodes: 1 }"))
        #expect(d.id == .invalidVaryValues)
        #expect(d.message == "`vary` expects a list of values or a distribution (`uniform`, `log_uniform`, `int_uniform`, `choice`), got a float")
        #expect(d.range?.startLocation.description == "3:36")
    }

    @Test func zippedVaryNeedsTuplesOfTheRightArity() {
        let source = sweepPrelude + "sweep s {\n    agent: dyna, episodes: 1\n    vary (alpha, epsilon): [(0.1, 0.1), (0.2, 0.1, 3), 0.5]\n}"
        #expect(checkLines(source) == [
            "5:41 vary-arity: `vary (alpha, epsilon)` expects tuples of 2 values, got 3",
            "5:56 vary-arity: `vary (alpha, epsilon)` expects tuples of 2 values, got a float",
        ])
    }

    @Test func variedValuesAreCheckedAgainstTheTarget() {
        let source = sweepPrelude + "sweep s {\n    agent: dyna, episodes: 1\n    vary alpha: [0.1, 2.0]\n    vary (n, gamma): [(1.5, 0.5)]\n    vary maze.resolution: [0]\n}"
        #expect(checkLines(source) == [
            "5:23 value-out-of-range: `alpha` must be in (0, 1], got 2.0",
            "6:24 type-mismatch: field `n` expects an int, got a float",
            "7:28 value-out-of-range: `maze.resolution` must be in [1, 64], got 0",
        ])
    }

    @Test func fieldVariedTwice() throws {
        let d = try #require(onlyDiagnostic(sweepPrelude + "sweep s {\n    agent: dyna, episodes: 1\n    vary n: [1]\n    vary planning_steps: [2]\n}"))
        #expect(d.id == .duplicateVary)
        #expect(d.message == "`planning_steps` is varied twice")
        #expect(d.range?.startLocation.description == "6:10")
    }

    // MARK: - Many errors at once

    @Test func everyIndependentErrorIsReported() {
        let source = """
        env maze = GridWorld { layout: "S..G", goal_reward: "high" }
        env pendulum = Pendulum {}
        agent dyna = DynaQ {
            env: pendulum
            alpha: 1.5
            planing_steps: 5
        }
        agent other = DynaQ { env: dyna }
        sweep fig {
            agent: dyna, steps: 10
            vary epsilonn: [0.1]
            seeds: 0
        }
        print(undefined_thing)
        run maze
        """
        #expect(checkLines(source) == [
            "1:53 type-mismatch: field `goal_reward` expects a float, got a string",
            "4:10 incompatible-component: DynaQ needs an environment with discrete states and discrete actions, but `pendulum` (Pendulum) has continuous states and continuous actions",
            "5:12 value-out-of-range: `alpha` must be in (0, 1], got 1.5",
            "6:5 unknown-field: DynaQ has no field `planing_steps`",
            "8:28 kind-mismatch: field `env` expects an env, but `dyna` (DynaQ) is an agent",
            "11:10 unknown-vary-target: no field `epsilonn` to vary in `dyna` (DynaQ) or the components it uses",
            "12:12 value-out-of-range: `seeds` must be in [1, 100000], got 0",
            "14:7 undefined-name: undefined name `undefined_thing`",
            "15:5 not-runnable: `maze` (GridWorld) is an env; `run` takes a sweep",
        ])
    }

    @Test func checkerIsRobustToParseErrors() {
        let (program, parseDiagnostics) = Parser.parse(SourceFile(path: "t.mull", text: "agent a = DynaQ { env: , alpha: }\nlet x = (1 + ) * y"))
        #expect(!parseDiagnostics.isEmpty)
        let ds = Checker(schemas: realSchemas, predeclared: checkerBuiltins).check(program)
        #expect(ds.allSatisfy { !$0.message.isEmpty })
    }

    // MARK: - Messages

    @Test func messagesAreLowercaseWithoutTrailingPeriod() {
        let source = "env maze = GridWrld {}\nagent a = DynaQ { planing_steps: 1 }\nprint(nope)\nreturn 1"
        let ds = checkSource(source)
        #expect(ds.count == 5)
        for d in ds {
            #expect(d.message.first.map { !$0.isUppercase || $0 == "D" || $0 == "C" } ?? false)
            #expect(!d.message.hasSuffix("."))
        }
    }

    // MARK: - Performance

    @Test func largeGeneratedScript() {
        var lines: [String] = []
        for i in 0..<1000 {
            lines.append("env maze\(i) = GridWorld { layout: \"S..G\", goal_reward: \(i % 3) }")
            lines.append("agent dyna\(i) = DynaQ {")
            lines.append("    env: maze\(i)")
            lines.append("    model: Tabular {}")
            lines.append("    alpha: 0.1, epsilon: 0.1")
            lines.append("}")
            lines.append("fn f\(i)(x) { let y = x * \(i); if y > 3 { return y }; helper\(i)(y) }")
            lines.append("fn helper\(i)(z) { [w + z for w in [1, 2, 3]] }")
            lines.append("sweep s\(i) { agent: dyna\(i), vary planning_steps: [0, 5], vary maze\(i).goal_reward: [1, 2], seeds: 2, episodes: 3 }")
            lines.append("let v\(i) = f\(i)(\(i))")
        }
        let source = lines.joined(separator: "\n")
        let file = SourceFile(path: "big.mull", text: source)
        let (program, parseDiagnostics) = Parser.parse(file)
        #expect(parseDiagnostics.isEmpty)
        let checker = Checker(schemas: realSchemas, predeclared: checkerBuiltins)
        let clock = ContinuousClock()
        var diagnostics: [Diagnostic] = []
        let elapsed = clock.measure { diagnostics = checker.check(program) }
        print("checked \(lines.count) lines in \(elapsed)")
        #expect(diagnostics.isEmpty, "\(diagnostics.prefix(3).map(\.description))")
    }
}
