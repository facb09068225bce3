//! G1MSM and G2MSM as jobs: the sum so far, advanced a chunk of pairs at a time.

use crate::crypto::{Crypto, CurveError, G1Point, G2Point, Scalar};
use crate::precompiles::bls12_381::{self as eip2537, curve, pad, pairs_in};
use crate::precompiles::stepped::{drive, Piece, PrecompileJob, CU_PER_STEP};
use crate::precompiles::PrecompileFailure;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// What the MSM job needs of a group: its encodings, the host's operations, their prices.
pub trait MsmPoint:
    Copy + PartialEq + Eq + core::fmt::Debug + AsRef<[u8]> + BorshSerialize + BorshDeserialize
{
    /// The point at infinity (all zeros).
    const INFINITY: Self;
    /// Bytes of a pair in the input.
    const PAIR_BYTES: usize;
    /// SBF compute units of one pair in an MSM on-chain (the syscalls' MUL and ADD and the
    /// encodings around them: 746k CU for 128 G1 pairs, 643k for 64 G2 pairs, measured).
    const PAIR_CU: u64;
    /// SBF compute units of adding a piece's MSM to the sum (an ADD syscall and its encodings).
    const ADD_CU: u64;
    /// The most pairs of one piece: half of what the program's one-shot MSM takes (128 G1, 64
    /// G2 pairs), so that one piece stays well inside a Solana transaction.
    const MAX_CHUNK: usize;
    /// The unpadded pairs of an input whose length is a multiple of [`MsmPoint::PAIR_BYTES`].
    fn read(input: &[u8]) -> Result<Vec<(Self, Scalar)>, PrecompileFailure>;
    fn msm(crypto: &dyn Crypto, pairs: &[(Self, Scalar)]) -> Result<Self, CurveError>;
    fn add(crypto: &dyn Crypto, a: &Self, b: &Self) -> Result<Self, CurveError>;
}

impl MsmPoint for G1Point {
    const INFINITY: Self = [0; 96];
    const PAIR_BYTES: usize = eip2537::G1_MSM_PAIR;
    const PAIR_CU: u64 = 5_900;
    const ADD_CU: u64 = 1_000;
    const MAX_CHUNK: usize = 64;
    fn read(input: &[u8]) -> Result<Vec<(Self, Scalar)>, PrecompileFailure> {
        eip2537::read_msm_pairs::<96>(input, eip2537::G1_MSM_PAIR - 32)
    }
    fn msm(crypto: &dyn Crypto, pairs: &[(Self, Scalar)]) -> Result<Self, CurveError> {
        crypto.bls12_g1_msm(pairs)
    }
    fn add(crypto: &dyn Crypto, a: &Self, b: &Self) -> Result<Self, CurveError> {
        crypto.bls12_g1_add(a, b)
    }
}

impl MsmPoint for G2Point {
    const INFINITY: Self = [0; 192];
    const PAIR_BYTES: usize = eip2537::G2_MSM_PAIR;
    const PAIR_CU: u64 = 10_100;
    const ADD_CU: u64 = 1_500;
    const MAX_CHUNK: usize = 32;
    fn read(input: &[u8]) -> Result<Vec<(Self, Scalar)>, PrecompileFailure> {
        eip2537::read_msm_pairs::<192>(input, eip2537::G2_MSM_PAIR - 32)
    }
    fn msm(crypto: &dyn Crypto, pairs: &[(Self, Scalar)]) -> Result<Self, CurveError> {
        crypto.bls12_g2_msm(pairs)
    }
    fn add(crypto: &dyn Crypto, a: &Self, b: &Self) -> Result<Self, CurveError> {
        crypto.bls12_g2_add(a, b)
    }
}

/// An MSM in progress: the pairs, how many are summed, and their sum.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct MsmJob<P: MsmPoint> {
    pairs: Vec<(P, Scalar)>,
    next: u32,
    sum: P,
}

impl<P: MsmPoint> MsmJob<P> {
    /// One piece: the MSM of as many of the next pairs as `budget` holds (at least one, at most
    /// [`MsmPoint::MAX_CHUNK`]) added to the sum; the sum once every pair is in.
    #[inline(never)]
    fn piece(&mut self, budget: u64, crypto: &dyn Crypto) -> Piece {
        let from = self.next as usize;
        let fits = budget.saturating_mul(CU_PER_STEP) / P::PAIR_CU;
        let n = (fits.max(1) as usize)
            .min(self.pairs.len() - from)
            .min(P::MAX_CHUNK);
        let sum = P::msm(crypto, &self.pairs[from..from + n])
            .and_then(|product| P::add(crypto, &self.sum, &product));
        match sum {
            Err(e) => Piece::Failed(curve(e)),
            Ok(sum) => {
                self.sum = sum;
                self.next += n as u32;
                let cu = n as u64 * P::PAIR_CU + P::ADD_CU;
                if self.next as usize == self.pairs.len() {
                    Piece::Done {
                        cu,
                        output: pad(self.sum.as_ref()),
                    }
                } else {
                    Piece::Worked(cu)
                }
            }
        }
    }
}

impl<P: MsmPoint> PrecompileJob for MsmJob<P> {
    /// Checks the input's length and padding (the points are checked by the pieces' MSMs).
    fn start(input: &[u8]) -> Result<Self, PrecompileFailure> {
        pairs_in(input, P::PAIR_BYTES).ok_or(PrecompileFailure::InvalidInput)?;
        Ok(MsmJob {
            pairs: P::read(input)?,
            next: 0,
            sum: P::INFINITY,
        })
    }

    fn advance(
        &mut self,
        budget: &mut u64,
        crypto: &dyn Crypto,
    ) -> Option<Result<Vec<u8>, PrecompileFailure>> {
        drive(budget, |left| self.piece(left, crypto))
    }
}
