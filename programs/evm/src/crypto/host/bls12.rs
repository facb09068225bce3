//! EIP-2537 over `blst`, following revm-precompile's `blst` backend so that both refuse the same
//! inputs: field elements must be below the modulus, points on their curve, and in the prime-order
//! subgroup for the multiplications and the pairing (not for the additions).

use super::super::{CurveError, G1Point, G2Point, Gt, Scalar};
use alloc::vec::Vec;
use blst::{
    blst_bendian_from_fp, blst_final_exp, blst_fp, blst_fp12, blst_fp12_is_one, blst_fp12_one,
    blst_fp2, blst_fp_from_bendian, blst_map_to_g1, blst_map_to_g2, blst_miller_loop_n, blst_p1,
    blst_p1_add_or_double_affine, blst_p1_affine, blst_p1_affine_in_g1, blst_p1_affine_on_curve,
    blst_p1_from_affine, blst_p1_mult, blst_p1_to_affine, blst_p2, blst_p2_add_or_double_affine,
    blst_p2_affine, blst_p2_affine_in_g2, blst_p2_affine_on_curve, blst_p2_from_affine,
    blst_p2_mult, blst_p2_to_affine, blst_scalar, blst_scalar_from_bendian, MultiPoint,
};

/// The base field modulus p, big-endian.
const MODULUS: [u8; 48] = [
    0x1a, 0x01, 0x11, 0xea, 0x39, 0x7f, 0xe6, 0x9a, 0x4b, 0x1b, 0xa7, 0xb6, 0x43, 0x4b, 0xac, 0xd7,
    0x64, 0x77, 0x4b, 0x84, 0xf3, 0x85, 0x12, 0xbf, 0x67, 0x30, 0xd2, 0xa0, 0xf6, 0xb0, 0xf6, 0x24,
    0x1e, 0xab, 0xff, 0xfe, 0xb1, 0x53, 0xff, 0xff, 0xb9, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xab,
];

/// Bits of a scalar.
const SCALAR_BITS: usize = 256;

fn fp(bytes: &[u8]) -> Result<blst_fp, CurveError> {
    let bytes: &[u8; 48] = bytes.try_into().map_err(|_| CurveError::Invalid)?;
    // Big-endian byte order is numeric order: a canonical element is below the modulus.
    if *bytes >= MODULUS {
        return Err(CurveError::Invalid);
    }
    let mut out = blst_fp::default();
    // SAFETY: `out` and the 48 bytes are valid for the call.
    unsafe { blst_fp_from_bendian(&mut out, bytes.as_ptr()) };
    Ok(out)
}

fn fp2(bytes: &[u8]) -> Result<blst_fp2, CurveError> {
    Ok(blst_fp2 {
        fp: [fp(&bytes[..48])?, fp(&bytes[48..96])?],
    })
}

fn write_fp(out: &mut [u8], value: &blst_fp) {
    debug_assert_eq!(out.len(), 48);
    // SAFETY: `out` holds 48 bytes.
    unsafe { blst_bendian_from_fp(out.as_mut_ptr(), value) };
}

/// A G1 point on the curve (infinity included), in the subgroup if `subgroup`.
fn g1(bytes: &G1Point, subgroup: bool) -> Result<blst_p1_affine, CurveError> {
    let point = blst_p1_affine {
        x: fp(&bytes[..48])?,
        y: fp(&bytes[48..])?,
    };
    // SAFETY: `point` is a valid affine point structure.
    let on_curve = unsafe { blst_p1_affine_on_curve(&point) };
    if !on_curve || (subgroup && !unsafe { blst_p1_affine_in_g1(&point) }) {
        return Err(CurveError::Invalid);
    }
    Ok(point)
}

/// A G2 point on the twist (infinity included), in the subgroup if `subgroup`.
fn g2(bytes: &G2Point, subgroup: bool) -> Result<blst_p2_affine, CurveError> {
    let point = blst_p2_affine {
        x: fp2(&bytes[..96])?,
        y: fp2(&bytes[96..])?,
    };
    // SAFETY: `point` is a valid affine point structure.
    let on_curve = unsafe { blst_p2_affine_on_curve(&point) };
    if !on_curve || (subgroup && !unsafe { blst_p2_affine_in_g2(&point) }) {
        return Err(CurveError::Invalid);
    }
    Ok(point)
}

fn encode_g1(point: &blst_p1) -> G1Point {
    let mut affine = blst_p1_affine::default();
    // SAFETY: both structures are valid.
    unsafe { blst_p1_to_affine(&mut affine, point) };
    let mut out = [0u8; 96];
    write_fp(&mut out[..48], &affine.x);
    write_fp(&mut out[48..], &affine.y);
    out
}

fn encode_g2(point: &blst_p2) -> G2Point {
    let mut affine = blst_p2_affine::default();
    // SAFETY: both structures are valid.
    unsafe { blst_p2_to_affine(&mut affine, point) };
    let mut out = [0u8; 192];
    write_fp(&mut out[..48], &affine.x.fp[0]);
    write_fp(&mut out[48..96], &affine.x.fp[1]);
    write_fp(&mut out[96..144], &affine.y.fp[0]);
    write_fp(&mut out[144..], &affine.y.fp[1]);
    out
}

fn scalar(bytes: &Scalar) -> blst_scalar {
    let mut out = blst_scalar::default();
    // SAFETY: `bytes` holds the 32 bytes the call reads.
    unsafe { blst_scalar_from_bendian(&mut out, bytes.as_ptr()) };
    out
}

pub(super) fn g1_add(a: &G1Point, b: &G1Point) -> Result<G1Point, CurveError> {
    let (a, b) = (g1(a, false)?, g1(b, false)?);
    let mut a_projective = blst_p1::default();
    let mut sum = blst_p1::default();
    // SAFETY: all structures are valid; add_or_double handles a = b and infinity.
    unsafe {
        blst_p1_from_affine(&mut a_projective, &a);
        blst_p1_add_or_double_affine(&mut sum, &a_projective, &b);
    }
    Ok(encode_g1(&sum))
}

pub(super) fn g2_add(a: &G2Point, b: &G2Point) -> Result<G2Point, CurveError> {
    let (a, b) = (g2(a, false)?, g2(b, false)?);
    let mut a_projective = blst_p2::default();
    let mut sum = blst_p2::default();
    // SAFETY: as in `g1_add`.
    unsafe {
        blst_p2_from_affine(&mut a_projective, &a);
        blst_p2_add_or_double_affine(&mut sum, &a_projective, &b);
    }
    Ok(encode_g2(&sum))
}

/// Every point is checked, even one with a zero scalar; zero scalars are then left out.
pub(super) fn g1_msm(pairs: &[(G1Point, Scalar)]) -> Result<G1Point, CurveError> {
    let mut points = Vec::with_capacity(pairs.len());
    let mut scalars = Vec::with_capacity(pairs.len() * 32);
    for (point, k) in pairs {
        let point = g1(point, true)?;
        if k.iter().all(|&b| b == 0) {
            continue;
        }
        points.push(point);
        scalars.extend_from_slice(&scalar(k).b);
    }
    let result = match points.len() {
        0 => return Ok([0u8; 96]),
        1 => {
            let mut base = blst_p1::default();
            let mut product = blst_p1::default();
            // SAFETY: `scalars` holds the 32 little-endian bytes of one scalar.
            unsafe {
                blst_p1_from_affine(&mut base, &points[0]);
                blst_p1_mult(&mut product, &base, scalars.as_ptr(), SCALAR_BITS);
            }
            product
        }
        _ => points.mult(&scalars, SCALAR_BITS),
    };
    Ok(encode_g1(&result))
}

/// As [`g1_msm`], over G2.
pub(super) fn g2_msm(pairs: &[(G2Point, Scalar)]) -> Result<G2Point, CurveError> {
    let mut points = Vec::with_capacity(pairs.len());
    let mut scalars = Vec::with_capacity(pairs.len() * 32);
    for (point, k) in pairs {
        let point = g2(point, true)?;
        if k.iter().all(|&b| b == 0) {
            continue;
        }
        points.push(point);
        scalars.extend_from_slice(&scalar(k).b);
    }
    let result = match points.len() {
        0 => return Ok([0u8; 192]),
        1 => {
            let mut base = blst_p2::default();
            let mut product = blst_p2::default();
            // SAFETY: as in `g1_msm`.
            unsafe {
                blst_p2_from_affine(&mut base, &points[0]);
                blst_p2_mult(&mut product, &base, scalars.as_ptr(), SCALAR_BITS);
            }
            product
        }
        _ => points.mult(&scalars, SCALAR_BITS),
    };
    Ok(encode_g2(&result))
}

/// The product of the pairings in GT (Miller loops, then the final exponentiation). Pairs with a
/// point at infinity contribute one but their other point is still checked.
fn pairing_product(pairs: &[(G1Point, G2Point)]) -> Result<blst_fp12, CurveError> {
    let mut g1s = Vec::with_capacity(pairs.len());
    let mut g2s = Vec::with_capacity(pairs.len());
    for (p, q) in pairs {
        let (p, q) = (g1(p, true)?, g2(q, true)?);
        let p_infinity = p == blst_p1_affine::default();
        let q_infinity = q == blst_p2_affine::default();
        if !p_infinity && !q_infinity {
            g1s.push(p);
            g2s.push(q);
        }
    }
    // SAFETY: `blst_fp12_one` points at a constant.
    let mut product = unsafe { *blst_fp12_one() };
    if g1s.is_empty() {
        return Ok(product);
    }
    let qs = [g2s.as_ptr(), core::ptr::null()];
    let ps = [g1s.as_ptr(), core::ptr::null()];
    let mut miller = blst_fp12::default();
    // SAFETY: `qs`/`ps` point at `g1s.len()` valid affine points each.
    unsafe {
        blst_miller_loop_n(&mut miller, qs.as_ptr(), ps.as_ptr(), g1s.len());
        blst_final_exp(&mut product, &miller);
    }
    Ok(product)
}

pub(super) fn pairing_check(pairs: &[(G1Point, G2Point)]) -> Result<bool, CurveError> {
    let product = pairing_product(pairs)?;
    // SAFETY: a valid fp12.
    Ok(unsafe { blst_fp12_is_one(&product) })
}

/// The product as Solana's pairing syscall writes it ([`Gt`]): coefficients highest degree
/// first, each big-endian (blst's fp12 is fp6[2] of fp2[3] of fp[2], lowest degree first).
pub(super) fn pairing(pairs: &[(G1Point, G2Point)]) -> Result<Gt, CurveError> {
    let product = pairing_product(pairs)?;
    let mut out = [0u8; 576];
    let coefficients = product
        .fp6
        .iter()
        .flat_map(|fp6| fp6.fp2.iter())
        .flat_map(|fp2| fp2.fp.iter());
    for (k, coefficient) in coefficients.enumerate() {
        write_fp(&mut out[(11 - k) * 48..(12 - k) * 48], coefficient);
    }
    Ok(out)
}

pub(super) fn map_fp_to_g1(bytes: &[u8; 48]) -> Result<G1Point, CurveError> {
    let element = fp(bytes)?;
    let mut point = blst_p1::default();
    // SAFETY: a null `u` second argument maps one element (no hashing).
    unsafe { blst_map_to_g1(&mut point, &element, core::ptr::null()) };
    Ok(encode_g1(&point))
}

pub(super) fn map_fp2_to_g2(bytes: &[u8; 96]) -> Result<G2Point, CurveError> {
    let element = fp2(bytes)?;
    let mut point = blst_p2::default();
    // SAFETY: as in `map_fp_to_g1`.
    unsafe { blst_map_to_g2(&mut point, &element, core::ptr::null()) };
    Ok(encode_g2(&point))
}
