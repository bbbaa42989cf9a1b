/// The concrete class of a tabular model, found once when an agent is built, so that planning
/// loops specialised for that class run without a dynamic cast on every call.
///
/// A generic agent class's methods run as unspecialised generic code when called through the
/// `TabularAgent` protocol; switching on this tag reaches loops specialised for the model.
@usableFromInline
enum ConcreteTabularModel {
    case deterministic(DeterministicTabularModel)
    case stochastic(StochasticTabularModel)
    /// Any other model: planning runs the generic loop.
    case other

    @usableFromInline
    init<M: TabularModel>(_ model: M) {
        if let m = model as? DeterministicTabularModel {
            self = .deterministic(m)
        } else if let m = model as? StochasticTabularModel {
            self = .stochastic(m)
        } else {
            self = .other
        }
    }
}
