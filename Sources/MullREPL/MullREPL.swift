import Mull

/// Placeholder; replaced by the full REPL.
public enum Repl {
    public static func run(interpreter: Interpreter, loading file: String?) -> Int32 { 0 }
}
