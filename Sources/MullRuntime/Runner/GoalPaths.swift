/// Greedy-path checks for deterministic tabular environments whose goal is a terminating
/// transition with a positive reward (FrozenLake without slipping, MDPs written in Mull).
/// With stochastic dynamics there is no single path: both functions return nil.
public enum GoalPaths {
    /// Steps of a shortest path from `start` to a rewarding termination (breadth-first search).
    public static func shortest<E: TabularDynamics>(_ env: E, from start: Int) -> Int? {
        var distance = [Int](repeating: -1, count: env.stateCount)
        distance[start] = 0
        var queue = [start]
        var head = 0
        while head < queue.count {
            let s = queue[head]
            head += 1
            for a in 0..<env.actionCount {
                let outcomes = env.transitions(from: s, action: a)
                guard outcomes.count == 1 else {
                    if outcomes.contains(where: { $0.probability > 0 && $0.probability < 1 }) { return nil }
                    continue
                }
                let o = outcomes[0]
                if o.terminated {
                    if o.reward > 0 { return distance[s] + 1 }
                    continue
                }
                if distance[o.next] < 0 {
                    distance[o.next] = distance[s] + 1
                    queue.append(o.next)
                }
            }
        }
        return nil
    }

    /// Steps `policy` takes from `start` to a rewarding termination; nil if it fails, loops or
    /// needs more than `maxSteps`.
    public static func follow<E: TabularDynamics>(_ env: E, from start: Int, maxSteps: Int, policy: (Int) -> Int) -> Int? {
        var s = start
        for step in 1...max(1, maxSteps) {
            let outcomes = env.transitions(from: s, action: policy(s))
            guard outcomes.count == 1 else { return nil }
            let o = outcomes[0]
            if o.terminated { return o.reward > 0 ? step : nil }
            s = o.next
        }
        return nil
    }
}

extension FrozenLake: GoalPathEnvironment {
    public func shortestPathLength() -> Int? {
        startStates.count == 1 ? GoalPaths.shortest(self, from: startStates[0]) : nil
    }
    public func pathLength(maxSteps: Int, policy: (Int) -> Int) -> Int? {
        startStates.count == 1 ? GoalPaths.follow(self, from: startStates[0], maxSteps: maxSteps, policy: policy) : nil
    }
}

extension TableEnvironment: GoalPathEnvironment {
    public func shortestPathLength() -> Int? {
        startStates.count == 1 ? GoalPaths.shortest(self, from: startStates[0]) : nil
    }
    public func pathLength(maxSteps: Int, policy: (Int) -> Int) -> Int? {
        startStates.count == 1 ? GoalPaths.follow(self, from: startStates[0], maxSteps: maxSteps, policy: policy) : nil
    }
}
