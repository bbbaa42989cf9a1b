/// One trial of a sweep: one setting of the parameters run with one replicate seed.
public struct TrialSpec: Sendable, Hashable, CustomStringConvertible {
    /// Position in the plan's trial list (0-based); also the name of the trial's files.
    public var index: Int
    /// Which setting (parameter combination) this trial runs; all seeds of a setting share it.
    public var settingIndex: Int
    /// The setting's parameters, in declaration order.
    public var parameters: [Parameter]
    /// Replicate number, `0..<seeds`.
    public var seed: Int
    /// The random stream of this trial, derived from its parameters and seed number (not from
    /// its position), so adding a setting to a sweep leaves the other trials' numbers unchanged.
    public var streamID: UInt64

    /// A named parameter value.
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var value: ParamValue
        public init(_ name: String, _ value: ParamValue) {
            self.name = name
            self.value = value
        }
    }

    public init(index: Int, settingIndex: Int, parameters: [Parameter], seed: Int, streamID: UInt64? = nil) {
        self.index = index
        self.settingIndex = settingIndex
        self.parameters = parameters
        self.seed = seed
        self.streamID = streamID ?? TrialSpec.deriveStreamID(parameters: parameters, seed: seed)
    }

    /// The value of parameter `name`, if the setting has it.
    public subscript(name: String) -> ParamValue? {
        parameters.first(where: { $0.name == name })?.value
    }

    /// The trial's generator: the script seed on the trial's stream. This is what the runner
    /// hands to the trial closure.
    public func randomSource(scriptSeed: UInt64) -> RandomSource {
        RandomSource(seed: scriptSeed, stream: streamID)
    }

    /// `alpha=0.1, n=5` (or `default` when there are no parameters).
    public var settingLabel: String {
        parameters.isEmpty ? "default" : parameters.map { "\($0.name)=\($0.value.text)" }.joined(separator: ", ")
    }

    public var description: String { "trial \(index) (\(settingLabel), seed \(seed))" }

    /// A stable 64-bit id for (parameters, seed): FNV-1a over the tagged parameter text, passed
    /// through the SplitMix64 finaliser.
    public static func deriveStreamID(parameters: [Parameter], seed: Int) -> UInt64 {
        var h = FNV1a()
        for p in parameters {
            h.add(p.name)
            h.add("=")
            h.add(p.value.taggedText)
            h.add(";")
        }
        h.add("seed=\(seed)")
        var sm = SplitMix64(state: h.value)
        return sm.next()
    }
}

/// The 64-bit FNV-1a hash (Fowler, Noll & Vo), used for stream ids and configuration
/// fingerprints. Not cryptographic; stable across platforms and runs.
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325
    public init() {}
    public mutating func add(_ s: String) {
        for b in s.utf8 {
            value ^= UInt64(b)
            value &*= 0x0000_0100_0000_01B3
        }
    }
    /// The hash as 16 lowercase hexadecimal digits.
    public var hex: String {
        let s = String(value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
