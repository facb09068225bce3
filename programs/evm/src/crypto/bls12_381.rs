//! BLS12-381's base field Fp, its quadratic extension Fp2 and GT's Fp12, in Rust for SBF, where
//! no syscall offers them (EIP-2537's maps, `precompiles::bls12_381_map`; the products of
//! pairing chunks, `precompiles::bls12_381_jobs`).
//!
//! Montgomery arithmetic on twelve 32-bit limbs: SBPF has a 64-bit multiply but no high
//! multiply, so a 32x32->64 product is one instruction where a 64x64->128 one is a `__multi3`
//! call. Not constant-time (every input here is public).

mod fp;
mod fp12;
mod fp2;

pub use fp::{limbs_from_hex, Fp};
pub use fp12::{Fp12, GT_BYTES};
pub use fp2::Fp2;

/// What the curve arithmetic needs of Fp and Fp2.
pub trait Field:
    Copy
    + PartialEq
    + core::fmt::Debug
    + core::ops::Add<Output = Self>
    + core::ops::Sub<Output = Self>
    + core::ops::Mul<Output = Self>
    + core::ops::Neg<Output = Self>
{
    const ZERO: Self;
    const ONE: Self;
    /// SBF compute units of one multiplication, with its share of the additions around it
    /// (measured with tools/cu-probe --bls-maps): what the resumable maps price their pieces by.
    const MUL_CU: u64;
    fn square(&self) -> Self;
    /// RFC 9380's sgn0 (the "sign" SWU gives y).
    fn sgn0(&self) -> bool;
    fn is_zero(&self) -> bool {
        *self == Self::ZERO
    }
    fn double(&self) -> Self {
        *self + *self
    }
}
