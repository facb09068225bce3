//! 0x0b..=0x11, the EIP-2537 BLS12-381 precompiles (Prague on).
//!
//! Inputs use 64-byte field elements: 16 zero bytes, then the 48-byte big-endian value; a point is
//! x || y (G2: x.c0 || x.c1 || y.c0 || y.c1). This module checks lengths and padding and prices the
//! call; [`Crypto`] does the curve work and the field, curve and subgroup checks. Any failure
//! consumes all the gas given.

use super::{charge, PrecompileFailure, PrecompileOutput, PrecompileResult};
use crate::crypto::{Crypto, CurveError, G1Point, G2Point, Scalar};
use alloc::vec::Vec;

pub const G1_ADD_GAS: u64 = 375;
pub const G2_ADD_GAS: u64 = 600;
pub const G1_MUL_GAS: u64 = 12_000;
pub const G2_MUL_GAS: u64 = 22_500;
pub const MAP_FP_TO_G1_GAS: u64 = 5_500;
pub const MAP_FP2_TO_G2_GAS: u64 = 23_800;
pub const PAIRING_BASE_GAS: u64 = 37_700;
pub const PAIRING_PER_PAIR_GAS: u64 = 32_600;

/// A field element as the precompiles take it.
const PADDED_FP: usize = 64;
const PADDED_G1: usize = 2 * PADDED_FP;
const PADDED_G2: usize = 4 * PADDED_FP;
const SCALAR: usize = 32;
/// The denominator of the MSM discount tables.
const MSM_MULTIPLIER: u64 = 1000;

/// EIP-2537's G1MSM discounts per number of pairs (1-based; 128 and more use the last).
const G1_DISCOUNT: [u16; 128] = [
    1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698, 692, 687, 682, 677, 673, 669, 665,
    661, 658, 654, 651, 648, 645, 642, 640, 637, 635, 632, 630, 627, 625, 623, 621, 619, 617, 615,
    613, 611, 609, 608, 606, 604, 603, 601, 599, 598, 596, 595, 593, 592, 591, 589, 588, 586, 585,
    584, 582, 581, 580, 579, 577, 576, 575, 574, 573, 572, 570, 569, 568, 567, 566, 565, 564, 563,
    562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 551, 550, 549, 548, 547, 547, 546, 545,
    544, 543, 542, 541, 540, 540, 539, 538, 537, 536, 536, 535, 534, 533, 532, 532, 531, 530, 529,
    528, 528, 527, 526, 525, 525, 524, 523, 522, 522, 521, 520, 520, 519,
];

/// EIP-2537's G2MSM discounts.
const G2_DISCOUNT: [u16; 128] = [
    1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749, 740, 732, 724, 717, 711, 704,
    699, 693, 688, 683, 679, 674, 670, 666, 663, 659, 655, 652, 649, 646, 643, 640, 637, 634, 632,
    629, 627, 624, 622, 620, 618, 615, 613, 611, 609, 607, 606, 604, 602, 600, 598, 597, 595, 593,
    592, 590, 589, 587, 586, 584, 583, 582, 580, 579, 578, 576, 575, 574, 573, 571, 570, 569, 568,
    567, 566, 565, 563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 552, 551, 550, 549,
    548, 547, 546, 545, 545, 544, 543, 542, 541, 541, 540, 539, 538, 537, 537, 536, 535, 535, 534,
    533, 532, 532, 531, 530, 530, 529, 528, 528, 527, 526, 526, 525, 524, 524,
];

/// `k * discount(k) * multiplication_cost / 1000`: the MSM price for `k` pairs.
fn msm_gas(k: usize, discounts: &[u16; 128], multiplication_cost: u64) -> u64 {
    if k == 0 {
        return 0;
    }
    let discount = discounts[(k - 1).min(discounts.len() - 1)] as u64;
    (k as u64)
        .saturating_mul(discount)
        .saturating_mul(multiplication_cost)
        / MSM_MULTIPLIER
}

/// The 48-byte value of a padded field element; the 16 padding bytes must be zero.
fn unpad_fp(padded: &[u8]) -> Result<[u8; 48], PrecompileFailure> {
    let (padding, value) = padded.split_at(PADDED_FP - 48);
    if padding.iter().any(|&b| b != 0) {
        return Err(PrecompileFailure::InvalidInput);
    }
    Ok(value.try_into().expect("48 bytes"))
}

/// `N` padded field elements, unpadded and joined (`N * 48` bytes out of `N * 64`).
fn unpad<const OUT: usize>(padded: &[u8]) -> Result<[u8; OUT], PrecompileFailure> {
    let mut out = [0u8; OUT];
    for (chunk, element) in out.chunks_exact_mut(48).zip(padded.chunks_exact(PADDED_FP)) {
        chunk.copy_from_slice(&unpad_fp(element)?);
    }
    Ok(out)
}

/// Each 48-byte element of `value` behind 16 zero bytes.
pub(crate) fn pad(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() / 48 * PADDED_FP);
    for element in value.chunks_exact(48) {
        out.extend_from_slice(&[0u8; PADDED_FP - 48]);
        out.extend_from_slice(element);
    }
    out
}

pub(crate) fn curve(error: CurveError) -> PrecompileFailure {
    match error {
        CurveError::Invalid => PrecompileFailure::InvalidInput,
        CurveError::Unsupported => PrecompileFailure::Unsupported,
    }
}

fn done(gas_used: u64, output: Vec<u8>) -> PrecompileResult {
    Ok(PrecompileOutput { gas_used, output })
}

/// 0x0b G1ADD.
pub fn g1_add(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas = charge(G1_ADD_GAS, gas_limit)?;
    if input.len() != 2 * PADDED_G1 {
        return Err(PrecompileFailure::InvalidInput);
    }
    let a: G1Point = unpad(&input[..PADDED_G1])?;
    let b: G1Point = unpad(&input[PADDED_G1..])?;
    done(gas, pad(&crypto.bls12_g1_add(&a, &b).map_err(curve)?))
}

/// 0x0d G2ADD.
pub fn g2_add(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas = charge(G2_ADD_GAS, gas_limit)?;
    if input.len() != 2 * PADDED_G2 {
        return Err(PrecompileFailure::InvalidInput);
    }
    let a: G2Point = unpad(&input[..PADDED_G2])?;
    let b: G2Point = unpad(&input[PADDED_G2..])?;
    done(gas, pad(&crypto.bls12_g2_add(&a, &b).map_err(curve)?))
}

/// An MSM's (point, scalar) pairs, the points unpadded.
pub(crate) type MsmPairs<const POINT: usize> = Vec<([u8; POINT], Scalar)>;

/// Bytes of one G1MSM pair (a padded point, then a scalar).
pub const G1_MSM_PAIR: usize = PADDED_G1 + SCALAR;
/// Bytes of one G2MSM pair.
pub const G2_MSM_PAIR: usize = PADDED_G2 + SCALAR;
/// Bytes of one PAIRING_CHECK pair (a padded G1 point, then a padded G2 point).
pub const PAIRING_PAIR: usize = PADDED_G1 + PADDED_G2;

/// How many `pair_len`-byte pairs `input` holds: at least one, and nothing left over.
pub fn pairs_in(input: &[u8], pair_len: usize) -> Option<usize> {
    (!input.is_empty() && input.len().is_multiple_of(pair_len)).then_some(input.len() / pair_len)
}

/// G1MSM's price for `k` pairs.
pub fn g1_msm_gas(k: usize) -> u64 {
    msm_gas(k, &G1_DISCOUNT, G1_MUL_GAS)
}

/// G2MSM's price for `k` pairs.
pub fn g2_msm_gas(k: usize) -> u64 {
    msm_gas(k, &G2_DISCOUNT, G2_MUL_GAS)
}

/// PAIRING_CHECK's price for `k` pairs.
pub fn pairing_gas(k: usize) -> u64 {
    PAIRING_PER_PAIR_GAS
        .saturating_mul(k as u64)
        .saturating_add(PAIRING_BASE_GAS)
}

/// The pairs of an MSM input of `point_len`-byte points (its length already checked).
pub(crate) fn read_msm_pairs<const POINT: usize>(
    input: &[u8],
    point_len: usize,
) -> Result<MsmPairs<POINT>, PrecompileFailure> {
    let pair_len = point_len + SCALAR;
    let mut pairs = Vec::with_capacity(input.len() / pair_len);
    for pair in input.chunks_exact(pair_len) {
        let point = unpad::<POINT>(&pair[..point_len])?;
        let scalar: Scalar = pair[point_len..].try_into().expect("32 bytes");
        pairs.push((point, scalar));
    }
    Ok(pairs)
}

/// The pairs of a PAIRING_CHECK input (its length already checked).
pub(crate) fn read_pairing_pairs(
    input: &[u8],
) -> Result<Vec<(G1Point, G2Point)>, PrecompileFailure> {
    let mut pairs = Vec::with_capacity(input.len() / PAIRING_PAIR);
    for pair in input.chunks_exact(PAIRING_PAIR) {
        pairs.push((unpad(&pair[..PADDED_G1])?, unpad(&pair[PADDED_G1..])?));
    }
    Ok(pairs)
}

/// 0x0c G1MSM.
pub fn g1_msm(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let k = pairs_in(input, G1_MSM_PAIR).ok_or(PrecompileFailure::InvalidInput)?;
    let gas = charge(g1_msm_gas(k), gas_limit)?;
    let pairs = read_msm_pairs::<96>(input, PADDED_G1)?;
    done(gas, pad(&crypto.bls12_g1_msm(&pairs).map_err(curve)?))
}

/// 0x0e G2MSM.
pub fn g2_msm(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let k = pairs_in(input, G2_MSM_PAIR).ok_or(PrecompileFailure::InvalidInput)?;
    let gas = charge(g2_msm_gas(k), gas_limit)?;
    let pairs = read_msm_pairs::<192>(input, PADDED_G2)?;
    done(gas, pad(&crypto.bls12_g2_msm(&pairs).map_err(curve)?))
}

/// PAIRING_CHECK's output: 32 bytes, 1 if the pairings multiply to one.
pub(crate) fn pairing_output(one: bool) -> Vec<u8> {
    let mut output = alloc::vec![0u8; 32];
    output[31] = one as u8;
    output
}

/// 0x0f PAIRING_CHECK.
pub fn pairing(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let k = pairs_in(input, PAIRING_PAIR).ok_or(PrecompileFailure::InvalidInput)?;
    let gas = charge(pairing_gas(k), gas_limit)?;
    let pairs = read_pairing_pairs(input)?;
    let one = crypto.bls12_pairing_check(&pairs).map_err(curve)?;
    done(gas, pairing_output(one))
}

/// 0x10 MAP_FP_TO_G1.
pub fn map_fp_to_g1(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas = charge(MAP_FP_TO_G1_GAS, gas_limit)?;
    if input.len() != PADDED_FP {
        return Err(PrecompileFailure::InvalidInput);
    }
    let fp: [u8; 48] = unpad(input)?;
    done(gas, pad(&crypto.bls12_map_fp_to_g1(&fp).map_err(curve)?))
}

/// 0x11 MAP_FP2_TO_G2.
pub fn map_fp2_to_g2(input: &[u8], gas_limit: u64, crypto: &dyn Crypto) -> PrecompileResult {
    let gas = charge(MAP_FP2_TO_G2_GAS, gas_limit)?;
    if input.len() != 2 * PADDED_FP {
        return Err(PrecompileFailure::InvalidInput);
    }
    let fp2: [u8; 96] = unpad(input)?;
    done(gas, pad(&crypto.bls12_map_fp2_to_g2(&fp2).map_err(curve)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msm_discounts_follow_eip2537() {
        assert_eq!(msm_gas(1, &G1_DISCOUNT, G1_MUL_GAS), 12_000);
        assert_eq!(msm_gas(2, &G1_DISCOUNT, G1_MUL_GAS), 2 * 949 * 12);
        assert_eq!(msm_gas(200, &G1_DISCOUNT, G1_MUL_GAS), 200 * 519 * 12);
        assert_eq!(msm_gas(2, &G2_DISCOUNT, G2_MUL_GAS), 45_000);
    }

    #[test]
    fn padding_must_be_zero() {
        let mut element = [0u8; 64];
        element[63] = 7;
        assert_eq!(unpad_fp(&element).unwrap()[47], 7);
        element[15] = 1;
        assert_eq!(unpad_fp(&element), Err(PrecompileFailure::InvalidInput));
        assert_eq!(pad(&[1u8; 96]).len(), 128);
    }

    #[cfg(feature = "host-crypto")]
    #[test]
    fn generator_plus_infinity_is_the_generator() {
        use crate::crypto::HostCrypto;
        use crate::precompiles::test_util::hex;
        let generator = hex(concat!(
            "0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
            "0000000000000000000000000000000008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1",
        ));
        let input = [generator.clone(), alloc::vec![0u8; 128]].concat();
        let out = g1_add(&input, 375, &HostCrypto).unwrap();
        assert_eq!(out.output, generator);
        assert_eq!(
            g1_add(&input, 374, &HostCrypto),
            Err(PrecompileFailure::OutOfGas)
        );
        // 1 * G through the MSM, and the pairing of nothing but infinity.
        let mut one = alloc::vec![0u8; 32];
        one[31] = 1;
        let msm = g1_msm(&[generator.clone(), one].concat(), 12_000, &HostCrypto).unwrap();
        assert_eq!(msm.output, generator);
        let pairing_out = pairing(&[0u8; 384], 70_300, &HostCrypto).unwrap();
        assert_eq!(pairing_out.output[31], 1);
        // G2: the generator doubled through G2ADD equals 2 * G through G2MSM; pairing e(G1, G2)
        // with e(-G1, G2) is one.
        let g2 = hex(concat!(
            "00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
            "0000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
            "000000000000000000000000000000000ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
            "000000000000000000000000000000000606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be",
        ));
        let doubled = g2_add(&[g2.clone(), g2.clone()].concat(), 600, &HostCrypto).unwrap();
        let mut two = alloc::vec![0u8; 32];
        two[31] = 2;
        let times_two = g2_msm(&[g2.clone(), two].concat(), 22_500, &HostCrypto).unwrap();
        assert_eq!(doubled.output, times_two.output);
        let p_minus_y = hex(
            "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab",
        );
        let mut negated = generator.clone();
        let y = &generator[80..128];
        // -y = p - y, big-endian subtraction.
        let mut borrow = 0i16;
        for i in (0..48).rev() {
            let d = p_minus_y[i] as i16 - y[i] as i16 - borrow;
            negated[80 + i] = d.rem_euclid(256) as u8;
            borrow = (d < 0) as i16;
        }
        let input = [generator.clone(), g2.clone(), negated, g2].concat();
        let out = pairing(&input, 37_700 + 2 * 32_600, &HostCrypto).unwrap();
        assert_eq!(out.output[31], 1);
        // A point off the curve.
        let mut bad = generator;
        bad[127] ^= 1;
        assert_eq!(
            g1_add(&[bad.clone(), bad].concat(), 375, &HostCrypto),
            Err(PrecompileFailure::InvalidInput)
        );
    }
}
