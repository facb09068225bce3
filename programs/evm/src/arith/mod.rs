//! 256-bit arithmetic for the EVM opcodes, written for SBF.
//!
//! SBF (SBPF v3) has a native 64 x 64 -> 64 multiply and a native 64 / 64 division, each one
//! instruction, but no high multiply and no count-leading-zeros: a `u64 x u64 -> u128` product
//! and a `u128 / u64` division compile to calls into compiler-builtins (`__multi3`, ~36 CU, and
//! `__udivti3`). So on SBF the division works on 32-bit digits, where every quotient-digit
//! estimate is one native division and every partial product one native multiply; hosts (x86-64,
//! with native 128-bit arithmetic) keep ruint's division, and both are tested against ruint.
//! Shifts, BYTE and SIGNEXTEND are straight-line code per limb offset; ADDMOD avoids the division
//! when its operands are already reduced. Where a measured alternative lost to ruint on SBF (MUL,
//! MULMOD), ruint stays; see `mul` and `modular`.
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
