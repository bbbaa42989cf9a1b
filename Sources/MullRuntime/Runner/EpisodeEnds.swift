/// The states an environment's episodes may start from, when it knows them.
public protocol KnownStartStates {
    var possibleStartStates: [Int] { get }
}

extension TableEnvironment: KnownStartStates { public var possibleStartStates: [Int] { startStates } }
extension GridWorld: KnownStartStates { public var possibleStartStates: [Int] { [startState] } }
extension FrozenLake: KnownStartStates { public var possibleStartStates: [Int] { startStates } }
extension Taxi: KnownStartStates { public var possibleStartStates: [Int] { startStates } }
extension CliffWalking: KnownStartStates { public var possibleStartStates: [Int] { [CliffWalking.startState] } }

/// Whether episodes can end: a sweep that counts episodes on a task where some start state
/// cannot reach any terminating transition would never finish.
public enum EpisodeEnds {
    /// Outcomes less likely than this are ignored: an episode that can end only through one of
    /// them would take on average more than a billion steps to end.
    public static let negligibleProbability = 1e-9

    /// A start state from which no terminating transition is reachable (following outcomes of
    /// non-negligible probability under any actions), or nil when every start can reach one.
    public static func startThatNeverEnds<E: TabularDynamics & KnownStartStates>(_ env: E) -> Int? {
        var canEnd = [Int8](repeating: 0, count: env.stateCount)  // 0 unknown, 1 yes
        for start in env.possibleStartStates where canEnd[start] == 0 {
            // Breadth-first search from this start until a terminating transition turns up.
            var seen = [Bool](repeating: false, count: env.stateCount)
            seen[start] = true
            var queue = [start]
            var head = 0
            var found = false
            search: while head < queue.count {
                let s = queue[head]
                head += 1
                if canEnd[s] == 1 { found = true; break }
                for a in 0..<env.actionCount {
                    for o in env.transitions(from: s, action: a) where o.probability >= negligibleProbability {
                        if o.terminated { found = true; break search }
                        if !seen[o.next] {
                            seen[o.next] = true
                            queue.append(o.next)
                        }
                    }
                }
            }
            guard found else { return start }
            canEnd[start] = 1
        }
        return nil
    }
}
