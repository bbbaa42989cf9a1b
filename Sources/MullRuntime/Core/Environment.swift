/// What one call to `step` returns, with Gymnasium's meaning: `terminated` when the MDP reached a
/// terminal state (no bootstrapping from it), `truncated` when an outside limit such as a step
/// budget ended the episode (bootstrapping still correct).
public struct StepResult<Observation>: Sendable where Observation: Sendable {
    public var observation: Observation
    public var reward: Double
    public var terminated: Bool
    public var truncated: Bool
    @inlinable
    public init(observation: Observation, reward: Double, terminated: Bool, truncated: Bool) {
        self.observation = observation
        self.reward = reward
        self.terminated = terminated
        self.truncated = truncated
    }
    @inlinable public var done: Bool { terminated || truncated }
}

/// Errors raised inside the runtime (bad configuration, a failing user-written step function).
/// The language layer turns them into diagnostics.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// An error produced by host code (e.g. a step function written in Mull) carried through.
    public var underlying: (any Error & Sendable)?
    public init(_ message: String, underlying: (any Error & Sendable)? = nil) {
        self.message = message
        self.underlying = underlying
    }
    public var description: String { message }
}

/// An environment with Gymnasium's semantics. Observations are `Int` for discrete state spaces
/// and `[Double]` for boxes; actions likewise.
///
/// Environments are value-like objects owned by one trial: never shared between threads.
public protocol Environment: AnyObject {
    associatedtype Observation: Sendable
    associatedtype Action: Sendable

    var observationSpace: Space { get }
    var actionSpace: Space { get }
    /// Episode step limit after which `step` reports `truncated` (nil: none).
    var maxEpisodeSteps: Int? { get }

    /// Starts an episode, drawing the start state from `rng`.
    func reset(_ rng: inout RandomSource) throws -> Observation
    /// Applies `action`; stochastic dynamics draw from `rng`.
    func step(_ action: Action, _ rng: inout RandomSource) throws -> StepResult<Observation>
}

/// A discrete environment: states and actions are integers in `0..<count`.
public protocol DiscreteEnvironment: Environment where Observation == Int, Action == Int {
    var stateCount: Int { get }
    var actionCount: Int { get }
}

/// An environment whose dynamics can be queried from any state without disturbing an episode:
/// the "known model" that planners use when they plan on the true simulator.
public protocol SimulatableEnvironment: Environment {
    associatedtype State: Sendable
    /// The environment's full current state (may hold more than the observation).
    var state: State { get set }
    /// One transition from `state` under `action`, without touching the environment's own state.
    func simulate(_ state: State, _ action: Action, _ rng: inout RandomSource) throws -> (state: State, result: StepResult<Observation>)
}

/// A discrete environment with an exact tabular transition function, as Gymnasium's toy-text
/// environments expose in `P[s][a]`: a list of (probability, next state, reward, terminated).
public protocol TabularDynamics: DiscreteEnvironment {
    func transitions(from state: Int, action: Int) -> [Outcome]
}

/// One outcome of a tabular transition.
public struct Outcome: Sendable, Equatable {
    public var probability: Double
    public var next: Int
    public var reward: Double
    public var terminated: Bool
    public init(probability: Double, next: Int, reward: Double, terminated: Bool) {
        self.probability = probability
        self.next = next
        self.reward = reward
        self.terminated = terminated
    }
}
