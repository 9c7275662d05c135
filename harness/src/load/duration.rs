//! Durations as scenarios write them: a number and a unit with no space, `200ms`, `1.5s`.

use std::fmt;
use std::time::Duration;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A non-negative duration written `<number><unit>`, unit one of `us`, `ms`, `s`, `m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, JsonSchema)]
#[schemars(
    with = "String",
    description = "a duration: a number and a unit with no space (`us`, `ms`, `s`, `m`), e.g. `200ms`, `1.5s`"
)]
pub struct Dur(pub Duration);

const UNITS: &[(&str, f64)] = &[("us", 1e-6), ("ms", 1e-3), ("s", 1.0), ("m", 60.0)];

/// The ways a duration can be written wrong, each with what was expected.
pub fn parse(text: &str) -> Result<Dur, String> {
    const EXPECTED: &str =
        "a number followed by a unit with no space: `us`, `ms`, `s` or `m` (e.g. `200ms`, `1.5s`)";
    let t = text.trim();
    if t.starts_with('-') {
        return Err(format!("negative duration `{text}`: expected {EXPECTED}"));
    }
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let scale = UNITS.iter().find(|(u, _)| *u == unit).map(|(_, s)| *s);
    let value: Option<f64> = number.parse().ok();
    match (value, scale) {
        (Some(v), Some(scale)) if (v * scale) <= 86_400.0 => {
            Ok(Dur(Duration::from_secs_f64(v * scale)))
        }
        (Some(_), Some(_)) => Err(format!(
            "duration `{text}` is longer than a day: expected at most `1440m`, e.g. `30s`"
        )),
        _ if unit.trim_start() != unit => Err(format!(
            "bad duration `{text}` (space before the unit): expected {EXPECTED}"
        )),
        _ if number.is_empty() => Err(format!("bad duration `{text}`: expected {EXPECTED}")),
        (Some(_), None) if unit.is_empty() => Err(format!(
            "bad duration `{text}` (no unit): expected a unit, e.g. `{text}ms` or `{text}s`"
        )),
        (_, None) => Err(format!(
            "bad duration `{text}` (unknown unit `{unit}`): expected {EXPECTED}"
        )),
        (None, _) => Err(format!("bad duration `{text}`: expected {EXPECTED}")),
    }
}

impl fmt::Display for Dur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let us = self.0.as_micros();
        if us.is_multiple_of(1_000_000) {
            write!(f, "{}s", us / 1_000_000)
        } else if us.is_multiple_of(1_000) {
            write!(f, "{}ms", us / 1_000)
        } else {
            write!(f, "{us}us")
        }
    }
}

impl Serialize for Dur {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Dur;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration such as `200ms` or `1.5s`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Dur, E> {
                parse(v).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Dur, E> {
                Err(E::custom(format!(
                    "bad duration `{v}` (no unit): expected a unit, e.g. `{v}ms` or `{v}s`"
                )))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Dur, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Dur, E> {
                Err(E::custom(format!(
                    "bad duration `{v}` (no unit): expected a unit, e.g. `{v}s`"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("200ms", 200_000)]
    #[case("1.5s", 1_500_000)]
    #[case("2m", 120_000_000)]
    #[case("50us", 50)]
    #[case("0s", 0)]
    fn parses(#[case] text: &str, #[case] micros: u128) {
        assert_eq!(parse(text).unwrap().0.as_micros(), micros);
    }

    #[rstest]
    #[case("200 ms", "space before the unit")]
    #[case("-1s", "negative")]
    #[case("200", "(no unit)")]
    #[case("fast", "bad duration")]
    #[case("10h", "unknown unit `h`")]
    #[case("100000m", "longer than a day")]
    fn rejects(#[case] text: &str, #[case] why: &str) {
        let err = parse(text).unwrap_err();
        assert!(err.contains(why), "{err}");
    }

    #[test]
    fn displays_in_the_largest_whole_unit() {
        assert_eq!(parse("1500ms").unwrap().to_string(), "1500ms");
        assert_eq!(parse("2s").unwrap().to_string(), "2s");
    }
}
