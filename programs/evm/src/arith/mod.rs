//! 256-bit arithmetic for the EVM opcodes, written for SBF.
//!
//! SBF (SBPF v3) has a native 64 x 64 -> 64 multiply and a native 64 / 64 division, each one
//! instruction, but no high multiply: a `u64 x u64 -> u128` product and a `u128 / u64` division
//! compile to calls into compiler-builtins (`__multi3`, `__udivti3`). So on SBF the multiplications
//! and divisions work on 32-bit digits held in `u64`s, where every partial product and every
//! quotient digit is one native instruction. On other targets (x86-64 hosts, where 128-bit
//! products and divisions are native) the 64-bit versions (or ruint's) are used. Both variants
//! are compiled and tested on the host against ruint.
//!
//! Words are little-endian `[u64; 4]` limbs, as `U256::as_limbs` gives them.

pub mod add;
mod digits;
pub mod div;
pub mod exp;
pub mod modular;
pub mod mul;
pub mod shift;
pub mod signed;

#[cfg(test)]
mod testing;

/// A 256-bit word as little-endian 64-bit limbs.
pub type Limbs = [u64; 4];
