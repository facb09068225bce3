//! RFC 9380's simplified SWU (appendix F.2, sqrt_ratio left to the caller) and the isogeny to
//! the target curve, generic over Fp and Fp2, in Jacobian coordinates so that neither needs an
//! inversion.

use super::curve::Jacobian;
use crate::crypto::bls12_381::Field;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// The isogenous curve y^2 = x^3 + A x + B and SWU's Z for it.
pub struct SwuCurve<F> {
    pub a: F,
    pub b: F,
    pub z: F,
}

/// SWU's values before sqrt_ratio(gx_num, gx_den), the square root of g(x1) = gx_num / gx_den.
pub struct Prefix<F> {
    /// Z u^2.
    pub tv1: F,
    /// x1's numerator.
    pub tv3: F,
    /// Both candidates' x denominator.
    pub tv4: F,
    pub gx_num: F,
    pub gx_den: F,
}

/// F multiplications of [`prefix`].
pub const PREFIX_OPS: u64 = 11;

/// Steps 1-16 of RFC 9380 F.2.
// Not inlined: keeps SBF stack frames small (4 KiB each).
#[inline(never)]
pub fn prefix<F: Field>(curve: &SwuCurve<F>, u: F) -> Prefix<F> {
    let tv1 = curve.z * u.square();
    let tv2 = tv1.square() + tv1;
    let tv3 = curve.b * (tv2 + F::ONE);
    // The exceptional case tv2 = 0 (u = 0, or Z u^2 = -1) takes Z instead.
    let tv4 = curve.a * if tv2.is_zero() { curve.z } else { -tv2 };
    let tv6 = tv4.square();
    let gx_num = (tv3.square() + curve.a * tv6) * tv3 + curve.b * tv6 * tv4;
    let gx_den = tv6 * tv4;
    Prefix {
        tv1,
        tv3,
        tv4,
        gx_num,
        gx_den,
    }
}

/// F multiplications of [`finish`] (sgn0 counts as one each).
pub const FINISH_OPS: u64 = 5;

/// Steps 17-25: the point (x_num / x_den, y) on the isogenous curve, given sqrt_ratio's answer.
// Not inlined: keeps SBF stack frames small (4 KiB each).
#[inline(never)]
pub fn finish<F: Field>(u: F, prefix: &Prefix<F>, is_square: bool, y1: F) -> Isogeny<F> {
    let (x_num, mut y) = if is_square {
        (prefix.tv3, y1)
    } else {
        (prefix.tv1 * prefix.tv3, prefix.tv1 * u * y1)
    };
    if u.sgn0() != y.sgn0() {
        y = -y;
    }
    Isogeny {
        n: x_num,
        d: prefix.tv4,
        y,
        values: Vec::new(),
    }
}

/// The isogeny's four rational maps at (n / d, y), one polynomial per piece.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Isogeny<F> {
    n: F,
    d: F,
    y: F,
    /// The homogeneous values of x_num, x_den, y_num, y_den done so far.
    values: Vec<F>,
}

/// The isogeny's maps (coefficients from the constant term up): x = x_num / x_den,
/// y' = y y_num / y_den, with deg x_num = deg x_den + 1 and deg y_num = deg y_den.
pub struct Maps<'a, F> {
    pub polys: [&'a [F]; 4],
}

/// F multiplications of assembling the point from the four values.
pub const ASSEMBLE_OPS: u64 = 10;

impl<F: Field> Isogeny<F> {
    /// Evaluates the next polynomial; returns the F multiplications done.
    // Not inlined: keeps SBF stack frames small (4 KiB each).
    #[inline(never)]
    pub fn step(&mut self, maps: &Maps<'_, F>) -> u64 {
        let k = maps.polys[self.values.len()];
        // sum k_i n^i d^(deg - i), by Horner with the powers of d built alongside.
        let mut acc = k[k.len() - 1];
        let mut d_pow = F::ONE;
        for &coefficient in k[..k.len() - 1].iter().rev() {
            d_pow = d_pow * self.d;
            acc = acc * self.n + coefficient * d_pow;
        }
        self.values.push(acc);
        3 * (k.len() as u64 - 1)
    }

    /// The image point once all four polynomials are done (another piece: [`ASSEMBLE_OPS`]).
    // Not inlined: keeps SBF stack frames small (4 KiB each).
    #[inline(never)]
    pub fn result(&self) -> Option<Jacobian<F>> {
        let [x_num, x_den, y_num, y_den] = self.values[..] else {
            return None;
        };
        // x' = x_num_h / (x_den_h d) = a / b, y' = y y_num_h / y_den_h = y c / e;
        // Jacobian: Z = b e, X = a b e^2, Y = y c e^2 b^3.
        let b = x_den * self.d;
        let e2 = y_den.square();
        let b2 = b.square();
        Some(Jacobian {
            x: x_num * b * e2,
            y: self.y * y_num * e2 * b2 * b,
            z: b * y_den,
        })
    }
}
