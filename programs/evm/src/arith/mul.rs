//! MUL: the product truncated to 256 bits, the full 512-bit product (for MULMOD), and squaring
//! (for EXP).
//!
//! On SBF the products are column sums (Comba) of 32-bit digit products: each partial product
//! is one native multiply, its low and high halves are summed in separate 64-bit accumulators
//! (no carry detection, which costs a branch on SBF), and the carries are resolved once per
//! column. Elsewhere, schoolbook multiplication on 64-bit limbs with native 128-bit products.

use super::digits::{join, split, DIGIT_MASK};
use super::Limbs;

/// MUL: `a * b mod 2^256`.
#[inline]
pub fn wrapping_mul(a: &Limbs, b: &Limbs) -> Limbs {
    #[cfg(target_arch = "bpf")]
    {
        wrapping_mul_digits(a, b)
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        wrapping_mul_limbs(a, b)
    }
}

/// `a * a mod 2^256`.
#[inline]
pub fn wrapping_square(a: &Limbs) -> Limbs {
    #[cfg(target_arch = "bpf")]
    {
        wrapping_square_digits(a)
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        wrapping_mul_limbs(a, a)
    }
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

/// Truncated product on 32-bit digits (column sums, SBF's variant).
#[inline]
pub fn wrapping_mul_digits(a: &Limbs, b: &Limbs) -> Limbs {
    let x = split(a);
    let y = split(b);
    let mut out = [0u64; 8];
    // `carry`: what the previous column passes on beyond its digit; `high`: the high halves of
    // the previous column's products, which belong to this column.
    let mut carry = 0u64;
    let mut high = 0u64;
    for k in 0..7 {
        let mut low = carry + high;
        high = 0;
        for i in 0..=k {
            let p = x[i] * y[k - i];
            low += p & DIGIT_MASK;
            high += p >> 32;
        }
        out[k] = low & DIGIT_MASK;
        carry = low >> 32;
    }
    // The last column needs only its low 32 bits: plain wrapping sums.
    let mut last = carry.wrapping_add(high);
    for i in 0..8 {
        last = last.wrapping_add(x[i].wrapping_mul(y[7 - i]));
    }
    out[7] = last & DIGIT_MASK;
    join(&out)
}

/// Truncated square on 32-bit digits: each cross product `x_i x_j` (i < j) is computed once and
/// doubled, 20 multiplies instead of 36.
#[inline]
pub fn wrapping_square_digits(a: &Limbs) -> Limbs {
    let x = split(a);
    let mut out = [0u64; 8];
    let mut carry = 0u64;
    let mut high = 0u64;
    for k in 0..7 {
        let mut cross_low = 0u64;
        let mut cross_high = 0u64;
        let mut i = 0;
        while 2 * i < k {
            let p = x[i] * x[k - i];
            cross_low += p & DIGIT_MASK;
            cross_high += p >> 32;
            i += 1;
        }
        let mut low = carry + high + 2 * cross_low;
        high = 2 * cross_high;
        if k % 2 == 0 {
            let p = x[k / 2] * x[k / 2];
            low += p & DIGIT_MASK;
            high += p >> 32;
        }
        out[k] = low & DIGIT_MASK;
        carry = low >> 32;
    }
    let mut cross = 0u64;
    for i in 0..4 {
        cross = cross.wrapping_add(x[i].wrapping_mul(x[7 - i]));
    }
    let last = carry.wrapping_add(high).wrapping_add(cross << 1);
    out[7] = last & DIGIT_MASK;
    join(&out)
}

/// The full 512-bit product as sixteen 32-bit digits, least significant first (MULMOD's
/// dividend on SBF).
#[inline]
pub fn full_mul_digits(a: &Limbs, b: &Limbs) -> [u64; 16] {
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
    out
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
        check_binary("mul digits", |a, b| a.wrapping_mul(b), wrapping_mul_digits);
        check_binary(
            "square digits",
            |a, _| a.wrapping_mul(a),
            |a, _| wrapping_square_digits(a),
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
                |a, b| join(&full_mul_digits(a, b)[8 * half..]),
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
