//! DIV and MOD: Knuth's algorithm D.
//!
//! On SBF the digits are 32 bits wide (held in `u64`s): every quotient-digit estimate is then one
//! native 64 / 64 division and every partial product one native multiply, where 64-bit digits
//! would need `__udivti3` and `__multi3` calls. Fast paths: dividend below the divisor (quotient
//! zero), both within 64 bits (one native division), a one-digit divisor (short division).
//! Other targets use ruint's division (64-bit digits, native 128-bit arithmetic); the 32-bit
//! version is tested there too.

use super::add::lt;
use super::digits::{leading_zeros32, DIGIT_MASK};
use super::Limbs;

/// DIV: `a / b`, zero when `b` is zero.
#[inline]
pub fn div(a: &Limbs, b: &Limbs) -> Limbs {
    if super::add::is_zero(b) {
        return [0; 4];
    }
    div_rem(a, b).0
}

/// MOD: `a % b`, zero when `b` is zero.
#[inline]
pub fn rem(a: &Limbs, b: &Limbs) -> Limbs {
    if super::add::is_zero(b) {
        return [0; 4];
    }
    div_rem(a, b).1
}

/// Quotient and remainder; `b` must not be zero.
#[inline]
pub fn div_rem(a: &Limbs, b: &Limbs) -> (Limbs, Limbs) {
    if lt(a, b) {
        return ([0; 4], *a);
    }
    if (a[1] | a[2] | a[3]) == 0 {
        // b <= a < 2^64: one native division.
        return ([a[0] / b[0], 0, 0, 0], [a[0] % b[0], 0, 0, 0]);
    }
    // Measured on SBF: a divisor of 33 to 64 bits (two digits, seven steps of algorithm D for a
    // full dividend) costs 803 CU against ruint's 694 (its 2-by-1 reciprocal division); every
    // other shape is cheaper on 32-bit digits (DIV 256/128 822 against 998, 256/256 475 against
    // 789, short division 108 against 134).
    #[cfg(target_arch = "bpf")]
    if (b[1] | b[2] | b[3]) != 0 || b[0] >> 32 == 0 {
        return div_rem_wide(a, b);
    }
    use crate::primitives::U256;
    let (q, r) = U256::from_limbs(*a).div_rem(U256::from_limbs(*b));
    (q.into_limbs(), r.into_limbs())
}

/// Quotient and remainder on 32-bit digits (SBF's variant); `b` must not be zero.
#[inline]
pub fn div_rem_digits(a: &Limbs, b: &Limbs) -> (Limbs, Limbs) {
    if lt(a, b) {
        return ([0; 4], *a);
    }
    if (a[1] | a[2] | a[3]) == 0 {
        return ([a[0] / b[0], 0, 0, 0], [a[0] % b[0], 0, 0, 0]);
    }
    div_rem_wide(a, b)
}

/// Division on 32-bit digits of an `a >= b` wider than 64 bits.
#[inline(always)]
fn div_rem_wide(a: &Limbs, b: &Limbs) -> (Limbs, Limbs) {
    let (n, top) = digit_len(b);
    if n == 1 {
        let mut q = [0u64; 4];
        let r = short_div(a, top, &mut q);
        return (q, [r, 0, 0, 0]);
    }
    let mut q = [0u64; 4];
    let r = divide::<5, 10>(a, b, n, top, Some(&mut q));
    (q, r)
}

/// The number of significant 32-bit digits of a nonzero `x`, and the top one.
#[inline(always)]
fn digit_len(x: &[u64]) -> (usize, u64) {
    let mut i = x.len() - 1;
    while i > 0 && x[i] == 0 {
        i -= 1;
    }
    if x[i] >> 32 != 0 {
        (2 * i + 2, x[i] >> 32)
    } else {
        (2 * i + 1, x[i])
    }
}

/// Short division of `u` by the one-digit `d` (nonzero): quotient into `q`, returns the remainder.
#[inline(always)]
fn short_div(u: &[u64], d: u64, q: &mut [u64]) -> u64 {
    let mut r = 0u64;
    for i in (0..u.len()).rev() {
        let high = (r << 32) | (u[i] >> 32);
        let q_high = high / d;
        r = high - q_high * d;
        let low = (r << 32) | (u[i] & DIGIT_MASK);
        let q_low = low / d;
        r = low - q_low * d;
        q[i] = (q_high << 32) | q_low;
    }
    r
}

/// `x << s` (s < 32) over `L - 1` limbs into `L` limbs (the top one takes the overflow).
#[inline(always)]
fn shl_into<const L: usize>(x: &[u64], s: u32) -> [u64; L] {
    let mut out = [0u64; L];
    out[0] = x[0] << s;
    for i in 1..L - 1 {
        out[i] = (x[i] << s) | ((x[i - 1] >> 1) >> (63 - s));
    }
    out[L - 1] = (x[L - 2] >> 1) >> (63 - s);
    out
}

/// The 32-bit digits of limbs, in place (little-endian: digit `2i` is the low half of limb `i`).
#[inline(always)]
fn digits_mut<const L: usize, const D: usize>(x: &mut [u64; L]) -> *mut u32 {
    const { assert!(cfg!(target_endian = "little") && D == 2 * L) };
    x.as_mut_ptr() as *mut u32
}

/// Knuth's algorithm D (after Hacker's Delight `divmnu`) on 32-bit digits: divides `u`
/// (`L - 1` limbs) by the `n`-digit `v` (n >= 2, `top` its top digit), the quotient into `q`,
/// returns the remainder. `D` = 2 L digits.
#[inline(always)]
fn divide<const L: usize, const D: usize>(
    u: &[u64],
    v: &Limbs,
    n: usize,
    top: u64,
    q: Option<&mut [u64]>,
) -> Limbs {
    let s = leading_zeros32(top);
    let mut un = shl_into::<L>(u, s);
    let mut vn = shl_into::<5>(v, s);
    let (m, _) = digit_len(u);
    let un_digits = digits_mut::<L, D>(&mut un);
    let vn_digits = digits_mut::<5, 10>(&mut vn) as *const u32;
    let mut quotient = [0u32; 16];
    // SAFETY: 2 <= n <= m <= D - 2 (u has L - 1 limbs), so every digit index below (at most
    // j + n <= m) is inside `un` (D digits) and `vn` (10 digits); `j <= m - n < 16`.
    unsafe {
        match n {
            2 => knuth::<2>(un_digits, m, vn_digits, &mut quotient),
            3 => knuth::<3>(un_digits, m, vn_digits, &mut quotient),
            4 => knuth::<4>(un_digits, m, vn_digits, &mut quotient),
            5 => knuth::<5>(un_digits, m, vn_digits, &mut quotient),
            6 => knuth::<6>(un_digits, m, vn_digits, &mut quotient),
            7 => knuth::<7>(un_digits, m, vn_digits, &mut quotient),
            _ => knuth::<8>(un_digits, m, vn_digits, &mut quotient),
        }
    }
    if let Some(q) = q {
        for (i, limb) in q.iter_mut().enumerate() {
            *limb = quotient[2 * i] as u64 | (quotient[2 * i + 1] as u64) << 32;
        }
    }
    // The remainder is left in the low n digits (the others are zero): shift it back.
    let f = |hi: u64, lo: u64| (lo >> s) | ((hi << 1) << (63 - s));
    [
        f(un[1], un[0]),
        f(un[2], un[1]),
        f(un[3], un[2]),
        f(un[4], un[3]),
    ]
}

/// The main loop of algorithm D for an `N`-digit normalized divisor (unrolled per `N`).
///
/// # Safety
/// `un` holds at least `m + 1` digits, `vn` at least `N`, and `m - N < 16`.
#[inline(always)]
unsafe fn knuth<const N: usize>(un: *mut u32, m: usize, vn: *const u32, q: &mut [u32; 16]) {
    let top = *vn.add(N - 1) as u64;
    let second = *vn.add(N - 2) as u64;
    let mut j = m - N + 1;
    while j > 0 {
        j -= 1;
        // Estimate the quotient digit from the top two digits, then correct it (at most
        // twice) with the divisor's second digit.
        let numerator = ((*un.add(j + N) as u64) << 32) | *un.add(j + N - 1) as u64;
        let mut q_hat = numerator / top;
        let mut r_hat = numerator - q_hat * top;
        while q_hat > DIGIT_MASK || q_hat * second > ((r_hat << 32) | *un.add(j + N - 2) as u64) {
            q_hat -= 1;
            r_hat += top;
            if r_hat > DIGIT_MASK {
                break;
            }
        }
        // Multiply and subtract; `borrow` is signed so no branch is needed.
        let mut borrow: i64 = 0;
        for i in 0..N {
            let p = q_hat * *vn.add(i) as u64;
            let t = *un.add(i + j) as i64 - borrow - (p as u32) as i64;
            *un.add(i + j) = t as u32;
            borrow = (p >> 32) as i64 - (t >> 32);
        }
        let t = *un.add(j + N) as i64 - borrow;
        *un.add(j + N) = t as u32;
        if t < 0 {
            // The estimate was one too large (rare): add the divisor back.
            q_hat -= 1;
            let mut carry = 0u64;
            for i in 0..N {
                let sum = *un.add(i + j) as u64 + *vn.add(i) as u64 + carry;
                *un.add(i + j) = sum as u32;
                carry = sum >> 32;
            }
            *un.add(j + N) = (*un.add(j + N) as u64 + carry) as u32;
        }
        q[j & 15] = q_hat as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::testing::check_binary;
    use crate::primitives::U256;

    fn reference_div(a: U256, b: U256) -> U256 {
        if b.is_zero() {
            U256::ZERO
        } else {
            a / b
        }
    }

    fn reference_rem(a: U256, b: U256) -> U256 {
        if b.is_zero() {
            U256::ZERO
        } else {
            a % b
        }
    }

    #[test]
    fn division_matches_ruint() {
        check_binary("div", reference_div, div);
        check_binary("rem", reference_rem, rem);
        let nonzero = |b: &Limbs| {
            if super::super::add::is_zero(b) {
                [1, 0, 0, 0]
            } else {
                *b
            }
        };
        check_binary(
            "div digits",
            |a, b| reference_div(a, if b.is_zero() { U256::from(1) } else { b }),
            |a, b| div_rem_digits(a, &nonzero(b)).0,
        );
        check_binary(
            "rem digits",
            |a, b| reference_rem(a, if b.is_zero() { U256::from(1) } else { b }),
            |a, b| div_rem_digits(a, &nonzero(b)).1,
        );
    }
}
