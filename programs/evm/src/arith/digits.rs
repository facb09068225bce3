//! Helpers for 32-bit digits (SBF's division works on them: a two-digit numerator over a digit is
//! one native 64-bit division).

/// The low 32 bits.
pub(crate) const DIGIT_MASK: u64 = 0xffff_ffff;

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
