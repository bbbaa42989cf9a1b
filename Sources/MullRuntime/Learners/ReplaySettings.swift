/// The loop around a replay learner: how it explores first, how often it updates, how it is
/// evaluated.
public struct ReplaySettings: Sendable, Equatable {
    /// Real steps with uniformly random actions at the start (counted as real steps and in
    /// episodes, unlike a planner's warm-up). Updates start after them.
    public var warmupSteps = 1000
    /// Gradient updates every `updateEvery` real steps.
    public var updatesPerStep = 1
    public var updateEvery = 1
    /// Real transitions kept (the oldest are overwritten).
    public var bufferCapacity = 1_000_000
    /// Real steps between evaluations of the deterministic policy (0: none).
    public var evaluateEvery = 0
    /// Episodes per evaluation; each evaluation starts from the same start states.
    public var evaluationEpisodes = 10

    public init() {}
}

/// How long MBPO's branched rollouts are.
public enum RolloutLength: Sendable, Equatable {
    case fixed(Int)
    /// MBPO's schedule `[e0, e1, k0, k1]`: k grows linearly from k0 to k1 between epochs e0 and
    /// e1 (mbrl-lib's `truncated_linear` of epoch + 1, rounded down).
    case schedule(fromEpoch: Int, toEpoch: Int, from: Int, to: Int)
    /// The longest k up to `maximum` whose k-step error of the model on the newest real
    /// transitions (before training on them) stays under `threshold` (mean squared error per
    /// observation number, along the real actions).
    case adaptive(threshold: Double, maximum: Int)

    /// The length under the schedule after `epoch` finished epochs.
    public func scheduled(epoch: Int) -> Int {
        switch self {
        case .fixed(let k): return k
        // Before the first measurement: the length the first round uses, with no trained model.
        case .adaptive: return 1
        case .schedule(let e0, let e1, let k0, let k1):
            let x = Double(epoch + 1)
            if e1 - e0 <= 0 { return k1 }
            if x <= Double(e0) { return k0 }
            let dx = min((x - Double(e0)) / Double(e1 - e0), 1)
            return Int(dx * Double(k1 - k0) + Double(k0))
        }
    }

    /// The longest rollout this setting can ask for.
    public var maximum: Int {
        switch self {
        case .fixed(let k): return k
        case .adaptive(_, let m): return m
        case .schedule(_, _, let k0, let k1): return max(k0, k1)
        }
    }
}

/// MBPO's branched model rollouts (Janner et al., 2019): the model is retrained every
/// `trainEvery` real steps, and then `rolloutsPerStep * trainEvery` rollouts branch from real
/// states sampled from the real buffer, follow the current policy through the model for the
/// rollout length, and fill the model buffer, which keeps the rollouts of `retainEpochs`
/// epochs. Each learner batch takes a `realRatio` share of real transitions, the rest imagined.
public struct BranchedRolloutSettings: Sendable, Equatable {
    public var rolloutsPerStep = 400
    public var length: RolloutLength = .schedule(fromEpoch: 20, toEpoch: 100, from: 1, to: 1)
    public var epochLength = 250
    public var retainEpochs = 1
    public var realRatio = 0.05
    public var trainEvery = 250

    public init() {}

    /// Transitions the model buffer keeps for rollouts of length `k` (mbrl-lib's
    /// `sac_buffer_capacity`).
    public func modelBufferCapacity(length k: Int) -> Int {
        let trainsPerEpoch = (epochLength + trainEvery - 1) / trainEvery
        return max(1, k * rolloutsPerStep * trainEvery * trainsPerEpoch * retainEpochs)
    }
}
