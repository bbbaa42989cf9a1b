import Foundation
import MullLanguage

extension Interpreter {
    /// `run NAME`: runs a sweep (or trains an agent with its own settings).
    func run(_ value: Value, at range: SourceRange, _ ctx: CallContext) throws {
        throw MullError("not-runnable", "cannot run \(value.typeName)", at: range)
    }
}
