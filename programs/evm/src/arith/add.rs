//! ADD, SUB and the unsigned comparisons (LT, GT): carry chains over the four limbs.

use super::Limbs;

/// `a + b` and whether it carried out of 256 bits (ADD drops the carry, ADDMOD keeps it).
#[inline(always)]
pub fn overflowing_add(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut r = [0u64; 4];
    let mut carry = false;
    for i in 0..4 {
        let (s, c1) = a[i].overflowing_add(b[i]);
        let (s, c2) = s.overflowing_add(carry as u64);
        r[i] = s;
        carry = c1 | c2;
    }
    (r, carry)
}

/// `a - b` and whether it borrowed (that is, whether `a < b`).
#[inline(always)]
pub fn overflowing_sub(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut r = [0u64; 4];
    let mut borrow = false;
    for i in 0..4 {
        let (d, b1) = a[i].overflowing_sub(b[i]);
        let (d, b2) = d.overflowing_sub(borrow as u64);
        r[i] = d;
        borrow = b1 | b2;
    }
    (r, borrow)
}

/// ADD: `a + b mod 2^256`.
#[inline]
pub fn wrapping_add(a: &Limbs, b: &Limbs) -> Limbs {
    overflowing_add(a, b).0
}

/// SUB: `a - b mod 2^256`.
#[inline]
pub fn wrapping_sub(a: &Limbs, b: &Limbs) -> Limbs {
    overflowing_sub(a, b).0
}

/// LT: `a < b`. On SBF the early-exit comparison below (LT 76 -> 51 CU); hosts keep ruint's
/// (the host benchmark could not tell them apart under load, so the known one stays).
#[inline]
pub fn lt(a: &Limbs, b: &Limbs) -> bool {
    #[cfg(target_arch = "bpf")]
    {
        lt_limbs(a, b)
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        use crate::primitives::U256;
        U256::from_limbs(*a) < U256::from_limbs(*b)
    }
}

/// `a < b`, deciding on the most significant limb that differs (usually the first).
#[inline]
pub fn lt_limbs(a: &Limbs, b: &Limbs) -> bool {
    for i in (0..4).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

/// GT: `a > b`.
#[inline]
pub fn gt(a: &Limbs, b: &Limbs) -> bool {
    lt(b, a)
}

/// Whether the word is zero.
#[inline(always)]
pub fn is_zero(a: &Limbs) -> bool {
    (a[0] | a[1] | a[2] | a[3]) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::testing::{check_binary, check_binary_bool};

    #[test]
    fn add_sub_match_ruint() {
        check_binary("add", |a, b| a.wrapping_add(b), wrapping_add);
        check_binary("sub", |a, b| a.wrapping_sub(b), wrapping_sub);
    }

    #[test]
    fn comparisons_match_ruint() {
        check_binary_bool("lt", |a, b| a < b, lt);
        check_binary_bool("lt limbs", |a, b| a < b, lt_limbs);
        check_binary_bool("gt", |a, b| a > b, gt);
    }
}
