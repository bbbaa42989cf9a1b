/// An environment that builds its own decision-time planners: the planner factory asks the
/// environment instead of casting it to every known task, so a new classic-control task (a new
/// `ControlDynamics`) runs every planner, and a learned model every task whose rewards it can
/// compute from observations, without editing `PlanningAgents.make`.
public protocol PlannableEnvironment: AnyObject {
    func makePlanningAgent(spec: PlannerSpec, seed: UInt64, learnedModel: LearnedModelSpec?) throws -> any PlanningAgent
}

extension ControlEnvironment: PlannableEnvironment {
    public func makePlanningAgent(spec: PlannerSpec, seed: UInt64, learnedModel: LearnedModelSpec?) throws -> any PlanningAgent {
        try Dynamics.planningAgent(self, spec: spec, seed: seed, learnedModel: learnedModel)
    }
}

/// Which planners a task's dynamics support, chosen by what the dynamics are: the most specific
/// of these extensions applies to each conforming type.
extension ControlDynamics {
    public static func planningAgent(_ env: ControlEnvironment<Self>, spec: PlannerSpec, seed: UInt64,
                                     learnedModel: LearnedModelSpec?) throws -> any PlanningAgent {
        throw RuntimeError("no decision-time planner is available for \(gymnasiumID)")
    }
}

extension ControlDynamics where Action == Double {
    public static func planningAgent(_ env: ControlEnvironment<Self>, spec: PlannerSpec, seed: UInt64,
                                     learnedModel: LearnedModelSpec?) throws -> any PlanningAgent {
        if learnedModel != nil {
            throw RuntimeError("planning through a learned model needs the task's reward as a function of observations, which \(gymnasiumID) does not give")
        }
        return try PlanningAgents.continuous(env, spec, seed)
    }
}

extension ControlDynamics where Action == Double, Self: ObservationRewards {
    public static func planningAgent(_ env: ControlEnvironment<Self>, spec: PlannerSpec, seed: UInt64,
                                     learnedModel: LearnedModelSpec?) throws -> any PlanningAgent {
        if let learnedModel { return try PlanningAgents.learned(env, spec, learnedModel, seed) }
        return try PlanningAgents.continuous(env, spec, seed)
    }
}

extension ControlDynamics where Action == Int {
    public static func planningAgent(_ env: ControlEnvironment<Self>, spec: PlannerSpec, seed: UInt64,
                                     learnedModel: LearnedModelSpec?) throws -> any PlanningAgent {
        if learnedModel != nil {
            throw RuntimeError("planning through a learned model needs the task's reward as a function of observations, which \(gymnasiumID) does not give")
        }
        return try PlanningAgents.discrete(env, spec, seed)
    }
}

extension ControlDynamics where Action == Int, Self: ObservationRewards {
    public static func planningAgent(_ env: ControlEnvironment<Self>, spec: PlannerSpec, seed: UInt64,
                                     learnedModel: LearnedModelSpec?) throws -> any PlanningAgent {
        if let learnedModel { return try PlanningAgents.learnedDiscrete(env, spec, learnedModel, seed) }
        return try PlanningAgents.discrete(env, spec, seed)
    }
}
