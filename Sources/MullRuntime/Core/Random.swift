#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Mull's one source of randomness: xoshiro256** (Blackman & Vigna, 2018), seeded through
/// SplitMix64 so that nearby seeds give unrelated streams.
///
/// Every trial of a sweep owns one generator derived from `(script seed, trial index)`, so the
/// numbers a trial produces do not depend on which thread ran it or how many ran at once.
public struct RandomSource: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator for `seed`, on stream `stream` (a trial index, a worker index, …).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var sm = SplitMix64(state: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        // Mix the stream in twice so that (seed, stream) pairs never collide trivially.
        _ = sm.next()
        s0 = sm.next() ^ stream
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// An independent child generator, for a component that needs its own stream.
    public mutating func split() -> RandomSource {
        RandomSource(seed: next(), stream: next())
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform double in [low, high).
    @inlinable @inline(__always)
    public mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * uniform()
    }

    /// A uniform integer in 0..<n (Lemire's nearly divisionless method). `n` must be positive.
    @inlinable @inline(__always)
    public mutating func int(below n: Int) -> Int {
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// A standard normal sample (Marsaglia's polar method; no cached second value, so the
    /// generator's state is the whole state).
    @inlinable
    public mutating func normal() -> Double {
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * _log(s) / s).squareRoot() }
        }
    }

    @inlinable @inline(__always)
    public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }
}

/// SplitMix64 (Steele, Lea & Flood, 2014), used only to expand seeds.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@usableFromInline func _log(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.log(x)
    #else
    return Foundation.log(x)
    #endif
}
