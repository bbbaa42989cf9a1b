extension GridWorld {
    /// The grid as text, one character per cell and one line per row.
    ///
    /// Walls are `#` (current walls), the start `S`, goals `G`, declared cells their character,
    /// other cells `.`; `marks` overrides the character of any state.
    public func render(marks: [Int: Character] = [:]) -> String {
        var out = ""
        out.reserveCapacity(rows * (columns + 1))
        for r in 0..<rows {
            for c in 0..<columns {
                let s = r * columns + c
                if let m = marks[s] { out.append(m); continue }
                out.append(baseCharacter(s))
            }
            if r + 1 < rows { out.append("\n") }
        }
        return out
    }

    /// The character drawn for a state without marks.
    public func baseCharacter(_ s: Int) -> Character {
        if walls[s] { return "#" }
        if s == startState { return "S" }
        let c = cellCharacter[s]
        return c == "#" ? "." : c
    }

    /// Marks drawing `actions[s]` as an arrow (`^ v > <`) on every open, non-terminal cell;
    /// negative entries are left unmarked.
    public func policyMarks(_ actions: [Int]) -> [Int: Character] {
        var marks: [Int: Character] = [:]
        for s in 0..<min(actions.count, stateCount) where !walls[s] && !cellTerminal[s] {
            let a = actions[s]
            if a >= 0 && a < 4 { marks[s] = GridWorld.actionArrows[a] }
        }
        return marks
    }

    /// The grid with an arrow per open cell for the action `policy` picks there.
    public func renderPolicy(_ policy: (Int) -> Int) -> String {
        render(marks: policyMarks((0..<stateCount).map { walls[$0] || cellTerminal[$0] ? -1 : policy($0) }))
    }

    /// A table of `values` (one per state), `decimals` digits after the point, walls as `#`.
    public func renderValues(_ values: [Double], decimals: Int = 2) -> String {
        var cells: [String] = []
        cells.reserveCapacity(stateCount)
        for s in 0..<stateCount {
            if walls[s] { cells.append("#") } else if s < values.count { cells.append(GridWorld.format(values[s], decimals)) } else { cells.append("?") }
        }
        let width = cells.map(\.count).max() ?? 1
        var lines: [String] = []
        for r in 0..<rows {
            let row = (0..<columns).map { c -> String in
                let t = cells[r * columns + c]
                return String(repeating: " ", count: width - t.count) + t
            }
            lines.append(row.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// Fixed-point formatting without Foundation.
    static func format(_ x: Double, _ decimals: Int) -> String {
        if !x.isFinite { return "\(x)" }
        var scale = 1.0
        for _ in 0..<max(0, decimals) { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        let negative = x < 0 && scaled > 0
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        var s = negative ? "-\(whole)" : "\(whole)"
        if decimals > 0 {
            let f = String(fraction)
            s += "." + String(repeating: "0", count: decimals - f.count) + f
        }
        return s
    }
}
