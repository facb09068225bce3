//! Comparisons, bitwise logic, BYTE, the shifts and CLZ.

use super::arithmetic::is_negative;
use crate::fork::Fork;
use crate::interpreter::Interp;
use crate::primitives::U256;
use crate::result::HaltReason;

#[inline]
fn bool_word(b: bool) -> U256 {
    U256::from(b as u64)
}

/// Signed less-than: flipping the sign bit maps two's complement order onto unsigned order.
#[inline]
fn signed_lt(a: &U256, b: &U256) -> bool {
    let sign = U256::from(1) << 255;
    (*a ^ sign) < (*b ^ sign)
}

pub fn lt(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = bool_word(a < *b);
}

pub fn gt(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = bool_word(a > *b);
}

pub fn slt(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = bool_word(signed_lt(&a, b));
}

pub fn sgt(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = bool_word(signed_lt(b, &a));
}

pub fn eq(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = bool_word(a == *b);
}

pub fn iszero(it: &mut Interp<'_>) {
    pop_top!(it; ; a);
    *a = bool_word(a.is_zero());
}

pub fn and(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b &= a;
}

pub fn or(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b |= a;
}

pub fn xor(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b ^= a;
}

pub fn not(it: &mut Interp<'_>) {
    pop_top!(it; ; a);
    *a = !*a;
}

pub fn byte(it: &mut Interp<'_>) {
    pop_top!(it; index; x);
    *x = if index < U256::from(32) {
        U256::from(x.byte(31 - index.as_limbs()[0] as usize))
    } else {
        U256::ZERO
    };
}

/// The shift amount if below 256.
#[inline]
fn shift_amount(shift: &U256) -> Option<usize> {
    (*shift < U256::from(256)).then(|| shift.as_limbs()[0] as usize)
}

pub fn shl(it: &mut Interp<'_>) {
    pop_top!(it; shift; x);
    *x = shift_amount(&shift).map_or(U256::ZERO, |s| *x << s);
}

pub fn shr(it: &mut Interp<'_>) {
    pop_top!(it; shift; x);
    *x = shift_amount(&shift).map_or(U256::ZERO, |s| *x >> s);
}

pub fn sar(it: &mut Interp<'_>) {
    pop_top!(it; shift; x);
    let negative = is_negative(x);
    *x = match shift_amount(&shift) {
        Some(s) if negative => !(!*x >> s),
        Some(s) => *x >> s,
        None if negative => U256::MAX,
        None => U256::ZERO,
    };
}

/// EIP-7939 (Osaka): the number of leading zero bits, 256 for zero. An undefined opcode before.
pub fn clz(it: &mut Interp<'_>) {
    if !it.block.fork.is_enabled(Fork::Osaka) {
        return it.halt(HaltReason::InvalidOpcode);
    }
    pop_top!(it; ; x);
    *x = U256::from(x.leading_zeros());
}
