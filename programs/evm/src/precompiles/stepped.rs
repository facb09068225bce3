//! Precompiles run as jobs: work split into pieces that each fit a Solana transaction, kept in
//! the [`crate::Machine`] between its steps (and saved with it) and advanced with its step
//! budget. Which host runs which precompile this way is its [`Crypto`]'s choice
//! ([`Crypto::runs_stepped`]): off-chain hosts answer at once, the program (and the emulator that
//! predicts it) in steps. A job's answer is the one-shot precompile's: same gas (charged before
//! the job starts), same output, same failures.
//!
//! [`Crypto`]: crate::crypto::Crypto
//! [`Crypto::runs_stepped`]: crate::crypto::Crypto::runs_stepped

use super::{p256_job::P256Job, p256verify, PrecompileFailure};
use alloc::boxed::Box;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// A precompile's work split into pieces that each fit a Solana transaction.
pub trait PrecompileJob: Sized {
    /// Checks the input as the precompile does (after its gas is charged) and prepares the work.
    fn start(input: &[u8]) -> Result<Self, PrecompileFailure>;
    /// Works until done or until `budget` is spent; `budget` is in the machine's step units
    /// (one opcode ~ 70 CU on SBF, the relayer's per-opcode estimate), so a job deducts its
    /// measured SBF cost per piece of work. Some(output) when done.
    fn advance(&mut self, budget: &mut u64) -> Option<Result<Vec<u8>, PrecompileFailure>>;
}

/// The precompiles a host may run as jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SteppedPrecompile {
    /// EIP-7951 P256VERIFY (0x100).
    P256Verify,
}

impl SteppedPrecompile {
    /// The precompile number `number` if it can run as a job.
    pub fn of(number: u16) -> Option<Self> {
        match number {
            super::P256VERIFY => Some(Self::P256Verify),
            _ => None,
        }
    }

    /// The gas the precompile charges for `input` (before any work).
    pub fn gas(self, _input: &[u8]) -> u64 {
        match self {
            Self::P256Verify => p256verify::GAS,
        }
    }

    /// Checks `input` and starts the job.
    pub fn start(self, input: &[u8]) -> Result<Job, PrecompileFailure> {
        match self {
            Self::P256Verify => P256Job::start(input).map(|job| Job::P256Verify(Box::new(job))),
        }
    }
}

/// A job in progress: what the machine keeps (boxed, off the SBF stack) between steps.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Job {
    P256Verify(Box<P256Job>),
}

impl Job {
    /// [`PrecompileJob::advance`] of the job inside.
    pub fn advance(&mut self, budget: &mut u64) -> Option<Result<Vec<u8>, PrecompileFailure>> {
        match self {
            Self::P256Verify(job) => job.advance(budget),
        }
    }
}
