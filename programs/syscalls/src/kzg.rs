//! KZG proof verification (EIP-4844's `verify_kzg_proof`) over Solana's BLS12-381 syscalls
//! (`sol_curve_decompress`, `sol_curve_group_op`, `sol_curve_pairing_map`; big-endian, Zcash
//! encoding as Ethereum uses):
//!
//! `e(y·G1 - C, G2) · e(π, τ·G2 - z·G2) == 1`
//!
//! The commitment and proof are decompressed with full checks (field, curve, subgroup), as c-kzg
//! does; a `z` or `y` not below the scalar field modulus is refused by the multiplication. Any
//! refusal is a failed verification. G1, G2 and τ·G2 are the mainnet trusted setup's
//! `g1_monomial[0]`, `g2_monomial[0]` and `g2_monomial[1]`.

use crate::unhex::unhex;

const G1_GENERATOR: [u8; 48] = unhex(
    b"97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
);
const G2_GENERATOR: [u8; 96] = unhex(concat!(
    "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
    "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"
).as_bytes());
const TAU_G2: [u8; 96] = unhex(concat!(
    "b5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f3499f72",
    "185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2"
).as_bytes());

// Curve ids (big-endian encodings) and group operations of the curve syscalls.
#[cfg(target_arch = "bpf")]
mod id {
    pub use solana_define_syscall::curve_constants::{
        BLS12_381_BE, BLS12_381_G1_BE as G1_BE, BLS12_381_G2_BE as G2_BE, GROUP_OP_MUL as MUL,
        GROUP_OP_SUB as SUB,
    };
}

/// `Some(())` when the proof verifies.
#[cfg(target_arch = "bpf")]
pub fn verify_proof(
    commitment: &[u8; 48],
    z: &[u8; 32],
    y: &[u8; 32],
    proof: &[u8; 48],
) -> Option<()> {
    use super::sys::*;
    let ok = |rc: u64| (rc == 0).then_some(());
    unsafe {
        let mut c = [0u8; 96];
        ok(sol_curve_decompress(
            id::G1_BE,
            commitment.as_ptr(),
            c.as_mut_ptr(),
        ))?;
        let mut pi = [0u8; 96];
        ok(sol_curve_decompress(
            id::G1_BE,
            proof.as_ptr(),
            pi.as_mut_ptr(),
        ))?;
        let mut g1 = [0u8; 96];
        ok(sol_curve_decompress(
            id::G1_BE,
            G1_GENERATOR.as_ptr(),
            g1.as_mut_ptr(),
        ))?;
        let mut g2 = [0u8; 192];
        ok(sol_curve_decompress(
            id::G2_BE,
            G2_GENERATOR.as_ptr(),
            g2.as_mut_ptr(),
        ))?;
        let mut tau = [0u8; 192];
        ok(sol_curve_decompress(
            id::G2_BE,
            TAU_G2.as_ptr(),
            tau.as_mut_ptr(),
        ))?;
        // y·G1 - C
        let mut y_g1 = [0u8; 96];
        ok(sol_curve_group_op(
            id::G1_BE,
            id::MUL,
            y.as_ptr(),
            g1.as_ptr(),
            y_g1.as_mut_ptr(),
        ))?;
        let mut p1 = [0u8; 96];
        ok(sol_curve_group_op(
            id::G1_BE,
            id::SUB,
            y_g1.as_ptr(),
            c.as_ptr(),
            p1.as_mut_ptr(),
        ))?;
        // τ·G2 - z·G2
        let mut z_g2 = [0u8; 192];
        ok(sol_curve_group_op(
            id::G2_BE,
            id::MUL,
            z.as_ptr(),
            g2.as_ptr(),
            z_g2.as_mut_ptr(),
        ))?;
        let mut q2 = [0u8; 192];
        ok(sol_curve_group_op(
            id::G2_BE,
            id::SUB,
            tau.as_ptr(),
            z_g2.as_ptr(),
            q2.as_mut_ptr(),
        ))?;
        let mut g1s = [0u8; 192];
        g1s[..96].copy_from_slice(&p1);
        g1s[96..].copy_from_slice(&pi);
        let mut g2s = [0u8; 384];
        g2s[..192].copy_from_slice(&g2);
        g2s[192..].copy_from_slice(&q2);
        let mut gt = [0u8; 576];
        ok(sol_curve_pairing_map(
            id::BLS12_381_BE,
            2,
            g1s.as_ptr(),
            g2s.as_ptr(),
            gt.as_mut_ptr(),
        ))?;
        // The identity of GT (Fq12 one), big-endian: all zero but the last byte.
        let one = gt[575] == 1 && gt[..575].iter().all(|&b| b == 0);
        one.then_some(())
    }
}

#[cfg(not(target_arch = "bpf"))]
pub fn verify_proof(
    commitment: &[u8; 48],
    z: &[u8; 32],
    y: &[u8; 32],
    proof: &[u8; 48],
) -> Option<()> {
    let _ = (commitment, z, y, proof, G1_GENERATOR, G2_GENERATOR, TAU_G2);
    unimplemented!("the BLS12-381 curve operations are syscalls")
}
