/// Normal draws cut at two standard deviations by redrawing, as PyTorch's `trunc_normal_`
/// with bounds (-2 std, 2 std).
public enum TruncatedNormal {
    public static func sample(std: Double, _ rng: inout RandomSource) -> Double {
        while true {
            let z = rng.normal()
            if z >= -2 && z <= 2 { return z * std }
        }
    }
}
