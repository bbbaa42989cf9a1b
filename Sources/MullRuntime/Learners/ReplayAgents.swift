/// Which model-free learner a replay agent trains.
public enum LearnerSpec: Sendable {
    case sac(SACSettings)
    case dqn(DQNSettings)

    public var name: String {
        switch self {
        case .sac: return "SAC"
        case .dqn: return "DQN"
        }
    }
}

/// A replay agent's settings, independent of its task: the learner, its loop and, for MBPO,
/// the ensemble and the branched rollouts.
public struct ReplayAgentSpec: Sendable {
    public var learner: LearnerSpec
    public var loop: ReplaySettings
    /// MBPO's model (its name and ensemble settings; the PETS-loop fields are not used).
    public var model: LearnedModelSpec?
    public var branched: BranchedRolloutSettings

    public init(learner: LearnerSpec, loop: ReplaySettings, model: LearnedModelSpec? = nil,
                branched: BranchedRolloutSettings = BranchedRolloutSettings()) {
        self.learner = learner
        self.loop = loop
        self.model = model
        self.branched = branched
    }
}

/// An environment that builds replay agents for itself (as `PlannableEnvironment` builds
/// planners), so a new classic-control task gets SAC or DQN, and MBPO where its rewards are
/// functions of observations, without editing a factory.
public protocol LearnableEnvironment: AnyObject {
    func makeReplayAgent(spec: ReplayAgentSpec, seed: UInt64) throws -> any ReplayAgentProtocol
}

extension ControlEnvironment: LearnableEnvironment {
    public func makeReplayAgent(spec: ReplayAgentSpec, seed: UInt64) throws -> any ReplayAgentProtocol {
        try Dynamics.replayAgent(self, spec: spec, seed: seed)
    }
}

public enum ReplayAgents {
    /// A replay agent for `environment` (a classic-control task).
    public static func make(environment: AnyObject, spec: ReplayAgentSpec, seed: UInt64) throws -> any ReplayAgentProtocol {
        guard let e = environment as? any LearnableEnvironment else {
            throw RuntimeError("\(spec.learner.name) learns on the classic-control tasks (CartPole, Acrobot, MountainCar, Pendulum, ...); on tabular tasks use QLearning, DynaQ or PrioritizedSweeping")
        }
        return try e.makeReplayAgent(spec: spec, seed: seed)
    }

    static func sac<D: ControlDynamics>(_ env: ControlEnvironment<D>, _ spec: ReplayAgentSpec, _ seed: UInt64) throws -> SACLearner
    where D.Action == Double {
        guard case .sac(let s) = spec.learner else {
            throw RuntimeError("DQN needs discrete actions; \(D.gymnasiumID) has continuous actions: use SAC")
        }
        let (low, high) = try PlanningAgents.bounds(env.actionSpace)
        return SACLearner(SAC(observationLength: D.observationCount, low: low, high: high, settings: s, seed: seed),
                          low: low[0], high: high[0])
    }

    static func dqn<D: ControlDynamics>(_ env: ControlEnvironment<D>, _ spec: ReplayAgentSpec, _ seed: UInt64) throws -> DQNLearner
    where D.Action == Int {
        guard case .dqn(let s) = spec.learner else {
            throw RuntimeError("SAC needs continuous actions; \(D.gymnasiumID) has discrete actions: use DQN")
        }
        guard case .discrete(let n) = env.actionSpace else { throw RuntimeError("expected discrete actions") }
        return DQNLearner(DQN(observationLength: D.observationCount, actions: n, settings: s, seed: seed))
    }

    static func noModel<D: ControlDynamics>(_ spec: ReplayAgentSpec, _ type: D.Type) throws {
        if spec.model != nil {
            throw RuntimeError("MBPO's rollouts need the task's reward as a function of observations, which \(D.gymnasiumID) does not give")
        }
    }

    static func branch<D: ControlDynamics & ObservationRewards>(_ env: ControlEnvironment<D>, _ spec: ReplayAgentSpec, _ seed: UInt64,
                                                                actions: LearnedActions<D.Action>) throws -> ModelBranching? {
        guard let m = spec.model else { return nil }
        var ensemble = m.ensemble
        ensemble.bufferCapacity = max(ensemble.bufferCapacity, 1)
        let model = try EnsembleModel(task: env.dynamics, actionLength: 1, settings: ensemble, seed: seed)
        return ModelBranch(model: model, modelName: m.name, settings: spec.branched, seed: seed, dynamics: env.dynamics, actions: actions)
    }
}

extension ControlDynamics {
    public static func replayAgent(_ env: ControlEnvironment<Self>, spec: ReplayAgentSpec, seed: UInt64) throws -> any ReplayAgentProtocol {
        throw RuntimeError("no replay learner is available for \(gymnasiumID)")
    }
}

extension ControlDynamics where Action == Double {
    public static func replayAgent(_ env: ControlEnvironment<Self>, spec: ReplayAgentSpec, seed: UInt64) throws -> any ReplayAgentProtocol {
        try ReplayAgents.noModel(spec, Self.self)
        return ReplayAgent(env, learner: try ReplayAgents.sac(env, spec, seed), settings: spec.loop, branch: nil, seed: seed)
    }
}

extension ControlDynamics where Action == Double, Self: ObservationRewards {
    public static func replayAgent(_ env: ControlEnvironment<Self>, spec: ReplayAgentSpec, seed: UInt64) throws -> any ReplayAgentProtocol {
        let (low, high) = try PlanningAgents.bounds(env.actionSpace)
        return ReplayAgent(env, learner: try ReplayAgents.sac(env, spec, seed), settings: spec.loop,
                           branch: try ReplayAgents.branch(env, spec, seed, actions: .continuous(low[0], high[0])), seed: seed)
    }
}

extension ControlDynamics where Action == Int {
    public static func replayAgent(_ env: ControlEnvironment<Self>, spec: ReplayAgentSpec, seed: UInt64) throws -> any ReplayAgentProtocol {
        try ReplayAgents.noModel(spec, Self.self)
        return ReplayAgent(env, learner: try ReplayAgents.dqn(env, spec, seed), settings: spec.loop, branch: nil, seed: seed)
    }
}

extension ControlDynamics where Action == Int, Self: ObservationRewards {
    public static func replayAgent(_ env: ControlEnvironment<Self>, spec: ReplayAgentSpec, seed: UInt64) throws -> any ReplayAgentProtocol {
        guard case .discrete(let n) = env.actionSpace else { throw RuntimeError("expected discrete actions") }
        return ReplayAgent(env, learner: try ReplayAgents.dqn(env, spec, seed), settings: spec.loop,
                           branch: try ReplayAgents.branch(env, spec, seed, actions: .discrete(n)), seed: seed)
    }
}
