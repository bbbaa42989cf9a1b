/// A node of the tree by its place in the source: the key of the resolver's side tables (every
/// identifier, binding and frame-owning node starts and ends at its own place).
package struct NodeKey: Hashable, Sendable {
    package let start: Int
    package let end: Int
    package init(_ range: SourceRange) {
        start = range.start
        end = range.end
    }
}

/// What a name written in an expression refers to.
package enum NameBinding: Sendable, Equatable {
    /// A slot of the frame `depth` frames up from the current one (0 is the current frame).
    case slot(depth: Int, slot: Int)
    /// A built-in of the interpreter, not shadowed here.
    case builtin(String)
    /// Not found (and reported).
    case unresolved
}

/// The declaration a name refers to, for the checker's types.
package enum Declaration: Sendable, Equatable {
    /// A local binding: a `let` in a block, a parameter, a loop or pattern variable, a local
    /// function; by the key of its identifier.
    case local(NodeKey)
    /// A top-level name of this program or of an earlier one in the session.
    case global(String)
    case builtin(String)
}

/// An outside variable a function reads: its name, how many frames up from the function's own
/// frame it lives (1 is the frame the function was made in) and its slot.
package struct FreeVariable: Sendable, Equatable {
    package var name: String
    package var depth: Int
    package var slot: Int
}

/// A top-level declaration of the program.
package struct GlobalDecl: Sendable {
    package enum Kind: Sendable {
        case letBinding(Expr)
        case function(FunctionDecl)
        case component(ComponentDecl)
        case module
    }
    package var kind: Kind
    package var name: String
    package var range: SourceRange
    /// The index of the top-level item that declares it.
    package var item: Int
}

/// The resolver's side tables for one program: what every name refers to, the slot of every
/// binding, the frame size of every function, loop and comprehension, and the outside
/// variables each function reads. The compiler reads only these; the checker reads the
/// declarations behind names.
package struct Resolution: Sendable {
    package var uses: [NodeKey: NameBinding] = [:]
    package var declarations: [NodeKey: Declaration] = [:]
    package var bindingSlots: [NodeKey: Int] = [:]
    package var functionFrames: [NodeKey: Int] = [:]
    package var loopFrames: [NodeKey: Int] = [:]
    package var comprehensionFrames: [NodeKey: Int] = [:]
    package var freeVariables: [NodeKey: [FreeVariable]] = [:]
    /// Every top-level declaration by name (the first one when a name is declared twice).
    package var globals: [String: GlobalDecl] = [:]
    /// Top-level names the program declares, in the order the session lists them.
    package var declaredGlobals: [String] = []
    package var diagnostics: [Diagnostic] = []

    /// What the identifier expression at `range` refers to.
    package func binding(at range: SourceRange) -> NameBinding { uses[NodeKey(range)] ?? .unresolved }

    /// The slot of the binding whose identifier is at `range`.
    package func slot(of range: SourceRange) -> Int {
        guard let slot = bindingSlots[NodeKey(range)] else { preconditionFailure("the resolver gave no slot to the binding at \(range)") }
        return slot
    }

    package func functionFrameSize(_ range: SourceRange) -> Int { Resolution.size(functionFrames, range, "function") }
    package func loopFrameSize(_ range: SourceRange) -> Int { Resolution.size(loopFrames, range, "loop") }
    package func comprehensionFrameSize(_ range: SourceRange) -> Int { Resolution.size(comprehensionFrames, range, "comprehension") }

    private static func size(_ table: [NodeKey: Int], _ range: SourceRange, _ what: String) -> Int {
        guard let size = table[NodeKey(range)] else { preconditionFailure("the resolver gave no frame to the \(what) at \(range)") }
        return size
    }
}
