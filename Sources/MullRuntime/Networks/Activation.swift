#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The nonlinearity between hidden layers.
public enum Activation: String, Sendable, CaseIterable {
    /// x * sigmoid(x) (also called swish), mbrl-lib's default for dynamics models.
    case silu
    case relu
    case tanh
    /// max(x, 0.01 x), PyTorch's default slope.
    case leakyReLU

    /// `y[i] = f(x[i])` for `count` numbers.
    @inlinable
    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .silu:
            var i = 0
            while i + 8 <= count {
                let v = load8(x + i)
                store8(v * sigmoid8(v), y + i)
                i += 8
            }
            while i < count { let v = x[i]; y[i] = v / (1 + expf(-v)); i += 1 }
        case .relu:
            for i in 0..<count { y[i] = max(x[i], 0) }
        case .tanh:
            for i in 0..<count { y[i] = tanhf(x[i]) }
        case .leakyReLU:
            for i in 0..<count { let v = x[i]; y[i] = v > 0 ? v : 0.01 * v }
        }
    }

    /// `g[i] *= f'(x[i])`, where `x` holds the inputs and `y` the outputs of `forward`.
    @inlinable
    public func backward(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ g: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .silu:
            var i = 0
            while i + 8 <= count {
                let v = load8(x + i)
                let s = sigmoid8(v)
                store8(load8(g + i) * s * (1 + v * (1 - s)), g + i)
                i += 8
            }
            while i < count {
                let s = 1 / (1 + expf(-x[i]))
                g[i] *= s * (1 + x[i] * (1 - s))
                i += 1
            }
        case .relu:
            for i in 0..<count where !(x[i] > 0) { g[i] = 0 }
        case .tanh:
            for i in 0..<count { g[i] *= 1 - y[i] * y[i] }
        case .leakyReLU:
            for i in 0..<count where !(x[i] > 0) { g[i] *= 0.01 }
        }
    }
}
