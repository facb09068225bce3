//! The maps against blst (HostCrypto's), in one go and in pieces with the state saved between.

use super::*;
use crate::crypto::{Crypto, HostCrypto};
use crate::precompiles::bls12_381 as eip2537;
use alloc::vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// p, big-endian.
const P: [u8; 48] = [
    0x1a, 0x01, 0x11, 0xea, 0x39, 0x7f, 0xe6, 0x9a, 0x4b, 0x1b, 0xa7, 0xb6, 0x43, 0x4b, 0xac, 0xd7,
    0x64, 0x77, 0x4b, 0x84, 0xf3, 0x85, 0x12, 0xbf, 0x67, 0x30, 0xd2, 0xa0, 0xf6, 0xb0, 0xf6, 0x24,
    0x1e, 0xab, 0xff, 0xfe, 0xb1, 0x53, 0xff, 0xff, 0xb9, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xab,
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A field element below p, big-endian (the top byte kept below p's).
    fn fp(&mut self) -> [u8; 48] {
        let mut out = [0u8; 48];
        for chunk in out.chunks_mut(8) {
            chunk.copy_from_slice(&self.next().to_be_bytes());
        }
        out[0] %= 0x1a;
        out
    }
}

fn padded(elements: &[[u8; 48]]) -> Vec<u8> {
    pad(elements)
}

/// `value - k` for a small k, big-endian.
fn minus(value: [u8; 48], k: u8) -> [u8; 48] {
    let mut out = value;
    let mut borrow = k as u16;
    for byte in out.iter_mut().rev() {
        let d = (*byte as i16) - borrow as i16;
        *byte = d.rem_euclid(256) as u8;
        borrow = (d < 0) as u16;
    }
    out
}

fn blst_g1(input: &[u8]) -> Result<Vec<u8>, PrecompileFailure> {
    eip2537::map_fp_to_g1(input, u64::MAX, &HostCrypto).map(|o| o.output)
}

fn blst_g2(input: &[u8]) -> Result<Vec<u8>, PrecompileFailure> {
    eip2537::map_fp2_to_g2(input, u64::MAX, &HostCrypto).map(|o| o.output)
}

/// Runs a job with small random budgets, saving and restoring its state between calls.
fn in_pieces<J: BorshSerialize + BorshDeserialize>(
    mut job: J,
    rng: &mut Rng,
    advance: impl Fn(&mut J, &mut u64) -> Option<Result<Vec<u8>, PrecompileFailure>>,
) -> (Result<Vec<u8>, PrecompileFailure>, usize) {
    let mut calls = 0;
    loop {
        calls += 1;
        let mut budget = 1 + rng.next() % 3_000;
        if let Some(result) = advance(&mut job, &mut budget) {
            return (result, calls);
        }
        assert_eq!(budget, 0, "a paused job spent its budget");
        let bytes = borsh::to_vec(&job).unwrap();
        job = J::try_from_slice(&bytes).unwrap();
    }
}

/// The G1 inputs every run checks: the edges of the field and SWU's exceptional case.
fn g1_edges() -> Vec<[u8; 48]> {
    let mut one = [0u8; 48];
    one[47] = 1;
    let mut edges = vec![[0u8; 48], one, minus(P, 1), minus(P, 2)];
    // Z u^2 = -1 (tv2 = 0): u = sqrt(-1 / 11) if that is a square, which it is here.
    let eleven = crate::crypto::bls12_381::Fp::from_hex("b");
    let minus_inv = -pow_fp(eleven, &constants::P_MINUS_2);
    let root = pow_fp(minus_inv, &crate::crypto::bls12_381::limbs_from_hex::<12>(
        "680447a8e5ff9a692c6e9ed90d2eb35d91dd2e13ce144afd9cc34a83dac3d8907aaffffac54ffffee7fbfffffffeaab",
    ));
    assert_eq!(root.square(), minus_inv, "-1/11 is a square in Fp");
    edges.push(root.to_bytes());
    edges.push((-root).to_bytes());
    edges
}

fn pow_fp(base: crate::crypto::bls12_381::Fp, exponent: &[u32]) -> crate::crypto::bls12_381::Fp {
    let mut pow = pow::Pow::new(base, exponent);
    while pow.result().is_none() {
        pow.step(exponent);
    }
    pow.result().unwrap()
}

#[test]
fn g1_matches_blst() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut inputs = g1_edges();
    inputs.extend((0..500).map(|_| rng.fp()));
    for (i, fp) in inputs.iter().enumerate() {
        let input = padded(&[*fp]);
        let expected = blst_g1(&input).unwrap();
        assert_eq!(
            at_once::<MapFpToG1Job>(&input, &HostCrypto),
            Ok(expected.clone()),
            "input {i}"
        );
        if i % 20 == 0 {
            let job = MapFpToG1Job::start(&input).unwrap();
            let (result, _) = in_pieces(job, &mut rng, |j, b| j.advance(b, &HostCrypto));
            assert_eq!(result, Ok(expected), "input {i} in pieces");
        }
    }
}

#[test]
fn g2_matches_blst() {
    let mut rng = Rng(0x0fed_cba9_8765_4321);
    let zero = [0u8; 48];
    let mut one = [0u8; 48];
    one[47] = 1;
    let top = minus(P, 1);
    let mut inputs = vec![
        [zero, zero],
        [one, zero],
        [zero, one],
        [top, top],
        [top, zero],
        [zero, top],
    ];
    inputs.extend((0..200).map(|_| [rng.fp(), rng.fp()]));
    for (i, fp2) in inputs.iter().enumerate() {
        let input = padded(fp2);
        let expected = blst_g2(&input).unwrap();
        assert_eq!(
            at_once::<MapFp2ToG2Job>(&input, &HostCrypto),
            Ok(expected.clone()),
            "input {i}"
        );
        if i % 8 == 0 {
            let job = MapFp2ToG2Job::start(&input).unwrap();
            let (result, _) = in_pieces(job, &mut rng, |j, b| j.advance(b, &HostCrypto));
            assert_eq!(result, Ok(expected), "input {i} in pieces");
        }
    }
}

#[test]
fn malformed_inputs_are_refused_as_blst_refuses_them() {
    let mut g1_bad: Vec<Vec<u8>> = vec![vec![], vec![0; 63], vec![0; 65], vec![0; 128]];
    for fp in [P, [0xff; 48], minus(P, 0), {
        let mut p1 = P;
        p1[47] += 1;
        p1
    }] {
        g1_bad.push(padded(&[fp]));
    }
    let mut wrong_top = padded(&[[0u8; 48]]);
    wrong_top[0] = 1;
    g1_bad.push(wrong_top.clone());
    wrong_top[0] = 0;
    wrong_top[15] = 0x80;
    g1_bad.push(wrong_top);
    for input in &g1_bad {
        assert_eq!(blst_g1(input), Err(PrecompileFailure::InvalidInput));
        assert_eq!(
            MapFpToG1Job::start(input).err(),
            Some(PrecompileFailure::InvalidInput),
            "{input:?}"
        );
    }

    let ok = [1u8; 48];
    let mut g2_bad: Vec<Vec<u8>> = vec![vec![], vec![0; 64], vec![0; 127], vec![0; 129]];
    g2_bad.push(padded(&[P, ok]));
    g2_bad.push(padded(&[ok, P]));
    g2_bad.push(padded(&[ok, [0xff; 48]]));
    let mut wrong_top = padded(&[ok, ok]);
    wrong_top[64] = 1;
    g2_bad.push(wrong_top.clone());
    wrong_top[64] = 0;
    wrong_top[3] = 1;
    g2_bad.push(wrong_top);
    for input in &g2_bad {
        assert_eq!(blst_g2(input), Err(PrecompileFailure::InvalidInput));
        assert_eq!(
            MapFp2ToG2Job::start(input).err(),
            Some(PrecompileFailure::InvalidInput),
            "{input:?}"
        );
    }
}

#[test]
fn a_budget_of_one_step_does_one_piece() {
    let input = padded(&[[7u8; 48]]);
    let mut job = MapFpToG1Job::start(&input).unwrap();
    let mut pieces = 0;
    let result = loop {
        pieces += 1;
        let mut budget = 1;
        if let Some(result) = job.advance(&mut budget, &HostCrypto) {
            break result;
        }
        assert_eq!(budget, 0);
    };
    assert_eq!(result, blst_g1(&input));
    // SWU, two ~380-bit exponents in 3-bit windows, four polynomials, 64 cofactor bits
    // (doublings and adds).
    assert!((300..400).contains(&pieces), "{pieces} pieces");
}

#[test]
fn the_execution_spec_vectors_pass() {
    let mut count = 0;
    for line in include_str!("conformance_vectors.txt").lines() {
        if line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(' ').collect();
        let [map, input, ok, hash] = fields[..] else {
            panic!("bad line {line}");
        };
        let input = crate::precompiles::test_util::hex(input);
        let result = match map {
            "g1" => at_once::<MapFpToG1Job>(&input, &HostCrypto),
            _ => at_once::<MapFp2ToG2Job>(&input, &HostCrypto),
        };
        match result {
            Ok(output) => {
                assert_eq!(ok, "1", "{line}");
                let digest = HostCrypto.keccak256(&output);
                assert_eq!(
                    digest.to_vec(),
                    crate::precompiles::test_util::hex(hash),
                    "{line}"
                );
            }
            Err(_) => assert_eq!(ok, "0", "{line}"),
        }
        count += 1;
    }
    assert_eq!(count, 10);
}

/// SWU's exceptional case for G2 would be Z u^2 = -1, but -1 / Z is not a square in Fp2: only
/// u = 0 (checked against blst above) takes it. sqrt_ratio's other branch answers sqrt(Z u / v).
#[test]
fn g2_has_no_exceptional_case_but_zero() {
    use crate::crypto::bls12_381::Fp2;
    let (num, den) = (-Fp2::ONE, constants::G2_Z);
    let den15 = (0..14).fold(den, |acc, _| acc * den);
    let mut pow = pow::Pow::new(num * den15, &constants::G2_SQRT_C3);
    while pow.result().is_none() {
        pow.step(&constants::G2_SQRT_C3);
    }
    let (is_square, root) = g2::sqrt_ratio_end(num, den, pow.result().unwrap());
    assert!(!is_square, "-1/Z is not a square in Fp2");
    assert_eq!(root.square(), -Fp2::ONE, "sqrt(Z (-1) / Z)");
}

/// The state saved between transactions stays small: its largest over a whole run.
#[test]
fn the_saved_state_is_small() {
    /// The most bytes a job's state took after any piece (`piece` runs one, says if done).
    fn largest(mut piece: impl FnMut() -> (bool, usize)) -> usize {
        let mut most = 0;
        loop {
            let (done, size) = piece();
            most = most.max(size);
            if done {
                return most;
            }
        }
    }
    let mut g1 = MapFpToG1Job::start(&padded(&[[5u8; 48]])).unwrap();
    let g1_most = largest(|| {
        let done = g1.advance(&mut 1, &HostCrypto).is_some();
        (done, borsh::to_vec(&g1).unwrap().len())
    });
    let mut g2 = MapFp2ToG2Job::start(&padded(&[[5u8; 48], [6u8; 48]])).unwrap();
    let g2_most = largest(|| {
        let done = g2.advance(&mut 1, &HostCrypto).is_some();
        (done, borsh::to_vec(&g2).unwrap().len())
    });
    assert!(g1_most <= 600, "G1 job state up to {g1_most} bytes");
    assert!(g2_most <= 1_300, "G2 job state up to {g2_most} bytes");
    std::println!("largest saved state: G1 {g1_most} bytes, G2 {g2_most} bytes");
}
