//! Conversions between 64-bit limbs and 32-bit digits (each held in a `u64`, so that a product
//! of two digits is one native multiply).

/// The low 32 bits.
pub(crate) const DIGIT_MASK: u64 = 0xffff_ffff;

/// The eight 32-bit digits of a word, least significant first.
#[inline(always)]
pub(crate) fn split(x: &[u64; 4]) -> [u64; 8] {
    [
        x[0] & DIGIT_MASK,
        x[0] >> 32,
        x[1] & DIGIT_MASK,
        x[1] >> 32,
        x[2] & DIGIT_MASK,
        x[2] >> 32,
        x[3] & DIGIT_MASK,
        x[3] >> 32,
    ]
}

/// Four limbs from the first eight 32-bit digits (each below 2^32).
#[inline(always)]
pub(crate) fn join(d: &[u64]) -> [u64; 4] {
    [
        d[0] | (d[1] << 32),
        d[2] | (d[3] << 32),
        d[4] | (d[5] << 32),
        d[6] | (d[7] << 32),
    ]
}

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
