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
            shuttle::check_random_with_seed(body.clone(), budget.seed, budget.iterations);
            if budget.pct {
                let pct = shuttle::scheduler::PctScheduler::new_from_seed(
                    budget.seed,
                    3,
                    budget.iterations,
                );
                shuttle::Runner::new(pct, shuttle::Config::default()).run(body);
            }
        }
        Backend::Std => body(),
    })
}
