import MullLanguage
import MullRuntime

/// The components Mull ships with.
enum BuiltinComponents {
    static func makeRegistry() -> ComponentRegistry {
        let r = ComponentRegistry()
        return r
    }
}
