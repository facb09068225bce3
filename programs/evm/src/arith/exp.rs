//! EXP: left-to-right square-and-multiply over the truncated multiply (squares use the
//! symmetric-product saving on SBF).

use super::mul::{wrapping_mul, wrapping_square};
use super::Limbs;

/// EXP: `base ^ exponent mod 2^256`.
#[inline]
pub fn wrapping_pow(base: &Limbs, exponent: &Limbs) -> Limbs {
    // The most significant nonzero limb of the exponent.
    let mut top = 4;
    while top > 0 && exponent[top - 1] == 0 {
        top -= 1;
    }
    if top == 0 {
        return [1, 0, 0, 0];
    }
    // Small bases: 0^e = 0, 1^e = 1 (e > 0).
    if (base[1] | base[2] | base[3]) == 0 && base[0] <= 1 {
        return *base;
    }
    let top_limb = exponent[top - 1];
    let top_bits = 64 - top_limb.leading_zeros();
    // The top bit is the starting `result = base`.
    let mut result = *base;
    let mut bit = top_bits - 1;
    let mut limb_index = top - 1;
    loop {
        let limb = exponent[limb_index];
        while bit > 0 {
            bit -= 1;
            result = wrapping_square(&result);
            if (limb >> bit) & 1 == 1 {
                result = wrapping_mul(&result, base);
            }
        }
        if limb_index == 0 {
            return result;
        }
        limb_index -= 1;
        bit = 64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::testing::check_binary;

    #[test]
    fn pow_matches_ruint() {
        check_binary("exp", |a, b| a.pow(b), wrapping_pow);
    }
}
