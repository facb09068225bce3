//! ADD .. SIGNEXTEND: the results come from `crate::arith` (256-bit arithmetic written for SBF).

use crate::arith;
use crate::gas;
use crate::interpreter::Interp;
use crate::primitives::U256;

/// Applies a limb function to two words.
#[inline(always)]
fn limbs2(f: impl Fn(&arith::Limbs, &arith::Limbs) -> arith::Limbs, a: &U256, b: &U256) -> U256 {
    U256::from_limbs(f(a.as_limbs(), b.as_limbs()))
}

pub fn add(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = limbs2(arith::add::wrapping_add, &a, b);
}

pub fn mul(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = limbs2(arith::mul::wrapping_mul, &a, b);
}

pub fn sub(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = limbs2(arith::add::wrapping_sub, &a, b);
}

pub fn div(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = limbs2(arith::div::div, &a, b);
}

pub fn rem(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = limbs2(arith::div::rem, &a, b);
}

pub fn sdiv(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = limbs2(arith::signed::sdiv, &a, b);
}

pub fn smod(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = limbs2(arith::signed::smod, &a, b);
}

pub fn addmod(it: &mut Interp<'_>) {
    pop_top!(it; a, b; n);
    *n = U256::from_limbs(arith::modular::add_mod(
        a.as_limbs(),
        b.as_limbs(),
        n.as_limbs(),
    ));
}

pub fn mulmod(it: &mut Interp<'_>) {
    pop_top!(it; a, b; n);
    *n = U256::from_limbs(arith::modular::mul_mod(
        a.as_limbs(),
        b.as_limbs(),
        n.as_limbs(),
    ));
}

pub fn exp(it: &mut Interp<'_>) {
    pop!(it; base, exponent);
    let exponent_bytes = exponent.bit_len().div_ceil(8) as u64;
    gas!(it, gas::EXP_BYTE * exponent_bytes);
    push!(it, limbs2(arith::exp::wrapping_pow, &base, &exponent));
}

pub fn signextend(it: &mut Interp<'_>) {
    pop_top!(it; byte_index; x);
    *x = limbs2(arith::signed::signextend, &byte_index, x);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg(x: u64) -> U256 {
        U256::from(x).wrapping_neg()
    }

    fn sdiv(a: U256, b: U256) -> U256 {
        limbs2(arith::signed::sdiv, &a, &b)
    }

    fn smod(a: U256, b: U256) -> U256 {
        limbs2(arith::signed::smod, &a, &b)
    }

    #[test]
    fn signed_division_rounds_toward_zero() {
        assert_eq!(sdiv(neg(7), U256::from(2)), neg(3));
        assert_eq!(sdiv(U256::from(7), neg(2)), neg(3));
        assert_eq!(sdiv(neg(7), neg(2)), U256::from(3));
        let min = U256::from(1) << 255;
        assert_eq!(sdiv(min, U256::MAX), min);
    }

    #[test]
    fn signed_remainder_takes_dividend_sign() {
        assert_eq!(smod(neg(7), U256::from(2)), neg(1));
        assert_eq!(smod(U256::from(7), neg(2)), U256::from(1));
        assert_eq!(smod(U256::from(7), U256::ZERO), U256::ZERO);
    }
}
