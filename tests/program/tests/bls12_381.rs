//! EIP-2537's BLS12-381 precompiles on-chain (the Solana BLS12-381 curve syscalls): G1ADD,
//! G2ADD, G1MSM, G2MSM and PAIRING_CHECK with valid and invalid inputs, each answer equal to
//! the off-chain one (`HostCrypto`, blst), and the emulator's prediction equal to the chain's
//! (`Harness::run` checks receipt, logs and accounts against it). MAP_FP_TO_G1 and
//! MAP_FP2_TO_G2 have no syscall: they run as jobs in Rust over several `step` transactions
//! (`isthmus_evm::precompiles::bls12_381_map`). The MSMs and the pairing check run as jobs of
//! syscalls (`isthmus_evm::precompiles::bls12_381_jobs`), so a pairing over more than the
//! syscall's 8 pairs and an MSM over more than one transaction's compute are answered too; G1ADD
//! of a point of order 3, which the syscalls refuse to read, goes around it
//! (`isthmus_syscalls::g1_order_three`). Each call's compute is printed, over the same call to an
//! address without code: the precompile's own compute on-chain, and the `step` transactions.

use isthmus_evm::precompiles::{self, PrecompileFailure};
use isthmus_evm::{HostCrypto, U256};
use isthmus_program_tests::precompiles::{address, World, GAS};
use isthmus_program_tests::*;

const G1_X: &str = "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";
const G1_Y: &str = "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1";
const G2_X0: &str = "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8";
const G2_X1: &str = "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e";
const G2_Y0: &str = "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801";
const G2_Y1: &str = "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be";
/// The group order r and the base field modulus p.
const R: &str = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
const P: &str = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
const P_MINUS_1: &str = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaaa";

/// A pairing too dear for one Solana transaction.
const LONG_PAIRING: &str = "40 pairs (over one transaction), = 1";

/// A 48-byte field element as EIP-2537 pads it (16 zero bytes in front).
fn fp(hex48: &str) -> Vec<u8> {
    let mut out = vec![0u8; 16];
    out.extend(unhex(hex48));
    assert_eq!(out.len(), 64);
    out
}

fn g1() -> Vec<u8> {
    [fp(G1_X), fp(G1_Y)].concat()
}

fn g2() -> Vec<u8> {
    [fp(G2_X0), fp(G2_X1), fp(G2_Y0), fp(G2_Y1)].concat()
}

fn scalar(v: u64) -> Vec<u8> {
    U256::from(v).to_be_bytes::<32>().to_vec()
}

/// `r + v`: a scalar above the group order (EIP-2537 takes any 256-bit scalar).
fn over_r(v: u64) -> Vec<u8> {
    (U256::from_be_slice(&unhex(R)) + U256::from(v))
        .to_be_bytes::<32>()
        .to_vec()
}

/// `(4, y)`: on the curve y² = x³ + 4, not in the prime-order subgroup.
fn g1_outside_subgroup() -> Vec<u8> {
    let mut x = vec![0u8; 64];
    x[63] = 4;
    [x, fp("0a989badd40d6212b33cffc3f3763e9bc760f988c9926b26da9dd85e928483446346b8ed00e1de5d5ea93e354abe706c")].concat()
}

/// `(0, 2)`: a point of order 3, which the syscalls refuse to read.
fn g1_order_three() -> Vec<u8> {
    let mut y = vec![0u8; 64];
    y[63] = 2;
    [vec![0u8; 64], y].concat()
}

/// What the precompile answers off-chain with every curve (`HostCrypto`).
fn host(n: u16, input: &[u8]) -> Result<Vec<u8>, PrecompileFailure> {
    precompiles::run(&address(n), input, GAS, &HostCrypto, Fork::Osaka).map(|out| out.output)
}

/// One case: precompile, what the input is, the input.
struct Case {
    n: u16,
    what: &'static str,
    input: Vec<u8>,
}

fn case(n: u16, what: &'static str, input: Vec<u8>) -> Case {
    Case { n, what, input }
}

#[test]
fn bls12_381_precompiles_agree_with_off_chain() {
    // -G1 = (r-1)·G1, off-chain.
    let r_minus_1 = (U256::from_be_slice(&unhex(R)) - U256::from(1u64)).to_be_bytes::<32>();
    let neg_g1 = host(0x0c, &[g1(), r_minus_1.to_vec()].concat()).expect("-G1");
    let mut p_as_x = g1();
    p_as_x[16..64].copy_from_slice(&unhex(P));
    let mut bad_padding = g1();
    bad_padding[0] = 1;
    let mut off_curve = g1();
    off_curve[127] ^= 1;
    let mut g2_off_curve = g2();
    g2_off_curve[255] ^= 1;
    let infinity_g1 = vec![0u8; 128];
    let infinity_g2 = vec![0u8; 256];
    let pair = |p: &[u8], q: &[u8]| [p, q].concat();
    let mut minus_order_three = g1_order_three();
    minus_order_three[64 + 16..].copy_from_slice(&unhex(P));
    minus_order_three[127] -= 2;

    let cases = vec![
        case(0x0b, "G + G", [g1(), g1()].concat()),
        case(0x0b, "G + infinity", [g1(), infinity_g1.clone()].concat()),
        case(0x0b, "G + (-G)", [g1(), neg_g1.clone()].concat()),
        case(
            0x0b,
            "outside the subgroup (allowed)",
            [g1_outside_subgroup(), g1()].concat(),
        ),
        case(
            0x0b,
            "a point of order 3 + G",
            [g1_order_three(), g1()].concat(),
        ),
        case(
            0x0b,
            "(0, 2) + (0, 2)",
            [g1_order_three(), g1_order_three()].concat(),
        ),
        case(
            0x0b,
            "(0, 2) + (0, -2)",
            [g1_order_three(), minus_order_three.clone()].concat(),
        ),
        case(
            0x0b,
            "(0, -2) + infinity",
            [minus_order_three, infinity_g1.clone()].concat(),
        ),
        case(
            0x0c,
            "a point of order 3",
            [g1_order_three(), scalar(1)].concat(),
        ),
        case(0x0b, "off the curve", [off_curve.clone(), g1()].concat()),
        case(0x0b, "x = p", [p_as_x.clone(), g1()].concat()),
        case(0x0b, "padding not zero", [bad_padding, g1()].concat()),
        case(0x0c, "2·G", [g1(), scalar(2)].concat()),
        case(
            0x0c,
            "(r+3)·G + 0·infinity",
            [g1(), over_r(3), infinity_g1.clone(), scalar(0)].concat(),
        ),
        case(0x0c, "max scalar", [g1(), vec![0xff; 32]].concat()),
        case(
            0x0c,
            "outside the subgroup",
            [g1_outside_subgroup(), scalar(1)].concat(),
        ),
        case(
            0x0c,
            "outside the subgroup, scalar 0",
            [g1_outside_subgroup(), scalar(0)].concat(),
        ),
        case(0x0d, "G2 + G2", [g2(), g2()].concat()),
        case(0x0d, "G2 + infinity", [g2(), infinity_g2.clone()].concat()),
        case(0x0d, "off the curve", [g2_off_curve.clone(), g2()].concat()),
        case(
            0x0e,
            "(r+7)·G2 + 5·G2",
            [g2(), over_r(7), g2(), scalar(5)].concat(),
        ),
        case(0x0e, "off the curve", [g2_off_curve, scalar(1)].concat()),
        case(
            0x0f,
            "e(G1, G2)·e(-G1, G2) = 1",
            [pair(&g1(), &g2()), pair(&neg_g1, &g2())].concat(),
        ),
        case(0x0f, "e(G1, G2) ≠ 1", pair(&g1(), &g2())),
        case(0x0f, "infinity only", pair(&infinity_g1, &infinity_g2)),
        case(
            0x0f,
            "outside the subgroup",
            pair(&g1_outside_subgroup(), &g2()),
        ),
        case(0x0f, "8 pairs", pair(&g1(), &g2()).repeat(8)),
        case(
            0x0f,
            "9 pairs (over one syscall), = 1",
            [
                [pair(&g1(), &g2()), pair(&neg_g1, &g2())]
                    .concat()
                    .repeat(4),
                pair(&infinity_g1, &g2()),
            ]
            .concat(),
        ),
        case(0x0f, "9 pairs, ≠ 1", pair(&g1(), &g2()).repeat(9)),
        case(
            0x0f,
            "16 pairs, = 1",
            [pair(&g1(), &g2()).repeat(8), pair(&neg_g1, &g2()).repeat(8)].concat(),
        ),
        case(0x0f, "16 pairs, ≠ 1", pair(&g1(), &g2()).repeat(16)),
        // Five syscall chunks and four Fp12 products: over one Solana transaction's compute, so
        // the job pauses between `step`s on-chain (asserted below).
        case(
            0x0f,
            LONG_PAIRING,
            [pair(&g1(), &g2()), pair(&neg_g1, &g2())]
                .concat()
                .repeat(20),
        ),
        // The MSMs one syscall loop took at most, and one pair more (jobs over steps now).
        case(
            0x0c,
            "128 pairs",
            [g1(), vec![0xee; 32]].concat().repeat(128),
        ),
        case(
            0x0c,
            "129 pairs",
            [g1(), vec![0xee; 32]].concat().repeat(129),
        ),
        case(0x0e, "64 pairs", [g2(), vec![0xee; 32]].concat().repeat(64)),
        case(0x0e, "65 pairs", [g2(), vec![0xee; 32]].concat().repeat(65)),
        case(0x10, "MAP_FP_TO_G1", fp(G1_X)),
        case(0x10, "MAP_FP_TO_G1 of 0", vec![0u8; 64]),
        case(0x10, "MAP_FP_TO_G1 of p - 1", fp(P_MINUS_1)),
        case(0x10, "MAP_FP_TO_G1 of p (not a field element)", fp(P)),
        case(
            0x10,
            "MAP_FP_TO_G1, bad padding",
            [vec![1u8], fp(G1_X)[1..].to_vec()].concat(),
        ),
        case(0x10, "MAP_FP_TO_G1, 65 bytes", [fp(G1_X), vec![0]].concat()),
        case(0x11, "MAP_FP2_TO_G2", [fp(G2_X0), fp(G2_X1)].concat()),
        case(
            0x11,
            "MAP_FP2_TO_G2 of (p - 1, 0)",
            [fp(P_MINUS_1), vec![0u8; 64]].concat(),
        ),
        case(0x11, "MAP_FP2_TO_G2, c1 = p", [fp(G2_X0), fp(P)].concat()),
    ];

    let mut w = World::new();
    for c in cases {
        let (ok, output, cu, steps) = w.call(c.n, &c.input);
        // The same input to an address without code (0x12, past the BLS12-381 precompiles);
        // the least of three runs each, against the noise of PDA bump searches.
        let baseline = (0..3).map(|_| w.call(0x12, &c.input).2).min().unwrap();
        let cu = (0..2).map(|_| w.call(c.n, &c.input).2).fold(cu, u64::min);
        let expected = host(c.n, &c.input);
        // A failed call spends all its gas, which changes the rest of the run: the difference
        // is meaningful for calls that succeed.
        println!(
            "0x{:02x} {}: {} CU over the same call to an empty address; ok {ok}; {steps} steps",
            c.n,
            c.what,
            cu as i64 - baseline as i64,
        );
        if c.what == LONG_PAIRING {
            assert!(steps > 1, "the 40-pair pairing ran in {steps} steps");
        }
        match expected {
            Ok(expected) => {
                assert!(ok, "0x{:02x} {} failed on-chain", c.n, c.what);
                assert_eq!(hex(&output), hex(&expected), "0x{:02x} {}", c.n, c.what);
            }
            Err(_) => assert!(
                !ok && output.is_empty(),
                "0x{:02x} {}: accepted on-chain",
                c.n,
                c.what
            ),
        }
    }
}
