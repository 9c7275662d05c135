//! JUnit XML: one test suite per mechanism family, one test case per trial. A trial that
//! showed what it must is a success; one that did not is a failure (or an error, when the
//! harness could not judge it).

use std::collections::BTreeMap;
use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::RunReport;
use crate::judge::class::Outcome;

pub fn render(report: &RunReport) -> String {
    let mut junit = Report::new("conform");
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for t in &report.trials {
        let status = if t.met {
            TestCaseStatus::success()
        } else {
            let kind = if t.verdict.outcome == Outcome::Error {
                NonSuccessKind::Error
            } else {
                NonSuccessKind::Failure
            };
            let mut s = TestCaseStatus::non_success(kind);
            s.set_message(format!(
                "must {}, was {}: {}",
                t.expect, t.verdict.outcome, t.verdict.summary
            ));
            if let Some(class) = t.verdict.class {
                s.set_type(class.name());
            }
            let failed: Vec<String> = t
                .verdict
                .checks
                .iter()
                .filter(|c| !c.passed)
                .map(|c| {
                    format!(
                        "{} [{}]: expected {}, observed {}",
                        c.name, c.level, c.expected, c.observed
                    )
                })
                .collect();
            s.set_description(failed.join("\n"));
            s
        };
        let mut case = TestCase::new(t.name.as_str(), status);
        case.set_classname(format!("{}.{}", t.family, t.scenario));
        case.set_time(Duration::from_millis(t.duration_ms));
        if !t.verdict.stderr_tail.is_empty() {
            case.set_system_err_lossy(t.verdict.stderr_tail.as_bytes());
        }
        suites
            .entry(t.family.as_str())
            .or_insert_with(|| TestSuite::new(t.family.as_str()))
            .add_test_case(case);
    }
    junit.add_test_suites(suites.into_values());
    junit.set_time(Duration::from_millis(report.duration_ms));
    junit.to_string().unwrap_or_default()
}
