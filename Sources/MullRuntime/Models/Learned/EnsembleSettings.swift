/// How an ensemble's predictions are carried along a planned trajectory (Chua et al., 2018).
public enum Propagation: String, Sendable, CaseIterable {
    /// TS1: each particle takes a random elite at every step (a fresh balanced assignment of the
    /// particles to the elites each step, as mbrl-lib's `random_model`), and samples from it.
    case ts1
    /// TS-infinity: each particle keeps one elite for the whole trajectory (mbrl-lib's
    /// `fixed_model`), and samples from it.
    case tsinf
    /// Every particle moves by the mean of the elites' predicted means: no sampling, no
    /// disagreement (mbrl-lib's `expectation`).
    case expectation
    /// Like `tsinf`, but each particle follows its elite's predicted mean without sampling noise
    /// (only the epistemic spread between members remains).
    case mean
}

/// Settings of a learned ensemble dynamics model and of its training.
public struct EnsembleSettings: Sendable, Equatable {
    public var members = 7
    public var elites = 5
    public var hidden = [200, 200, 200, 200]
    public var activation = Activation.silu
    /// Gaussian outputs trained by negative log-likelihood; false: means trained by MSE.
    public var probabilistic = true
    public var learnLogVarianceBounds = false
    public var learningRate = 7.5e-4
    public var weightDecay = 3e-5
    public var batchSize = 256
    /// Fraction of the data held out to score members (0: score on the training data, as
    /// mbrl-lib's PETS cartpole configuration does).
    public var validationFraction = 0.2
    /// Epochs without a 1% improvement of any member's score before training stops.
    public var patience = 25
    public var maxEpochs = 10
    public var propagation = Propagation.ts1
    public var particles = 20
    /// Learn the reward as an extra output instead of taking it from the task.
    public var learnReward = false
    /// Real transitions kept (the oldest are overwritten).
    public var bufferCapacity = 100_000

    public init() {}

    /// Checks sizes and combinations; the message says what to change.
    public func validate() throws {
        guard members >= 1 else { throw RuntimeError("an ensemble needs at least 1 member, got \(members)") }
        guard elites >= 1 && elites <= members else {
            throw RuntimeError("`elites` must be between 1 and `members` (\(members)), got \(elites)")
        }
        guard !hidden.isEmpty, hidden.allSatisfy({ $0 >= 1 && $0 <= 100_000 }) else {
            throw RuntimeError("`hidden` must list one or more layer widths between 1 and 100000")
        }
        // Weights, gradients and two Adam moments per parameter: bound them so a typo in a width
        // is a message, not a failed allocation.
        var weights = 0.0
        for (a, b) in zip(hidden, hidden.dropFirst()) { weights += Double(a) * Double(b) }
        guard Double(members) * weights <= 100_000_000 else {
            throw RuntimeError("an ensemble of \(members) members with hidden layers \(hidden) has over 100 million weights; use fewer members or narrower layers")
        }
        guard particles >= 1 else { throw RuntimeError("`particles` must be at least 1") }
        guard batchSize >= 1 else { throw RuntimeError("`batch_size` must be at least 1") }
        guard learningRate > 0 && learningRate.isFinite else { throw RuntimeError("`learning_rate` must be positive") }
        guard weightDecay >= 0 else { throw RuntimeError("`weight_decay` must not be negative") }
        guard validationFraction >= 0 && validationFraction < 1 else { throw RuntimeError("`validation` must be in [0, 1)") }
        guard maxEpochs >= 1 else { throw RuntimeError("`epochs` must be at least 1") }
        guard patience >= 1 else { throw RuntimeError("`patience` must be at least 1") }
        guard bufferCapacity >= 1 else { throw RuntimeError("`buffer_size` must be at least 1") }
    }
}

/// What one training round measured.
public struct TrainingRound: Sendable, Equatable {
    /// Real transitions the round trained on (training and validation together).
    public var transitions: Int
    /// Epochs run (at most the setting's `maxEpochs`).
    public var epochs: Int
    /// Loss of the last training batch.
    public var trainingLoss: Double
    /// Per member, after training: mean squared error of the mean prediction on the scoring data
    /// (the validation split, or the training data when there is none).
    public var validationMSE: [Double]
    /// Per member: Gaussian negative log-likelihood per output on the scoring data (with the
    /// log 2 pi constant and the 1/2, so it is a proper density); NaN for deterministic members.
    public var validationNLL: [Double]
    /// The members used for prediction, best score first.
    public var elites: [Int]
    /// Mean squared one-step error of the model before this round on the transitions added
    /// since the previous round (data it had not seen); nil for the first round.
    public var heldOutError: Double?
    /// Transitions the held-out error was measured on.
    public var heldOutCount: Int
}

/// A training round that produced a non-finite loss or prediction.
public struct TrainingDivergedError: Error, CustomStringConvertible {
    public var round: Int
    public var epoch: Int
    public var detail: String
    public var description: String {
        "training diverged in round \(round), epoch \(epoch): \(detail); lower `learning_rate`, raise `weight_decay`, or use a smaller network"
    }
}
