/// exp over eight floats at once: Cephes' `expf` (range reduction by ln 2 in two parts, a
/// degree-6 polynomial, the exponent put in by bits), within 2 ulp of the C library's `expf`
/// for |x| <= 88. The activations call it on whole rows, where the scalar `expf` was a
/// quarter of the planning time.
@inlinable @inline(__always)
func exp8(_ v: SIMD8<Float>) -> SIMD8<Float> {
    // `replacing(with:where:)` compiles to compares and masks; `clamped` and the SIMD rounding
    // initialisers call generic per-lane code.
    var x = v.replacing(with: -87.3, where: v .< -87.3)
    x = x.replacing(with: 88.3, where: x .> 88.3)
    // Rounding to the nearest integer by adding and subtracting 1.5 * 2^23 (the float's
    // low mantissa bits then hold the integer): the generic SIMD rounding and conversion
    // initialisers go through a per-lane slow path.
    let magic = SIMD8<Float>(repeating: 12_582_912)
    let shifted = x * 1.44269504088896341 + magic
    let n = shifted - magic
    var r = x - n * 0.693359375
    r = r - n * -2.12194440e-4
    var p = SIMD8<Float>(repeating: 1.9875691500e-4)
    p = p * r + 1.3981999507e-3
    p = p * r + 8.3334519073e-3
    p = p * r + 4.1665795894e-2
    p = p * r + 1.6666665459e-1
    p = p * r + 5.0000001201e-1
    let y = p * r * r + r + 1
    let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- SIMD8<Int32>(repeating: 0x4B40_0000)
    let bits = (integer &+ 127) &<< 23
    return y * unsafeBitCast(bits, to: SIMD8<Float>.self)
}

/// The logistic function over eight floats.
@inlinable @inline(__always)
func sigmoid8(_ x: SIMD8<Float>) -> SIMD8<Float> { 1 / (1 + exp8(-x)) }

@inlinable @inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
}

@inlinable @inline(__always)
func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
}
