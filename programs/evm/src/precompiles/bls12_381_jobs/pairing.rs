//! PAIRING_CHECK as a job: the product so far in GT, advanced a chunk of pairs at a time.

use crate::crypto::bls12_381::{Fp12, GT_BYTES};
use crate::crypto::{Crypto, G1Point, G2Point, Gt};
use crate::precompiles::bls12_381::PAIRING_PAIR;
use crate::precompiles::bls12_381::{curve, pairing_output, pairs_in, read_pairing_pairs};
use crate::precompiles::stepped::{drive, Piece, PrecompileJob};
use crate::precompiles::PrecompileFailure;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// Pairs a piece pairs at most: what one `sol_curve_pairing_map` takes.
pub const PAIRING_CHUNK: usize = 8;

/// SBF compute units of one pairing syscall over `n` pairs with its encodings (measured: 30k CU
/// for one pair, 48k for two, 127k for eight).
fn pairing_cu(n: usize) -> u64 {
    16_000 + 14_000 * n as u64
}

/// The identity of GT as the syscall writes it.
fn is_one(gt: &Gt) -> bool {
    gt[GT_BYTES - 1] == 1 && gt[..GT_BYTES - 1].iter().all(|&b| b == 0)
}

/// A pairing check in progress: the pairs, how many are paired, and the product of their
/// pairings in the syscall's encoding (empty before the first piece). Bytes on the heap rather
/// than an `Fp12`: borsh would read that through the SBF stack, past its 4 KiB frame.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct PairingJob {
    pairs: Vec<(G1Point, G2Point)>,
    next: u32,
    product: Vec<u8>,
}

/// `product * gt` in GT, both in the syscall's encoding (an empty `product` is one); its
/// compute units. Not inlined: its Fp12 values stay out of the caller's SBF stack frame.
#[inline(never)]
fn multiply_into(product: &mut Vec<u8>, gt: &Gt) -> u64 {
    if product.is_empty() {
        product.extend_from_slice(gt);
        return 0;
    }
    let read = |bytes: &[u8]| {
        Fp12::from_bytes(bytes.try_into().expect("576 bytes"))
            .expect("the host writes coefficients below p")
    };
    let value = read(product).mul(&read(gt));
    product.copy_from_slice(&value.to_bytes());
    2 * Fp12::FROM_BYTES_CU + Fp12::MUL_CU + Fp12::TO_BYTES_CU
}

impl PairingJob {
    /// One piece: the pairing of the next chunk, multiplied into the product; the answer once
    /// every pair is in. An input of one chunk is answered from the syscall's bytes, with no
    /// Fp12 arithmetic.
    #[inline(never)]
    fn piece(&mut self, crypto: &dyn Crypto) -> Piece {
        let from = self.next as usize;
        let n = (self.pairs.len() - from).min(PAIRING_CHUNK);
        let gt = match crypto.bls12_pairing(&self.pairs[from..from + n]) {
            Ok(gt) => gt,
            Err(e) => return Piece::Failed(curve(e)),
        };
        let (cu, one) = if self.pairs.len() <= PAIRING_CHUNK {
            (pairing_cu(n), is_one(&gt))
        } else {
            let cu = pairing_cu(n) + multiply_into(&mut self.product, &gt);
            self.next += n as u32;
            if (self.next as usize) < self.pairs.len() {
                return Piece::Worked(cu);
            }
            (cu, is_one(self.product[..].try_into().expect("576 bytes")))
        };
        Piece::Done {
            cu,
            output: pairing_output(one),
        }
    }
}

impl PrecompileJob for PairingJob {
    /// Checks the input's length and padding (the points are checked by the pieces' pairings).
    fn start(input: &[u8]) -> Result<Self, PrecompileFailure> {
        pairs_in(input, PAIRING_PAIR).ok_or(PrecompileFailure::InvalidInput)?;
        Ok(PairingJob {
            pairs: read_pairing_pairs(input)?,
            next: 0,
            product: Vec::new(),
        })
    }

    fn advance(
        &mut self,
        budget: &mut u64,
        crypto: &dyn Crypto,
    ) -> Option<Result<Vec<u8>, PrecompileFailure>> {
        drive(budget, |_| self.piece(crypto))
    }
}
