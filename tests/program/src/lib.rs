//! The LiteSVM tests of the built program (tests/*.rs) and cu-report (src/bin) use the test
//! support crate (`isthmus-test-support`, tests/support), re-exported here so that they name one
//! crate.

pub use isthmus_test_support::*;

pub mod precompiles;
