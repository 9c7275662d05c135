//! Running a body under a checker, with a budget: the only code outside the types that
//! names loom and shuttle. A failure (a deadlock, a panic in any thread) comes out as the
//! checker's panic.

use super::backend::{with_backend, Backend};

/// What a checker may spend.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// loom: preemptions per execution.
    pub preemptions: usize,
    /// shuttle: random schedules, then as many PCT schedules (when `pct`).
    pub iterations: usize,
    /// shuttle: the seed both schedulers start from (a failure replays with it).
    pub seed: u64,
    /// shuttle: also run PCT (it needs at least two threads besides the main one).
    pub pct: bool,
}

/// Explores `body` with the checker of `backend` (loom or shuttle), with the facade's types
/// built for it. `Backend::Std` just runs it once.
pub fn explore<F>(backend: Backend, budget: Budget, body: F)
where
    F: Fn() + Send + Sync + Clone + 'static,
{
    // Each execution starts with nobody waiting, whatever the last one left blocked.
    let body = move || {
        super::observe::reset_waiting();
        body()
    };
    with_backend(backend, || match backend {
        Backend::Loom => {
            let mut builder = loom::model::Builder::new();
            builder.preemption_bound = Some(budget.preemptions);
            builder.check(body);
        }
        Backend::Shuttle => {
            use shuttle::scheduler::{PctScheduler, RandomScheduler};
            let random = RandomScheduler::new_from_seed(budget.seed, budget.iterations);
            shuttle::Runner::new(random, quiet()).run(body.clone());
            if budget.pct {
                let pct = PctScheduler::new_from_seed(budget.seed, 3, budget.iterations);
                shuttle::Runner::new(pct, quiet()).run(body);
            }
        }
        Backend::Std => body(),
    })
}

/// shuttle's settings, without its printing of failing schedules: `failing_schedule` hands
/// the schedule to the caller instead.
fn quiet() -> shuttle::Config {
    let mut config = shuttle::Config::default();
    config.failure_persistence = shuttle::FailurePersistence::None;
    config
}

/// The schedule of the last shuttle execution on this thread, as the text `replay` takes:
/// after a failed `explore`, the failing one.
pub fn failing_schedule() -> Option<String> {
    use shuttle_engine::runtime::execution::CurrentSchedule;
    let schedule = CurrentSchedule::get_schedule();
    (CurrentSchedule::len() > 0)
        .then(|| shuttle_engine::scheduler::serialization::serialize_schedule(&schedule))
}

/// Whether `schedule` is a schedule `replay` can follow (shuttle panics on one it cannot
/// decode).
pub fn is_schedule(schedule: &str) -> bool {
    let s = schedule.trim();
    !s.is_empty()
        && std::panic::catch_unwind(|| {
            shuttle_engine::scheduler::serialization::deserialize_schedule(s).is_some()
        })
        .unwrap_or(false)
}

/// Runs `body` once under shuttle, following `schedule` (from `failing_schedule`).
pub fn replay<F>(schedule: &str, body: F)
where
    F: Fn() + Send + Sync + 'static,
{
    let body = move || {
        super::observe::reset_waiting();
        body()
    };
    with_backend(Backend::Shuttle, || {
        let replay = shuttle::scheduler::ReplayScheduler::new_from_encoded(schedule);
        shuttle::Runner::new(replay, quiet()).run(body);
    })
}
