/// Which learned model a model-based tabular agent builds.
public enum LearnedModelKind: String, Sendable, CaseIterable {
    /// The last outcome seen per pair (Sutton & Barto's tabular Dyna-Q model).
    case deterministic
    /// Outcome counts per pair, sampled in proportion.
    case stochastic
}

/// Builders of tabular agents with the model chosen at run time, for callers (such as an
/// interpreter) that pick agents by name. The agents returned are the concrete generic classes;
/// their planning loops are specialised for the model either way.
public enum TabularAgents {
    public static func qLearning(stateCount: Int, actionCount: Int, settings: TabularSettings) throws -> any TabularAgent {
        try QLearning(stateCount: stateCount, actionCount: actionCount, settings: settings)
    }

    public static func sarsa(stateCount: Int, actionCount: Int, settings: TabularSettings) throws -> any TabularAgent {
        try Sarsa(stateCount: stateCount, actionCount: actionCount, settings: settings)
    }

    public static func expectedSarsa(stateCount: Int, actionCount: Int, settings: TabularSettings) throws -> any TabularAgent {
        try ExpectedSarsa(stateCount: stateCount, actionCount: actionCount, settings: settings)
    }

    public static func dynaQ(stateCount: Int, actionCount: Int, settings: TabularSettings, planningSteps: Int,
                             model: LearnedModelKind = .deterministic) throws -> any TabularAgent {
        switch model {
        case .deterministic:
            return try DynaQ(stateCount: stateCount, actionCount: actionCount, settings: settings, planningSteps: planningSteps,
                             model: DeterministicTabularModel(stateCount: stateCount, actionCount: actionCount))
        case .stochastic:
            return try DynaQ(stateCount: stateCount, actionCount: actionCount, settings: settings, planningSteps: planningSteps,
                             model: StochasticTabularModel(stateCount: stateCount, actionCount: actionCount))
        }
    }

    public static func dynaQPlus(stateCount: Int, actionCount: Int, settings: TabularSettings, planningSteps: Int, kappa: Double,
                                 model: LearnedModelKind = .deterministic) throws -> any TabularAgent {
        switch model {
        case .deterministic:
            return try DynaQPlus(stateCount: stateCount, actionCount: actionCount, settings: settings, planningSteps: planningSteps,
                                 kappa: kappa, model: DeterministicTabularModel(stateCount: stateCount, actionCount: actionCount))
        case .stochastic:
            return try DynaQPlus(stateCount: stateCount, actionCount: actionCount, settings: settings, planningSteps: planningSteps,
                                 kappa: kappa, model: StochasticTabularModel(stateCount: stateCount, actionCount: actionCount))
        }
    }

    public static func prioritizedSweeping(stateCount: Int, actionCount: Int, settings: TabularSettings, planningSteps: Int,
                                           theta: Double, model: LearnedModelKind = .deterministic) throws -> any TabularAgent {
        switch model {
        case .deterministic:
            return try PrioritizedSweeping(stateCount: stateCount, actionCount: actionCount, settings: settings, planningSteps: planningSteps,
                                           theta: theta, model: DeterministicTabularModel(stateCount: stateCount, actionCount: actionCount))
        case .stochastic:
            return try PrioritizedSweeping(stateCount: stateCount, actionCount: actionCount, settings: settings, planningSteps: planningSteps,
                                           theta: theta, model: StochasticTabularModel(stateCount: stateCount, actionCount: actionCount))
        }
    }

    /// Value iteration on a learned model of the given kind.
    public static func valueIteration(stateCount: Int, actionCount: Int, settings: TabularSettings, theta: Double = 1e-8,
                                      model: LearnedModelKind) throws -> any TabularAgent {
        switch model {
        case .deterministic:
            return try ValueIteration(stateCount: stateCount, actionCount: actionCount, settings: settings,
                                      model: DeterministicTabularModel(stateCount: stateCount, actionCount: actionCount), theta: theta)
        case .stochastic:
            return try ValueIteration(stateCount: stateCount, actionCount: actionCount, settings: settings,
                                      model: StochasticTabularModel(stateCount: stateCount, actionCount: actionCount), theta: theta)
        }
    }

    /// Value iteration on the exact dynamics of `environment`.
    public static func valueIteration<Env: TabularDynamics>(knowing environment: Env, settings: TabularSettings,
                                                            theta: Double = 1e-8) throws -> any TabularAgent {
        try ValueIteration(stateCount: environment.stateCount, actionCount: environment.actionCount, settings: settings,
                           model: KnownTabularModel(environment), theta: theta)
    }

    /// Policy iteration on a learned model of the given kind.
    public static func policyIteration(stateCount: Int, actionCount: Int, settings: TabularSettings, theta: Double = 1e-8,
                                       model: LearnedModelKind) throws -> any TabularAgent {
        switch model {
        case .deterministic:
            return try PolicyIteration(stateCount: stateCount, actionCount: actionCount, settings: settings,
                                       model: DeterministicTabularModel(stateCount: stateCount, actionCount: actionCount), theta: theta)
        case .stochastic:
            return try PolicyIteration(stateCount: stateCount, actionCount: actionCount, settings: settings,
                                       model: StochasticTabularModel(stateCount: stateCount, actionCount: actionCount), theta: theta)
        }
    }

    /// Policy iteration on the exact dynamics of `environment`.
    public static func policyIteration<Env: TabularDynamics>(knowing environment: Env, settings: TabularSettings,
                                                             theta: Double = 1e-8) throws -> any TabularAgent {
        try PolicyIteration(stateCount: environment.stateCount, actionCount: environment.actionCount, settings: settings,
                            model: KnownTabularModel(environment), theta: theta)
    }
}
