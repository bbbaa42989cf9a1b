/// A linear layer for every member of an ensemble: member m maps its own block of rows with its
/// own weights, `y = x W[m] + b[m]`. Weights are stored `[member][input][output]`, row-major, so
/// each member's product is one `sgemm`.
public final class EnsembleLinear {
    public let members: Int
    public let inputs: Int
    public let outputs: Int
    public let weight: Parameter
    public let bias: Parameter

    public init(members: Int, inputs: Int, outputs: Int) {
        self.members = members
        self.inputs = inputs
        self.outputs = outputs
        weight = Parameter(count: members * inputs * outputs)
        bias = Parameter(count: members * outputs)
    }

    /// Draws the weights and biases as `scheme` says.
    public func initialize(_ rng: inout RandomSource, _ scheme: WeightInitialization = .truncatedNormal) {
        switch scheme {
        case .truncatedNormal:
            let std = 1 / (2 * Double(inputs).squareRoot())
            for i in 0..<weight.count { weight.value[i] = Float(TruncatedNormal.sample(std: std, &rng)) }
            bias.fill(0)
        case .xavierUniform:
            let bound = (6 / Double(inputs + outputs)).squareRoot()
            for i in 0..<weight.count { weight.value[i] = Float(rng.uniform(-bound, bound)) }
            bias.fill(0)
        case .uniformFanIn:
            let bound = 1 / Double(inputs).squareRoot()
            for i in 0..<weight.count { weight.value[i] = Float(rng.uniform(-bound, bound)) }
            for i in 0..<bias.count { bias.value[i] = Float(rng.uniform(-bound, bound)) }
        }
    }

    /// Forward pass. Member m's rows are `blocks.range(m)` of `x` (width `inputs`) and of `y`
    /// (width `outputs`).
    @inlinable
    public func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ blocks: RowBlocks) {
        for m in 0..<members {
            let n = blocks.counts[m]
            guard n > 0 else { continue }
            let yb = y + blocks.offsets[m] * outputs
            let b = bias.value + m * outputs
            for r in 0..<n { (yb + r * outputs).update(from: b, count: outputs) }
            BLAS.gemm(m: n, n: outputs, k: inputs, x + blocks.offsets[m] * inputs, lda: inputs,
                      weight.value + m * inputs * outputs, ldb: outputs, beta: 1, yb, ldc: outputs)
        }
    }

    /// Backward pass: sets the weight and bias gradients from the output gradient `dy` and the
    /// forward input `x` (unless `parameterGradients` is false: only the input gradient is
    /// wanted, as when a critic passes a gradient through to an actor), and writes the input
    /// gradient into `dx` when given.
    @inlinable
    public func backward(_ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?,
                         _ blocks: RowBlocks, parameterGradients: Bool = true) {
        for m in 0..<members {
            let n = blocks.counts[m]
            let gw = weight.gradient + m * inputs * outputs
            let gb = bias.gradient + m * outputs
            guard n > 0 else {
                if parameterGradients {
                    gw.update(repeating: 0, count: inputs * outputs)
                    gb.update(repeating: 0, count: outputs)
                }
                continue
            }
            let xb = x + blocks.offsets[m] * inputs
            let dyb = dy + blocks.offsets[m] * outputs
            if parameterGradients {
                BLAS.gemm(transposeA: true, m: inputs, n: outputs, k: n, xb, lda: inputs, dyb, ldb: outputs,
                          beta: 0, gw, ldc: outputs)
                gb.update(repeating: 0, count: outputs)
                for r in 0..<n {
                    let row = dyb + r * outputs
                    for j in 0..<outputs { gb[j] += row[j] }
                }
            }
            if let dx {
                BLAS.gemm(transposeB: true, m: n, n: inputs, k: outputs, dyb, lda: outputs,
                          weight.value + m * inputs * outputs, ldb: outputs, beta: 0, dx + blocks.offsets[m] * inputs, ldc: inputs)
            }
        }
    }
}

/// How a layer's weights are drawn.
public enum WeightInitialization: Sendable {
    /// Normal with standard deviation 1 / (2 sqrt(inputs)), cut at two standard deviations, zero
    /// biases: mbrl-lib's `truncated_normal_init` for dynamics models.
    case truncatedNormal
    /// Uniform on +-sqrt(6 / (inputs + outputs)), zero biases: `xavier_uniform_` with gain 1, as
    /// the SAC implementation mbrl-lib uses (pranz24's `weights_init_`).
    case xavierUniform
    /// Weights and biases uniform on +-1 / sqrt(inputs): PyTorch's default for `nn.Linear`.
    case uniformFanIn
}

/// Which rows of a batch belong to which ensemble member: member m owns rows
/// `offsets[m] ..< offsets[m] + counts[m]`. Blocks are contiguous and in member order.
public final class RowBlocks {
    public let members: Int
    public let offsets: UnsafeMutablePointer<Int>
    public let counts: UnsafeMutablePointer<Int>

    public init(members: Int) {
        self.members = members
        offsets = .allocate(capacity: members)
        offsets.initialize(repeating: 0, count: members)
        counts = .allocate(capacity: members)
        counts.initialize(repeating: 0, count: members)
    }

    deinit {
        offsets.deallocate()
        counts.deallocate()
    }

    /// Total rows.
    public var rows: Int { members == 0 ? 0 : offsets[members - 1] + counts[members - 1] }

    /// Every member gets `rowsPerMember` rows.
    public func setUniform(_ rowsPerMember: Int) {
        for m in 0..<members {
            offsets[m] = m * rowsPerMember
            counts[m] = rowsPerMember
        }
    }

    /// Member m gets `counts[m]` rows, in member order.
    public func set(counts c: UnsafePointer<Int>) {
        var o = 0
        for m in 0..<members {
            offsets[m] = o
            counts[m] = c[m]
            o += c[m]
        }
    }
}
