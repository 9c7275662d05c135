//! How long a blocking call may wait: Python's `block` and `timeout` arguments.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// `block=True, timeout=None`: wait as long as it takes.
    Forever,
    /// `block=False`: fail at once if the call cannot complete now.
    No,
    /// `block=True, timeout=t`: give up after about `t`.
    For(Duration),
}
