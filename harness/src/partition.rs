//! `--partition K/N`: one share of a run's trials, so that N machines (a CI matrix) run a class
//! or a suite too big for one, and `conform report --merge` joins their results
//! (docs/teachers.md).
//!
//! A trial's share depends only on its key: the trial's name, or in a manifest run the
//! student, so that one student's trials stay together and each share's scores are whole.
//! The key is hashed with 64-bit FNV-1a, a fixed function (unlike std's hasher), so every
//! machine and every conform version puts a trial in the same share: `1 + fnv1a(key) % N`.

use std::fmt;
use std::hash::Hasher;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::plan::Trial;

/// Which share of how many: `K/N`, 1 <= K <= N.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    pub index: usize,
    pub count: usize,
}

impl FromStr for Partition {
    type Err = String;

    fn from_str(s: &str) -> Result<Partition, String> {
        let shape = || format!("`{s}` is not K/N (share K of N, both whole numbers: `2/3`)");
        let (k, n) = s.split_once('/').ok_or_else(shape)?;
        let (index, count): (usize, usize) = (
            k.trim().parse().map_err(|_| shape())?,
            n.trim().parse().map_err(|_| shape())?,
        );
        if count == 0 {
            return Err(format!("`{s}`: N, the number of shares, is at least 1"));
        }
        if index == 0 || index > count {
            return Err(format!(
                "`{s}`: K counts the shares from 1 to N, so it is 1 to {count}"
            ));
        }
        Ok(Partition { index, count })
    }
}

impl fmt::Display for Partition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// What keeps trials together in one share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Key {
    /// Each trial on its own (a suite run).
    Trial,
    /// Every trial of one student together (a manifest run).
    Student,
}

/// A share's record in results.json: enough for `report --merge` to check that the shares
/// belong to one plan, that none is missing or given twice, and to put the trials back in
/// plan order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    /// K.
    pub index: usize,
    /// N.
    pub count: usize,
    pub by: Key,
    /// Trials in the whole plan (every share), after `--filter`.
    pub planned: usize,
    /// A digest of the whole plan's trial names (FNV-1a, hex): equal in every share of one
    /// run, and different when the scenarios, subjects or filter differ.
    pub plan: String,
    /// Each trial's position in the whole plan, in this share's order.
    pub positions: Vec<usize>,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h = fnv::FnvHasher::default();
    h.write(bytes);
    h.finish()
}

/// The share (1 to `count`) that `key` falls in.
pub fn share_of(key: &str, count: usize) -> usize {
    1 + (fnv1a(key.as_bytes()) % count as u64) as usize
}

/// The digest of a plan: its trial names, in order.
pub fn digest<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut h = fnv::FnvHasher::default();
    for n in names {
        h.write(n.as_bytes());
        h.write(b"\n");
    }
    format!("{:016x}", h.finish())
}

/// Keeps the trials of share `p`, and says which they were.
pub fn select(trials: Vec<Trial>, p: Partition, by: Key) -> (Vec<Trial>, Share) {
    let planned = trials.len();
    let plan = digest(trials.iter().map(|t| t.name.as_str()));
    let mut positions = Vec::new();
    let mut kept = Vec::new();
    for (i, t) in trials.into_iter().enumerate() {
        let key = match by {
            Key::Trial => t.name.as_str(),
            Key::Student => t.subject.as_str(),
        };
        if share_of(key, p.count) == p.index {
            positions.push(i);
            kept.push(t);
        }
    }
    let share = Share {
        index: p.index,
        count: p.count,
        by,
        planned,
        plan,
        positions,
    };
    (kept, share)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_k_of_n_and_refuses_the_rest() {
        assert_eq!(
            "2/3".parse::<Partition>(),
            Ok(Partition { index: 2, count: 3 })
        );
        assert_eq!(
            "1/1".parse::<Partition>().map(|p| p.to_string()),
            Ok("1/1".into())
        );
        for bad in [
            "0/3", "4/3", "x", "1/0", "0/0", "1/", "/2", "-1/2", "1/2/3", "a/b",
        ] {
            assert!(bad.parse::<Partition>().is_err(), "{bad}");
        }
        assert!("4/3".parse::<Partition>().unwrap_err().contains("1 to 3"));
    }

    #[test]
    fn a_key_always_falls_in_the_same_share() {
        // Fixed values: a change of hash would move trials between the jobs of one CI run
        // built from two conform versions, and the docs' formula would be wrong.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        let shares: Vec<usize> = (0..300)
            .map(|i| share_of(&format!("sync/queue.t{i}::ref::threads"), 3))
            .collect();
        for k in 1..=3 {
            let n = shares.iter().filter(|&&s| s == k).count();
            assert!((70..=130).contains(&n), "share {k} got {n} of 300");
        }
    }
}
