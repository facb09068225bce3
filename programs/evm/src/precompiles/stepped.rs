//! Precompiles run as jobs: work split into pieces that each fit a Solana transaction, kept in
//! the [`crate::Machine`] between its steps (and saved with it) and advanced with its step
//! budget. Which host runs which precompile this way is its [`Crypto`]'s choice
//! ([`Crypto::runs_stepped`]): off-chain hosts answer at once, the program (and the emulator that
//! predicts it) in steps. A job's answer is the one-shot precompile's: same gas (charged before
//! the job starts), same output, same failures.
//!
//! [`Crypto`]: crate::crypto::Crypto
//! [`Crypto::runs_stepped`]: crate::crypto::Crypto::runs_stepped

use super::bls12_381::{self as eip2537, MAP_FP2_TO_G2_GAS, MAP_FP_TO_G1_GAS};
use super::bls12_381_jobs::{MsmJob, PairingJob};
use super::bls12_381_map::{MapFp2ToG2Job, MapFpToG1Job};
use super::{p256_job::P256Job, p256verify, PrecompileFailure};
use crate::crypto::{Crypto, G1Point, G2Point};
use alloc::boxed::Box;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// A precompile's work split into pieces that each fit a Solana transaction.
pub trait PrecompileJob: Sized {
    /// Checks the input as the precompile does (after its gas is charged) and prepares the work.
    fn start(input: &[u8]) -> Result<Self, PrecompileFailure>;
    /// Works until done or until `budget` is spent; `budget` is in the machine's step units
    /// ([`CU_PER_STEP`]), so a job deducts its measured SBF cost per piece of work. Pieces that
    /// are the host's curve operations (on-chain, Solana's BLS12-381 syscalls) are computed by
    /// `crypto`; jobs in Rust ignore it. Some(output) when done.
    fn advance(
        &mut self,
        budget: &mut u64,
        crypto: &dyn Crypto,
    ) -> Option<Result<Vec<u8>, PrecompileFailure>>;
}

/// The machine's step unit, in compute units (its per-opcode estimate).
pub const CU_PER_STEP: u64 = 70;

/// One piece of a job's work: its estimated SBF compute units, and the job's answer or failure
/// when it ends.
pub(super) enum Piece {
    Worked(u64),
    Done { cu: u64, output: Vec<u8> },
    Failed(PrecompileFailure),
}

/// Runs pieces until `next` (given the budget left) answers or `budget` is spent, each charged
/// its `cu` in steps (a piece that worked at least one step, so that every piece, however cheap,
/// counts). A call with a nonzero budget always does at least one piece, so a job may overshoot
/// its budget by at most one piece.
pub(super) fn drive(
    budget: &mut u64,
    mut next: impl FnMut(u64) -> Piece,
) -> Option<Result<Vec<u8>, PrecompileFailure>> {
    while *budget > 0 {
        match next(*budget) {
            Piece::Worked(cu) => *budget = budget.saturating_sub(cu.div_ceil(CU_PER_STEP).max(1)),
            Piece::Done { cu, output } => {
                *budget = budget.saturating_sub(cu.div_ceil(CU_PER_STEP));
                return Some(Ok(output));
            }
            Piece::Failed(failure) => return Some(Err(failure)),
        }
    }
    None
}

/// The precompiles a host may run as jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SteppedPrecompile {
    /// EIP-7951 P256VERIFY (0x100).
    P256Verify,
    /// EIP-2537 MAP_FP_TO_G1 (0x10).
    MapFpToG1,
    /// EIP-2537 MAP_FP2_TO_G2 (0x11).
    MapFp2ToG2,
    /// EIP-2537 G1MSM (0x0c).
    G1Msm,
    /// EIP-2537 G2MSM (0x0e).
    G2Msm,
    /// EIP-2537 PAIRING_CHECK (0x0f).
    PairingCheck,
}

impl SteppedPrecompile {
    /// The precompile number `number` if it can run as a job.
    pub fn of(number: u16) -> Option<Self> {
        match number {
            super::P256VERIFY => Some(Self::P256Verify),
            0x10 => Some(Self::MapFpToG1),
            0x11 => Some(Self::MapFp2ToG2),
            0x0c => Some(Self::G1Msm),
            0x0e => Some(Self::G2Msm),
            0x0f => Some(Self::PairingCheck),
            _ => None,
        }
    }

    /// The gas the precompile charges for `input` (before any work); none for an input of a
    /// length it refuses before pricing (the job's start refuses it).
    pub fn gas(self, input: &[u8]) -> u64 {
        let pairs = |pair_len| eip2537::pairs_in(input, pair_len);
        match self {
            Self::P256Verify => p256verify::GAS,
            Self::MapFpToG1 => MAP_FP_TO_G1_GAS,
            Self::MapFp2ToG2 => MAP_FP2_TO_G2_GAS,
            Self::G1Msm => pairs(eip2537::G1_MSM_PAIR).map_or(0, eip2537::g1_msm_gas),
            Self::G2Msm => pairs(eip2537::G2_MSM_PAIR).map_or(0, eip2537::g2_msm_gas),
            Self::PairingCheck => pairs(eip2537::PAIRING_PAIR).map_or(0, eip2537::pairing_gas),
        }
    }

    /// Checks `input` and starts the job. Not inlined: on SBF the job is built in this frame,
    /// not in the (full) frame of the program's step handler.
    #[inline(never)]
    pub fn start(self, input: &[u8]) -> Result<Job, PrecompileFailure> {
        match self {
            Self::P256Verify => P256Job::start(input).map(|job| Job::P256Verify(Box::new(job))),
            Self::MapFpToG1 => MapFpToG1Job::start(input).map(|job| Job::MapFpToG1(Box::new(job))),
            Self::MapFp2ToG2 => {
                MapFp2ToG2Job::start(input).map(|job| Job::MapFp2ToG2(Box::new(job)))
            }
            Self::G1Msm => MsmJob::start(input).map(|job| Job::G1Msm(Box::new(job))),
            Self::G2Msm => MsmJob::start(input).map(|job| Job::G2Msm(Box::new(job))),
            Self::PairingCheck => PairingJob::start(input).map(|job| Job::Pairing(Box::new(job))),
        }
    }
}

/// A job in progress: what the machine keeps (boxed, off the SBF stack) between steps.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize)]
pub enum Job {
    P256Verify(Box<P256Job>),
    MapFpToG1(Box<MapFpToG1Job>),
    MapFp2ToG2(Box<MapFp2ToG2Job>),
    G1Msm(Box<MsmJob<G1Point>>),
    G2Msm(Box<MsmJob<G2Point>>),
    Pairing(Box<PairingJob>),
}

/// Borsh's derived layout (a variant byte, then the job), read by a function of its own so that
/// the job is built in this frame, not in the machine's reader's (on SBF the stack frame of one
/// function is at most 4 KiB).
impl BorshDeserialize for Job {
    #[inline(never)]
    fn deserialize_reader<R: borsh::io::Read>(reader: &mut R) -> borsh::io::Result<Self> {
        match u8::deserialize_reader(reader)? {
            0 => Ok(Self::P256Verify(read_boxed(reader)?)),
            1 => Ok(Self::MapFpToG1(read_boxed(reader)?)),
            2 => Ok(Self::MapFp2ToG2(read_boxed(reader)?)),
            3 => Ok(Self::G1Msm(read_boxed(reader)?)),
            4 => Ok(Self::G2Msm(read_boxed(reader)?)),
            5 => Ok(Self::Pairing(read_boxed(reader)?)),
            _ => Err(borsh::io::ErrorKind::InvalidData.into()),
        }
    }
}

/// One job read into its box, in a frame of its own per job type.
#[inline(never)]
fn read_boxed<T: BorshDeserialize, R: borsh::io::Read>(
    reader: &mut R,
) -> borsh::io::Result<Box<T>> {
    Ok(Box::new(T::deserialize_reader(reader)?))
}

impl Job {
    /// [`PrecompileJob::advance`] of the job inside.
    #[inline(never)]
    pub fn advance(
        &mut self,
        budget: &mut u64,
        crypto: &dyn Crypto,
    ) -> Option<Result<Vec<u8>, PrecompileFailure>> {
        match self {
            Self::P256Verify(job) => job.advance(budget, crypto),
            Self::MapFpToG1(job) => job.advance(budget, crypto),
            Self::MapFp2ToG2(job) => job.advance(budget, crypto),
            Self::G1Msm(job) => job.advance(budget, crypto),
            Self::G2Msm(job) => job.advance(budget, crypto),
            Self::Pairing(job) => job.advance(budget, crypto),
        }
    }
}
