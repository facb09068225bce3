//! MUL, the multiply inside EXP's loop, and the square EXP uses.
//!
//! SBPF v3 has no high multiply (`uhmul64` and the rest of SIMD-0174 are SBPF v2 only), so a
//! `u64 x u64 -> u128` product is a `__multi3` call (~36 CU) unless written out. Measured for
//! MUL (whole opcode, cu-probe): ruint's product (10 `__multi3` calls) 366 CU; the truncated
//! schoolbook below on 64-bit limbs with the wide products inlined from 32-bit halves
//! (`digits::mul_wide`, 6 wide and 4 low-only products) 380 CU; Comba column sums of 32-bit
//! digit products 483 CU; a u128 schoolbook 528 CU. So the MUL opcode uses ruint's product,
//! while EXP's loop uses the schoolbook (cheaper there). The square is written out: 4 wide
//! products inlined instead of `__multi3` calls (EXP 1-byte exponent 4,217 -> 3,920 CU).

use super::digits::mul_wide;
use super::Limbs;
use crate::primitives::U256;

/// MUL: `a * b mod 2^256`.
#[inline]
pub fn wrapping_mul(a: &Limbs, b: &Limbs) -> Limbs {
    U256::from_limbs(*a)
        .wrapping_mul(U256::from_limbs(*b))
        .into_limbs()
}

/// EXP's multiply: on SBF the written-out schoolbook (`wrapping_mul_limbs`), which measured
/// cheaper than ruint's inside EXP's loop (EXP 1-byte exponent 3,920 -> 3,707 CU, 32-byte
/// 74,272 -> 74,042) though not as the MUL opcode; elsewhere `wrapping_mul`.
#[inline(always)]
pub fn wrapping_mul_in_loop(a: &Limbs, b: &Limbs) -> Limbs {
    #[cfg(target_arch = "bpf")]
    {
        wrapping_mul_limbs(a, b)
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        wrapping_mul(a, b)
    }
}

/// `a + b + carry` (carry 0 or 1) and the carry out.
#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let s = a.wrapping_add(b);
    let c1 = (s < a) as u64;
    let t = s.wrapping_add(carry);
    let c2 = (t < s) as u64;
    (t, c1 | c2)
}

/// `acc + x * y + carry` as (low, high): never overflows 128 bits.
#[inline(always)]
fn mac(acc: u64, x: u64, y: u64, carry: u64) -> (u64, u64) {
    let (lo, hi) = mul_wide(x, y);
    let (lo, c1) = adc(lo, acc, 0);
    let (lo, c2) = adc(lo, carry, 0);
    (lo, hi.wrapping_add(c1).wrapping_add(c2))
}

/// `a * b mod 2^256` by rows: only the 10 limb products below 2^256, the 4 in the top column
/// low halves only (6 wide products from `mul_wide`).
#[inline(always)]
pub fn wrapping_mul_limbs(a: &Limbs, b: &Limbs) -> Limbs {
    let [a0, a1, a2, a3] = *a;
    let [b0, b1, b2, b3] = *b;
    // Row 0: a0 * b.
    let (r0, c) = mul_wide(a0, b0);
    let (r1, c) = mac(0, a0, b1, c);
    let (r2, c) = mac(0, a0, b2, c);
    let mut r3 = a0.wrapping_mul(b3).wrapping_add(c);
    // Row 1: a1 * b, shifted one limb.
    let (r1, c) = mac(r1, a1, b0, 0);
    let (r2, c) = mac(r2, a1, b1, c);
    r3 = r3.wrapping_add(a1.wrapping_mul(b2)).wrapping_add(c);
    // Row 2.
    let (r2, c) = mac(r2, a2, b0, 0);
    r3 = r3.wrapping_add(a2.wrapping_mul(b1)).wrapping_add(c);
    // Row 3.
    r3 = r3.wrapping_add(a3.wrapping_mul(b0));
    [r0, r1, r2, r3]
}

/// `a * b mod 2^256` for a 64-bit `b` (a price times an amount of gas, when a transaction buys
/// and settles its gas): three wide products and one low, not a full 256-bit product.
#[inline]
pub fn wrapping_mul_u64(a: &U256, b: u64) -> U256 {
    let [a0, a1, a2, a3] = *a.as_limbs();
    let (r0, c) = mul_wide(a0, b);
    let (r1, c) = mac(0, a1, b, c);
    let (r2, c) = mac(0, a2, b, c);
    let r3 = a3.wrapping_mul(b).wrapping_add(c);
    U256::from_limbs([r0, r1, r2, r3])
}

/// `a * a mod 2^256`: the cross products once, doubled, plus the squares on the diagonal
/// (4 wide products instead of 6).
#[inline]
pub fn wrapping_square(a: &Limbs) -> Limbs {
    let [a0, a1, a2, a3] = *a;
    // The cross products a_i a_j (i < j) below 2^256, at limbs 1 to 3.
    let (s1, h01) = mul_wide(a0, a1);
    let (l02, h02) = mul_wide(a0, a2);
    let (s2, k) = adc(l02, h01, 0);
    let s3 = h02
        .wrapping_add(k)
        .wrapping_add(a0.wrapping_mul(a3))
        .wrapping_add(a1.wrapping_mul(a2));
    // Doubled.
    let (d1, d2, d3) = (s1 << 1, (s2 << 1) | (s1 >> 63), (s3 << 1) | (s2 >> 63));
    // Plus the diagonal a0^2 + a1^2 2^128 (a2^2 is at 2^256).
    let (r0, q1) = mul_wide(a0, a0);
    let (q2, q3) = mul_wide(a1, a1);
    let (r1, c) = adc(q1, d1, 0);
    let (r2, c) = adc(q2, d2, c);
    let r3 = q3.wrapping_add(d3).wrapping_add(c);
    [r0, r1, r2, r3]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::testing::check_binary;

    #[test]
    fn products_match_ruint() {
        check_binary("mul", |a, b| a.wrapping_mul(b), wrapping_mul);
        check_binary("mul limbs", |a, b| a.wrapping_mul(b), wrapping_mul_limbs);
        check_binary(
            "mul in loop",
            |a, b| a.wrapping_mul(b),
            wrapping_mul_in_loop,
        );
        check_binary(
            "by u64",
            |a, b| a.wrapping_mul(U256::from(b.as_limbs()[0])),
            |a, b| *wrapping_mul_u64(&U256::from_limbs(*a), b[0]).as_limbs(),
        );
        check_binary(
            "square",
            |a, _| a.wrapping_mul(a),
            |a, _| wrapping_square(a),
        );
    }
}
