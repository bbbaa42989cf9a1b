import MullLanguage
import MullRuntime

/// The components Mull ships with.
enum BuiltinComponents {
    static func makeRegistry() -> ComponentRegistry {
        let r = ComponentRegistry()
        for d in EnvironmentComponents.all() + [MDPComponent.definition, ContinuousMDPComponent.definition] + ModelComponents.all() + [LearnedModelComponents.definition] + AgentComponents.all() + PlannerComponents.all() + LearnerComponents.all() + [SweepComponent.definition] { r.register(d) }
        return r
    }
}
