//! The MSM and pairing jobs against blst (HostCrypto's one-shot precompiles), in pieces of random
//! budgets with the job saved and restored (borsh) between them.

use crate::crypto::bls12_381::Fp12;
use crate::crypto::{Crypto, G1Point, G2Point, HostCrypto};
use crate::precompiles::bls12_381 as eip2537;
use crate::precompiles::stepped::{Job, SteppedPrecompile};
use crate::precompiles::test_util::{hex, Rng};
use crate::precompiles::PrecompileFailure;
use alloc::vec::Vec;
use borsh::BorshDeserialize;

fn g1_generator() -> G1Point {
    hex(concat!(
        "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
        "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1",
    ))
    .try_into()
    .unwrap()
}

fn g2_generator() -> G2Point {
    hex(concat!(
        "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
        "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
        "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
        "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be",
    ))
    .try_into()
    .unwrap()
}

/// The group order r, big-endian.
const R: [u8; 32] = [
    0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
    0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
];

/// `r - k` for a small k: the scalar that negates.
fn minus(k: u8) -> [u8; 32] {
    let mut out = R;
    let mut borrow = k as i16;
    for byte in out.iter_mut().rev() {
        let d = *byte as i16 - borrow;
        *byte = d.rem_euclid(256) as u8;
        borrow = (d < 0) as i16;
    }
    out
}

fn small(k: u8) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[31] = k;
    out
}

fn g1_times(scalar: [u8; 32]) -> G1Point {
    HostCrypto
        .bls12_g1_msm(&[(g1_generator(), scalar)])
        .unwrap()
}

fn g2_times(scalar: [u8; 32]) -> G2Point {
    HostCrypto
        .bls12_g2_msm(&[(g2_generator(), scalar)])
        .unwrap()
}

fn pad(bytes: &[u8]) -> Vec<u8> {
    eip2537::pad(bytes)
}

/// Runs `precompile`'s job on `input` over HostCrypto with random budgets, the job saved and
/// restored between calls: its answer and how many calls it took.
fn in_pieces(
    precompile: SteppedPrecompile,
    input: &[u8],
    rng: &mut Rng,
    max_budget: u64,
) -> (Result<Vec<u8>, PrecompileFailure>, usize) {
    let mut job = match precompile.start(input) {
        Ok(job) => job,
        Err(failure) => return (Err(failure), 0),
    };
    let mut calls = 0;
    loop {
        calls += 1;
        let mut budget = 1 + u64::from_be_bytes(rng.bytes()[..8].try_into().unwrap()) % max_budget;
        if let Some(result) = job.advance(&mut budget, &HostCrypto) {
            return (result, calls);
        }
        assert_eq!(budget, 0, "a paused job spent its budget");
        job = Job::try_from_slice(&borsh::to_vec(&job).unwrap()).unwrap();
    }
}

/// The one-shot precompile's answer over HostCrypto.
fn one_shot(precompile: SteppedPrecompile, input: &[u8]) -> Result<Vec<u8>, PrecompileFailure> {
    let run = match precompile {
        SteppedPrecompile::G1Msm => eip2537::g1_msm,
        SteppedPrecompile::G2Msm => eip2537::g2_msm,
        SteppedPrecompile::PairingCheck => eip2537::pairing,
        _ => unreachable!(),
    };
    run(input, u64::MAX, &HostCrypto).map(|out| out.output)
}

/// Random scalars, with the edges: zero, one, r - 1, r, and 2^256 - 1.
fn scalar(rng: &mut Rng, i: usize) -> [u8; 32] {
    match i % 9 {
        0 => [0; 32],
        1 => small(1),
        2 => minus(1),
        3 => R,
        4 => [0xff; 32],
        _ => rng.bytes(),
    }
}

#[test]
fn g1_msm_in_pieces_is_blst_s() {
    let mut rng = Rng(0x5eed_0001);
    for n in [1, 2, 9, 64, 65, 129] {
        let mut input = Vec::new();
        for i in 0..n {
            // Infinity now and then: it adds nothing.
            let point = if i % 11 == 5 {
                [0; 96]
            } else {
                g1_times(rng.bytes())
            };
            input.extend(pad(&point));
            input.extend(scalar(&mut rng, i));
        }
        let expected = one_shot(SteppedPrecompile::G1Msm, &input);
        assert!(expected.is_ok());
        for max_budget in [1, 300, 20_000] {
            let (result, calls) = in_pieces(SteppedPrecompile::G1Msm, &input, &mut rng, max_budget);
            assert_eq!(result, expected, "{n} pairs, budgets up to {max_budget}");
            if max_budget == 1 {
                assert_eq!(calls, n, "a budget of one step does one pair");
            }
        }
    }
}

#[test]
fn g2_msm_in_pieces_is_blst_s() {
    let mut rng = Rng(0x5eed_0002);
    for n in [1, 3, 33, 65] {
        let mut input = Vec::new();
        for i in 0..n {
            let point = if i % 7 == 3 {
                [0; 192]
            } else {
                g2_times(rng.bytes())
            };
            input.extend(pad(&point));
            input.extend(scalar(&mut rng, i));
        }
        let expected = one_shot(SteppedPrecompile::G2Msm, &input);
        assert!(expected.is_ok());
        for max_budget in [1, 500, 20_000] {
            let (result, _) = in_pieces(SteppedPrecompile::G2Msm, &input, &mut rng, max_budget);
            assert_eq!(result, expected, "{n} pairs, budgets up to {max_budget}");
        }
    }
}

#[test]
fn msm_jobs_refuse_what_the_precompile_refuses() {
    let mut rng = Rng(0x5eed_0003);
    let mut valid = Vec::new();
    for _ in 0..20 {
        valid.extend(pad(&g1_times(rng.bytes())));
        valid.extend(rng.bytes());
    }
    // Off the curve in the last pair; outside the subgroup (a point of order 3); bad padding;
    // a length that is no multiple of a pair; nothing.
    let mut off_curve = valid.clone();
    off_curve[19 * 160 + 127] ^= 1;
    let mut order_three = valid.clone();
    order_three[19 * 160..19 * 160 + 128].fill(0);
    order_three[19 * 160 + 127] = 2;
    let mut padding = valid.clone();
    padding[10 * 160] = 1;
    for input in [
        off_curve,
        order_three,
        padding,
        valid[..159].to_vec(),
        Vec::new(),
    ] {
        assert_eq!(
            one_shot(SteppedPrecompile::G1Msm, &input),
            Err(PrecompileFailure::InvalidInput)
        );
        let (result, _) = in_pieces(SteppedPrecompile::G1Msm, &input, &mut rng, 300);
        assert_eq!(result, Err(PrecompileFailure::InvalidInput));
    }
}

/// `n` pairs whose pairings multiply to one when `balanced`: (a_i G1, b_i G2) and, half the
/// input away (so that they fall in other chunks), (-a_i G1, b_i G2); an odd count adds a pair
/// with a point at infinity. Unbalanced: one pair's G1 point doubled.
fn pairing_input(n: usize, balanced: bool, rng: &mut Rng) -> Vec<u8> {
    let half = n / 2;
    let mut pairs: Vec<(G1Point, G2Point)> = Vec::new();
    let mut second = Vec::new();
    for i in 0..half {
        let a = (rng.bytes()[0] | 1).min(250);
        let q = g2_times(rng.bytes());
        pairs.push((g1_times(small(a)), q));
        second.push((g1_times(minus(a)), q));
        if i == 0 && !balanced {
            second[0].0 = g1_times(minus(2 * (a / 2).max(1)));
        }
    }
    pairs.extend(second);
    if n % 2 == 1 {
        pairs.push(([0; 96], g2_times(rng.bytes())));
    }
    pairs
        .iter()
        .flat_map(|(p, q)| [pad(p), pad(q)].concat())
        .collect()
}

#[test]
fn pairing_check_in_pieces_is_blst_s() {
    let mut rng = Rng(0x5eed_0004);
    for n in [1, 2, 8, 9, 16, 17, 24] {
        for balanced in [true, false] {
            let input = pairing_input(n, balanced, &mut rng);
            let expected = one_shot(SteppedPrecompile::PairingCheck, &input).unwrap();
            // n = 1 is a lone infinity pair: one.
            assert_eq!(
                expected[31] == 1,
                balanced || n == 1,
                "{n} pairs, {balanced}"
            );
            for max_budget in [1, 3_000, 100_000] {
                let (result, calls) = in_pieces(
                    SteppedPrecompile::PairingCheck,
                    &input,
                    &mut rng,
                    max_budget,
                );
                assert_eq!(result, Ok(expected.clone()), "{n} pairs, {balanced}");
                if max_budget == 1 {
                    assert_eq!(calls, n.div_ceil(8), "a budget of one step does one chunk");
                }
            }
        }
    }
    // A point outside its subgroup in the last chunk fails the whole check.
    let mut input = pairing_input(16, true, &mut rng);
    input[15 * 384..15 * 384 + 128].fill(0);
    input[15 * 384 + 127] = 2;
    assert_eq!(
        one_shot(SteppedPrecompile::PairingCheck, &input),
        Err(PrecompileFailure::InvalidInput)
    );
    let (result, _) = in_pieces(SteppedPrecompile::PairingCheck, &input, &mut rng, 3_000);
    assert_eq!(result, Err(PrecompileFailure::InvalidInput));
}

#[test]
fn gt_products_multiply_in_fp12_as_in_blst() {
    let mut rng = Rng(0x5eed_0005);
    let pairs: Vec<(G1Point, G2Point)> = (0..4)
        .map(|_| (g1_times(rng.bytes()), g2_times(rng.bytes())))
        .collect();
    let whole = HostCrypto.bls12_pairing(&pairs).unwrap();
    let left = Fp12::from_bytes(&HostCrypto.bls12_pairing(&pairs[..1]).unwrap()).unwrap();
    let right = Fp12::from_bytes(&HostCrypto.bls12_pairing(&pairs[1..]).unwrap()).unwrap();
    assert_eq!(left.mul(&right).to_bytes(), whole);
    let empty = HostCrypto.bls12_pairing(&[]).unwrap();
    assert_eq!(Fp12::from_bytes(&empty), Some(Fp12::ONE));
}

#[test]
fn the_gas_is_the_one_shot_precompiles() {
    let input = vec![0u8; 3 * eip2537::G1_MSM_PAIR];
    assert_eq!(SteppedPrecompile::G1Msm.gas(&input), eip2537::g1_msm_gas(3));
    assert_eq!(SteppedPrecompile::G1Msm.gas(&input[1..]), 0);
    assert_eq!(SteppedPrecompile::G1Msm.gas(&[]), 0);
    let input = vec![0u8; 2 * eip2537::PAIRING_PAIR];
    assert_eq!(
        SteppedPrecompile::PairingCheck.gas(&input),
        37_700 + 2 * 32_600
    );
    assert_eq!(SteppedPrecompile::G2Msm.gas(&vec![0u8; 288]), 22_500);
}
