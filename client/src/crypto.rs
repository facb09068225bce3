//! The cryptography the program has, for running transactions off-chain as it runs them.

use isthmus_evm::crypto::{Bn254Error, CurveError, G1Point, G2Point, Gt, Scalar};
use isthmus_evm::precompiles::stepped::SteppedPrecompile;
use isthmus_evm::{Crypto, HostCrypto, B256};
use isthmus_syscalls::bls12_381::{MAX_G1_MSM_PAIRS, MAX_G2_MSM_PAIRS, MAX_PAIRS};
use isthmus_syscalls::SyscallCrypto;

/// [`HostCrypto`] limited to what the program computes on-chain (`isthmus-syscalls`), so that the
/// emulator, eth_call and traces answer what the chain answers. EIP-2537's G1ADD and G2ADD run
/// on-chain over the BLS12-381 syscalls (G1ADD of a point of order 3 around them); the MSMs, the
/// pairing check, EIP-7951 P256VERIFY and EIP-2537's maps run as jobs over the machine's steps,
/// as on-chain ([`Crypto::runs_stepped`]), the MSMs' and the pairing's pieces within the
/// syscalls' limits (pairs per pairing and per MSM, [`isthmus_syscalls::bls12_381`]), beyond
/// which a one-shot call answers `Unsupported`, as on-chain.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProgramCrypto;

impl Crypto for ProgramCrypto {
    fn keccak256(&self, data: &[u8]) -> B256 {
        HostCrypto.keccak256(data)
    }

    fn secp256k1_recover(
        &self,
        message: &B256,
        signature: &[u8; 64],
        recovery_id: u8,
    ) -> Option<[u8; 64]> {
        recover(message, signature, recovery_id)
    }

    fn sha256(&self, data: &[u8]) -> B256 {
        HostCrypto.sha256(data)
    }

    fn ripemd160(&self, data: &[u8]) -> [u8; 20] {
        HostCrypto.ripemd160(data)
    }

    fn modexp(&self, base: &[u8], exponent: &[u8], modulus: &[u8]) -> Vec<u8> {
        HostCrypto.modexp(base, exponent, modulus)
    }

    fn bn254_add(&self, p1: &[u8; 64], p2: &[u8; 64]) -> Result<[u8; 64], Bn254Error> {
        HostCrypto.bn254_add(p1, p2)
    }

    fn bn254_mul(&self, point: &[u8; 64], scalar: &[u8; 32]) -> Result<[u8; 64], Bn254Error> {
        HostCrypto.bn254_mul(point, scalar)
    }

    fn bn254_pairing(&self, input: &[u8]) -> Result<bool, Bn254Error> {
        HostCrypto.bn254_pairing(input)
    }

    fn kzg_verify_proof(
        &self,
        commitment: &[u8; 48],
        z: &[u8; 32],
        y: &[u8; 32],
        proof: &[u8; 48],
    ) -> bool {
        HostCrypto.kzg_verify_proof(commitment, z, y, proof)
    }

    fn bls12_g1_add(&self, a: &G1Point, b: &G1Point) -> Result<G1Point, CurveError> {
        HostCrypto.bls12_g1_add(a, b)
    }

    fn bls12_g1_msm(&self, pairs: &[(G1Point, Scalar)]) -> Result<G1Point, CurveError> {
        if pairs.len() > MAX_G1_MSM_PAIRS {
            return Err(CurveError::Unsupported);
        }
        HostCrypto.bls12_g1_msm(pairs)
    }

    fn bls12_g2_add(&self, a: &G2Point, b: &G2Point) -> Result<G2Point, CurveError> {
        HostCrypto.bls12_g2_add(a, b)
    }

    fn bls12_g2_msm(&self, pairs: &[(G2Point, Scalar)]) -> Result<G2Point, CurveError> {
        if pairs.len() > MAX_G2_MSM_PAIRS {
            return Err(CurveError::Unsupported);
        }
        HostCrypto.bls12_g2_msm(pairs)
    }

    fn bls12_pairing_check(&self, pairs: &[(G1Point, G2Point)]) -> Result<bool, CurveError> {
        if pairs.len() > MAX_PAIRS {
            return Err(CurveError::Unsupported);
        }
        HostCrypto.bls12_pairing_check(pairs)
    }

    fn bls12_pairing(&self, pairs: &[(G1Point, G2Point)]) -> Result<Gt, CurveError> {
        if pairs.len() > MAX_PAIRS {
            return Err(CurveError::Unsupported);
        }
        HostCrypto.bls12_pairing(pairs)
    }

    /// As the program: P256VERIFY, the BLS12-381 maps, MSMs and pairing check as jobs, with the
    /// steps they spend.
    fn runs_stepped(&self, precompile: SteppedPrecompile) -> bool {
        SyscallCrypto.runs_stepped(precompile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_curves_the_program_lacks_are_unsupported() {
        let crypto = ProgramCrypto;
        // P256VERIFY runs as a job in steps, as on-chain; never through the one-shot method.
        assert!(crypto.runs_stepped(SteppedPrecompile::P256Verify));
        assert_eq!(
            crypto.p256_verify(&[0; 32], &[0; 64], &[0; 64]),
            Err(CurveError::Unsupported)
        );
        assert_eq!(
            crypto.bls12_map_fp_to_g1(&[0; 48]),
            Err(CurveError::Unsupported)
        );
        // G1ADD runs on-chain, with a point of order 3 too; a one-shot pairing over more pairs
        // than one syscall takes does not (the program runs the pairing as a job of chunks).
        assert_eq!(crypto.bls12_g1_add(&[0; 96], &[0; 96]), Ok([0; 96]));
        let mut order_three = [0u8; 96];
        order_three[95] = 2;
        assert_eq!(crypto.bls12_g1_add(&order_three, &[0; 96]), Ok(order_three));
        assert!(crypto.runs_stepped(SteppedPrecompile::PairingCheck));
        assert!(crypto.runs_stepped(SteppedPrecompile::G1Msm));
        assert_eq!(
            crypto.bls12_pairing_check(&vec![([0; 96], [0; 192]); MAX_PAIRS]),
            Ok(true)
        );
        assert_eq!(
            crypto.bls12_pairing_check(&vec![([0; 96], [0; 192]); MAX_PAIRS + 1]),
            Err(CurveError::Unsupported)
        );
        assert_eq!(crypto.keccak256(b""), HostCrypto.keccak256(b""));
    }
}

/// [`HostCrypto`]'s secp256k1 recovery (the same keys for the same inputs: a high s is accepted,
/// r and s must be below the group order, neither zero) over libsecp256k1, as fast as it gets
/// off-chain: it is most of what accepting a transaction costs.
fn recover(message: &B256, signature: &[u8; 64], recovery_id: u8) -> Option<[u8; 64]> {
    use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
    let id = RecoveryId::try_from(i32::from(recovery_id)).ok()?;
    if recovery_id > 1 {
        return None;
    }
    let parsed = RecoverableSignature::from_compact(signature, id).ok()?;
    let digest = secp256k1::Message::from_digest(*message);
    let key = secp256k1::SECP256K1.recover_ecdsa(&digest, &parsed).ok()?;
    let key: [u8; 64] = key.serialize_uncompressed()[1..].try_into().ok()?;
    // The program recovers it again in the in-process SVM: a lookup there (recovery_memo).
    crate::recovery_memo::remember(message, signature, recovery_id, &key);
    Some(key)
}

#[cfg(test)]
mod recover_tests {
    use super::*;
    use isthmus_evm::U256;

    /// secp256k1's group order.
    const N: U256 = U256::from_be_bytes([
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48, 0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36,
        0x41, 0x41,
    ]);

    fn signed(key: u8, message: &B256) -> ([u8; 64], u8) {
        let key = secp256k1::SecretKey::from_slice(&[key; 32]).unwrap();
        let msg = secp256k1::Message::from_digest(*message);
        let (id, rs) = secp256k1::SECP256K1
            .sign_ecdsa_recoverable(&msg, &key)
            .serialize_compact();
        (rs, i32::from(id) as u8)
    }

    #[test]
    fn recovers_what_host_crypto_recovers() {
        for key in 1..20u8 {
            let message = HostCrypto.keccak256(&[key]);
            let (rs, id) = signed(key, &message);
            let want = HostCrypto.secp256k1_recover(&message, &rs, id);
            assert!(want.is_some());
            assert_eq!(recover(&message, &rs, id), want);
            // The same signature with a high s and the other parity: the same key.
            let s = U256::from_be_slice(&rs[32..]);
            let mut high = rs;
            high[32..].copy_from_slice(&(N - s).to_be_bytes::<32>());
            assert_eq!(recover(&message, &high, id ^ 1), want);
            assert_eq!(HostCrypto.secp256k1_recover(&message, &high, id ^ 1), want);
            // The wrong parity: another key (or none), as HostCrypto says.
            assert_eq!(
                recover(&message, &rs, id ^ 1),
                HostCrypto.secp256k1_recover(&message, &rs, id ^ 1)
            );
        }
    }

    #[test]
    fn refuses_what_host_crypto_refuses() {
        let message = HostCrypto.keccak256(b"isthmus");
        let (rs, id) = signed(7, &message);
        let mut bad = Vec::new();
        for id in [2, 3, 4] {
            bad.push((rs, id));
        }
        let mut zero_r = rs;
        zero_r[..32].fill(0);
        bad.push((zero_r, id));
        let mut zero_s = rs;
        zero_s[32..].fill(0);
        bad.push((zero_s, id));
        let mut r_n = rs;
        r_n[..32].copy_from_slice(&N.to_be_bytes::<32>());
        bad.push((r_n, id));
        let mut s_n = rs;
        s_n[32..].copy_from_slice(&N.to_be_bytes::<32>());
        bad.push((s_n, id));
        for (rs, id) in bad {
            assert_eq!(HostCrypto.secp256k1_recover(&message, &rs, id), None);
            assert_eq!(recover(&message, &rs, id), None);
        }
    }
}
