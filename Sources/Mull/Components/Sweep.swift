import MullLanguage
import MullRuntime

/// The `Sweep` component: an experiment over an agent's settings and seeds.
enum SweepComponent {
    static var definition: ComponentDefinition {
        ComponentDefinition("Sweep", .sweep, doc: """
            Runs an agent over combinations of settings (`vary`) and seeds, records metrics per episode or \
            per step, prints a summary with confidence intervals and writes tidy results.
            """,
            fields: [
                Field("agent", .component(.agent), required: true, doc: "the agent to run; each trial builds a fresh copy"),
                Field("seeds", .int, .int(10), min: 1, max: 100_000, aliases: ["runs"], doc: "independent runs per setting"),
                Field("episodes", .int, min: 1, doc: "episodes per run (give this or `steps`)"),
                Field("steps", .int, min: 1, doc: "real steps per run (instead of `episodes`); a planner counts steps only with a learned model, after its warm-up"),
                Field("max_episode_steps", .int, min: 1, doc: "truncate episodes after this many steps"),
                Field("record", .list(.symbol(["steps", "return", "real_steps", "planning_updates", "cumulative_reward", "episodes", "model_steps", "model_error", "training_rounds", "rollout_error", "eval_return", "rollout_length"])), doc: "metrics to record (default: `[.steps, .return]`, or `[.cumulative_reward]` for a step budget of a learning agent); planners also record `.model_steps` and `.real_steps`, and with a learned model `.model_error` (one-step MSE on real transitions not yet trained on), `.training_rounds` and `.rollout_error` (after the run, the model's k-step error for k = 1 to 50 under random actions from 20 start states, plotted against k); learners (SAC, DQN, MBPO) `.eval_return`, the deterministic policy's mean return every `evaluate_every` real steps, plotted against real steps; MBPO `.rollout_length`, the rollout length at the end of each episode, and `.model_error`, `.training_rounds` and `.rollout_error` of its ensemble as for planners"),
                Field("until_optimal", .float, min: 1, doc: "stop a run once the greedy path from the start is within this factor of the shortest path (deterministic grids, FrozenLake without slipping, MDPs)"),
                Field("until_successes", .int, min: 1, doc: "stop a run after this many consecutive successful episodes"),
                Field("success_return", .float, doc: "with `until_successes`: an episode succeeds when it terminates with at least this return (none: any termination)"),
                Field("samples", .int, .int(10), min: 1, doc: "settings drawn for each random `vary` (uniform, log_uniform, ...)"),
                Field("sample_seed", .int, .int(0), doc: "seed of the random draws of `vary`"),
                Field("summary", .symbol(["mean", "final", "sum"]), .symbol("mean"), doc: "how each run's series is reduced for the summary table"),
                Field("summary_last", .int, min: 1, doc: "reduce each run's series to the mean of its last n values instead (e.g. the episodes after learning)"),
            ],
            groups: [
                FieldGroup(.exactlyOne, ["episodes", "steps"], reason: "a run is measured in one of them",
                           help: "`episodes: N` runs N episodes per run; `steps: N` runs N real steps (as in the changing mazes)"),
                FieldGroup(.atMostOne, ["summary", "summary_last"], reason: "each run's series is reduced one way"),
            ]) { req in
                throw MullError("not-buildable", "a sweep is not an object; run it with `run \(req.component.declaredName ?? "NAME")`", at: req.component.range)
            }
    }
}
