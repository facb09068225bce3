//! 0x04 IDENTITY: returns its input (the cheapest way to copy memory before MCOPY).

use super::{charge, linear_cost, PrecompileOutput, PrecompileResult};

/// 15 gas plus 3 per 32-byte word of input.
pub const BASE: u64 = 15;
pub const PER_WORD: u64 = 3;

/// A copy of `input`.
pub fn run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    let gas_used = charge(linear_cost(input.len(), BASE, PER_WORD), gas_limit)?;
    Ok(PrecompileOutput {
        gas_used,
        output: input.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::precompiles::PrecompileFailure;

    #[test]
    fn copies_input() {
        let out = run(b"hello", 18).unwrap();
        assert_eq!(out.gas_used, 18);
        assert_eq!(out.output, b"hello");
        assert_eq!(run(b"", 15).unwrap().gas_used, 15);
        assert_eq!(run(&[7u8; 65], 24).unwrap().gas_used, 24);
        assert_eq!(run(&[7u8; 65], 23), Err(PrecompileFailure::OutOfGas));
    }
}
