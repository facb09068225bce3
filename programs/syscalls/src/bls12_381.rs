//! EIP-2537's G1ADD, G2ADD, G1MSM, G2MSM and PAIRING_CHECK (0x0b-0x0f) over Solana's BLS12-381
//! curve syscalls (SIMD-0388, feature `enable_bls12_381_syscall`).
//!
//! The syscalls take the Zcash big-endian encoding; EIP-2537 takes plain coordinates. What this
//! module converts and checks itself, and what it leaves to the syscalls:
//!
//! - **field elements** must be below p: checked here, since a value at or above p could set one
//!   of Zcash's flag bits (0x40 is "infinity") and be read as another point;
//! - **infinity** is all zeros in EIP-2537 and the infinity flag (0x40, rest zero) in Zcash's
//!   encoding, both ways;
//! - **Fp2** is c0 || c1 in EIP-2537 and c1 || c0 in Zcash's big-endian encoding;
//! - **curve membership**: every syscall checks it (ADD without the subgroup check, as G1ADD and
//!   G2ADD require; MUL and the pairing with it, as the MSMs and the pairing require);
//! - **scalars** may be any 256-bit value in EIP-2537, while MUL refuses one not below the group
//!   order r: they are reduced mod r here (`s·P = (s mod r)·P` for P in the subgroup, which MUL
//!   checks anyway);
//! - **(0, ±2)**, the two G1 points of order 3 (on the curve, outside the subgroup), are refused
//!   by blst's deserialization behind every syscall (`BLST_POINT_NOT_IN_GROUP` even where no
//!   subgroup check is asked), while G1ADD must add them: a G1ADD with one of them goes around
//!   them ([`crate::g1_order_three`]); in the MSMs and the pairing they are outside the subgroup,
//!   invalid either way;
//! - **sizes**: an MSM is one MUL and one ADD per pair; the pairing syscall takes at most
//!   [`MAX_PAIRS`] pairs. The program runs the MSMs and the pairing as jobs
//!   (`isthmus_evm::precompiles::bls12_381_jobs`) whose pieces call [`g1_msm`], [`g2_msm`] and
//!   [`pairing`] on chunks within these limits; beyond them (a one-shot call over more pairs than
//!   one Solana transaction's compute holds: [`MAX_G1_MSM_PAIRS`], [`MAX_G2_MSM_PAIRS`]) they
//!   answer [`CurveError::Unsupported`]. The emulator's `ProgramCrypto` keeps the same limits.

use crate::g1_order_three;
use alloc::vec::Vec;
use isthmus_evm::crypto::{CurveError, G1Point, G2Point, Gt, Scalar};

/// The most pairs one `sol_curve_pairing_map` takes (its `MAX_PAIRING_LENGTH`).
pub const MAX_PAIRS: usize = 8;
/// The most pairs of a G1MSM computed on-chain: one MUL (4,627 CU) and one ADD (128 CU) each,
/// plus the conversions, within ~1M CU of one step.
pub const MAX_G1_MSM_PAIRS: usize = 128;
/// The most pairs of a G2MSM computed on-chain: one MUL (8,255 CU) and one ADD (203 CU) each.
pub const MAX_G2_MSM_PAIRS: usize = 64;

/// The base field modulus p, big-endian.
pub(crate) const P: [u8; 48] = [
    0x1a, 0x01, 0x11, 0xea, 0x39, 0x7f, 0xe6, 0x9a, 0x4b, 0x1b, 0xa7, 0xb6, 0x43, 0x4b, 0xac, 0xd7,
    0x64, 0x77, 0x4b, 0x84, 0xf3, 0x85, 0x12, 0xbf, 0x67, 0x30, 0xd2, 0xa0, 0xf6, 0xb0, 0xf6, 0x24,
    0x1e, 0xab, 0xff, 0xfe, 0xb1, 0x53, 0xff, 0xff, 0xb9, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xab,
];
/// The group order r, big-endian.
const R: [u8; 32] = [
    0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
    0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
];
/// Zcash's flag of the point at infinity (first byte).
const INFINITY_FLAG: u8 = 0x40;

/// Whether the big-endian `value` is below p.
fn below_p(value: &[u8]) -> bool {
    value < &P[..]
}

/// `s mod r` for a 256-bit big-endian `s` (r > 2^254, so at most three subtractions).
pub fn reduce_scalar(s: &Scalar) -> Scalar {
    let mut s = *s;
    while s >= R {
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let d = s[i] as i16 - R[i] as i16 - borrow;
            borrow = (d < 0) as i16;
            s[i] = d.rem_euclid(256) as u8;
        }
    }
    s
}

/// An EIP-2537 point (`N` bytes of 48-byte coordinates, c0 || c1 within each Fp2 of G2) in
/// Zcash's uncompressed big-endian encoding; `Invalid` for a coordinate not below p.
fn to_zcash<const N: usize>(point: &[u8; N]) -> Result<[u8; N], CurveError> {
    if point.chunks_exact(48).any(|fp| !below_p(fp)) {
        return Err(CurveError::Invalid);
    }
    let mut out = *point;
    if out.iter().all(|&b| b == 0) {
        out[0] = INFINITY_FLAG;
    } else if N == 192 {
        swap_fp2_halves(&mut out);
    }
    Ok(out)
}

/// A syscall's Zcash-encoded result as EIP-2537 coordinates.
fn from_zcash<const N: usize>(point: &[u8; N]) -> [u8; N] {
    if point[0] & INFINITY_FLAG != 0 {
        return [0u8; N];
    }
    let mut out = *point;
    if N == 192 {
        swap_fp2_halves(&mut out);
    }
    out
}

/// c0 || c1 <-> c1 || c0 in each 96-byte Fp2 coordinate.
fn swap_fp2_halves(point: &mut [u8]) {
    for fp2 in point.chunks_exact_mut(96) {
        let (a, b) = fp2.split_at_mut(48);
        a.swap_with_slice(b);
    }
}

/// EIP-2537's G1ADD: the ADD syscall, or for a point of order 3 (which the syscalls refuse)
/// the sums of [`crate::g1_order_three`].
pub fn g1_add(a: &G1Point, b: &G1Point) -> Result<G1Point, CurveError> {
    if g1_order_three::is_order_three(a) || g1_order_three::is_order_three(b) {
        return g1_order_three::add(a, b, g1_add_syscall);
    }
    g1_add_syscall(a, b)
}

/// One G1 ADD syscall.
fn g1_add_syscall(a: &G1Point, b: &G1Point) -> Result<G1Point, CurveError> {
    let (a, b) = (to_zcash(a)?, to_zcash(b)?);
    let mut sum = [0u8; 96];
    sys::add(sys::G1, &a, &b, &mut sum)?;
    Ok(from_zcash(&sum))
}

pub fn g2_add(a: &G2Point, b: &G2Point) -> Result<G2Point, CurveError> {
    let (a, b) = (to_zcash(a)?, to_zcash(b)?);
    let mut sum = [0u8; 192];
    sys::add(sys::G2, &a, &b, &mut sum)?;
    Ok(from_zcash(&sum))
}

/// `sum(s_i · P_i)` on the curve `curve` (points of `N` bytes), each point checked for the
/// subgroup by its MUL, even when its scalar is zero.
fn msm<const N: usize>(curve: u64, pairs: &[([u8; N], Scalar)]) -> Result<[u8; N], CurveError> {
    let mut acc = [0u8; N];
    acc[0] = INFINITY_FLAG;
    let mut product = [0u8; N];
    let mut sum = [0u8; N];
    for (point, scalar) in pairs {
        let point = to_zcash(point)?;
        sys::mul(curve, &reduce_scalar(scalar), &point, &mut product)?;
        sys::add(curve, &acc, &product, &mut sum)?;
        acc = sum;
    }
    Ok(from_zcash(&acc))
}

pub fn g1_msm(pairs: &[(G1Point, Scalar)]) -> Result<G1Point, CurveError> {
    if pairs.len() > MAX_G1_MSM_PAIRS {
        return Err(CurveError::Unsupported);
    }
    msm(sys::G1, pairs)
}

pub fn g2_msm(pairs: &[(G2Point, Scalar)]) -> Result<G2Point, CurveError> {
    if pairs.len() > MAX_G2_MSM_PAIRS {
        return Err(CurveError::Unsupported);
    }
    msm(sys::G2, pairs)
}

/// The product of the pairings of at most [`MAX_PAIRS`] pairs in GT, as the syscall writes it
/// ([`isthmus_evm::crypto::Gt`]); more pairs answer [`CurveError::Unsupported`].
pub fn pairing(pairs: &[(G1Point, G2Point)]) -> Result<Gt, CurveError> {
    if pairs.len() > MAX_PAIRS {
        return Err(CurveError::Unsupported);
    }
    // On the heap: up to 8 × 288 bytes, in the step handler's 4 KiB frames.
    let mut g1s = Vec::with_capacity(pairs.len() * 96);
    let mut g2s = Vec::with_capacity(pairs.len() * 192);
    for (p, q) in pairs {
        g1s.extend_from_slice(&to_zcash(p)?);
        g2s.extend_from_slice(&to_zcash(q)?);
    }
    let mut gt = [0u8; 576];
    sys::pairing(pairs.len(), &g1s, &g2s, &mut gt)?;
    Ok(gt)
}

pub fn pairing_check(pairs: &[(G1Point, G2Point)]) -> Result<bool, CurveError> {
    let gt = pairing(pairs)?;
    // The identity of GT (Fq12 one), big-endian: all zero but the last byte.
    Ok(gt[575] == 1 && gt[..575].iter().all(|&b| b == 0))
}

/// The curve syscalls; any refusal (a point off the curve or, for MUL and the pairing, outside
/// the subgroup; a flag bit set) is [`CurveError::Invalid`].
#[cfg(target_arch = "bpf")]
mod sys {
    use crate::sys::{sol_curve_group_op, sol_curve_pairing_map};
    use isthmus_evm::crypto::CurveError;
    use solana_define_syscall::curve_constants::{
        BLS12_381_BE, BLS12_381_G1_BE, BLS12_381_G2_BE, GROUP_OP_ADD, GROUP_OP_MUL,
    };

    pub const G1: u64 = BLS12_381_G1_BE;
    pub const G2: u64 = BLS12_381_G2_BE;

    fn ok(rc: u64) -> Result<(), CurveError> {
        if rc == 0 {
            Ok(())
        } else {
            Err(CurveError::Invalid)
        }
    }

    pub fn add(curve: u64, a: &[u8], b: &[u8], out: &mut [u8]) -> Result<(), CurveError> {
        ok(unsafe {
            sol_curve_group_op(
                curve,
                GROUP_OP_ADD,
                a.as_ptr(),
                b.as_ptr(),
                out.as_mut_ptr(),
            )
        })
    }

    pub fn mul(
        curve: u64,
        scalar: &[u8; 32],
        point: &[u8],
        out: &mut [u8],
    ) -> Result<(), CurveError> {
        ok(unsafe {
            sol_curve_group_op(
                curve,
                GROUP_OP_MUL,
                scalar.as_ptr(),
                point.as_ptr(),
                out.as_mut_ptr(),
            )
        })
    }

    pub fn pairing(n: usize, g1s: &[u8], g2s: &[u8], gt: &mut [u8]) -> Result<(), CurveError> {
        ok(unsafe {
            sol_curve_pairing_map(
                BLS12_381_BE,
                n as u64,
                g1s.as_ptr(),
                g2s.as_ptr(),
                gt.as_mut_ptr(),
            )
        })
    }
}

/// Host builds have no syscalls (the program's IDL build and unit tests).
#[cfg(not(target_arch = "bpf"))]
mod sys {
    use isthmus_evm::crypto::CurveError;

    pub const G1: u64 = 0;
    pub const G2: u64 = 1;

    pub fn add(_: u64, _: &[u8], _: &[u8], _: &mut [u8]) -> Result<(), CurveError> {
        unimplemented!("the BLS12-381 curve operations are syscalls")
    }

    pub fn mul(_: u64, _: &[u8; 32], _: &[u8], _: &mut [u8]) -> Result<(), CurveError> {
        unimplemented!("the BLS12-381 curve operations are syscalls")
    }

    pub fn pairing(_: usize, _: &[u8], _: &[u8], _: &mut [u8]) -> Result<(), CurveError> {
        unimplemented!("the BLS12-381 curve operations are syscalls")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_reduce_mod_r() {
        let mut r_plus_5 = R;
        r_plus_5[31] += 5;
        let mut five = [0u8; 32];
        five[31] = 5;
        assert_eq!(reduce_scalar(&r_plus_5), five);
        assert_eq!(reduce_scalar(&five), five);
        assert_eq!(reduce_scalar(&R), [0u8; 32]);
        // 2^256 - 1 = 2r + (2^256 - 1 - 2r): below r after the loop.
        assert!(reduce_scalar(&[0xff; 32]) < R);
    }

    #[test]
    fn encodings_convert_both_ways() {
        assert_eq!(to_zcash(&[0u8; 96]).unwrap()[0], INFINITY_FLAG);
        assert_eq!(from_zcash(&to_zcash(&[0u8; 192]).unwrap()), [0u8; 192]);
        let mut g2 = [0u8; 192];
        g2[47] = 1; // x.c0 = 1
        let z = to_zcash(&g2).unwrap();
        assert_eq!(z[95], 1, "x.c0 goes second in Zcash's Fp2");
        assert_eq!(from_zcash(&z), g2);
        let mut too_big = [0u8; 96];
        too_big[48..].copy_from_slice(&P);
        assert_eq!(to_zcash(&too_big), Err(CurveError::Invalid));
        // p with the infinity flag's bit: at or above p, never read as infinity.
        let mut flagged = [0u8; 96];
        flagged[0] = INFINITY_FLAG;
        assert_eq!(to_zcash(&flagged), Err(CurveError::Invalid));
    }
}
