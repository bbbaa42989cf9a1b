import MullLanguage
import MullRuntime

/// The components Mull ships with.
enum BuiltinComponents {
    static func makeRegistry() -> ComponentRegistry {
        let r = ComponentRegistry()
        for d in EnvironmentComponents.all() + [MDPComponent.definition] + ModelComponents.all() + AgentComponents.all() + [SweepComponent.definition] { r.register(d) }
        return r
    }
}
