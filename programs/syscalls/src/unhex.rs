//! Constants written as hex digits, decoded at compile time.

/// `N` bytes from `2 N` lowercase hex digits.
pub(crate) const fn unhex<const N: usize>(digits: &[u8]) -> [u8; N] {
    assert!(digits.len() == 2 * N);
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = nibble(digits[2 * i]) << 4 | nibble(digits[2 * i + 1]);
        i += 1;
    }
    out
}

const fn nibble(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => panic!("not a hex digit"),
    }
}
