/// The names visible at one point of a program, as the resolver walks it: one scope per frame
/// that running code will have (the top level, a function, a `for` body, a comprehension), each
/// a stack of blocks. Names become slots of their frame; slots are never reused, so a closure
/// made in a block keeps reading the value it saw.
package final class NameScope {
    package let parent: NameScope?
    /// Innermost block last; each name's slot and the identifier that declared it.
    var blocks: [[String: Entry]] = [[:]]
    /// Slots the frame needs.
    package private(set) var size = 0

    struct Entry {
        var slot: Int
        var site: NodeKey?
    }

    package init(parent: NameScope? = nil) { self.parent = parent }

    /// A copy of a top-level scope, so a check or a failed entry leaves a session unchanged.
    package func copy() -> NameScope {
        let c = NameScope(parent: parent)
        c.blocks = blocks
        c.size = size
        return c
    }

    /// Declares `name` in the innermost block, keeping its slot if the block has it already
    /// (hoisted functions and components, imports, names a host sets).
    @discardableResult
    package func declare(_ name: String, at site: NodeKey? = nil) -> Int {
        if let existing = blocks[blocks.count - 1][name] { return existing.slot }
        return declareFresh(name, at: site)
    }

    /// Shadows any earlier binding of `name` in the innermost block with a fresh slot (`let`,
    /// parameters, loop and pattern variables).
    @discardableResult
    func declareFresh(_ name: String, at site: NodeKey?) -> Int {
        let slot = size
        size += 1
        blocks[blocks.count - 1][name] = Entry(slot: slot, site: site)
        return slot
    }

    /// Binds `name` in the innermost block to a slot declared before (the same name bound by
    /// each alternative of a pattern).
    func rebind(_ name: String, to slot: Int, at site: NodeKey?) {
        blocks[blocks.count - 1][name] = Entry(slot: slot, site: site)
    }

    /// The innermost binding of `name`: how many frames up it lives, the scope holding it, its
    /// entry, and whether it is a top-level name (the outermost block of the outermost scope,
    /// not a block such as an `if` written at the top level).
    func lookup(_ name: String) -> (depth: Int, owner: NameScope, entry: Entry, isTopLevel: Bool)? {
        var scope: NameScope? = self
        var depth = 0
        while let s = scope {
            for i in s.blocks.indices.reversed() {
                if let e = s.blocks[i][name] { return (depth, s, e, s.parent == nil && i == 0) }
            }
            scope = s.parent
            depth += 1
        }
        return nil
    }

    /// The slot of a name of the outermost block (a top-level name).
    package func slot(of name: String) -> Int? { blocks[0][name]?.slot }

    /// Every name visible here, for suggestions.
    var visibleNames: [String] {
        var names: [String] = []
        var scope: NameScope? = self
        while let s = scope {
            for block in s.blocks { names.append(contentsOf: block.keys) }
            scope = s.parent
        }
        return names
    }
}
