//! Fuzz targets for atlassian-sign; see README.md. The target bodies live in `targets.rs`,
//! which `tests/fuzz_corpus.rs` also compiles on stable to replay the corpora.
pub mod targets;
