//! ADD .. SIGNEXTEND.

use crate::gas;
use crate::interpreter::Interp;
use crate::primitives::U256;

pub fn add(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = a.wrapping_add(*b);
}

pub fn mul(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = a.wrapping_mul(*b);
}

pub fn sub(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = a.wrapping_sub(*b);
}

pub fn div(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = if b.is_zero() { U256::ZERO } else { a / *b };
}

pub fn rem(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = if b.is_zero() { U256::ZERO } else { a % *b };
}

pub fn sdiv(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = signed_div(a, *b);
}

pub fn smod(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = signed_rem(a, *b);
}

pub fn addmod(it: &mut Interp<'_>) {
    pop_top!(it; a, b; n);
    *n = a.add_mod(b, *n);
}

pub fn mulmod(it: &mut Interp<'_>) {
    pop_top!(it; a, b; n);
    *n = a.mul_mod(b, *n);
}

pub fn exp(it: &mut Interp<'_>) {
    pop!(it; base, exponent);
    let exponent_bytes = exponent.bit_len().div_ceil(8) as u64;
    gas!(it, gas::EXP_BYTE * exponent_bytes);
    push!(it, base.pow(exponent));
}

pub fn signextend(it: &mut Interp<'_>) {
    pop_top!(it; byte_index; x);
    if byte_index < U256::from(31) {
        let bit = byte_index.as_limbs()[0] as usize * 8 + 7;
        let mask = (U256::from(1) << bit) - U256::from(1);
        *x = if x.bit(bit) { *x | !mask } else { *x & mask };
    }
}

/// Whether the word is negative in two's complement.
#[inline]
pub(crate) fn is_negative(x: &U256) -> bool {
    x.bit(255)
}

/// Two's complement negation.
#[inline]
pub(crate) fn negate(x: U256) -> U256 {
    x.wrapping_neg()
}

fn signed_div(a: U256, b: U256) -> U256 {
    if b.is_zero() {
        return U256::ZERO;
    }
    let (a_neg, b_neg) = (is_negative(&a), is_negative(&b));
    let a_abs = if a_neg { negate(a) } else { a };
    let b_abs = if b_neg { negate(b) } else { b };
    // MIN / -1 overflows back to MIN, which the wrapping negation gives for free.
    let quotient = a_abs / b_abs;
    if a_neg != b_neg {
        negate(quotient)
    } else {
        quotient
    }
}

fn signed_rem(a: U256, b: U256) -> U256 {
    if b.is_zero() {
        return U256::ZERO;
    }
    let a_neg = is_negative(&a);
    let a_abs = if a_neg { negate(a) } else { a };
    let b_abs = if is_negative(&b) { negate(b) } else { b };
    let remainder = a_abs % b_abs;
    // The result takes the sign of the dividend.
    if a_neg {
        negate(remainder)
    } else {
        remainder
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg(x: u64) -> U256 {
        negate(U256::from(x))
    }

    #[test]
    fn signed_division_rounds_toward_zero() {
        assert_eq!(signed_div(neg(7), U256::from(2)), neg(3));
        assert_eq!(signed_div(U256::from(7), neg(2)), neg(3));
        assert_eq!(signed_div(neg(7), neg(2)), U256::from(3));
        let min = U256::from(1) << 255;
        assert_eq!(signed_div(min, U256::MAX), min);
    }

    #[test]
    fn signed_remainder_takes_dividend_sign() {
        assert_eq!(signed_rem(neg(7), U256::from(2)), neg(1));
        assert_eq!(signed_rem(U256::from(7), neg(2)), U256::from(1));
        assert_eq!(signed_rem(U256::from(7), U256::ZERO), U256::ZERO);
    }
}
