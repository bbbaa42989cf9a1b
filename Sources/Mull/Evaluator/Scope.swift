import MullLanguage

/// Compile-time scopes: names resolve to (frame depth, slot) so running code never looks a
/// name up by string.
final class FunctionScope {
    let parent: FunctionScope?
    /// Innermost block last.
    var blocks: [[String: Int]] = [[:]]
    /// Slots the frame needs (grows as blocks declare names; slots are not reused).
    var size = 0

    init(parent: FunctionScope?) { self.parent = parent }

    func declare(_ name: String) -> Int {
        if let existing = blocks[blocks.count - 1][name] { return existing }
        let slot = size
        size += 1
        blocks[blocks.count - 1][name] = slot
        return slot
    }

    /// Shadows any earlier binding of `name` in the innermost block with a fresh slot.
    func declareFresh(_ name: String) -> Int {
        let slot = size
        size += 1
        blocks[blocks.count - 1][name] = slot
        return slot
    }

    func lookup(_ name: String) -> (depth: Int, slot: Int)? {
        var scope: FunctionScope? = self
        var depth = 0
        while let s = scope {
            for block in s.blocks.reversed() { if let slot = block[name] { return (depth, slot) } }
            scope = s.parent
            depth += 1
        }
        return nil
    }

    var visibleNames: [String] {
        var names: [String] = []
        var scope: FunctionScope? = self
        while let s = scope {
            for block in s.blocks { names.append(contentsOf: block.keys) }
            scope = s.parent
        }
        return names
    }
}

/// The top level of a module (or of a REPL session): its scope and its frame live on between
/// compilations, so later input sees earlier definitions.
final class GlobalScope: @unchecked Sendable {
    let scope = FunctionScope(parent: nil)
    let frame = Frame(size: 0, parent: nil)
    /// Names in declaration order.
    var order: [String] = [] { didSet { if order.isEmpty { known = [] } } }
    /// The same names as a set, so noting one is constant time (a script of 200,000 `let`s
    /// took minutes when this was a search of `order`).
    private var known: Set<String> = []

    /// Appends `name` to `order` unless it is there already.
    func note(_ name: String) {
        if known.insert(name).inserted { order.append(name) }
    }

    func ensureFrameSize() {
        frame.grow(to: scope.size)
    }

    func value(of name: String) -> Value? {
        guard let slot = scope.blocks[0][name], slot < frame.slots.count else { return nil }
        return frame.slots[slot]
    }

    func set(_ name: String, _ value: Value) {
        let slot = scope.declare(name)
        if !order.contains(name) { order.append(name) }
        ensureFrameSize()
        frame.slots[slot] = value
    }
}
