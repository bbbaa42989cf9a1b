/// Placeholder; replaced by the full renderers.
public enum DiagnosticRenderer {
    public static func oneLine(_ d: Diagnostic) -> String { d.description }
    public static func excerpt(_ d: Diagnostic, color: Bool) -> String { d.description }
}
