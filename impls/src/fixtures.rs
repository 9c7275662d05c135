//! Subjects that misbehave outside any contract, to test the harness itself: a run must
//! survive a subject that panics or hangs, report `error` for it, and go on.

use crate::contracts::queue::{GetError, PutError, Queue, Wait};

/// How a fixture misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Misbehaviour {
    /// Every operation panics.
    Panics,
    /// Every operation blocks forever, whatever timeout it was given.
    Hangs,
}

pub struct BadQueue(pub Misbehaviour);

impl BadQueue {
    fn misbehave(&self) -> ! {
        match self.0 {
            Misbehaviour::Panics => panic!("fixture queue panics on every operation"),
            Misbehaviour::Hangs => loop {
                std::thread::park();
            },
        }
    }
}

impl<T: Send> Queue<T> for BadQueue {
    fn put(&self, _: T, _: Wait) -> Result<(), PutError> {
        self.misbehave()
    }
    fn get(&self, _: Wait) -> Result<T, GetError> {
        self.misbehave()
    }
    fn qsize(&self) -> usize {
        self.misbehave()
    }
    fn empty(&self) -> bool {
        self.misbehave()
    }
    fn full(&self) -> bool {
        self.misbehave()
    }
    fn close(&self) {
        self.misbehave()
    }
}
