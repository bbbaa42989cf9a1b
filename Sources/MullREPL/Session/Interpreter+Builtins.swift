import Mull

extension Interpreter {
    /// The function value of a built-in, for `:help`. The interpreter has no public look-up of
    /// built-ins by name, so the name is evaluated on its own (only when it is one).
    func builtinFunction(named name: String) -> Function? {
        guard builtinNames.contains(name), global(name) == nil else { return nil }
        if case .function(let f)? = try? evaluate(name, path: "<help>") { return f }
        return nil
    }
}
