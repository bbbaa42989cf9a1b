/// The set of observations or actions an environment uses, as in Gymnasium.
public enum Space: Sendable, Equatable, CustomStringConvertible {
    /// The integers `0..<n`.
    case discrete(Int)
    /// A box of real vectors with elementwise bounds (infinite bounds allowed).
    case box(low: [Double], high: [Double])

    public var isDiscrete: Bool { if case .discrete = self { true } else { false } }

    /// Number of elements of a discrete space; nil for a box.
    public var count: Int? { if case .discrete(let n) = self { n } else { nil } }

    /// Dimension of a box; 1 for a discrete space.
    public var dimension: Int {
        switch self {
        case .discrete: 1
        case .box(let low, _): low.count
        }
    }

    public var description: String {
        switch self {
        case .discrete(let n): "Discrete(\(n))"
        case .box(let low, let high): "Box(low: \(low), high: \(high))"
        }
    }
}
