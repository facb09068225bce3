//! EIP-2537's G1MSM (0x0c), G2MSM (0x0e) and PAIRING_CHECK (0x0f) as resumable jobs whose
//! pieces are the host's curve operations (the `crypto` of [`PrecompileJob::advance`]): on-chain, Solana's BLS12-381
//! syscalls, each bounded (at most eight pairs a pairing syscall) and together, for a long
//! input, dearer than one Solana transaction's compute.
//!
//! - [`MsmJob`]: the sum so far and the next pair; a piece is one MSM over as many pairs as the
//!   budget holds (at most [`MsmPoint::MAX_CHUNK`]) added to the sum. The sum is a unique point,
//!   so the answer is the one-shot MSM's bit for bit.
//! - [`PairingJob`]: the product so far in GT and the next pair; a piece is the pairing of up to
//!   [`PAIRING_CHUNK`] pairs (Miller loops and final exponentiation, as the syscall computes
//!   them), multiplied into the product in Fp12 (`crypto::bls12_381::Fp12`). The final
//!   exponentiation is a homomorphism, so the product of the pieces' values is the value of all
//!   the pairs: one exactly when the one-shot check answers one.
//!
//! Each piece is priced by its measured SBF compute units in machine steps, as the maps are.
//!
//! [`PrecompileJob::advance`]: super::stepped::PrecompileJob::advance

mod msm;
mod pairing;

pub use msm::{MsmJob, MsmPoint};
pub use pairing::{PairingJob, PAIRING_CHUNK};

#[cfg(all(test, feature = "host-crypto"))]
mod tests;
