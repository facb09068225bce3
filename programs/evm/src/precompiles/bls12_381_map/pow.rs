//! Exponentiation by a fixed exponent, one bit per piece (left to right, square and multiply).

use crate::crypto::bls12_381::Field;
use borsh::{BorshDeserialize, BorshSerialize};

/// `base^e` in progress: `acc` is `base` to the power of `e`'s bits from `left` up.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Pow<F> {
    base: F,
    acc: F,
    /// Bits of the exponent still to do.
    left: u16,
}

/// The number of significant bits of a little-endian exponent.
fn bit_len(exponent: &[u32]) -> u16 {
    let top = exponent.iter().rposition(|&limb| limb != 0).unwrap_or(0);
    (top as u32 * 32 + 32 - exponent[top].leading_zeros()) as u16
}

fn bit(exponent: &[u32], i: u16) -> bool {
    exponent[i as usize / 32] >> (i % 32) & 1 == 1
}

impl<F: Field> Pow<F> {
    /// Starts `base^exponent` (exponent nonzero) with its leading bit done.
    pub fn new(base: F, exponent: &[u32]) -> Self {
        Pow {
            base,
            acc: base,
            left: bit_len(exponent) - 1,
        }
    }

    /// Does the next bit of `exponent` (the one `new` was given); returns the F operations done.
    pub fn step(&mut self, exponent: &[u32]) -> u64 {
        debug_assert!(self.left > 0);
        self.left -= 1;
        self.acc = self.acc.square();
        if bit(exponent, self.left) {
            self.acc = self.acc * self.base;
            return 2;
        }
        1
    }

    /// `base^exponent` once every bit is done.
    pub fn result(&self) -> Option<F> {
        (self.left == 0).then_some(self.acc)
    }
}
