//! Memory shared between processes: an anonymous `MAP_SHARED` mapping made before `fork` is
//! the same memory in the parent and the child (where multiprocessing keeps its `Value`,
//! `Array`, `Lock` and `Semaphore`). Everything else a child has is its own copy.

use std::cell::UnsafeCell;
use std::num::NonZeroUsize;
use std::ops::Deref;
use std::ptr::NonNull;
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::mman::{mmap_anonymous, munmap, MapFlags, ProtFlags};

/// A `T` in memory shared with the processes forked after it was made. `T` holds only what
/// works across processes (atomics, a process-shared semaphore); its destructor never runs,
/// since another process may still be using it.
pub struct Shared<T> {
    ptr: NonNull<T>,
}

impl<T: Sync> Shared<T> {
    pub fn new(value: T) -> nix::Result<Self> {
        let len = NonZeroUsize::new(std::mem::size_of::<T>().max(1)).expect("not zero");
        // SAFETY: a fresh anonymous mapping, page-aligned (so aligned for T) and as long as T;
        // nothing else refers to it yet.
        let ptr = unsafe {
            let p = mmap_anonymous(
                None,
                len,
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_SHARED,
            )?
            .cast::<T>();
            p.as_ptr().write(value);
            p
        };
        Ok(Shared { ptr })
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: mapped and initialised in `new`, unmapped only in `drop`.
        unsafe { self.ptr.as_ref() }
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        let len = std::mem::size_of::<T>().max(1);
        // SAFETY: this process's own mapping; no reference into it outlives `self`.
        unsafe {
            let _ = munmap(self.ptr.cast(), len);
        }
    }
}

/// A POSIX semaphore shared between processes (`sem_init` with `pshared` = 1, in shared
/// memory): multiprocessing's `Semaphore`, and the lock its `Queue` takes to read.
pub struct Semaphore(UnsafeCell<libc::sem_t>);

// SAFETY: a process-shared sem_t is made to be used by many threads and processes at once.
unsafe impl Sync for Semaphore {}

impl Semaphore {
    /// A semaphore with `value` permits, in memory shared with children forked later.
    pub fn new(value: u32) -> nix::Result<Shared<Semaphore>> {
        // SAFETY: an all-zero sem_t is plain bytes; sem_init below sets it up.
        let shared = Shared::new(Semaphore(UnsafeCell::new(unsafe { std::mem::zeroed() })))?;
        // Set up in place: a sem_t must not move once initialised.
        // SAFETY: the sem_t lives in shared memory that outlives every use of it here.
        Errno::result(unsafe { libc::sem_init(shared.0.get(), 1, value) })?;
        Ok(shared)
    }

    /// `acquire()`: takes a permit, blocking until one is free.
    pub fn acquire(&self) {
        // SAFETY: initialised in `new`.
        while unsafe { libc::sem_wait(self.0.get()) } != 0 {
            assert_eq!(Errno::last(), Errno::EINTR, "sem_wait");
        }
    }

    /// `acquire(timeout=...)`: takes a permit, or gives up after `timeout` (false).
    pub fn acquire_timeout(&self, timeout: Duration) -> bool {
        // sem_timedwait wants an absolute CLOCK_REALTIME deadline.
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid timespec to fill.
        unsafe { libc::clock_gettime(libc::CLOCK_REALTIME, &mut now) };
        let nanos = now.tv_nsec as u128 + timeout.as_nanos();
        let deadline = libc::timespec {
            tv_sec: now.tv_sec + (nanos / 1_000_000_000) as libc::time_t,
            tv_nsec: (nanos % 1_000_000_000) as libc::c_long,
        };
        loop {
            // SAFETY: initialised in `new`; `deadline` is a valid timespec.
            if unsafe { libc::sem_timedwait(self.0.get(), &deadline) } == 0 {
                return true;
            }
            match Errno::last() {
                Errno::EINTR => continue,
                Errno::ETIMEDOUT => return false,
                e => panic!("sem_timedwait: {e}"),
            }
        }
    }

    /// `release()`: gives a permit back, waking one process blocked in `acquire`.
    pub fn release(&self) {
        // SAFETY: initialised in `new`.
        unsafe { libc::sem_post(self.0.get()) };
    }
}
