//! Exponentiation by a fixed exponent, one window of bits per piece (left to right, with a
//! table of the base's first powers: fewer multiplications than bit by bit).

use crate::crypto::bls12_381::Field;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// Bits per window: 3 saves ~40% of the multiplications of bit-by-bit square and multiply for a
/// table of 7 powers (4 would save a little more for a state twice the size).
const WINDOW: u16 = 3;
const TABLE: usize = (1 << WINDOW) - 1;

/// `base^e` in progress: `acc` is `base` to the power of `e`'s bits from `left` up.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Pow<F> {
    /// base^1, base^2, ..., base^TABLE (only base^1 until the first piece builds the rest).
    table: Vec<F>,
    acc: F,
    /// Bits of the exponent still to do.
    left: u16,
    /// Whether `acc` holds the top window yet.
    started: bool,
}

/// The number of significant bits of a little-endian exponent.
fn bit_len(exponent: &[u32]) -> u16 {
    let top = exponent.iter().rposition(|&limb| limb != 0).unwrap_or(0);
    (top as u32 * 32 + 32 - exponent[top].leading_zeros()) as u16
}

/// Bits `from..to` of `exponent` (at most a window's).
fn bits(exponent: &[u32], from: u16, to: u16) -> usize {
    (from..to).rev().fold(0, |acc, i| {
        acc << 1 | (exponent[i as usize / 32] >> (i % 32) & 1) as usize
    })
}

impl<F: Field> Pow<F> {
    /// Starts `base^exponent` (exponent nonzero).
    pub fn new(base: F, exponent: &[u32]) -> Self {
        Pow {
            table: alloc::vec![base],
            acc: base,
            left: bit_len(exponent),
            started: false,
        }
    }

    /// Builds the table, or does the next window of `exponent` (the one `new` was given);
    /// returns the F multiplications done.
    pub fn step(&mut self, exponent: &[u32]) -> u64 {
        if self.table.len() < TABLE {
            let base = self.table[0];
            while self.table.len() < TABLE {
                let next = self.table[self.table.len() - 1] * base;
                self.table.push(next);
            }
            return TABLE as u64 - 1;
        }
        debug_assert!(self.left > 0);
        // Windows are aligned on multiples of WINDOW bits: the top one may be narrower.
        let from = (self.left - 1) / WINDOW * WINDOW;
        let value = bits(exponent, from, self.left);
        let width = self.left - from;
        self.left = from;
        if !self.started {
            // The top window holds the leading one bit: nonzero.
            self.started = true;
            self.acc = self.table[value - 1];
            return 0;
        }
        for _ in 0..width {
            self.acc = self.acc.square();
        }
        if value == 0 {
            return width as u64;
        }
        self.acc = self.acc * self.table[value - 1];
        width as u64 + 1
    }

    /// `base^exponent` once every bit is done.
    pub fn result(&self) -> Option<F> {
        (self.left == 0 && self.started).then_some(self.acc)
    }
}
