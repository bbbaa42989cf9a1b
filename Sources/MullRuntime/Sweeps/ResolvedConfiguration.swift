/// A trial's fully resolved configuration as ordered (key, value) pairs of plain data:
/// environment, agent and model settings after defaults and sweep parameters were applied, the
/// budget and the run options. The caller provides it; the runner stores it beside the trial
/// and fingerprints it for resuming.
public struct ResolvedConfiguration: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    /// One setting.
    public struct Entry: Sendable, Hashable, Codable {
        public var key: String
        public var value: ConfigValue
        public init(_ key: String, _ value: ConfigValue) {
            self.key = key
            self.value = value
        }
    }

    public var entries: [Entry]

    /// Pairs in the given order.
    public init(_ pairs: [(String, ConfigValue)]) { entries = pairs.map { Entry($0.0, $0.1) } }

    /// Entries of a dictionary, sorted by key so the order is stable.
    public init(_ dictionary: [String: ConfigValue]) {
        entries = dictionary.sorted { $0.key < $1.key }.map { Entry($0.key, $0.value) }
    }

    /// Literal pairs, in the order written.
    public init(dictionaryLiteral elements: (String, ConfigValue)...) { self.init(elements) }

    public subscript(key: String) -> ConfigValue? { entries.first(where: { $0.key == key })?.value }

    /// The fingerprint that decides whether a stored trial can be reused: FNV-1a-64 over a
    /// length-prefixed encoding of the script seed, the trial's parameters, seed number and
    /// stream id, and every configuration entry in order (16 hex digits).
    public func fingerprint(for spec: TrialSpec, scriptSeed: UInt64) -> String {
        var h = FNV1a()
        h.add("mull-trial-2;script-seed=\(scriptSeed);seed=\(spec.seed);stream=\(spec.streamID);")
        for p in spec.parameters {
            h.add("p\(p.name.utf8.count):\(p.name)=\(p.value.taggedText);")
        }
        for e in entries {
            let text = e.value.canonicalText
            h.add("c\(e.key.utf8.count):\(e.key)=\(text.utf8.count):\(text);")
        }
        return h.hex
    }
}
