//! Runs the Ethereum GeneralStateTests (the `Cancun`, `Prague` and `Osaka` post entries) against
//! `isthmus-evm`.
//!
//! - [`json`]: the test file format;
//! - [`setup`]: block, transaction and pre-state from the JSON;
//! - [`root`]: the post-state root and the logs hash a vector is judged by;
//! - [`runner`]: running vectors, files, and many files on all cores;
//! - [`bundled`]: the Cancun corpus shipped in `fixtures/`, unpacked on first use.

pub mod bundled;
pub mod json;
pub mod root;
pub mod runner;
pub mod setup;

pub use runner::{collect_files, run_file, run_files, FileReport, Options, Outcome, VectorReport};
