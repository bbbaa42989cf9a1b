#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gaussian noise with power spectral density proportional to 1/f^beta along a sequence of
/// fixed length (beta 0: white, 1: pink, 2: brown/red), as iCEM samples it (Pinneri et al., 2020).
///
/// This is the spectral method of the `colorednoise` package (`powerlaw_psd_gaussian`, after
/// Timmer & König, 1995) that iCEM uses: independent Gaussian real and imaginary parts scaled
/// by f^(-beta/2) at the frequencies of a real FFT (the zero frequency takes the scale of the
/// lowest nonzero one; zero and Nyquist terms are real with their amplitude times sqrt 2), an
/// inverse real DFT, and division by the package's normalisation `sigma`. Horizons are short,
/// so the inverse transform is a direct sum over a precomputed cosine/sine basis (O(n^2) per
/// sequence, no allocation) rather than an FFT.
public struct ColoredNoise: Sendable {
    public let length: Int
    public let beta: Double
    @usableFromInline let frequencies: Int
    @usableFromInline let scale: [Double]
    /// cos and sin of 2 pi k t / n, `[k * length + t]`, already multiplied by the irfft weight
    /// (1/n for k = 0 and Nyquist, 2/n otherwise) and divided by sigma.
    @usableFromInline let cosBasis: [Double]
    @usableFromInline let sinBasis: [Double]

    public init(length n: Int, beta: Double) {
        precondition(n >= 1, "ColoredNoise: length must be at least 1")
        length = n
        self.beta = beta
        let nf = n / 2 + 1
        frequencies = nf
        var s = (0..<nf).map { Double($0) / Double(n) }
        if nf > 1 { s[0] = s[1] }  // f < fmin = 1/n takes the scale at 1/n
        else { s[0] = 1 }
        s = s.map { pow($0, -beta / 2) }
        var w = Array(s.dropFirst())
        if !w.isEmpty { w[w.count - 1] *= Double(1 + n % 2) / 2 }
        var sigma = 2 * w.reduce(0) { $0 + $1 * $1 }.squareRoot() / Double(n)
        if !(sigma > 0) { sigma = 1 / Double(n) }  // n == 1: the single sample is sr0 * sqrt 2 / n
        // Fold the sqrt 2 of the zero and (even n) Nyquist terms into their scale.
        s[0] *= 2.0.squareRoot()
        if n % 2 == 0 && nf > 1 { s[nf - 1] *= 2.0.squareRoot() }
        scale = s
        var cb = [Double](repeating: 0, count: nf * n), sb = cb
        for k in 0..<nf {
            let edge = k == 0 || (n % 2 == 0 && k == nf - 1)
            let weight = (edge ? 1.0 : 2.0) / Double(n) / sigma
            for t in 0..<n {
                let angle = 2 * Double.pi * Double(k * t % n) / Double(n)
                cb[k * n + t] = weight * cos(angle)
                sb[k * n + t] = edge ? 0 : -weight * sin(angle)
            }
        }
        cosBasis = cb
        sinBasis = sb
    }

    /// Writes one noise sequence to `out[t * stride]`, `t` in `0 ..< length`.
    @inlinable
    public func generate(into out: UnsafeMutablePointer<Double>, stride: Int, _ rng: inout RandomSource) {
        for t in 0..<length { out[t * stride] = 0 }
        cosBasis.withUnsafeBufferPointer { cb in
            sinBasis.withUnsafeBufferPointer { sb in
                for k in 0..<frequencies {
                    let sr = scale[k] * rng.normal()
                    let si = scale[k] * rng.normal()
                    let row = k * length
                    for t in 0..<length { out[t * stride] += sr * cb[row + t] + si * sb[row + t] }
                }
            }
        }
    }
}
