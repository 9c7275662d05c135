//! A mutual-exclusion lock over std, loom or shuttle.

use std::ops::{Deref, DerefMut};
use std::panic::Location;

use super::backend::{current, Backend};
use super::observe::{self, LockAction, LockId};

/// A lock whose guard releases it when dropped. A panic while holding it does not poison it
/// for the rest of a trial: poisoning is std's policy, not the contract's.
///
/// It knows where it was made and, optionally, a name: the lock observer reports both, so
/// a lock-order checker or a deadlock's explanation can say which lock it means.
pub struct Mutex<T> {
    inner: Inner<T>,
    made_at: &'static Location<'static>,
    name: Option<&'static str>,
}

enum Inner<T> {
    Std(std::sync::Mutex<T>),
    // Boxed: the checkers' mutexes are large, and std's path should stay small.
    Loom(Box<loom::sync::Mutex<T>>),
    Shuttle(Box<shuttle::sync::Mutex<T>>),
}

/// The guard of a [`Mutex`]; dropping it releases the lock (and reports the release).
pub struct MutexGuard<'a, T> {
    pub(super) inner: Option<Guard<'a, T>>,
    lock: LockId,
    location: &'static Location<'static>,
}

/// The backend's own guard.
pub(super) enum Guard<'a, T> {
    Std(std::sync::MutexGuard<'a, T>),
    Loom(loom::sync::MutexGuard<'a, T>),
    Shuttle(shuttle::sync::MutexGuard<'a, T>),
}

impl<'a, T> MutexGuard<'a, T> {
    /// Wraps a guard just taken, and reports it.
    pub(super) fn taken(
        inner: Guard<'a, T>,
        lock: LockId,
        location: &'static Location<'static>,
    ) -> Self {
        observe::report(lock, LockAction::Acquired, location);
        MutexGuard {
            inner: Some(inner),
            lock,
            location,
        }
    }

    /// Gives the backend's guard to a condition variable's wait (which releases the lock),
    /// reporting the release; the wait's result comes back through [`MutexGuard::taken`].
    pub(super) fn into_parts(mut self) -> (Guard<'a, T>, LockId, &'static Location<'static>) {
        observe::report(self.lock, LockAction::Released, self.location);
        let inner = self
            .inner
            .take()
            .expect("a guard holds its lock until dropped");
        (inner, self.lock, self.location)
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        if self.inner.is_some() {
            observe::report(self.lock, LockAction::Released, self.location);
        }
    }
}

impl<T> Mutex<T> {
    /// A mutex of the current backend; the observer names it by where it was made.
    #[track_caller]
    pub fn new(value: T) -> Self {
        Mutex {
            inner: match current() {
                Backend::Std => Inner::Std(std::sync::Mutex::new(value)),
                Backend::Loom => Inner::Loom(Box::new(loom::sync::Mutex::new(value))),
                Backend::Shuttle => Inner::Shuttle(Box::new(shuttle::sync::Mutex::new(value))),
            },
            made_at: Location::caller(),
            name: None,
        }
    }

    /// A mutex the observer reports under `name` (`"fork 1"`, `"the waiter count"`).
    #[track_caller]
    pub fn named(name: &'static str, value: T) -> Self {
        Mutex {
            name: Some(name),
            ..Mutex::new(value)
        }
    }

    fn id(&self) -> LockId {
        LockId {
            addr: self as *const Self as usize,
            made_at: self.made_at,
            name: self.name,
        }
    }

    #[track_caller]
    pub fn lock(&self) -> MutexGuard<'_, T> {
        let location = Location::caller();
        // Said before it may block: a deadlock's explanation needs what each thread waits for.
        observe::report(self.id(), LockAction::Requested, location);
        let guard = match &self.inner {
            Inner::Std(m) => Guard::Std(m.lock().unwrap_or_else(|p| p.into_inner())),
            Inner::Loom(m) => Guard::Loom(m.lock().unwrap_or_else(|p| p.into_inner())),
            Inner::Shuttle(m) => Guard::Shuttle(m.lock().unwrap_or_else(|p| p.into_inner())),
        };
        MutexGuard::taken(guard, self.id(), location)
    }
}

impl<T: Default> Default for Mutex<T> {
    #[track_caller]
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self
            .inner
            .as_ref()
            .expect("a guard holds its lock until dropped")
        {
            Guard::Std(g) => g,
            Guard::Loom(g) => g,
            Guard::Shuttle(g) => g,
        }
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        match self
            .inner
            .as_mut()
            .expect("a guard holds its lock until dropped")
        {
            Guard::Std(g) => g,
            Guard::Loom(g) => g,
            Guard::Shuttle(g) => g,
        }
    }
}
