/// Settings of soft actor-critic (Haarnoja et al., 2018, "Soft Actor-Critic Algorithms and
/// Applications"). The defaults are the paper's (Table 1) and the usual implementations':
/// two hidden layers of 256 ReLU units, Adam with learning rate 3e-4 for actor, critics and
/// temperature, batches of 256, tau = 0.005, gamma = 0.99, target entropy -|A|.
public struct SACSettings: Sendable, Equatable {
    public var hidden: [Int] = [256, 256]
    public var activation: Activation = .relu
    public var learningRate: Double = 3e-4
    public var batchSize = 256
    /// Polyak factor of the target critics' soft update.
    public var tau: Double = 0.005
    public var gamma: Double = 0.99
    /// The entropy temperature alpha to start from (and to keep, without tuning).
    public var initialAlpha: Double = 1.0
    /// Automatic entropy tuning: alpha is learned so the policy's entropy stays near the target.
    public var tuneEntropy = true
    /// The target entropy (nil: minus the number of action dimensions).
    public var targetEntropy: Double?
    /// Updates between soft updates of the target critics.
    public var targetUpdateInterval = 1
    /// Bounds of the actor's log standard deviation (pranz24's LOG_SIG_MIN and LOG_SIG_MAX).
    public var logStdMin: Float = -20
    public var logStdMax: Float = 2

    public init() {}
}
