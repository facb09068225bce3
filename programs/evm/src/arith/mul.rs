//! MUL: the product truncated to 256 bits, the square (for EXP) and the full 512-bit product
//! (for MULMOD).
//!
//! Schoolbook on 64-bit limbs with 128-bit partial products, on every target. On SBF each
//! `u64 x u64 -> u128` product is a `__multi3` call (~20 CU); measured on SBF, Comba column sums
//! of 32-bit digit products (one native multiply each, 36 of them, no carry branches) cost more:
//! MUL 483 CU against 370, the register pressure of 16 digits spilling to the stack. The
//! truncation keeps the products it needs: 6 wide and 4 low-only (native) multiplies, and a
//! square 4 wide and 2 low-only.

use super::digits::{join, split, DIGIT_MASK};
use super::Limbs;

/// MUL: `a * b mod 2^256`.
#[inline]
pub fn wrapping_mul(a: &Limbs, b: &Limbs) -> Limbs {
    use crate::primitives::U256;
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

/// Truncated product on 64-bit limbs with 128-bit partial products (fast where those are native).
#[inline]
pub fn wrapping_mul_limbs(a: &Limbs, b: &Limbs) -> Limbs {
    let mut r = [0u64; 4];
    for i in 0..4 {
        let mut carry = 0u64;
        for j in 0..4 - i {
            let t = a[i] as u128 * b[j] as u128 + r[i + j] as u128 + carry as u128;
            r[i + j] = t as u64;
            carry = (t >> 64) as u64;
        }
    }
    r
}

/// The full 512-bit product as eight limbs, computed on 32-bit digits (column sums; MULMOD's
/// dividend on SBF, where it needs no `__multi3` call).
#[inline]
pub fn full_mul_digits(a: &Limbs, b: &Limbs) -> [u64; 8] {
    let x = split(a);
    let y = split(b);
    let mut out = [0u64; 16];
    let mut carry = 0u64;
    let mut high = 0u64;
    for k in 0..15usize {
        let mut low = carry + high;
        high = 0;
        let start = k.saturating_sub(7);
        let end = if k < 8 { k } else { 7 };
        for i in start..=end {
            let p = x[i] * y[k - i];
            low += p & DIGIT_MASK;
            high += p >> 32;
        }
        out[k] = low & DIGIT_MASK;
        carry = low >> 32;
    }
    out[15] = carry + high;
    let low = join(&out[..8]);
    let high = join(&out[8..]);
    [
        low[0], low[1], low[2], low[3], high[0], high[1], high[2], high[3],
    ]
}

/// The full 512-bit product as eight 64-bit limbs, least significant first.
#[inline]
pub fn full_mul_limbs(a: &Limbs, b: &Limbs) -> [u64; 8] {
    let mut r = [0u64; 8];
    for i in 0..4 {
        let mut carry = 0u64;
        for j in 0..4 {
            let t = a[i] as u128 * b[j] as u128 + r[i + j] as u128 + carry as u128;
            r[i + j] = t as u64;
            carry = (t >> 64) as u64;
        }
        r[i + 4] = carry;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::testing::check_binary;
    use crate::primitives::U256;

    #[test]
    fn products_match_ruint() {
        check_binary("mul limbs", |a, b| a.wrapping_mul(b), wrapping_mul_limbs);
        check_binary(
            "square",
            |a, _| a.wrapping_mul(a),
            |a, _| wrapping_square(a),
        );
    }

    #[test]
    fn full_products_match_ruint() {
        let wide = |a: U256, b: U256| -> ruint::Uint<512, 8> {
            ruint::Uint::<512, 8>::from(a) * ruint::Uint::<512, 8>::from(b)
        };
        // Compare the low and high halves as words.
        for half in 0..2 {
            check_binary(
                "full mul digits",
                |a, b| {
                    U256::from_limbs(
                        wide(a, b).as_limbs()[4 * half..4 * half + 4]
                            .try_into()
                            .unwrap(),
                    )
                },
                |a, b| {
                    full_mul_digits(a, b)[4 * half..4 * half + 4]
                        .try_into()
                        .unwrap()
                },
            );
            check_binary(
                "full mul limbs",
                |a, b| {
                    U256::from_limbs(
                        wide(a, b).as_limbs()[4 * half..4 * half + 4]
                            .try_into()
                            .unwrap(),
                    )
                },
                |a, b| {
                    full_mul_limbs(a, b)[4 * half..4 * half + 4]
                        .try_into()
                        .unwrap()
                },
            );
        }
    }
}
