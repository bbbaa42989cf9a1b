/// The abstract syntax tree of a Mull script. Every node carries the source range it came from;
/// phases after the parser annotate in side tables and never mutate the tree.

/// A name as written, with its place.
package struct Identifier: Sendable, CustomStringConvertible {
    package var name: String
    package var range: SourceRange
    package init(_ name: String, range: SourceRange) {
        self.name = name
        self.range = range
    }
    package var description: String { name }
}

// MARK: - Program and declarations

/// A whole file: its top-level items in order.
package struct Program: Sendable {
    package var file: SourceFile
    package var items: [TopLevel]
    package init(file: SourceFile, items: [TopLevel]) {
        self.file = file
        self.items = items
    }
}

/// The kinds of component a declaration can introduce.
public enum ComponentKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case env, model, agent, sweep
    public var description: String { rawValue }
}

package struct TopLevel: Sendable {
    package enum Kind: Sendable {
        /// `import "std/mazes"` or `import "lib/common.mull" as common`.
        case importDecl(ImportDecl)
        /// `env maze = GridWorld { ... }`, `agent dyna = DynaQ { ... }`,
        /// `sweep fig { ... }` (the value is then a component expression named `Sweep`).
        case component(ComponentDecl)
        /// `run figure_8_2` (a sweep, or an agent to train with its own settings).
        case run(Expr)
        /// `let`, `fn`, `for` and expression statements, as in blocks.
        case statement(Stmt)
    }
    package var kind: Kind
    package var range: SourceRange
    package init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

package struct ImportDecl: Sendable {
    /// The path as written, without quotes, e.g. `std/mazes` or `lib/common.mull`.
    package var path: String
    package var pathRange: SourceRange
    /// `as NAME`; when absent the module is bound to the last path component without `.mull`.
    package var alias: Identifier?
    package init(path: String, pathRange: SourceRange, alias: Identifier?) {
        self.path = path
        self.pathRange = pathRange
        self.alias = alias
    }
}

package struct ComponentDecl: Sendable {
    package var kind: ComponentKind
    /// The keyword's range (`env`, `agent`, ...).
    package var keywordRange: SourceRange
    package var name: Identifier
    /// Usually `.component(...)`, but any expression producing a component is allowed
    /// (e.g. `agent b = a.with(alpha: 0.5)`).
    package var value: Expr
    package init(kind: ComponentKind, keywordRange: SourceRange, name: Identifier, value: Expr) {
        self.kind = kind
        self.keywordRange = keywordRange
        self.name = name
        self.value = value
    }
}

// MARK: - Statements

package struct Stmt: Sendable {
    package indirect enum Kind: Sendable {
        /// `let name = value`.
        case letBinding(Identifier, Expr)
        /// `fn name(params) { ... }`: recursive, visible in its whole enclosing block.
        case function(FunctionDecl)
        /// `for x in xs { ... }` run for its effects.
        case forLoop(variable: Identifier, iterable: Expr, body: Block)
        /// `return` or `return value` inside a function.
        case returnStmt(Expr?)
        case expression(Expr)
    }
    package var kind: Kind
    package var range: SourceRange
    package init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// `{ stmt; stmt; expr }`: the value of a block is the value of its last statement when that
/// statement is an expression, and `none` otherwise.
package struct Block: Sendable {
    package var statements: [Stmt]
    package var range: SourceRange
    package init(statements: [Stmt], range: SourceRange) {
        self.statements = statements
        self.range = range
    }
}

package struct FunctionDecl: Sendable {
    /// Nil for anonymous functions.
    package var name: Identifier?
    package var parameters: [Parameter]
    package var body: Block
    package var range: SourceRange
    package init(name: Identifier?, parameters: [Parameter], body: Block, range: SourceRange) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.range = range
    }
}

package struct Parameter: Sendable {
    package var name: Identifier
    /// `fn f(x, scale = 2)`: evaluated at call time when the argument is omitted.
    package var defaultValue: Expr?
    package init(name: Identifier, defaultValue: Expr?) {
        self.name = name
        self.defaultValue = defaultValue
    }
}

// MARK: - Expressions

package enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not = "not"
}

package enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//"
    case remainder = "%", power = "**"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and = "and", or = "or"
    /// Membership: `x in xs`.
    case contains = "in"
}

package struct Argument: Sendable {
    /// `f(x, scale: 2)`: nil for positional arguments.
    package var label: Identifier?
    package var value: Expr
    package init(label: Identifier?, value: Expr) {
        self.label = label
        self.value = value
    }
}

/// A field of a record literal `(a: 1, b: 2)`; tuples `(1, 2)` have no labels.
package struct RecordField: Sendable {
    package var label: Identifier?
    package var value: Expr
    package init(label: Identifier?, value: Expr) {
        self.label = label
        self.value = value
    }
}

/// One entry of a component body `Name { ... }`.
package struct ComponentEntry: Sendable {
    package indirect enum Kind: Sendable {
        /// `alpha: 0.1`
        case field(Identifier, Expr)
        /// `step(s, a) { ... }`: a function-valued field written as a method.
        case method(FunctionDecl)
        /// `vary planning_steps: [0, 5, 50]`, `vary (alpha, epsilon): [(0.1, 0.1), (0.5, 0.2)]`,
        /// `vary dyna.alpha: log_uniform(0.01, 1)`: targets are dotted field paths.
        case vary(targets: [FieldPath], values: Expr)
    }
    package var kind: Kind
    package var range: SourceRange
    package init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// `planning_steps` or `maze.size`: a path of field names.
package struct FieldPath: Sendable, CustomStringConvertible {
    package var components: [Identifier]
    package var range: SourceRange
    package init(components: [Identifier], range: SourceRange) {
        self.components = components
        self.range = range
    }
    package var description: String { components.map(\.name).joined(separator: ".") }
}

package struct MatchArm: Sendable {
    package var pattern: Pattern
    package var guardExpr: Expr?
    package var body: Expr
    package var range: SourceRange
    package init(pattern: Pattern, guardExpr: Expr?, body: Expr, range: SourceRange) {
        self.pattern = pattern
        self.guardExpr = guardExpr
        self.body = body
        self.range = range
    }
}

package struct Pattern: Sendable {
    package indirect enum Kind: Sendable {
        /// `_`
        case wildcard
        /// An integer, float, string, boolean or symbol literal (negative numbers allowed).
        case literal(Expr)
        /// A name binds the subject.
        case binding(Identifier)
        /// `1..5`, `0..<10`: numeric range membership.
        case range(lower: Expr, upper: Expr, inclusive: Bool)
        /// `(a, b)` or `(next: n, reward: r)`: destructures tuples and records.
        case tuple([(label: Identifier?, pattern: Pattern)])
        /// `.left | .right`
        case alternatives([Pattern])
    }
    package var kind: Kind
    package var range: SourceRange
    package init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

/// `for x in xs if cond` clauses of a list comprehension.
package struct ComprehensionClause: Sendable {
    package enum Kind: Sendable {
        case forIn(Identifier, Expr)
        case condition(Expr)
    }
    package var kind: Kind
    package var range: SourceRange
    package init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}

package struct Expr: Sendable {
    package indirect enum Kind: Sendable {
        case integer(Int)
        case float(Double)
        /// Escapes already decoded; triple-quoted strings already dedented.
        case string(String)
        case boolean(Bool)
        /// `.left`
        case symbol(String)
        /// `none`
        case noneLiteral
        case identifier(String)
        /// `[a, b, c]`
        case list([Expr])
        /// `[f(x) for x in xs if p(x)]`
        case comprehension(element: Expr, clauses: [ComprehensionClause])
        /// `(a: 1, b: 2)`, `(1, 2)`; `(x)` is just parentheses, `(x,)` a one-element tuple.
        case record([RecordField])
        /// `a..b` (inclusive), `a..<b` (exclusive).
        case range(lower: Expr, upper: Expr, inclusive: Bool)
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        /// `callee(args)`; a method call is a call whose callee is a `.member`.
        case call(callee: Expr, arguments: [Argument])
        /// `xs[i]`
        case index(Expr, Expr)
        /// `value.name`
        case member(Expr, Identifier)
        /// `if c { ... } else if d { ... } else { ... }`; a missing else yields `none`.
        case ifElse(condition: Expr, then: Block, elseBranch: Block?)
        case match(subject: Expr, arms: [MatchArm])
        /// `fn(x) { ... }` or `fn(x) => expr`
        case function(FunctionDecl)
        /// `{ stmts }` as the body of a match arm (`.left => { let n = s - 1; n }`).
        case block(Block)
        /// `GridWorld { layout: ..., reward: 1 }`: builds a component from its schema.
        case component(name: Identifier, entries: [ComponentEntry])
        /// Stands for an expression that failed to parse (already reported).
        case error
    }
    package var kind: Kind
    package var range: SourceRange
    package init(_ kind: Kind, range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}
