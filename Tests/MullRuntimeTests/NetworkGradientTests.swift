import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import MullRuntime

/// Finite-difference checks of every layer, both losses and the whole ensemble backward pass.
///
/// The networks compute in Float32, so the check uses central differences with a step of 1e-2
/// on small networks whose loss is of order 1: truncation error is O(h^2) ~ 1e-4 relative, and
/// Float32 rounding of the loss contributes ~1e-7 / h ~ 1e-5. A wrong derivative (a dropped
/// factor, a missing term, a transposed product) is off by far more than the 3% tolerance.
@Suite struct NetworkGradientTests {
    /// A network with uneven member blocks (as TS1 propagation makes) and random inputs/targets.
    static func network(_ activation: Activation, probabilistic: Bool, learnBounds: Bool = false,
                        counts: [Int] = [3, 5, 2]) -> (EnsembleNetwork, [Float]) {
        var rng = RandomSource(seed: 11)
        let shape = NetworkShape(members: counts.count, inputs: 3, outputs: 2, hidden: [6, 5], activation: activation,
                                 probabilistic: probabilistic, learnLogVarianceBounds: learnBounds)
        let net = EnsembleNetwork(shape: shape, rng: &rng, capacity: counts.reduce(0, +))
        // Larger weights than the default initialisation, so every nonlinearity is exercised.
        for p in net.parameters where p !== net.maxLogVariance && p !== net.minLogVariance {
            for i in 0..<p.count { p.value[i] = Float(rng.uniform(-0.9, 0.9)) }
        }
        if learnBounds {
            // Bounds close to the raw log-variances so both softplus terms have slope.
            net.maxLogVariance.fill(0.3)
            net.minLogVariance.fill(-0.6)
        }
        counts.withUnsafeBufferPointer { net.blocks.set(counts: $0.baseAddress!) }
        let rows = net.blocks.rows
        for i in 0..<(rows * 3) { net.input[i] = Float(rng.uniform(-1.5, 1.5)) }
        let targets = (0..<(rows * 2)).map { _ in Float(rng.uniform(-1, 1)) }
        return (net, targets)
    }

    static func loss(_ net: EnsembleNetwork, _ targets: [Float], _ kind: NetworkLoss) -> Double {
        net.forward()
        return targets.withUnsafeBufferPointer { net.loss($0.baseAddress!, kind) }
    }

    /// Largest relative error between analytic and central-difference gradients over every
    /// parameter entry (and every input entry).
    static func check(_ net: EnsembleNetwork, _ targets: [Float], _ kind: NetworkLoss) -> (Double, Int) {
        _ = loss(net, targets, kind)
        net.backward(inputGradient: true)
        var worst = 0.0, checked = 0
        let h: Float = 1e-2
        // ReLU and LeakyReLU have a kink at 0: a difference across it measures no derivative, so
        // entries whose perturbation flips the sign of any hidden pre-activation are skipped.
        let kinked = net.shape.activation == .relu || net.shape.activation == .leakyReLU
        func signs() -> [Bool] {
            guard kinked else { return [] }
            var out: [Bool] = []
            for l in 0..<(net.layers.count - 1) {
                for i in 0..<(net.blocks.rows * net.layers[l].outputs) { out.append(net.pre[l][i] > 0) }
            }
            return out
        }
        let base = signs()
        func compare(_ analytic: Float, _ p: UnsafeMutablePointer<Float>) {
            let saved = p.pointee
            p.pointee = saved + h
            let up = loss(net, targets, kind)
            let upSigns = signs()
            p.pointee = saved - h
            let down = loss(net, targets, kind)
            let downSigns = signs()
            p.pointee = saved
            if kinked && (upSigns != base || downSigns != base) { return }
            let numeric = (up - down) / Double(2 * h)
            let err = abs(numeric - Double(analytic)) / max(1e-2, abs(numeric) + abs(Double(analytic)))
            worst = max(worst, err)
            checked += 1
        }
        var trainable: [(Parameter, [Float])] = []
        for p in net.parameters where p.trainable { trainable.append((p, p.values.indices.map { p.gradient[$0] })) }
        for (p, g) in trainable { for i in 0..<p.count { compare(g[i], p.value + i) } }
        let inputs = (0..<(net.blocks.rows * net.shape.inputs)).map { net.inputGradient[$0] }
        for i in inputs.indices { compare(inputs[i], net.input + i) }
        return (worst, checked)
    }

    @Test(arguments: Activation.allCases)
    func gaussianNLLGradients(_ activation: Activation) {
        let (net, targets) = Self.network(activation, probabilistic: true)
        let (worst, checked) = Self.check(net, targets, .gaussianNLL)
        #expect(checked > 100)
        #expect(worst < 0.03, "\(activation): worst relative error \(worst)")
    }

    @Test(arguments: Activation.allCases)
    func meanSquaredErrorGradients(_ activation: Activation) {
        let (net, targets) = Self.network(activation, probabilistic: false)
        let (worst, _) = Self.check(net, targets, .meanSquaredError)
        #expect(worst < 0.03, "\(activation): worst relative error \(worst)")
    }

    @Test func learnedLogVarianceBoundsGradients() {
        let (net, targets) = Self.network(.silu, probabilistic: true, learnBounds: true)
        #expect(net.maxLogVariance.trainable && net.minLogVariance.trainable)
        let (worst, _) = Self.check(net, targets, .gaussianNLL)
        #expect(worst < 0.03, "worst relative error \(worst)")
    }

    @Test func memberWithoutRowsGetsZeroGradient() {
        let (net, targets) = Self.network(.tanh, probabilistic: true, counts: [4, 0, 3])
        let (worst, _) = Self.check(net, targets, .gaussianNLL)
        #expect(worst < 0.03)
        let l = net.layers[0]
        let w = l.inputs * l.outputs
        #expect((0..<w).allSatisfy { l.weight.gradient[w + $0] == 0 })
    }

    @Test func softBoundsKeepLogVarianceInside() {
        let (net, _) = Self.network(.silu, probabilistic: true)
        let last = net.layers.last!
        for i in 0..<last.bias.count { last.bias.value[i] = i % 2 == 0 ? 50 : -50 }
        net.forward()
        for i in 0..<(net.blocks.rows * 2) {
            #expect(net.logVariance[i] <= 0.5 + 1e-4 && net.logVariance[i] >= -10 - 1e-4)
        }
    }

    @Test func initialisationIsTruncatedNormal() {
        var rng = RandomSource(seed: 5)
        let layer = EnsembleLinear(members: 7, inputs: 200, outputs: 200)
        layer.initialize(&rng)
        let std = 1 / (2 * Double(200).squareRoot())
        let xs = layer.weight.values.map(Double.init)
        #expect(xs.allSatisfy { abs($0) <= 2 * std + 1e-7 })
        let m = xs.reduce(0, +) / Double(xs.count)
        let sd = (xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count)).squareRoot()
        // A normal cut at 2 sigma has standard deviation 0.880 sigma; 280k draws pin it to 0.3%.
        #expect(abs(sd / std - 0.880) < 0.01 && abs(m) < 0.01 * std)
        #expect((0..<layer.bias.count).allSatisfy { layer.bias.value[$0] == 0 })
    }

    @Test func adamMatchesTorchUpdateRule() {
        // torch.optim.Adam(lr=0.1, weight_decay=0.5) on p = [1, -2] with gradient [0.3, 0.4]
        // for three steps gives p = [0.700001, -1.700001] (each step moves by lr, as the
        // normalised first moment is +-1 with constant gradients).
        let p = Parameter(count: 2)
        p.value[0] = 1; p.value[1] = -2
        let adam = Adam(AdamSettings(learningRate: 0.1, weightDecay: 0.5))
        for _ in 0..<3 {
            p.gradient[0] = 0.3; p.gradient[1] = 0.4
            adam.step([p])
        }
        #expect(abs(p.value[0] - 0.7) < 2e-3 && abs(p.value[1] - (-1.7)) < 2e-3)
    }
}

@Suite struct VectorMathTests {
    @Test func exp8AgreesWithExpf() {
        var worst: Float = 0
        var x: Float = -87
        while x < 88 {
            let v = SIMD8<Float>((0..<8).map { x + Float($0) * 0.0137 })
            let e = exp8(v)
            for k in 0..<8 {
                let ref = expf(v[k])
                worst = max(worst, abs(e[k] - ref) / ref)
            }
            x += 0.1
        }
        // 2 ulp of a float is about 2.4e-7 relative.
        #expect(worst < 3e-7, "worst relative error \(worst)")
        #expect(exp8(SIMD8(repeating: -200))[0] >= 0 && exp8(SIMD8(repeating: -200))[0] < 1e-37)
    }
}
