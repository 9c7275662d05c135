//! The claims catalogue: every behaviour the course documents, as project data
//! (harness/catalogue/claims.yaml, built into the binary so `conform` works from anywhere).

use serde::{Deserialize, Serialize};

const CATALOGUE: &str = include_str!("../catalogue/claims.yaml");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub sections: Vec<Section>,
    pub claims: Vec<Claim>,
    pub errata: Vec<Erratum>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub id: String,
    pub section: String,
    /// The claim in English.
    pub text: String,
    /// The course's own words (python-concurrency-notes.md), verbatim.
    pub course: String,
    pub status: Status,
    /// Why it is not checkable, when it is not.
    #[serde(default)]
    pub why: Option<String>,
}

/// Whether a claim can be judged pass or fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    Checkable,
    /// Measured and reported (performance), never failed.
    Informational,
    /// Not observable from outside a program.
    NotObservable,
}

/// A mistake in the course text, shown in the report.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    pub claim: String,
    pub course: String,
    pub correction: String,
}

impl Catalogue {
    /// The catalogue built into this binary.
    pub fn builtin() -> Catalogue {
        // Checked by a unit test: a catalogue that does not parse never ships.
        serde_yaml::from_str(CATALOGUE).expect("harness/catalogue/claims.yaml is valid")
    }

    pub fn get(&self, id: &str) -> Option<&Claim> {
        self.claims.iter().find(|c| c.id == id)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.claims.iter().map(|c| c.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_parses_and_is_consistent() {
        let c = Catalogue::builtin();
        assert!(c.claims.len() >= 80);
        for claim in &c.claims {
            assert!(
                c.sections.iter().any(|s| s.id == claim.section),
                "{}",
                claim.id
            );
            assert_eq!(
                claim.why.is_some(),
                claim.status != Status::Checkable,
                "{}",
                claim.id
            );
        }
        for e in &c.errata {
            assert!(
                c.get(&e.claim).is_some(),
                "erratum names unknown claim {}",
                e.claim
            );
        }
        let mut ids: Vec<_> = c.ids().collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), c.claims.len(), "duplicate claim ids");
    }
}
