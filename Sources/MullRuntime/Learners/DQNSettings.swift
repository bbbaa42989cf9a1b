/// Settings of deep Q-learning (Mnih et al., 2015) with double-DQN targets (van Hasselt et al.,
/// 2016). The defaults are rl-baselines3-zoo's tuned CartPole-v1 settings (hyperparams/dqn.yml):
/// learning rate 2.3e-3, batch 64, gamma 0.99, target copied every 10 real steps, 128 gradient
/// steps every 256 real steps, epsilon from 1 to 0.04 over 16% of 50,000 steps, two hidden
/// layers of 256 ReLU units.
public struct DQNSettings: Sendable, Equatable {
    public var hidden: [Int] = [256, 256]
    public var activation: Activation = .relu
    public var learningRate: Double = 2.3e-3
    public var batchSize = 64
    public var gamma: Double = 0.99
    /// Real steps between copies of the online network into the target network.
    public var targetUpdateInterval = 10
    /// Double DQN: the online network picks the next action, the target network values it.
    public var double = true
    /// The Huber loss's threshold (PyTorch's `smooth_l1_loss` with beta 1).
    public var huberDelta: Double = 1
    /// Gradient norm clipping (nil: none). Stable-Baselines3 clips at 10.
    public var maxGradientNorm: Double? = 10
    /// Exploration rate of the epsilon-greedy behaviour policy by real steps.
    public var epsilon: ParameterSchedule = .linear(start: 1, end: 0.04, steps: 8_000)

    public init() {}
}
