/// "Did you mean ...?": finds the known name closest to a misspelled one.
public enum Suggest {
    /// The candidate most likely meant by `name`, or nil when none is close enough.
    ///
    /// Candidates that differ only in case or underscores (`planningSteps`, `Planning_Steps` for
    /// `planning_steps`) win first. Otherwise the case-insensitive Damerau–Levenshtein distance
    /// must be at most `max(1, name.count / 3)` and smaller than the name's length; ties go to
    /// the smaller case-sensitive distance, then to the alphabetically first candidate.
    public static func closest(to name: String, among candidates: [String]) -> String? {
        guard !name.isEmpty else { return nil }
        let lowered = Array(name.lowercased())
        let plain = lowered.filter { $0 != "_" }
        let exact = Array(name)
        let threshold = max(1, exact.count / 3)
        var best: (tier: Int, distance: Int, exactDistance: Int, candidate: String)?
        for candidate in candidates {
            if candidate == name { return candidate }
            let lc = Array(candidate.lowercased())
            let tier: Int
            let distance: Int
            if lc.filter({ $0 != "_" }) == plain && !plain.isEmpty {
                tier = 0
                distance = 0
            } else {
                distance = editDistance(lowered, lc)
                guard distance <= threshold && distance < exact.count else { continue }
                tier = 1
            }
            let key = (tier, distance, editDistance(exact, Array(candidate)), candidate)
            if let b = best, (b.tier, b.distance, b.exactDistance, b.candidate) <= key { continue }
            best = key
        }
        return best?.candidate
    }

    /// The Damerau–Levenshtein distance (optimal string alignment: insertions, deletions,
    /// substitutions and transpositions of adjacent characters each cost 1).
    public static func editDistance<C: Equatable>(_ a: [C], _ b: [C]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let m = b.count
        var twoAgo = [Int](repeating: 0, count: m + 1)
        var previous = Array(0...m)
        var current = [Int](repeating: 0, count: m + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...m {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    d = min(d, twoAgo[j - 2] + 1)
                }
                current[j] = d
            }
            (twoAgo, previous, current) = (previous, current, twoAgo)
        }
        return previous[m]
    }
}
