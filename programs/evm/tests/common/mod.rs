//! Helpers shared by the differential test and the benchmarks (included there by `#[path]`):
//! a seeded PRNG, a small assembler, the real contracts, and the two runners (isthmus-evm, revm)
//! with their results normalised for comparison.
#![allow(dead_code)]

pub mod asm;
pub mod contracts;
pub mod rng;
pub mod workloads;
pub mod world;
