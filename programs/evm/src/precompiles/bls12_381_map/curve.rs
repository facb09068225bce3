//! Points of y^2 = x^3 + b (G1's and G2's curves, a = 0) in Jacobian coordinates, and
//! multiplication by a 64-bit constant one bit per piece.
//!
//! The additions handle every case (infinity, equal and opposite points): a mapped point may
//! have a small order before its cofactor is cleared, so the exceptional cases do occur.

use crate::crypto::bls12_381::Field;
use borsh::{BorshDeserialize, BorshSerialize};

/// (X, Y, Z) for the affine (X / Z^2, Y / Z^3); Z = 0 is the point at infinity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Jacobian<F> {
    pub x: F,
    pub y: F,
    pub z: F,
}

/// Operations of a doubling and of an addition, in F multiplications (squares count as one).
pub const DOUBLE_OPS: u64 = 7;
pub const ADD_OPS: u64 = 16;

impl<F: Field> Jacobian<F> {
    pub fn is_infinity(&self) -> bool {
        self.z.is_zero()
    }

    pub fn neg(&self) -> Self {
        Jacobian {
            x: self.x,
            y: -self.y,
            z: self.z,
        }
    }

    /// 2P (dbl-2009-l, a = 0); infinity stays infinity (Z3 = 2 Y Z).
    // Not inlined: keeps SBF stack frames small (4 KiB each).
    #[inline(never)]
    pub fn double(&self) -> Self {
        let a = self.x.square();
        let b = self.y.square();
        let c = b.square();
        let d = ((self.x + b).square() - a - c).double();
        let e = a.double() + a;
        let f = e.square();
        let x = f - d.double();
        let c8 = c.double().double().double();
        let y = e * (d - x) - c8;
        let z = (self.y * self.z).double();
        Jacobian { x, y, z }
    }

    /// P + Q (add-2007-bl), with infinity, P = Q and P = -Q handled.
    // Not inlined: keeps SBF stack frames small (4 KiB each).
    #[inline(never)]
    pub fn add(&self, other: &Self) -> Self {
        if self.is_infinity() {
            return *other;
        }
        if other.is_infinity() {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = other.z.square();
        let u1 = self.x * z2z2;
        let u2 = other.x * z1z1;
        let s1 = self.y * other.z * z2z2;
        let s2 = other.y * self.z * z1z1;
        let h = u2 - u1;
        let r = (s2 - s1).double();
        if h.is_zero() {
            // Same x: the same point (double it) or opposite points (infinity).
            return if r.is_zero() {
                self.double()
            } else {
                Jacobian {
                    x: F::ONE,
                    y: F::ONE,
                    z: F::ZERO,
                }
            };
        }
        let i = h.double().square();
        let j = h * i;
        let v = u1 * i;
        let x = r.square() - j - v.double();
        let y = r * (v - x) - (s1 * j).double();
        let z = ((self.z + other.z).square() - z1z1 - z2z2) * h;
        Jacobian { x, y, z }
    }
}

/// `k P` in progress for a constant `k`, left to right, one doubling or one addition per
/// piece: `acc` is P times `k`'s bits from `left` up, less P if `add_next`.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct ScalarMul<F> {
    base: Jacobian<F>,
    acc: Jacobian<F>,
    left: u8,
    add_next: bool,
}

impl<F: Field> ScalarMul<F> {
    /// Starts `k * base` (k nonzero) with `k`'s leading bit done.
    pub fn new(base: Jacobian<F>, k: u64) -> Self {
        ScalarMul {
            base,
            acc: base,
            left: (63 - k.leading_zeros()) as u8,
            add_next: false,
        }
    }

    /// Does the next doubling or addition for `k`; returns the F multiplications done.
    pub fn step(&mut self, k: u64) -> u64 {
        if self.add_next {
            self.add_next = false;
            self.acc = self.acc.add(&self.base);
            return ADD_OPS;
        }
        debug_assert!(self.left > 0);
        self.left -= 1;
        self.acc = self.acc.double();
        self.add_next = k >> self.left & 1 == 1;
        DOUBLE_OPS
    }

    pub fn result(&self) -> Option<Jacobian<F>> {
        (self.left == 0 && !self.add_next).then_some(self.acc)
    }
}
