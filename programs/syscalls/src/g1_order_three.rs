//! G1ADD with (0, 2) or (0, p - 2): the two G1 points of order 3, on the curve but outside the
//! subgroup, which blst's deserialization behind every BLS12-381 syscall refuses
//! (`BLST_POINT_NOT_IN_GROUP`, for any point with x = 0) while EIP-2537's G1ADD, which checks no
//! subgroup, must add them. With `T` one of them and `G` the generator, `P + T` is
//! `(P + G) + (T - G)`: two ADDs of points the syscall takes (`T - G` is a constant), and closed
//! forms where `P + G` is itself of order 3 or infinity. Between two of them: `T + T = -T`
//! (the tangent at x = 0 is flat), `T + (-T) = 0`.
//!
//! (G2 has no such case: a point (0, y) of the twist would need y^2 = 4(1 + i), whose norm 32
//! is not a square mod p, as p = 3 mod 8; so no G2 point has x = 0.)

use crate::bls12_381::P;
use crate::unhex::unhex;
use isthmus_evm::crypto::{CurveError, G1Point};

/// The generator G (x || y).
const G: G1Point = unhex(concat!(
    "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
    "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1",
).as_bytes());
/// -G.
const MINUS_G: G1Point = unhex(concat!(
    "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb",
    "114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca",
).as_bytes());
/// (0, 2) - G.
const PLUS_TWO_MINUS_G: G1Point = unhex(concat!(
    "0e9277968cb92c78d15a2a2ed855d55061c3929db43d1e53d6d13bee755ff9a91b3f577bbb2f15c6ba8206a6a81c4afd",
    "00fd89a81a56a76d55518efc0d595f420e8a5a6e5e37109ca35b177ff7f9eb637ae0e57cb85e4c66ce7d4fe9c4371310",
).as_bytes());
/// (0, p - 2) - G.
const MINUS_TWO_MINUS_G: G1Point = unhex(concat!(
    "05020378a6838af221e734b3a81940eb3ff19c2a7f8cf26150dfc38fc41c37551dc92bb5593d30d4dfc2ee4bb09ad05b",
    "1291ad58e7f9fb21c6783f55184ece263f0beeaad473a71377a7e4d157503bb0572084d35177be2d6b9ea40eab8ebc45",
).as_bytes());

/// Whether `point` is (0, 2) or (0, p - 2).
pub fn is_order_three(point: &G1Point) -> bool {
    let (x, y) = point.split_at(48);
    let two = y[..47].iter().all(|&b| b == 0) && y[47] == 2;
    let mut p_minus_2 = P;
    p_minus_2[47] -= 2;
    x.iter().all(|&b| b == 0) && (two || y == p_minus_2)
}

/// `-t` for a point of order 3: (0, y) -> (0, p - y).
fn negate(t: &G1Point) -> G1Point {
    let mut out = *t;
    if t[95] == 2 {
        out[48..].copy_from_slice(&P);
        out[95] -= 2;
    } else {
        out[48..].fill(0);
        out[95] = 2;
    }
    out
}

/// `t - G` for a point of order 3.
fn minus_g(t: &G1Point) -> G1Point {
    if t[95] == 2 {
        PLUS_TWO_MINUS_G
    } else {
        MINUS_TWO_MINUS_G
    }
}

/// `t + s` for `t` of order 3 and `s` of order 3 or infinity.
fn closed_form(t: &G1Point, s: &G1Point) -> G1Point {
    if s.iter().all(|&b| b == 0) {
        *t
    } else if s == t {
        negate(t)
    } else {
        [0u8; 96]
    }
}

/// `a + b` where at least one is of order 3, with `add` (the ADD syscall) only ever given points
/// that are not. `add` checks the other point (field elements, curve).
pub fn add(
    a: &G1Point,
    b: &G1Point,
    add: impl Fn(&G1Point, &G1Point) -> Result<G1Point, CurveError>,
) -> Result<G1Point, CurveError> {
    let (t, p) = if is_order_three(a) { (a, b) } else { (b, a) };
    debug_assert!(is_order_three(t));
    if p.iter().all(|&b| b == 0) || is_order_three(p) {
        return Ok(closed_form(t, p));
    }
    let p_plus_g = add(p, &G)?;
    if is_order_three(&p_plus_g) {
        // p + t = (p + G + t) - G, with p + G + t of order 3 or infinity.
        let s = closed_form(t, &p_plus_g);
        return Ok(if s == [0u8; 96] { MINUS_G } else { minus_g(&s) });
    }
    add(&p_plus_g, &minus_g(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use isthmus_evm::{Crypto, HostCrypto};

    /// HostCrypto's G1ADD, refusing what the syscall refuses.
    fn syscall_add(a: &G1Point, b: &G1Point) -> Result<G1Point, CurveError> {
        assert!(
            !is_order_three(a) && !is_order_three(b),
            "the syscall refuses it"
        );
        HostCrypto.bls12_g1_add(a, b)
    }

    fn times(k: u8, point: &G1Point) -> G1Point {
        let mut scalar = [0u8; 32];
        scalar[31] = k;
        HostCrypto.bls12_g1_msm(&[(*point, scalar)]).unwrap()
    }

    #[test]
    fn the_constants_are_what_they_say() {
        let mut t = [0u8; 96];
        t[95] = 2;
        let minus_t = negate(&t);
        assert!(is_order_three(&t) && is_order_three(&minus_t));
        assert_eq!(negate(&minus_t), t);
        let mut near = minus_t;
        near[95] += 1;
        assert!(!is_order_three(&near) && !is_order_three(&[0u8; 96]));
        assert_eq!(HostCrypto.bls12_g1_add(&G, &MINUS_G), Ok([0u8; 96]));
        assert_eq!(HostCrypto.bls12_g1_add(&t, &MINUS_G), Ok(PLUS_TWO_MINUS_G));
        assert_eq!(
            HostCrypto.bls12_g1_add(&minus_t, &MINUS_G),
            Ok(MINUS_TWO_MINUS_G)
        );
        assert_eq!(HostCrypto.bls12_g1_add(&t, &t), Ok(minus_t));
    }

    #[test]
    fn sums_with_a_point_of_order_three_agree_with_blst() {
        let mut t = [0u8; 96];
        t[95] = 2;
        let minus_t = negate(&t);
        let mut others = vec![
            [0u8; 96],
            t,
            minus_t,
            G,
            MINUS_G,
            PLUS_TWO_MINUS_G,
            MINUS_TWO_MINUS_G,
        ];
        for k in 2..12 {
            let point = times(k, &G);
            others.push(point);
            // Outside the subgroup: a multiple of G plus a point of order 3.
            others.push(HostCrypto.bls12_g1_add(&point, &t).unwrap());
        }
        for order_three in [t, minus_t] {
            for other in &others {
                let expected = HostCrypto.bls12_g1_add(&order_three, other);
                assert_eq!(add(&order_three, other, syscall_add), expected, "{other:?}");
                assert_eq!(add(other, &order_three, syscall_add), expected, "{other:?}");
            }
        }
        // A point off the curve, and a coordinate not below p, are refused as blst refuses them.
        let mut off = G;
        off[95] ^= 1;
        assert_eq!(add(&t, &off, syscall_add), Err(CurveError::Invalid));
        let mut big = G;
        big[..48].copy_from_slice(&P);
        assert_eq!(add(&t, &big, syscall_add), Err(CurveError::Invalid));
    }
}
