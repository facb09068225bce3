//! Helpers for 32-bit digits (SBF's division works on them: a two-digit numerator over a digit is
//! one native 64-bit division; its wide products are built from them).

/// The low 32 bits.
pub(crate) const DIGIT_MASK: u64 = 0xffff_ffff;

/// The full product `a * b` as (low, high) 64-bit halves: on SBF from 32-bit halves
/// (`mul_wide_halves`), elsewhere one native 128-bit multiply.
#[inline(always)]
pub(crate) fn mul_wide(a: u64, b: u64) -> (u64, u64) {
    #[cfg(target_arch = "bpf")]
    {
        mul_wide_halves(a, b)
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        let p = a as u128 * b as u128;
        (p as u64, (p >> 64) as u64)
    }
}

/// `a * b` as (low, high) from four native 32 x 32 -> 64 bit multiplies. SBPF v3 has no high
/// multiply (`uhmul64` is SBPF v2 only) and LLVM lowers a `u128` product to a call of
/// `__multi3`, which also multiplies the (zero) upper halves; this inlines into ~20 instructions.
#[inline(always)]
#[cfg_attr(not(target_arch = "bpf"), allow(dead_code))]
pub(crate) fn mul_wide_halves(a: u64, b: u64) -> (u64, u64) {
    let (a0, a1) = (a & DIGIT_MASK, a >> 32);
    let (b0, b1) = (b & DIGIT_MASK, b >> 32);
    let (ll, lh, hl, hh) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    // The middle column: below 3 * 2^32, so no overflow.
    let mid = (ll >> 32) + (lh & DIGIT_MASK) + (hl & DIGIT_MASK);
    let low = (ll & DIGIT_MASK) | (mid << 32);
    let high = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
    (low, high)
}

/// Leading zero bits of a nonzero 32-bit digit.
#[inline(always)]
pub(crate) fn leading_zeros32(x: u64) -> u32 {
    #[cfg(target_arch = "bpf")]
    {
        leading_zeros32_search(x)
    }
    #[cfg(not(target_arch = "bpf"))]
    {
        (x as u32).leading_zeros()
    }
}

/// SBF's count: it has no count-leading-zeros instruction and LLVM's expansion is ~40
/// instructions; this binary search is ~15.
#[inline(always)]
#[cfg_attr(not(target_arch = "bpf"), allow(dead_code))]
pub(crate) fn leading_zeros32_search(x: u64) -> u32 {
    let mut x = x;
    let mut n = 0;
    if x <= 0xffff {
        n += 16;
        x <<= 16;
    }
    if x <= 0xff_ffff {
        n += 8;
        x <<= 8;
    }
    if x <= 0xfff_ffff {
        n += 4;
        x <<= 4;
    }
    if x <= 0x3fff_ffff {
        n += 2;
        x <<= 2;
    }
    if x <= 0x7fff_ffff {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_products_match_u128() {
        let mut g = crate::arith::testing::Gen::new(11);
        let edges = [
            0,
            1,
            2,
            DIGIT_MASK,
            DIGIT_MASK + 1,
            u64::MAX,
            u64::MAX - 1,
            1 << 63,
        ];
        for a in edges {
            for b in edges {
                let p = a as u128 * b as u128;
                let expected = (p as u64, (p >> 64) as u64);
                assert_eq!(mul_wide_halves(a, b), expected, "{a:#x} {b:#x}");
                assert_eq!(mul_wide(a, b), expected, "{a:#x} {b:#x}");
            }
        }
        for _ in 0..300_000 {
            let (a, b) = (g.next() >> (g.next() % 64), g.next());
            let p = a as u128 * b as u128;
            let expected = (p as u64, (p >> 64) as u64);
            assert_eq!(mul_wide_halves(a, b), expected, "{a:#x} {b:#x}");
        }
    }

    #[test]
    fn leading_zeros_search_matches_core() {
        for shift in 0..32 {
            for x in [1u32 << shift, (1u32 << shift) | 1, u32::MAX >> shift] {
                assert_eq!(
                    leading_zeros32_search(x as u64),
                    x.leading_zeros(),
                    "{x:#x}"
                );
            }
        }
        let mut g = crate::arith::testing::Gen::new(7);
        for _ in 0..300_000 {
            let x = (g.next() as u32).max(1);
            assert_eq!(
                leading_zeros32_search(x as u64),
                x.leading_zeros(),
                "{x:#x}"
            );
        }
    }
}
