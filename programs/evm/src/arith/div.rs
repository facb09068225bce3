//! DIV and MOD: Knuth's algorithm D.
//!
//! On SBF the digits are 32 bits wide (held in `u64`s): every quotient-digit estimate is then one
//! native 64 / 64 division and every partial product one native multiply, where 64-bit digits
//! would need `__udivti3` and `__multi3` calls. Fast paths: dividend below the divisor (quotient
//! zero), both within 64 bits (one native division), a one-digit divisor (short division).
//! Other targets use ruint's division (64-bit digits, native 128-bit arithmetic); the 32-bit
//! version is tested there too.

use super::add::lt;
use super::digits::{digit_len, join, leading_zeros32, split, DIGIT_MASK};
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
    #[cfg(target_arch = "bpf")]
    {
        div_rem_digits(a, b)
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        use crate::primitives::U256;
        let (q, r) = U256::from_limbs(*a).div_rem(U256::from_limbs(*b));
        (q.into_limbs(), r.into_limbs())
    }
}

/// Quotient and remainder on 32-bit digits (SBF's variant); `b` must not be zero.
#[inline]
pub fn div_rem_digits(a: &Limbs, b: &Limbs) -> (Limbs, Limbs) {
    if lt(a, b) {
        return ([0; 4], *a);
    }
    if (a[1] | a[2] | a[3]) == 0 {
        // b <= a < 2^64.
        return ([a[0] / b[0], 0, 0, 0], [a[0] % b[0], 0, 0, 0]);
    }
    let u = split(a);
    let v = split(b);
    let m = digit_len(&u);
    let n = digit_len(&v);
    let mut q = [0u64; 9];
    let r = if n == 1 {
        [short_div(&u, m, v[0], &mut q), 0, 0, 0]
    } else {
        join(&divide::<9>(&u, m, &v, n, &mut q))
    };
    (join(&q), r)
}

/// `u mod v` for a 512-bit `u` given as sixteen 32-bit digits (MULMOD); `v` must not be zero.
#[inline]
pub fn rem_wide_digits(u: &[u64; 16], v: &Limbs) -> Limbs {
    let m = digit_len(u);
    let v = split(v);
    let n = digit_len(&v);
    if m < n {
        return join(u);
    }
    let mut q = [0u64; 17];
    if n == 1 {
        [short_div(u, m, v[0], &mut q), 0, 0, 0]
    } else {
        join(&divide::<17>(u, m, &v, n, &mut q))
    }
}

/// Short division of the `m`-digit `u` by the one-digit `d`: quotient digits into `q`, returns
/// the remainder.
#[inline(always)]
fn short_div<const U: usize>(u: &[u64], m: usize, d: u64, q: &mut [u64; U]) -> u64 {
    let mut r = 0u64;
    for i in (0..m).rev() {
        let current = (r << 32) | u[i];
        let digit = current / d;
        q[i] = digit;
        r = current - digit * d;
    }
    r
}

/// Knuth's algorithm D (after Hacker's Delight `divmnu`): divides the `m`-digit `u` by the
/// `n`-digit `v` (2 <= n <= m, top digit nonzero), quotient digits into `q`, returns the
/// remainder's digits. `U` is one more than the capacity of `u`.
#[inline(always)]
fn divide<const U: usize>(
    u: &[u64],
    m: usize,
    v: &[u64; 8],
    n: usize,
    q: &mut [u64; U],
) -> [u64; 8] {
    // Normalize: shift both so the divisor's top digit has its top bit set.
    let s = leading_zeros32(v[n - 1]);
    let mut vn = [0u64; 8];
    for i in (1..n).rev() {
        vn[i] = ((v[i] << s) | (v[i - 1] >> (32 - s))) & DIGIT_MASK;
    }
    vn[0] = (v[0] << s) & DIGIT_MASK;
    let mut un = [0u64; U];
    un[m] = u[m - 1] >> (32 - s);
    for i in (1..m).rev() {
        un[i] = ((u[i] << s) | (u[i - 1] >> (32 - s))) & DIGIT_MASK;
    }
    un[0] = (u[0] << s) & DIGIT_MASK;

    let top = vn[n - 1];
    let second = vn[n - 2];
    for j in (0..=m - n).rev() {
        // Estimate the quotient digit from the top two digits, then correct it (at most twice)
        // with the divisor's second digit.
        let numerator = (un[j + n] << 32) | un[j + n - 1];
        let mut q_hat = numerator / top;
        let mut r_hat = numerator - q_hat * top;
        while q_hat > DIGIT_MASK || q_hat * second > ((r_hat << 32) | un[j + n - 2]) {
            q_hat -= 1;
            r_hat += top;
            if r_hat > DIGIT_MASK {
                break;
            }
        }
        // Multiply and subtract; `borrow` is signed so no branch is needed.
        let mut borrow: i64 = 0;
        for i in 0..n {
            let p = q_hat * vn[i];
            let t = un[i + j] as i64 - borrow - (p & DIGIT_MASK) as i64;
            un[i + j] = t as u64 & DIGIT_MASK;
            borrow = (p >> 32) as i64 - (t >> 32);
        }
        let t = un[j + n] as i64 - borrow;
        un[j + n] = t as u64 & DIGIT_MASK;
        if t < 0 {
            // The estimate was one too large (rare): add the divisor back.
            q_hat -= 1;
            let mut carry = 0u64;
            for i in 0..n {
                let sum = un[i + j] + vn[i] + carry;
                un[i + j] = sum & DIGIT_MASK;
                carry = sum >> 32;
            }
            un[j + n] = (un[j + n] + carry) & DIGIT_MASK;
        }
        q[j] = q_hat;
    }

    // Unnormalize the remainder.
    let mut r = [0u64; 8];
    for i in 0..n {
        r[i] = ((un[i] >> s) | (un[i + 1] << (32 - s))) & DIGIT_MASK;
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::mul::full_mul_digits;
    use crate::arith::testing::{check_binary, check_ternary};
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

    #[test]
    fn wide_remainder_matches_ruint() {
        check_ternary(
            "rem wide digits",
            |a, b, n| {
                if n.is_zero() {
                    U256::ZERO
                } else {
                    a.mul_mod(b, n)
                }
            },
            |a, b, n| {
                if super::super::add::is_zero(n) {
                    [0; 4]
                } else {
                    rem_wide_digits(&full_mul_digits(a, b), n)
                }
            },
        );
    }
}
