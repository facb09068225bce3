//! [`FLAG_BLS_MAP`](crate::message::FLAG_BLS_MAP): runs EIP-2537's MAP_FP_TO_G1 (64-byte input)
//! or MAP_FP2_TO_G2 (128 bytes) as a resumable job one piece at a time, with a checkpoint (on
//! SBF: a log of the remaining compute units) before the first piece and after each, then once
//! more in one call to read the job's own cost estimate. The stages come in order, so their
//! piece counts place every logged piece in its stage.

use alloc::vec::Vec;
use isthmus_evm::precompiles::stepped::{Job, SteppedPrecompile};
use isthmus_evm::Crypto;

/// What the program returns for a map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MapReport {
    /// The precompile's output, empty if it failed.
    pub output: Vec<u8>,
    /// The machine steps the one-call run deducted from its budget (the job's estimate).
    pub estimated_steps: u64,
    /// Pieces per stage, in the order of the job's stages.
    pub pieces: Vec<u32>,
}

impl MapReport {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&(self.output.len() as u16).to_le_bytes());
        out.extend_from_slice(&self.output);
        out.extend_from_slice(&self.estimated_steps.to_le_bytes());
        for n in &self.pieces {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let len = u16::from_le_bytes(bytes.get(..2)?.try_into().ok()?) as usize;
        let output = bytes.get(2..2 + len)?.to_vec();
        let rest = bytes.get(2 + len..)?;
        let estimated_steps = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
        let pieces = rest[8..]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect();
        Some(MapReport {
            output,
            estimated_steps,
            pieces,
        })
    }
}

/// The machine's job for a map input (64 bytes: MAP_FP_TO_G1, else MAP_FP2_TO_G2), if it starts.
fn start(input: &[u8]) -> Option<Job> {
    let map = match input.len() {
        64 => SteppedPrecompile::MapFpToG1,
        _ => SteppedPrecompile::MapFp2ToG2,
    };
    map.start(input).ok()
}

/// The index of the stage `job`'s next piece works in.
fn stage(job: &Job) -> usize {
    match job {
        Job::MapFpToG1(job) => job.stage(),
        Job::MapFp2ToG2(job) => job.stage(),
        _ => unreachable!("a map job"),
    }
}

/// Runs the map on `input`, calling `checkpoint` twice before the first piece (the host
/// measures the checkpoint's own cost from those two) and after each piece. `crypto` is what
/// `Job::advance` takes (the maps, in Rust, use none of it).
#[inline(never)]
pub fn run(input: &[u8], crypto: &dyn Crypto, checkpoint: &mut dyn FnMut()) -> MapReport {
    let mut report = MapReport {
        output: Vec::new(),
        estimated_steps: 0,
        pieces: alloc::vec![0; 8],
    };
    let Some(mut job) = start(input) else {
        return report;
    };
    checkpoint();
    checkpoint();
    loop {
        let stage = stage(&job);
        let outcome = job.advance(&mut 1, crypto);
        checkpoint();
        report.pieces[stage] += 1;
        if let Some(result) = outcome {
            report.output = result.unwrap_or_default();
            break;
        }
    }
    let mut job = start(input).expect("checked above");
    let mut budget = u64::MAX;
    let _ = job.advance(&mut budget, crypto);
    report.estimated_steps = u64::MAX - budget;
    report
}
