//! Comparisons, bitwise logic, BYTE, the shifts and CLZ.

use crate::arith;
use crate::fork::Fork;
use crate::interpreter::Interp;
use crate::primitives::U256;
use crate::result::HaltReason;

#[inline]
fn bool_word(b: bool) -> U256 {
    U256::from(b as u64)
}

/// Applies a limb function to two words.
#[inline(always)]
fn limbs2(f: impl Fn(&arith::Limbs, &arith::Limbs) -> arith::Limbs, a: &U256, b: &U256) -> U256 {
    U256::from_limbs(f(a.as_limbs(), b.as_limbs()))
}

pub fn lt(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = bool_word(arith::add::lt(a.as_limbs(), b.as_limbs()));
}

pub fn gt(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = bool_word(arith::add::gt(a.as_limbs(), b.as_limbs()));
}

pub fn slt(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = bool_word(arith::signed::slt(a.as_limbs(), b.as_limbs()));
}

pub fn sgt(it: &mut Interp<'_>) {
    pop_top!(it; a; b);
    *b = bool_word(arith::signed::sgt(a.as_limbs(), b.as_limbs()));
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
    *x = limbs2(arith::shift::byte, &index, x);
}

pub fn shl(it: &mut Interp<'_>) {
    pop_top!(it; shift; x);
    *x = limbs2(arith::shift::shl, &shift, x);
}

pub fn shr(it: &mut Interp<'_>) {
    pop_top!(it; shift; x);
    *x = limbs2(arith::shift::shr, &shift, x);
}

pub fn sar(it: &mut Interp<'_>) {
    pop_top!(it; shift; x);
    *x = limbs2(arith::shift::sar, &shift, x);
}

/// EIP-7939 (Osaka): the number of leading zero bits, 256 for zero. An undefined opcode before.
pub fn clz(it: &mut Interp<'_>) {
    if !it.block.fork.is_enabled(Fork::Osaka) {
        return it.halt(HaltReason::InvalidOpcode);
    }
    pop_top!(it; ; x);
    *x = U256::from(x.leading_zeros());
}
