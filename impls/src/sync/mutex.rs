//! A mutual-exclusion lock over std, loom or shuttle.

use std::ops::{Deref, DerefMut};

use super::backend::{current, Backend};

/// A lock whose guard releases it when dropped. A panic while holding it does not poison it
/// for the rest of a trial: poisoning is std's policy, not the contract's.
pub struct Mutex<T>(Inner<T>);

enum Inner<T> {
    Std(std::sync::Mutex<T>),
    // Boxed: the checkers' mutexes are large, and std's path should stay small.
    Loom(Box<loom::sync::Mutex<T>>),
    Shuttle(Box<shuttle::sync::Mutex<T>>),
}

/// The guard of a [`Mutex`].
pub enum MutexGuard<'a, T> {
    Std(std::sync::MutexGuard<'a, T>),
    Loom(loom::sync::MutexGuard<'a, T>),
    Shuttle(shuttle::sync::MutexGuard<'a, T>),
}

impl<T> Mutex<T> {
    pub fn new(value: T) -> Self {
        Mutex(match current() {
            Backend::Std => Inner::Std(std::sync::Mutex::new(value)),
            Backend::Loom => Inner::Loom(Box::new(loom::sync::Mutex::new(value))),
            Backend::Shuttle => Inner::Shuttle(Box::new(shuttle::sync::Mutex::new(value))),
        })
    }

    #[track_caller]
    pub fn lock(&self) -> MutexGuard<'_, T> {
        match &self.0 {
            Inner::Std(m) => MutexGuard::Std(m.lock().unwrap_or_else(|p| p.into_inner())),
            Inner::Loom(m) => MutexGuard::Loom(m.lock().unwrap_or_else(|p| p.into_inner())),
            Inner::Shuttle(m) => MutexGuard::Shuttle(m.lock().unwrap_or_else(|p| p.into_inner())),
        }
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self {
            MutexGuard::Std(g) => g,
            MutexGuard::Loom(g) => g,
            MutexGuard::Shuttle(g) => g,
        }
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        match self {
            MutexGuard::Std(g) => g,
            MutexGuard::Loom(g) => g,
            MutexGuard::Shuttle(g) => g,
        }
    }
}
