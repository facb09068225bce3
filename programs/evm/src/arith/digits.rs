//! Helpers for 32-bit digits (SBF's division works on them: a two-digit numerator over a digit is
//! one native 64-bit division).

/// The low 32 bits.
pub(crate) const DIGIT_MASK: u64 = 0xffff_ffff;

/// Leading zero bits of a nonzero 32-bit digit. SBF has no count-leading-zeros instruction and
/// LLVM's expansion is ~40 instructions; this binary search is ~15.
#[inline(always)]
pub(crate) fn leading_zeros32(x: u64) -> u32 {
    #[cfg(not(target_arch = "bpf"))]
    {
        (x as u32).leading_zeros()
    }
    #[cfg(target_arch = "bpf")]
    {
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
}
