//! EIP-2537's MAP_FP_TO_G1 (0x10) and MAP_FP2_TO_G2 (0x11) in Rust, as resumable jobs.
//!
//! No Solana syscall maps to BLS12-381, and on SBF a map costs several Solana transactions'
//! compute units, so each map is a job that works in small pieces (one 3-bit window of an
//! exponent, one doubling or addition, one isogeny polynomial, ...; none over ~185K CU) and can
//! stop between any two, its state saved with borsh. Each piece is priced by its count of field
//! products times their measured SBF cost (`Field::MUL_CU`; `tools/cu-probe --bls-maps` measures
//! the pieces). The mapping is RFC 9380's: simplified SWU onto the isogenous curve, the isogeny, then
//! cofactor clearing, as EIP-2537 specifies (and as blst computes it off-chain).
//!
//! - [`MapFpToG1Job`]: SWU with sqrt_ratio for q = 3 mod 4, the 11-isogeny, `h_eff` times the point.
//! - [`MapFp2ToG2Job`]: SWU with the generic sqrt_ratio, the 3-isogeny, psi-based clear_cofactor.
//!
//! Both end with one inversion (the point goes from Jacobian to affine coordinates).
//! [`at_once`] runs a job in one go (tests, off-chain checks).

mod constants;
mod curve;
mod g1;
mod g2;
mod pow;
mod swu;

pub use g1::{MapFpToG1Job, STAGES as G1_STAGES};
pub use g2::{MapFp2ToG2Job, STAGES as G2_STAGES};

use super::stepped::PrecompileJob;
use super::PrecompileFailure;
use crate::crypto::Crypto;
use alloc::vec::Vec;

/// The input's `N` padded field elements, 48 bytes each: exactly `64 N` bytes in, the first 16
/// of each 64 zero.
fn unpad<const N: usize>(input: &[u8]) -> Result<[[u8; 48]; N], PrecompileFailure> {
    if input.len() != 64 * N {
        return Err(PrecompileFailure::InvalidInput);
    }
    let mut out = [[0u8; 48]; N];
    for (value, padded) in out.iter_mut().zip(input.chunks_exact(64)) {
        let (top, bytes) = padded.split_at(16);
        if top.iter().any(|&b| b != 0) {
            return Err(PrecompileFailure::InvalidInput);
        }
        value.copy_from_slice(bytes);
    }
    Ok(out)
}

/// The precompile's output: each 48-byte coordinate behind 16 zero bytes.
fn pad(coordinates: &[[u8; 48]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(coordinates.len() * 64);
    for c in coordinates {
        out.extend_from_slice(&[0u8; 16]);
        out.extend_from_slice(c);
    }
    out
}

/// A map in one go (tests, off-chain checks): the job with an unlimited budget.
pub fn at_once<J: PrecompileJob>(
    input: &[u8],
    crypto: &dyn Crypto,
) -> Result<Vec<u8>, PrecompileFailure> {
    J::start(input)?
        .advance(&mut { u64::MAX }, crypto)
        .expect("an unlimited budget finishes")
}

#[cfg(test)]
mod tests;
