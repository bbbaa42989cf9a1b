import Mull

extension Interpreter {
    /// The function value of a built-in, for `:help`.
    func builtinFunction(named name: String) -> Function? {
        if case .function(let f)? = builtin(named: name) { return f }
        return nil
    }
}
