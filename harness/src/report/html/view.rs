//! The page's model: every trial of every run with its anchor and matrix column, the
//! columns, the scenario rows grouped by family, and the words and colours every part shares.

use std::collections::BTreeMap;

use super::super::{human, RunReport, ScenarioInfo};
use crate::plan::Expectation;
use crate::run::TrialResult;

/// One trial on the page.
pub struct Entry<'a> {
    pub run: usize,
    pub index: usize,
    pub trial: &'a TrialResult,
    /// Its column in the matrix.
    pub column: usize,
}

impl Entry<'_> {
    /// The id of its section: `t0-12`, the 12th trial of the first run.
    pub fn anchor(&self) -> String {
        format!("t{}-{}", self.run, self.index)
    }

    /// The verdict's summary, cut to [`LONG`].
    pub fn summary(&self) -> String {
        long(&self.trial.verdict.summary)
    }

    /// The status word: PASS, FAIL, CAUGHT, MISSED, ERROR, NON-STRICT, INFO, SKIP.
    pub fn word(&self) -> String {
        word(self.trial)
    }

    /// The words the filter matches against this trial, and the statuses it matches.
    pub fn statuses(&self) -> String {
        statuses(std::iter::once(self))
    }
}

/// The status word of a trial, as the terminal prints it.
pub fn word(t: &TrialResult) -> String {
    human::status(t, human::Style { color: false })
        .trim()
        .to_owned()
}

/// The CSS class of a status word (`s-pass`, `s-missed`, ...).
pub fn status_class(word: &str) -> String {
    format!("s-{}", word.to_lowercase())
}

/// The statuses the outcome filter knows a group of trials by: their words, plus `unmet`
/// when one did not show what it must.
pub fn statuses<'a, 'b: 'a>(entries: impl IntoIterator<Item = &'a Entry<'b>>) -> String {
    let mut set = std::collections::BTreeSet::new();
    for e in entries {
        set.insert(e.word().to_lowercase());
        if !e.trial.met {
            set.insert("unmet".to_owned());
        }
    }
    set.into_iter().collect::<Vec<_>>().join(" ")
}

/// A column of the matrix: the subject of a run of one, or a suite run's references, or its
/// mutants.
pub struct Column {
    pub label: String,
    /// What the column holds, for its tooltip.
    pub about: String,
    /// The mutants' column (it goes last).
    pub mutants: bool,
    /// Holds several subjects: its marks name theirs.
    pub grouped: bool,
}

/// A scenario of the matrix, with what the runs said about it.
pub struct Row<'a> {
    pub id: String,
    pub family: String,
    pub info: Option<&'a ScenarioInfo>,
}

pub struct Page<'a> {
    pub runs: &'a [RunReport],
    pub entries: Vec<Entry<'a>>,
    pub columns: Vec<Column>,
    /// Grouped by family (families in alphabetical order), scenarios in plan order.
    pub rows: Vec<Row<'a>>,
}

impl<'a> Page<'a> {
    pub fn new(runs: &'a [RunReport]) -> Page<'a> {
        let mut columns: Vec<Column> = Vec::new();
        let mut column_of: BTreeMap<(usize, String), usize> = BTreeMap::new();
        let mut entries = Vec::new();
        for (r, run) in runs.iter().enumerate() {
            let label = run_label(run, r);
            // A run of one subject (`--subject`, `--target`) is one column. A suite run has
            // two: its references (the library reference, each program, the servers of
            // every model and their Python twins) and its mutants, each mark naming its
            // subject: a column per subject would be a wide, nearly empty matrix.
            let one_subject = run
                .trials
                .iter()
                .all(|t| t.subject == run.trials[0].subject);
            let only_caught = |subject: &str| {
                subject.starts_with("mutant:")
                    && run
                        .trials
                        .iter()
                        .filter(|t| t.subject == subject)
                        .all(|t| matches!(t.expect, Expectation::Caught(_)))
            };
            for (i, t) in run.trials.iter().enumerate() {
                let mutants = !one_subject && only_caught(&t.subject);
                let (name, about) = if one_subject {
                    (t.subject.clone(), format!("subject {}", t.subject))
                } else if mutants {
                    (
                        "mutants".to_owned(),
                        "the mutants, each where it must be caught".to_owned(),
                    )
                } else {
                    (
                        "references".to_owned(),
                        "the references and programs, each where it must pass (or be caught)"
                            .to_owned(),
                    )
                };
                let column = *column_of.entry((r, name.clone())).or_insert_with(|| {
                    // With several runs a column says which run it is of, unless its
                    // subject is what tells the run apart (`--subject NAME`).
                    let (label, about) = if runs.len() > 1 && name != label {
                        (format!("{name} ({label})"), format!("{about}, {label}"))
                    } else {
                        (name, about)
                    };
                    columns.push(Column {
                        label,
                        about,
                        mutants,
                        grouped: !one_subject,
                    });
                    columns.len() - 1
                });
                entries.push(Entry {
                    run: r,
                    index: i,
                    trial: t,
                    column,
                });
            }
        }
        // The mutants' columns go last, after every subject that must pass.
        let mut order: Vec<usize> = (0..columns.len()).collect();
        order.sort_by_key(|&c| columns[c].mutants);
        let mut new_index = vec![0; columns.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        for e in &mut entries {
            e.column = new_index[e.column];
        }
        let mut slots: Vec<Option<Column>> = columns.into_iter().map(Some).collect();
        let columns = order.iter().filter_map(|&c| slots[c].take()).collect();

        let mut rows: Vec<Row> = Vec::new();
        for e in &entries {
            let t = e.trial;
            if !rows.iter().any(|r| r.id == t.scenario) {
                let info = runs
                    .iter()
                    .flat_map(|r| &r.scenarios)
                    .find(|s| s.id == t.scenario);
                rows.push(Row {
                    id: t.scenario.clone(),
                    family: t.family.clone(),
                    info,
                });
            }
        }
        rows.sort_by(|a, b| a.family.cmp(&b.family));
        Page {
            runs,
            entries,
            columns,
            rows,
        }
    }

    /// The trials of one scenario, in the order of the runs.
    pub fn of_scenario<'s>(&'s self, id: &'s str) -> impl Iterator<Item = &'s Entry<'a>> + 's {
        self.entries.iter().filter(move |e| e.trial.scenario == id)
    }

    /// The families in the order of the rows, each with its rows.
    pub fn families(&self) -> Vec<(&str, Vec<&Row<'a>>)> {
        let mut out: Vec<(&str, Vec<&Row>)> = Vec::new();
        for r in &self.rows {
            match out.last_mut() {
                Some((f, rows)) if *f == r.family => rows.push(r),
                _ => out.push((r.family.as_str(), vec![r])),
            }
        }
        out
    }
}

/// How a run is told apart from the others: what `--target` or `--subject` named, else its
/// number.
pub fn run_label(run: &RunReport, index: usize) -> String {
    let named = |flag: &str| {
        let at = run.command.iter().position(|a| a == flag)?;
        run.command.get(at + 1).cloned()
    };
    let given = |flag: &str| {
        let prefix = format!("{flag}=");
        run.command
            .iter()
            .find_map(|a| a.strip_prefix(prefix.as_str()).map(str::to_owned))
    };
    named("--target")
        .or_else(|| given("--target"))
        .or_else(|| named("--subject"))
        .or_else(|| given("--subject"))
        .unwrap_or_else(|| format!("run {}", index + 1))
}

/// The command that replays a checker's failing execution, if the summary gives one.
pub fn replay_command(summary: &str) -> Option<&str> {
    let at = summary.find("replay: conform run ")?;
    let command = &summary[at + "replay: ".len()..];
    // `... (replay: CMD)` closes the parenthesis the summary opened before `replay:`.
    let parenthesised = summary[..at].ends_with('(');
    Some(if parenthesised {
        command.strip_suffix(')').unwrap_or(command)
    } else {
        command
    })
}

/// The most characters of one text (a check's value, a summary, a line) the page shows: a
/// recv of 8MB is recorded whole in results.json, and the page must stay small enough to
/// open.
pub const LONG: usize = 2000;

/// `s`, cut to [`LONG`] characters, saying how much was left out.
pub fn long(s: &str) -> String {
    let n = s.chars().count();
    if n <= LONG {
        s.to_owned()
    } else {
        let head: String = s.chars().take(LONG).collect();
        format!("{head}… ({} more characters in results.json)", n - LONG)
    }
}

/// At most `max` characters of `s`, with `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// Microseconds as a person reads them: `850µs`, `12.3ms`, `1.250s`.
pub fn micros(us: u64) -> String {
    if us < 1_000 {
        format!("{us}µs")
    } else if us < 1_000_000 {
        format!("{:.1}ms", us as f64 / 1e3)
    } else {
        format!("{:.3}s", us as f64 / 1e6)
    }
}

/// Characters that HTML forbids in a document even when escaped (control characters other
/// than whitespace, noncharacters) spelled out as `\u{1b}`: a student's program may print
/// anything, and one stray byte must not make the page invalid.
pub fn spell_out_forbidden(html: String) -> String {
    let forbidden = |c: char| {
        let u = c as u32;
        (c.is_control() && !matches!(c, '\t' | '\n' | '\u{c}' | '\r'))
            || (0xFDD0..=0xFDEF).contains(&u)
            || (u & 0xFFFE) == 0xFFFE
    };
    if !html.chars().any(forbidden) {
        return html;
    }
    let mut out = String::with_capacity(html.len());
    for c in html.chars() {
        if forbidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_replay_command_is_found_in_both_summary_forms() {
        assert_eq!(
            replay_command("x: expected a, observed b (replay: conform run f.yaml --subject s --filter '::loom')"),
            Some("conform run f.yaml --subject s --filter '::loom'")
        );
        assert_eq!(
            replay_command("the subject panicked under shuttle: boom; replay: conform run f.yaml --subject s --filter '::shuttle' --schedule 91a"),
            Some("conform run f.yaml --subject s --filter '::shuttle' --schedule 91a")
        );
        assert_eq!(replay_command("6 checks held"), None);
    }

    #[test]
    fn forbidden_characters_are_spelled_out() {
        assert_eq!(
            spell_out_forbidden("a\u{1b}[31mb\u{0}\n\u{fffe}".into()),
            "a\\u{1b}[31mb\\u{0}\n\\u{fffe}"
        );
    }
}
