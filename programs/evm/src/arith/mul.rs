//! MUL and the square EXP uses.
//!
//! SBF has no high multiply: each `u64 x u64 -> u128` product is a `__multi3` call (~36 CU).
//! Measured alternatives for MUL (whole opcode, cu-probe): Comba column sums of 32-bit digit
//! products (36 native multiplies, no carry branches) 483 CU, a u128 schoolbook 528 CU, ruint's
//! product 370 CU; the digit version spills its 16 digits to the stack. So MUL uses ruint's
//! product, and squaring saves the symmetric products: 4 wide products instead of 10.

use super::Limbs;
use crate::primitives::U256;

/// MUL: `a * b mod 2^256`.
#[inline]
pub fn wrapping_mul(a: &Limbs, b: &Limbs) -> Limbs {
    U256::from_limbs(*a)
        .wrapping_mul(U256::from_limbs(*b))
        .into_limbs()
}

/// `a * a mod 2^256`: each cross product once, doubled.
#[inline]
pub fn wrapping_square(a: &Limbs) -> Limbs {
    let [a0, a1, a2, a3] = *a;
    let wide = |x: u64, y: u64| x as u128 * y as u128;
    let (p00, p01, p02, p11) = (wide(a0, a0), wide(a0, a1), wide(a0, a2), wide(a1, a1));
    let hi = |p: u128| (p >> 64) as u64;
    // Column 1: p00's high half plus twice p01's low half.
    let t1 = hi(p00) as u128 + 2 * (p01 as u64 as u128);
    // Column 2: twice p01's high half and p02's low half, plus p11's low half.
    let t2 = (t1 >> 64) + 2 * (hi(p01) as u128 + (p02 as u64 as u128)) + (p11 as u64 as u128);
    // Column 3 (low 64 bits only).
    let cross3 = a0.wrapping_mul(a3).wrapping_add(a1.wrapping_mul(a2));
    let r3 = hi(t2)
        .wrapping_add(hi(p02).wrapping_mul(2))
        .wrapping_add(hi(p11))
        .wrapping_add(cross3.wrapping_mul(2));
    [p00 as u64, t1 as u64, t2 as u64, r3]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::testing::check_binary;

    #[test]
    fn products_match_ruint() {
        check_binary("mul", |a, b| a.wrapping_mul(b), wrapping_mul);
        check_binary(
            "square",
            |a, _| a.wrapping_mul(a),
            |a, _| wrapping_square(a),
        );
    }
}
