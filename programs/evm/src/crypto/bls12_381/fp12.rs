//! Fp6 = Fp2[v] / (v^3 - (1 + i)) and Fp12 = Fp6[w] / (w^2 - v): the tower of BLS12-381's
//! target group GT (blst's, zkcrypto's). Only what the resumable pairing check needs: reading
//! the GT elements Solana's pairing syscall writes, multiplying them, and comparing with one.

use super::{Fp, Fp2};
use borsh::{BorshDeserialize, BorshSerialize};

/// A GT element as `sol_curve_pairing_map` (big-endian) writes it, and [`crate::crypto::Gt`].
pub const GT_BYTES: usize = 576;

/// `c0 + c1 v + c2 v^2`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, BorshSerialize, BorshDeserialize)]
pub struct Fp6 {
    pub c: [Fp2; 3],
}

/// `c0 + c1 w`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, BorshSerialize, BorshDeserialize)]
pub struct Fp12 {
    pub c: [Fp6; 2],
}

/// `x (1 + i)`: the non-residue v^3 stands for.
fn mul_by_xi(x: Fp2) -> Fp2 {
    Fp2::new(x.c0 - x.c1, x.c0 + x.c1)
}

impl Fp6 {
    const ZERO: Fp6 = Fp6 { c: [Fp2::ZERO; 3] };

    fn add(&self, other: &Fp6) -> Fp6 {
        Fp6 {
            c: [
                self.c[0] + other.c[0],
                self.c[1] + other.c[1],
                self.c[2] + other.c[2],
            ],
        }
    }

    fn sub(&self, other: &Fp6) -> Fp6 {
        Fp6 {
            c: [
                self.c[0] - other.c[0],
                self.c[1] - other.c[1],
                self.c[2] - other.c[2],
            ],
        }
    }

    /// `self v`: v^3 = 1 + i.
    fn mul_by_v(&self) -> Fp6 {
        Fp6 {
            c: [mul_by_xi(self.c[2]), self.c[0], self.c[1]],
        }
    }

    /// Karatsuba: six Fp2 products. Not inlined: its Fp2 temporaries stay out of the caller's
    /// SBF stack frame.
    #[inline(never)]
    fn mul(&self, other: &Fp6) -> Fp6 {
        let [a0, a1, a2] = self.c;
        let [b0, b1, b2] = other.c;
        let (v0, v1, v2) = (a0 * b0, a1 * b1, a2 * b2);
        Fp6 {
            c: [
                v0 + mul_by_xi((a1 + a2) * (b1 + b2) - v1 - v2),
                (a0 + a1) * (b0 + b1) - v0 - v1 + mul_by_xi(v2),
                (a0 + a2) * (b0 + b2) - v0 - v2 + v1,
            ],
        }
    }
}

impl Fp12 {
    pub const ONE: Fp12 = Fp12 {
        c: [
            Fp6 {
                c: [Fp2::ONE, Fp2::ZERO, Fp2::ZERO],
            },
            Fp6::ZERO,
        ],
    };

    /// SBF compute units of [`Fp12::mul`] (three Fp6 products of six Fp2 products each, priced
    /// as [`super::Field::MUL_CU`] for Fp2, plus the additions around them).
    pub const MUL_CU: u64 = 18 * 9_200 + 20_000;
    /// SBF compute units of reading one GT element (twelve Fp into Montgomery form).
    pub const FROM_BYTES_CU: u64 = 12 * 3_100 + 5_000;
    /// SBF compute units of writing one (twelve Fp out of Montgomery form).
    pub const TO_BYTES_CU: u64 = 12 * 3_100 + 5_000;

    /// The twelve Fp coefficients, lowest degree first (c0.c0.c0, c0.c0.c1, c0.c1.c0, ...).
    fn coefficients_mut(&mut self) -> impl Iterator<Item = &mut Fp> {
        self.c
            .iter_mut()
            .flat_map(|fp6| fp6.c.iter_mut())
            .flat_map(|fp2| [&mut fp2.c0, &mut fp2.c1])
    }

    /// The syscall's big-endian encoding: the little-endian one (coefficients lowest degree
    /// first, each little-endian) reversed as a whole, so the coefficients come highest degree
    /// first, each big-endian (solana-bls12-381-syscall's `serialize_gt`). `None` if a
    /// coefficient is not below p.
    pub fn from_bytes(bytes: &[u8; GT_BYTES]) -> Option<Fp12> {
        let mut out = Fp12 { c: [Fp6::ZERO; 2] };
        for (k, coefficient) in out.coefficients_mut().enumerate() {
            let at = (11 - k) * 48;
            *coefficient = Fp::from_bytes(bytes[at..at + 48].try_into().expect("48 bytes"))?;
        }
        Some(out)
    }

    /// The encoding [`Fp12::from_bytes`] reads.
    pub fn to_bytes(&self) -> [u8; GT_BYTES] {
        let mut copy = *self;
        let mut out = [0u8; GT_BYTES];
        for (k, coefficient) in copy.coefficients_mut().enumerate() {
            let at = (11 - k) * 48;
            out[at..at + 48].copy_from_slice(&coefficient.to_bytes());
        }
        out
    }

    /// Karatsuba over Fp6: three Fp6 products. Not inlined (its SBF stack frame).
    #[inline(never)]
    pub fn mul(&self, other: &Fp12) -> Fp12 {
        let [a0, a1] = &self.c;
        let [b0, b1] = &other.c;
        let t0 = a0.mul(b0);
        let t1 = a1.mul(b1);
        let cross = a0.add(a1).mul(&b0.add(b1));
        Fp12 {
            c: [t0.add(&t1.mul_by_v()), cross.sub(&t0).sub(&t1)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(seed: u64) -> Fp12 {
        let mut bytes = [0u8; GT_BYTES];
        let mut x = seed;
        for chunk in bytes.chunks_mut(48) {
            for b in chunk[1..].iter_mut() {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                *b = (x >> 33) as u8;
            }
        }
        Fp12::from_bytes(&bytes).unwrap()
    }

    #[test]
    fn the_ring_laws_hold() {
        for seed in 0..10 {
            let (a, b, c) = (element(seed), element(seed + 50), element(seed + 99));
            assert_eq!(a.mul(&Fp12::ONE), a);
            assert_eq!(a.mul(&b), b.mul(&a));
            assert_eq!(a.mul(&b).mul(&c), a.mul(&b.mul(&c)));
            assert_eq!(Fp12::from_bytes(&a.to_bytes()), Some(a));
        }
        let mut one = [0u8; GT_BYTES];
        one[GT_BYTES - 1] = 1;
        assert_eq!(Fp12::from_bytes(&one), Some(Fp12::ONE));
        // w^2 = v, and v^3 = 1 + i.
        let mut w = Fp12 { c: [Fp6::ZERO; 2] };
        w.c[1].c[0] = Fp2::ONE;
        let mut v = Fp12 { c: [Fp6::ZERO; 2] };
        v.c[0].c[1] = Fp2::ONE;
        assert_eq!(w.mul(&w), v);
        let mut xi = Fp12 { c: [Fp6::ZERO; 2] };
        xi.c[0].c[0] = Fp2::new(Fp::ONE, Fp::ONE);
        assert_eq!(v.mul(&v).mul(&v), xi);
    }
}
