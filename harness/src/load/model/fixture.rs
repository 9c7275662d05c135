//! Fixture files: what a program scenario puts in the program's working directory before
//! it starts (`subject.files`), and the bytes each one holds.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One fixture: a text, `{ size: N }` (N pseudo-random bytes, the same for the same path
/// on every run), or `{ dir: true }` (an empty folder).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Fixture {
    Text(String),
    Sized { size: u64 },
    Dir { dir: bool },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureMap {
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    dir: Option<bool>,
    #[serde(default)]
    text: Option<String>,
}

impl<'de> Deserialize<'de> for Fixture {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Fixture;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the file's text, `{ size: BYTES }` or `{ dir: true }`")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Fixture, E> {
                Ok(Fixture::Text(v.to_owned()))
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<Fixture, E> {
                Ok(Fixture::Text(v.to_string()))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<Fixture, E> {
                Ok(Fixture::Text(v.to_string()))
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<Fixture, E> {
                Ok(Fixture::Text(v.to_string()))
            }
            fn visit_bool<E: Error>(self, v: bool) -> Result<Fixture, E> {
                Ok(Fixture::Text(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Fixture, A::Error> {
                let m = FixtureMap::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                match (m.size, m.dir, m.text) {
                    (Some(size), None, None) if size <= MAX_SIZE => Ok(Fixture::Sized { size }),
                    (Some(size), None, None) => Err(A::Error::custom(format!(
                        "a fixture of {size} bytes is too big (at most {MAX_SIZE}, 256 MiB)"
                    ))),
                    (None, Some(true), None) => Ok(Fixture::Dir { dir: true }),
                    (None, Some(false), None) => Err(A::Error::custom(
                        "`dir: false` makes nothing; give the file's text or `size` instead",
                    )),
                    (None, None, Some(t)) => Ok(Fixture::Text(t)),
                    _ => Err(A::Error::custom(
                        "a fixture takes exactly one of `size`, `dir`, `text`",
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// The largest `size` a fixture may ask for.
pub const MAX_SIZE: u64 = 256 << 20;

impl Fixture {
    /// The file's bytes (`None` for a folder). Sized fixtures are pseudo-random, seeded by
    /// the path, and never hold `#`, so the course's `##` end mark cannot occur inside one.
    pub fn bytes(&self, path: &str) -> Option<Vec<u8>> {
        match self {
            Fixture::Text(t) => Some(t.clone().into_bytes()),
            Fixture::Dir { .. } => None,
            Fixture::Sized { size } => {
                // splitmix64, seeded by a hash of the path.
                let mut state = path.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
                });
                let mut out = Vec::with_capacity(*size as usize);
                while out.len() < *size as usize {
                    state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                    let mut z = state;
                    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                    z ^= z >> 31;
                    for b in z.to_le_bytes() {
                        if out.len() < *size as usize {
                            out.push(if b == b'#' { b'$' } else { b });
                        }
                    }
                }
                Some(out)
            }
        }
    }
}

/// How files are named in evidence: their length and sha256 (first 16 hex digits).
pub fn digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let hex: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("{} bytes, sha256 {hex}…", bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sized_fixtures_are_stable_and_free_of_the_end_mark() {
        let f = Fixture::Sized { size: 100_000 };
        let a = f.bytes("library/big.bin").unwrap();
        assert_eq!(a.len(), 100_000);
        assert_eq!(a, f.bytes("library/big.bin").unwrap());
        assert_ne!(a, f.bytes("library/other.bin").unwrap());
        assert!(!a.contains(&b'#'));
    }

    #[test]
    fn forms_load() {
        let load = |y: &str| serde_yaml::from_str::<Fixture>(y);
        assert_eq!(load("hello").unwrap(), Fixture::Text("hello".into()));
        assert_eq!(load("{ size: 3 }").unwrap(), Fixture::Sized { size: 3 });
        assert_eq!(load("{ dir: true }").unwrap(), Fixture::Dir { dir: true });
        assert!(load("{ size: 3, dir: true }").is_err());
        assert!(load("{ dir: false }").is_err());
        assert!(load("{ size: 999999999999 }").is_err());
        assert!(load("{ colour: red }").is_err());
    }
}
