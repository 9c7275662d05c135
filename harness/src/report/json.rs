//! The JSON results: one document per run (format in docs/results-format.md).

use super::RunReport;

pub fn render(report: &RunReport) -> String {
    // Serialising plain data to a String cannot fail.
    serde_json::to_string_pretty(report).unwrap_or_default()
}
