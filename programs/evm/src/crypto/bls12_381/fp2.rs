//! Fp2 = Fp[i] / (i^2 + 1), the field of G2's coordinates.

use super::{Field, Fp};
use borsh::{BorshDeserialize, BorshSerialize};
use core::ops::{Add, Mul, Neg, Sub};

/// `c0 + c1 i`.
#[derive(Clone, Copy, PartialEq, Eq, Debug, BorshSerialize, BorshDeserialize)]
pub struct Fp2 {
    pub c0: Fp,
    pub c1: Fp,
}

impl Fp2 {
    pub const ZERO: Fp2 = Fp2::new(Fp::ZERO, Fp::ZERO);
    pub const ONE: Fp2 = Fp2::new(Fp::ONE, Fp::ZERO);

    pub const fn new(c0: Fp, c1: Fp) -> Fp2 {
        Fp2 { c0, c1 }
    }

    /// EIP-2537's 96 bytes (c0 then c1, each big-endian), `None` if either is not below p.
    pub fn from_bytes(bytes: &[u8; 96]) -> Option<Fp2> {
        let c0 = Fp::from_bytes(bytes[..48].try_into().expect("48 bytes"))?;
        let c1 = Fp::from_bytes(bytes[48..].try_into().expect("48 bytes"))?;
        Some(Fp2::new(c0, c1))
    }

    pub fn to_bytes(&self) -> [u8; 96] {
        let mut out = [0u8; 96];
        out[..48].copy_from_slice(&self.c0.to_bytes());
        out[48..].copy_from_slice(&self.c1.to_bytes());
        out
    }

    /// RFC 9380's sgn0 for m = 2: c0's parity, or c1's when c0 is zero.
    pub fn sgn0(&self) -> bool {
        self.c0.sgn0() || (self.c0 == Fp::ZERO && self.c1.sgn0())
    }

    /// The Frobenius map x -> x^p: the conjugate.
    pub fn conjugate(&self) -> Fp2 {
        Fp2::new(self.c0, -self.c1)
    }

    pub fn mul_fp(&self, k: Fp) -> Fp2 {
        Fp2::new(self.c0 * k, self.c1 * k)
    }

    /// c0^2 + c1^2: the norm, whose inverse gives the inverse (conjugate / norm).
    pub fn norm(&self) -> Fp {
        self.c0.square() + self.c1.square()
    }

    pub fn square(&self) -> Fp2 {
        // (c0 + c1 i)^2 = (c0 + c1)(c0 - c1) + 2 c0 c1 i
        let t = self.c0 * self.c1;
        Fp2::new((self.c0 + self.c1) * (self.c0 - self.c1), t + t)
    }
}

impl Add for Fp2 {
    type Output = Fp2;
    fn add(self, rhs: Fp2) -> Fp2 {
        Fp2::new(self.c0 + rhs.c0, self.c1 + rhs.c1)
    }
}

impl Sub for Fp2 {
    type Output = Fp2;
    fn sub(self, rhs: Fp2) -> Fp2 {
        Fp2::new(self.c0 - rhs.c0, self.c1 - rhs.c1)
    }
}

impl Neg for Fp2 {
    type Output = Fp2;
    fn neg(self) -> Fp2 {
        Fp2::new(-self.c0, -self.c1)
    }
}

impl Mul for Fp2 {
    type Output = Fp2;
    fn mul(self, rhs: Fp2) -> Fp2 {
        // Karatsuba: three products.
        let a = self.c0 * rhs.c0;
        let b = self.c1 * rhs.c1;
        let c = (self.c0 + self.c1) * (rhs.c0 + rhs.c1);
        Fp2::new(a - b, c - a - b)
    }
}

impl Field for Fp2 {
    const ZERO: Fp2 = Fp2::ZERO;
    const ONE: Fp2 = Fp2::ONE;
    // Three Fp products and five additions; squares (two products) are priced the same.
    const MUL_CU: u64 = 9_200;
    fn square(&self) -> Fp2 {
        Fp2::square(self)
    }
    fn sgn0(&self) -> bool {
        Fp2::sgn0(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(seed: u64) -> Fp2 {
        let mut x = seed;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let mut bytes = [0u8; 48];
            for chunk in bytes[1..].chunks_mut(8) {
                chunk.copy_from_slice(&x.to_be_bytes()[..chunk.len()]);
            }
            bytes[0] = 0;
            Fp::from_bytes(&bytes).unwrap()
        };
        Fp2::new(next(), next())
    }

    #[test]
    fn the_field_laws_hold() {
        let i = Fp2::new(Fp::ZERO, Fp::ONE);
        assert_eq!(i * i, -Fp2::ONE);
        for seed in 0..50 {
            let (a, b, c) = (element(seed), element(seed + 100), element(seed + 200));
            assert_eq!(a * (b + c), a * b + a * c);
            assert_eq!(a.square(), a * a);
            assert_eq!((a * b) * c, a * (b * c));
            assert_eq!(a * b.conjugate(), (a.conjugate() * b).conjugate());
            let n = a * a.conjugate();
            assert_eq!(n, Fp2::new(a.norm(), Fp::ZERO));
            assert_eq!(Fp2::from_bytes(&a.to_bytes()), Some(a));
        }
    }
}
