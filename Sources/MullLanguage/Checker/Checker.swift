/// Placeholder for the checker; replaced by the full implementation.
public struct Checker {
    public let schemas: any SchemaProvider
    public let predeclared: Set<String>
    public init(schemas: any SchemaProvider, predeclared: Set<String>) {
        self.schemas = schemas
        self.predeclared = predeclared
    }
    public func check(_ program: Program) -> [Diagnostic] { [] }
}
