//! SHL, SHR, SAR and BYTE: a whole-limb move plus one funnel shift per limb, straight-line code
//! for each of the four limb offsets (no loop over bits).

use super::Limbs;

/// The shift amount if below 256.
#[inline(always)]
fn amount(shift: &Limbs) -> Option<u64> {
    if (shift[1] | shift[2] | shift[3]) == 0 && shift[0] < 256 {
        Some(shift[0])
    } else {
        None
    }
}

/// SHL: `x << shift`, zero from 256 on.
#[inline]
pub fn shl(shift: &Limbs, x: &Limbs) -> Limbs {
    let Some(s) = amount(shift) else {
        return [0; 4];
    };
    let bit = (s & 63) as u32;
    // `hi(v) << bit` plus the bits carried in from the limb below; `(lo >> 1) >> (63 - bit)`
    // is `lo >> (64 - bit)` without the undefined shift by 64 when `bit` is zero.
    let f = |hi: u64, lo: u64| (hi << bit) | ((lo >> 1) >> (63 - bit));
    let [x0, x1, x2, x3] = *x;
    match s >> 6 {
        0 => [x0 << bit, f(x1, x0), f(x2, x1), f(x3, x2)],
        1 => [0, x0 << bit, f(x1, x0), f(x2, x1)],
        2 => [0, 0, x0 << bit, f(x1, x0)],
        _ => [0, 0, 0, x0 << bit],
    }
}

/// `x >> shift` with `fill` shifted in from above (zero for SHR, the sign for SAR).
#[inline(always)]
fn shr_fill(s: u64, x: &Limbs, fill: u64) -> Limbs {
    let bit = (s & 63) as u32;
    let f = |hi: u64, lo: u64| (lo >> bit) | ((hi << 1) << (63 - bit));
    let [x0, x1, x2, x3] = *x;
    match s >> 6 {
        0 => [f(x1, x0), f(x2, x1), f(x3, x2), f(fill, x3)],
        1 => [f(x2, x1), f(x3, x2), f(fill, x3), fill],
        2 => [f(x3, x2), f(fill, x3), fill, fill],
        _ => [f(fill, x3), fill, fill, fill],
    }
}

/// SHR: `x >> shift` (logical), zero from 256 on.
#[inline]
pub fn shr(shift: &Limbs, x: &Limbs) -> Limbs {
    match amount(shift) {
        Some(s) => shr_fill(s, x, 0),
        None => [0; 4],
    }
}

/// SAR: `x >> shift` (arithmetic): all sign bits from 256 on.
#[inline]
pub fn sar(shift: &Limbs, x: &Limbs) -> Limbs {
    let fill = ((x[3] as i64) >> 63) as u64;
    match amount(shift) {
        Some(s) => shr_fill(s, x, fill),
        None => [fill; 4],
    }
}

/// BYTE: byte `index` of `x` counted from the most significant, zero from 32 on.
#[inline]
pub fn byte(index: &Limbs, x: &Limbs) -> Limbs {
    if (index[1] | index[2] | index[3]) != 0 || index[0] >= 32 {
        return [0; 4];
    }
    let i = index[0] as usize;
    let limb = x[3 - i / 8];
    [(limb >> (56 - 8 * (i % 8))) & 0xff, 0, 0, 0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::testing::{check_binary, fold_below};
    use crate::primitives::U256;

    fn small(s: U256) -> Option<usize> {
        (s < U256::from(256)).then(|| s.as_limbs()[0] as usize)
    }

    #[test]
    fn shifts_match_ruint() {
        // Shift amounts: the generator's words, folded so that most are below 256.
        let fold = |s: U256| fold_below(s, 300);
        check_binary(
            "shl",
            |s, x| small(fold(s)).map_or(U256::ZERO, |s| x << s),
            |s, x| shl(&fold(U256::from_limbs(*s)).into_limbs(), x),
        );
        check_binary(
            "shr",
            |s, x| small(fold(s)).map_or(U256::ZERO, |s| x >> s),
            |s, x| shr(&fold(U256::from_limbs(*s)).into_limbs(), x),
        );
        check_binary(
            "sar",
            |s, x| {
                let negative = x.bit(255);
                match small(fold(s)) {
                    Some(s) => x.arithmetic_shr(s),
                    None if negative => U256::MAX,
                    None => U256::ZERO,
                }
            },
            |s, x| sar(&fold(U256::from_limbs(*s)).into_limbs(), x),
        );
    }

    #[test]
    fn byte_matches_ruint() {
        let fold = |i: U256| fold_below(i, 40);
        check_binary(
            "byte",
            |i, x| {
                let i = fold(i);
                if i < U256::from(32) {
                    U256::from(x.byte(31 - i.as_limbs()[0] as usize))
                } else {
                    U256::ZERO
                }
            },
            |i, x| byte(&fold(U256::from_limbs(*i)).into_limbs(), x),
        );
    }
}
