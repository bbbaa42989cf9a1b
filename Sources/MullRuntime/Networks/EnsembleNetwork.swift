#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The size and kind of an ensemble of fully connected networks.
public struct NetworkShape: Sendable, Equatable {
    /// Networks in the ensemble (1: a single network).
    public var members: Int
    public var inputs: Int
    /// Predicted numbers per row (each with a mean, and a log-variance if probabilistic).
    public var outputs: Int
    /// Widths of the hidden layers.
    public var hidden: [Int]
    public var activation: Activation
    /// Gaussian outputs (mean and log-variance, trained by negative log-likelihood) or plain
    /// means (trained by mean squared error).
    public var probabilistic: Bool
    /// Whether the soft log-variance bounds are trained (mbrl-lib's `learn_logvar_bounds`,
    /// off by default there and here).
    public var learnLogVarianceBounds: Bool

    public init(members: Int, inputs: Int, outputs: Int, hidden: [Int], activation: Activation = .silu,
                probabilistic: Bool = true, learnLogVarianceBounds: Bool = false) {
        self.members = members
        self.inputs = inputs
        self.outputs = outputs
        self.hidden = hidden
        self.activation = activation
        self.probabilistic = probabilistic
        self.learnLogVarianceBounds = learnLogVarianceBounds
    }
}

/// The training objective.
public enum NetworkLoss: Sendable {
    /// Gaussian negative log-likelihood, mbrl-lib's `gaussian_nll` without its 1/2: per member
    /// the mean over rows and outputs of `(mean - y)^2 exp(-logvar) + logvar`, summed over
    /// members, plus `0.01 * (sum(max_logvar) - sum(min_logvar))`.
    case gaussianNLL
    /// Per member the mean over rows and outputs of `(mean - y)^2`, summed over members.
    case meanSquaredError
}

/// An ensemble of fully connected networks evaluated together: member m's rows form a block of
/// the batch (`blocks`), every layer is one `sgemm` per member, and all buffers are allocated
/// once for the largest batch seen, so training and inference allocate nothing per batch.
///
/// Probabilistic outputs are mbrl-lib's Gaussian heads: the last layer gives a mean and a raw
/// log-variance per output, and the log-variance is softly bounded,
/// `lv = max - softplus(max - raw)`, then `lv = min + softplus(lv - min)` (Chua et al., 2018).
public final class EnsembleNetwork {
    public let shape: NetworkShape
    public let layers: [EnsembleLinear]
    /// Upper and lower soft bounds of the log-variance, one per output, shared by the members.
    public let maxLogVariance: Parameter
    public let minLogVariance: Parameter
    /// Every trainable tensor, layers first.
    public let parameters: [Parameter]
    /// Which rows of the batch each member evaluates. Set before `forward`.
    public let blocks: RowBlocks
    /// Rows the buffers hold.
    public private(set) var capacity = 0

    /// The batch: `rows x inputs`, written by the caller before `forward`.
    public private(set) var input: UnsafeMutablePointer<Float>
    /// Predicted means, `rows x outputs`, after `forward`.
    public private(set) var mean: UnsafeMutablePointer<Float>
    /// Bounded log-variances, `rows x outputs`, after `forward` (zero for deterministic networks).
    public private(set) var logVariance: UnsafeMutablePointer<Float>
    /// Gradient of the loss with respect to the input, after `backward(inputGradient: true)`.
    public private(set) var inputGradient: UnsafeMutablePointer<Float>

    @usableFromInline var pre: [UnsafeMutablePointer<Float>]
    @usableFromInline var post: [UnsafeMutablePointer<Float>]
    @usableFromInline var upper: UnsafeMutablePointer<Float>
    @usableFromInline var gradientMean: UnsafeMutablePointer<Float>
    @usableFromInline var gradientLogVariance: UnsafeMutablePointer<Float>
    @usableFromInline var scratchA: UnsafeMutablePointer<Float>
    @usableFromInline var scratchB: UnsafeMutablePointer<Float>
    @usableFromInline var penaltyInLoss = false
    let widths: [Int]

    public init(shape: NetworkShape, rng: inout RandomSource, capacity rows: Int = 256,
                initialization: WeightInitialization = .truncatedNormal) {
        precondition(shape.members >= 1 && shape.inputs >= 1 && shape.outputs >= 1)
        _ = BLAS.configured
        self.shape = shape
        var widths = [shape.inputs] + shape.hidden
        widths.append(shape.probabilistic ? 2 * shape.outputs : shape.outputs)
        self.widths = widths
        layers = (0..<(widths.count - 1)).map { EnsembleLinear(members: shape.members, inputs: widths[$0], outputs: widths[$0 + 1]) }
        maxLogVariance = Parameter(count: shape.outputs, trainable: shape.probabilistic && shape.learnLogVarianceBounds)
        minLogVariance = Parameter(count: shape.outputs, trainable: shape.probabilistic && shape.learnLogVarianceBounds)
        maxLogVariance.fill(0.5)
        minLogVariance.fill(-10)
        parameters = layers.flatMap { [$0.weight, $0.bias] } + (shape.probabilistic ? [maxLogVariance, minLogVariance] : [])
        blocks = RowBlocks(members: shape.members)
        input = .allocate(capacity: 1)
        mean = .allocate(capacity: 1)
        logVariance = .allocate(capacity: 1)
        inputGradient = .allocate(capacity: 1)
        upper = .allocate(capacity: 1)
        gradientMean = .allocate(capacity: 1)
        gradientLogVariance = .allocate(capacity: 1)
        scratchA = .allocate(capacity: 1)
        scratchB = .allocate(capacity: 1)
        pre = []
        post = []
        for layer in layers { layer.initialize(&rng, initialization) }
        reserve(rows: max(1, rows))
    }

    deinit { releaseBuffers() }

    private func releaseBuffers() {
        for p in [input, mean, logVariance, inputGradient, upper, gradientMean, gradientLogVariance, scratchA, scratchB] { p.deallocate() }
        for p in pre { p.deallocate() }
        for p in post { p.deallocate() }
    }

    /// Makes the buffers hold at least `rows` rows (reallocating only when they grow).
    public func reserve(rows: Int) {
        guard rows > capacity else { return }
        releaseBuffers()
        capacity = rows
        func buffer(_ n: Int) -> UnsafeMutablePointer<Float> {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, n))
            p.initialize(repeating: 0, count: max(1, n))
            return p
        }
        let o = shape.outputs
        input = buffer(rows * shape.inputs)
        inputGradient = buffer(rows * shape.inputs)
        mean = buffer(rows * o)
        logVariance = buffer(rows * o)
        upper = buffer(rows * o)
        gradientMean = buffer(rows * o)
        gradientLogVariance = buffer(rows * o)
        let widest = widths.max()!
        scratchA = buffer(rows * widest)
        scratchB = buffer(rows * widest)
        pre = (1..<widths.count).map { buffer(rows * widths[$0]) }
        post = (1..<(widths.count - 1)).map { buffer(rows * widths[$0]) }
    }

    /// Numbers in one member's parameters (layers only; the bounds are shared).
    public var memberParameterCount: Int { layers.reduce(0) { $0 + $1.inputs * $1.outputs + $1.outputs } }

    /// Copies member `m`'s weights and biases into `out[0 ..< memberParameterCount]`.
    public func saveMember(_ m: Int, into out: UnsafeMutablePointer<Float>) {
        var p = out
        for l in layers {
            let w = l.inputs * l.outputs
            p.update(from: l.weight.value + m * w, count: w); p += w
            p.update(from: l.bias.value + m * l.outputs, count: l.outputs); p += l.outputs
        }
    }

    /// Restores member `m`'s weights and biases saved by `saveMember`.
    public func loadMember(_ m: Int, from source: UnsafePointer<Float>) {
        var p = source
        for l in layers {
            let w = l.inputs * l.outputs
            (l.weight.value + m * w).update(from: p, count: w); p += w
            (l.bias.value + m * l.outputs).update(from: p, count: l.outputs); p += l.outputs
        }
    }

    @inlinable @inline(__always)
    static func softplus(_ x: Float) -> Float { x > 20 ? x : log1pf(expf(x)) }
    @inlinable @inline(__always)
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + expf(-x)) }

    /// Evaluates `input` (its first `blocks.rows` rows) into `mean` and `logVariance`.
    public func forward() {
        let rows = blocks.rows
        precondition(rows <= capacity, "EnsembleNetwork: \(rows) rows exceed the reserved \(capacity)")
        var x = UnsafePointer(input)
        let last = layers.count - 1
        for l in 0...last {
            layers[l].forward(x, pre[l], blocks)
            if l < last {
                shape.activation.forward(pre[l], post[l], count: rows * widths[l + 1])
                x = UnsafePointer(post[l])
            }
        }
        let o = shape.outputs
        let z = pre[last]
        if shape.probabilistic {
            let maxV = maxLogVariance.value, minV = minLogVariance.value
            for r in 0..<rows {
                let zr = z + r * 2 * o
                for j in 0..<o {
                    mean[r * o + j] = zr[j]
                    let u = maxV[j] - Self.softplus(maxV[j] - zr[o + j])
                    upper[r * o + j] = u
                    logVariance[r * o + j] = minV[j] + Self.softplus(u - minV[j])
                }
            }
        } else {
            mean.update(from: z, count: rows * o)
        }
    }

    /// The loss of the last `forward` against `targets` (`rows x outputs`), per member averaged
    /// over its rows and outputs and summed over members; prepares `backward`.
    @discardableResult
    public func loss(_ targets: UnsafePointer<Float>, _ kind: NetworkLoss) -> Double {
        let o = shape.outputs
        let nll = kind == .gaussianNLL && shape.probabilistic
        var total = 0.0
        for m in 0..<shape.members {
            let n = blocks.counts[m]
            guard n > 0 else { continue }
            let scale = 1 / Float(n * o)
            var sum = 0.0
            for i in (blocks.offsets[m] * o)..<((blocks.offsets[m] + n) * o) {
                let d = mean[i] - targets[i]
                if nll {
                    let inv = expf(-logVariance[i])
                    sum += Double(d * d * inv + logVariance[i])
                    gradientMean[i] = scale * 2 * d * inv
                    gradientLogVariance[i] = scale * (1 - d * d * inv)
                } else {
                    sum += Double(d * d)
                    gradientMean[i] = scale * 2 * d
                    gradientLogVariance[i] = 0
                }
            }
            total += sum * Double(scale)
        }
        penaltyInLoss = nll
        if nll {
            var bounds = 0.0
            for j in 0..<o { bounds += Double(maxLogVariance.value[j]) - Double(minLogVariance.value[j]) }
            total += 0.01 * bounds
        }
        return total
    }

    /// The gradient of a loss with respect to the predicted means, `rows x outputs`: a caller
    /// whose loss is not one of `NetworkLoss` (a policy's, a Q-learning target's) writes it here
    /// and calls `backwardFromOutput`.
    public var outputGradient: UnsafeMutablePointer<Float> { gradientMean }

    /// Back-propagates `outputGradient` (deterministic networks) into every parameter's
    /// `gradient` and, when asked, into `inputGradient`.
    /// With `parameterGradients: false` only `inputGradient` is computed (the parameters'
    /// gradients are left as they were), which saves a third of the work.
    public func backwardFromOutput(inputGradient wantInput: Bool = false, parameterGradients: Bool = true) {
        precondition(!shape.probabilistic, "backwardFromOutput is for deterministic networks")
        precondition(wantInput || parameterGradients, "backwardFromOutput computes nothing")
        penaltyInLoss = false
        backward(inputGradient: wantInput, parameterGradients: parameterGradients)
    }

    /// Makes every parameter equal to `source`'s (a target network's hard update).
    public func copyParameters(from source: EnsembleNetwork) {
        precondition(source.shape == shape)
        for (p, q) in zip(parameters, source.parameters) { p.value.update(from: q.value, count: p.count) }
    }

    /// Polyak averaging towards `source`: `w = (1 - tau) w + tau w_source` (a target network's
    /// soft update).
    public func blendParameters(from source: EnsembleNetwork, tau: Float) {
        precondition(source.shape == shape)
        for (p, q) in zip(parameters, source.parameters) {
            let w = p.value, v = q.value
            for i in 0..<p.count { w[i] += tau * (v[i] - w[i]) }
        }
    }

    /// Back-propagates the gradient prepared by `loss` into every parameter's `gradient`
    /// (overwriting it) and, when asked, into `inputGradient`.
    public func backward(inputGradient wantInput: Bool = false, parameterGradients: Bool = true) {
        let rows = blocks.rows
        let o = shape.outputs
        let last = layers.count - 1
        var dz = scratchA
        if shape.probabilistic {
            let z = pre[last]
            let maxV = maxLogVariance.value, minV = minLogVariance.value
            let gMax = maxLogVariance.gradient, gMin = minLogVariance.gradient
            let penalty: Float = penaltyInLoss ? 0.01 : 0
            for j in 0..<o { gMax[j] = penalty; gMin[j] = -penalty }
            for r in 0..<rows {
                let zr = z + r * 2 * o
                let dr = dz + r * 2 * o
                for j in 0..<o {
                    let i = r * o + j
                    dr[j] = gradientMean[i]
                    let g = gradientLogVariance[i]
                    let sLower = Self.sigmoid(upper[i] - minV[j])
                    let sUpper = Self.sigmoid(maxV[j] - zr[o + j])
                    dr[o + j] = g * sLower * sUpper
                    gMax[j] += g * sLower * (1 - sUpper)
                    gMin[j] += g * (1 - sLower)
                }
            }
        } else {
            dz.update(from: gradientMean, count: rows * o)
        }
        for l in stride(from: last, through: 0, by: -1) {
            let x = l == 0 ? UnsafePointer(input) : UnsafePointer(post[l - 1])
            let dx: UnsafeMutablePointer<Float>? = l > 0 ? (dz == scratchA ? scratchB : scratchA) : (wantInput ? inputGradient : nil)
            layers[l].backward(x, dz, dx, blocks, parameterGradients: parameterGradients)
            if l > 0, let dx {
                shape.activation.backward(pre[l - 1], post[l - 1], dx, count: rows * widths[l])
                dz = dx
            }
        }
    }
}
