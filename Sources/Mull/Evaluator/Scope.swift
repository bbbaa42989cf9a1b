import MullLanguage

/// The top level of a module (or of a REPL session): its names (laid out by the resolver) and
/// its frame live on between compilations, so later input sees earlier definitions.
final class GlobalScope: @unchecked Sendable {
    private(set) var names = NameScope()
    let frame = Frame(size: 0, parent: nil)
    /// Names in declaration order.
    private(set) var order: [String] = []
    /// The same names as a set, so noting one is constant time (a script of 200,000 `let`s
    /// took minutes when this was a search of `order`).
    private var known: Set<String> = []

    /// Takes the top level a resolution extended (`names` copied before resolving), once the
    /// program it resolved has no error.
    func adopt(_ resolved: NameScope, declaring declared: [String]) {
        names = resolved
        for name in declared where known.insert(name).inserted { order.append(name) }
        frame.grow(to: names.size)
    }

    func value(of name: String) -> Value? {
        guard let slot = names.slot(of: name), slot < frame.slots.count else { return nil }
        return frame.slots[slot]
    }

    func set(_ name: String, _ value: Value) {
        let slot = names.declare(name)
        if known.insert(name).inserted { order.append(name) }
        frame.grow(to: names.size)
        frame.slots[slot] = value
    }

    /// Forgets every name (the frame's values stay until overwritten).
    func reset() {
        names = NameScope()
        order = []
        known = []
    }
}
