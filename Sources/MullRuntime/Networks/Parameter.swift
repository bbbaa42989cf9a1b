/// A trainable tensor: values, gradients and Adam's two moment estimates, in flat buffers
/// allocated once.
public final class Parameter {
    public let count: Int
    public let value: UnsafeMutablePointer<Float>
    public let gradient: UnsafeMutablePointer<Float>
    @usableFromInline let firstMoment: UnsafeMutablePointer<Float>
    @usableFromInline let secondMoment: UnsafeMutablePointer<Float>
    /// Whether the optimiser updates it (mbrl-lib's log-variance bounds are fixed by default).
    public var trainable: Bool

    public init(count: Int, trainable: Bool = true) {
        self.count = count
        self.trainable = trainable
        value = .allocate(capacity: count)
        value.initialize(repeating: 0, count: count)
        gradient = .allocate(capacity: count)
        gradient.initialize(repeating: 0, count: count)
        firstMoment = .allocate(capacity: count)
        firstMoment.initialize(repeating: 0, count: count)
        secondMoment = .allocate(capacity: count)
        secondMoment.initialize(repeating: 0, count: count)
    }

    deinit {
        value.deallocate()
        gradient.deallocate()
        firstMoment.deallocate()
        secondMoment.deallocate()
    }

    public var values: [Float] { Array(UnsafeBufferPointer(start: value, count: count)) }

    /// Sets every value to `x`.
    public func fill(_ x: Float) { value.update(repeating: x, count: count) }

    /// Forgets Adam's moment estimates (a fresh optimiser).
    public func resetMoments() {
        firstMoment.update(repeating: 0, count: count)
        secondMoment.update(repeating: 0, count: count)
    }
}

/// Adam (Kingma & Ba, 2015) with L2 weight decay added to the gradient, as PyTorch's
/// `torch.optim.Adam(weight_decay:)` does (not AdamW's decoupled decay).
public struct AdamSettings: Sendable, Equatable {
    public var learningRate: Float
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public var weightDecay: Float

    public init(learningRate: Float = 1e-3, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }
}

/// The optimiser state shared by a set of parameters: the step count for bias correction.
public final class Adam {
    public var settings: AdamSettings
    public private(set) var steps = 0

    public init(_ settings: AdamSettings) { self.settings = settings }

    /// Restarts bias correction and clears the parameters' moments.
    public func reset(_ parameters: [Parameter]) {
        steps = 0
        for p in parameters { p.resetMoments() }
    }

    /// One update of every trainable parameter from its gradient.
    public func step(_ parameters: [Parameter]) {
        steps += 1
        let s = settings
        let t = Float(steps)
        let correction1 = 1 - pow(s.beta1, t)
        let correction2Root = (1 - pow(s.beta2, t)).squareRoot()
        let stepSize = s.learningRate / correction1
        for p in parameters where p.trainable {
            let w = p.value, g = p.gradient, m = p.firstMoment, v = p.secondMoment
            let b1 = s.beta1, b2 = s.beta2, eps = s.epsilon, wd = s.weightDecay
            for i in 0..<p.count {
                let gi = g[i] + wd * w[i]
                m[i] = b1 * m[i] + (1 - b1) * gi
                v[i] = b2 * v[i] + (1 - b2) * gi * gi
                w[i] -= stepSize * m[i] / (v[i].squareRoot() / correction2Root + eps)
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
