/// What the interpreter asks of a learned ensemble, whatever its task type.
public protocol AnyEnsembleModel: AnyObject {
    var settings: EnsembleSettings { get }
    var observationLength: Int { get }
    var actionLength: Int { get }
    var elites: [Int] { get }
    var rounds: [TrainingRound] { get }
    var isTrained: Bool { get }
    /// Real transitions stored.
    var transitions: Int { get }
    func predict(observation: [Double], action: [Double]) -> [(member: Int, mean: [Double], std: [Double])]
    func rollout(observation: [Double], actions: [[Double]]) -> EnsembleRollout
}

extension EnsembleModel: AnyEnsembleModel {
    public var transitions: Int { buffer.count }
}
