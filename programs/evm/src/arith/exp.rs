//! EXP: square-and-multiply over the truncated multiply, with a sliding window of four bits for
//! long exponents (a table of the odd powers base^1 .. base^15, then one multiply per window:
//! about 59 multiplies for a random 256-bit exponent instead of 128; the squares stay 255).

use super::mul::{wrapping_mul_in_loop as wrapping_mul, wrapping_square};
use super::Limbs;

/// Exponents up to this many bits use plain square-and-multiply: below it the window's table
/// (one square and seven multiplies) costs more than the multiplies it saves.
const WINDOW_FROM_BITS: u32 = 32;

/// The window width: a table of 2^(WIDTH - 1) odd powers.
const WIDTH: u32 = 4;

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
    let bits = 64 * (top as u32 - 1) + (64 - exponent[top - 1].leading_zeros());
    if bits <= WINDOW_FROM_BITS {
        plain(base, exponent[0], bits)
    } else {
        windowed(base, exponent, bits)
    }
}

/// Left-to-right square-and-multiply of an exponent of `bits` bits (all in its low limb).
#[inline(always)]
fn plain(base: &Limbs, exponent: u64, bits: u32) -> Limbs {
    // The top bit is the starting `result = base`.
    let mut result = *base;
    let mut bit = bits - 1;
    while bit > 0 {
        bit -= 1;
        result = wrapping_square(&result);
        if (exponent >> bit) & 1 == 1 {
            result = wrapping_mul(&result, base);
        }
    }
    result
}

/// Bit `i` of the exponent.
#[inline(always)]
fn bit(exponent: &Limbs, i: u32) -> u64 {
    (exponent[(i / 64) as usize] >> (i % 64)) & 1
}

/// Bits `low .. low + width` of the exponent (width <= 4), which may straddle two limbs.
#[inline(always)]
fn bits_at(exponent: &Limbs, low: u32, width: u32) -> u64 {
    let (limb, offset) = ((low / 64) as usize, low % 64);
    let mut v = exponent[limb] >> offset;
    if offset + width > 64 {
        v |= exponent[limb + 1] << (64 - offset);
    }
    v & ((1 << width) - 1)
}

/// Sliding-window exponentiation (windows of up to `WIDTH` bits, each ending in a one bit).
#[inline(never)]
fn windowed(base: &Limbs, exponent: &Limbs, bits: u32) -> Limbs {
    // table[k] = base^(2k + 1).
    let mut table = [*base; 1 << (WIDTH - 1)];
    let square = wrapping_square(base);
    for k in 1..table.len() {
        table[k] = wrapping_mul(&table[k - 1], &square);
    }
    let mut result: Option<Limbs> = None;
    // `i + 1` bits are left to consume (bit `i` down to bit 0).
    let mut i = bits as i64 - 1;
    while i >= 0 {
        let hi = i as u32;
        if bit(exponent, hi) == 0 {
            if let Some(r) = &mut result {
                *r = wrapping_square(r);
            }
            i -= 1;
            continue;
        }
        // The longest window from `hi` down that ends in a one bit.
        let mut low = hi.saturating_sub(WIDTH - 1);
        while bit(exponent, low) == 0 {
            low += 1;
        }
        let width = hi - low + 1;
        let odd = &table[(bits_at(exponent, low, width) >> 1) as usize];
        result = Some(match result {
            None => *odd,
            Some(mut r) => {
                for _ in 0..width {
                    r = wrapping_square(&r);
                }
                wrapping_mul(&r, odd)
            }
        });
        i = low as i64 - 1;
    }
    // The top bit is one, so the first window set `result`.
    result.unwrap_or([1, 0, 0, 0])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arith::testing::check_binary;

    #[test]
    fn pow_matches_ruint() {
        check_binary("exp", |a, b| a.pow(b), wrapping_pow);
    }

    #[test]
    fn windows_match_ruint_at_every_length() {
        // Exponents of every bit length around the switch and the limb edges, with patterns
        // that put windows across limbs.
        use crate::primitives::U256;
        let base = U256::from_limbs([0x9e37_79b9_7f4a_7c15, 3, 0xffff_ffff_0000_0001, 7]);
        for bits in 1..=256usize {
            for pattern in [
                U256::MAX,
                U256::from_limbs([0x8421_0842_1084_2108; 4]),
                U256::from_limbs([0x0100_0000_0001_0001; 4]),
            ] {
                let e = (pattern | (U256::from(1) << (bits - 1))) & (U256::MAX >> (256 - bits));
                assert_eq!(
                    U256::from_limbs(wrapping_pow(base.as_limbs(), e.as_limbs())),
                    base.pow(e),
                    "exponent {e:#x}"
                );
            }
        }
    }
}
