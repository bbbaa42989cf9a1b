/// What a host needs to read and write values without switching over every case: typed
/// accessors (nil for another type), Mull's equality as `==`, and literals.
extension Value {
    /// An integer (a float with an integral value is not converted).
    public var intValue: Int? { if case .int(let i) = self { return i } else { return nil } }
    /// A number, ints widened.
    public var doubleValue: Double? { asDouble }
    public var boolValue: Bool? { isTruthy }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// A symbol's name, without the dot (`.left` gives "left").
    public var symbolValue: String? { if case .symbol(let s) = self { return s } else { return nil } }
    public var listValue: [Value]? { if case .list(let l) = self { return l } else { return nil } }
    public var recordValue: Record? { if case .record(let r) = self { return r } else { return nil } }
    /// A list of numbers as Doubles (nil if any element is not a number).
    public var doublesValue: [Double]? {
        guard case .list(let l) = self else { return nil }
        var out: [Double] = []
        out.reserveCapacity(l.count)
        for v in l {
            guard let d = v.asDouble else { return nil }
            out.append(d)
        }
        return out
    }
    /// A record's field by label (nil for a missing label or a value that is not a record).
    public subscript(field label: String) -> Value? { recordValue?[label] }
    public var isNone: Bool { if case .null = self { return true } else { return false } }
}

/// Mull's `==`: numbers compare by value across int and float, lists and records element by
/// element; functions, components and objects by identity.
extension Value: Equatable {
    public static func == (a: Value, b: Value) -> Bool { a.isEqual(to: b) }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
}
