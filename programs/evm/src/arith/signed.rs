//! The two's-complement operations: SDIV, SMOD, SIGNEXTEND, SLT and SGT (SAR is in `shift`).

use super::add::{is_zero, lt};
use super::div::div_rem;
use super::Limbs;

/// Whether the word is negative in two's complement.
#[inline(always)]
pub fn is_negative(x: &Limbs) -> bool {
    (x[3] as i64) < 0
}

/// Two's-complement negation, `!x + 1`: the +1 carries up only through zero limbs, so each
/// limb is a NOT, an add of 0 or 1 and a test for zero, with no borrow compares (a subtraction
/// from zero needs two per limb, each a branch on SBF).
#[inline(always)]
pub fn negate(x: &Limbs) -> Limbs {
    let mut r = [0u64; 4];
    let mut carry = 1u64;
    for i in 0..4 {
        r[i] = (!x[i]).wrapping_add(carry);
        carry &= (x[i] == 0) as u64;
    }
    r
}

#[inline(always)]
fn abs(x: &Limbs) -> Limbs {
    if is_negative(x) {
        negate(x)
    } else {
        *x
    }
}

/// SDIV: `a / b` rounded toward zero, zero when `b` is zero; MIN / -1 wraps to MIN.
#[inline]
pub fn sdiv(a: &Limbs, b: &Limbs) -> Limbs {
    if is_zero(b) {
        return [0; 4];
    }
    let quotient = div_rem(&abs(a), &abs(b)).0;
    if is_negative(a) != is_negative(b) {
        negate(&quotient)
    } else {
        quotient
    }
}

/// SMOD: the remainder with the dividend's sign, zero when `b` is zero.
#[inline]
pub fn smod(a: &Limbs, b: &Limbs) -> Limbs {
    if is_zero(b) {
        return [0; 4];
    }
    let remainder = div_rem(&abs(a), &abs(b)).1;
    if is_negative(a) {
        negate(&remainder)
    } else {
        remainder
    }
}

/// SLT: signed `a < b`. The top limbs compare as signed, the others as unsigned.
#[inline]
pub fn slt(a: &Limbs, b: &Limbs) -> bool {
    if a[3] != b[3] {
        return (a[3] as i64) < (b[3] as i64);
    }
    lt(a, b)
}

/// SGT: signed `a > b`.
#[inline]
pub fn sgt(a: &Limbs, b: &Limbs) -> bool {
    slt(b, a)
}

/// SIGNEXTEND: extends the sign of byte `index` (from the least significant) over the bytes
/// above it; `x` unchanged from index 31 on.
#[inline]
pub fn signextend(index: &Limbs, x: &Limbs) -> Limbs {
    if (index[1] | index[2] | index[3]) != 0 || index[0] >= 31 {
        return *x;
    }
    let i = index[0] as usize;
    let limb = i / 8;
    // The sign bit's position in its limb, then a mask of it and the bits below.
    let bit = (i % 8) * 8 + 7;
    let fill = (((x[limb] << (63 - bit)) as i64) >> 63) as u64;
    let mask = (2u64 << bit).wrapping_sub(1);
    let mut r = *x;
    r[limb] = (x[limb] & mask) | (fill & !mask);
    for word in r.iter_mut().skip(limb + 1) {
        *word = fill;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::testing::{check_binary, check_binary_bool, fold_below};
    use crate::primitives::U256;

    fn neg(x: U256) -> bool {
        x.bit(255)
    }

    fn reference_sdiv(a: U256, b: U256) -> U256 {
        if b.is_zero() {
            return U256::ZERO;
        }
        let q = (if neg(a) { a.wrapping_neg() } else { a })
            / (if neg(b) { b.wrapping_neg() } else { b });
        if neg(a) != neg(b) {
            q.wrapping_neg()
        } else {
            q
        }
    }

    fn reference_smod(a: U256, b: U256) -> U256 {
        if b.is_zero() {
            return U256::ZERO;
        }
        let r = (if neg(a) { a.wrapping_neg() } else { a })
            % (if neg(b) { b.wrapping_neg() } else { b });
        if neg(a) {
            r.wrapping_neg()
        } else {
            r
        }
    }

    #[test]
    fn signed_division_matches_reference() {
        check_binary("sdiv", reference_sdiv, sdiv);
        check_binary("smod", reference_smod, smod);
        // Spot checks of the rules themselves.
        let m = |x: u64| U256::from(x).wrapping_neg();
        assert_eq!(reference_sdiv(m(7), U256::from(2)), m(3));
        assert_eq!(reference_smod(m(7), U256::from(2)), m(1));
        let min: U256 = U256::from(1) << 255;
        assert_eq!(
            U256::from_limbs(sdiv(min.as_limbs(), U256::MAX.as_limbs())),
            min
        );
    }

    #[test]
    fn negation_matches_ruint() {
        check_binary("negate", |a, _| a.wrapping_neg(), |a, _| negate(a));
    }

    #[test]
    fn signed_comparisons_match_ruint() {
        // Flipping the sign bit maps two's-complement order onto unsigned order.
        let flip = |x: U256| x ^ (U256::from(1) << 255);
        check_binary_bool("slt", |a, b| flip(a) < flip(b), slt);
        check_binary_bool("sgt", |a, b| flip(a) > flip(b), sgt);
    }

    #[test]
    fn signextend_matches_reference() {
        let fold = |i: U256| fold_below(i, 40);
        check_binary(
            "signextend",
            |i, x| {
                let i = fold(i);
                if i < U256::from(31) {
                    let bit = i.as_limbs()[0] as usize * 8 + 7;
                    let mask = (U256::from(1) << bit) - U256::from(1);
                    if x.bit(bit) {
                        x | !mask
                    } else {
                        x & mask
                    }
                } else {
                    x
                }
            },
            |i, x| signextend(&fold(U256::from_limbs(*i)).into_limbs(), x),
        );
    }
}
