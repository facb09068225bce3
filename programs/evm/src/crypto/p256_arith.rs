//! P-256 (secp256r1) arithmetic for the stepped P256VERIFY ([`crate::precompiles::p256_job`]):
//! Montgomery fields modulo p and n over eight 32-bit limbs, and the complete projective
//! formulas of Renes-Costello-Batina (a = -3) for the curve.
//!
//! Why its own: SBPF v3 has no high multiply, so a 64x64->128 product (the `p256` crate's
//! limbs on a 64-bit target) is a `__multi3` call of ~36 CU, while a 32x32->64 product is one
//! instruction. Not constant-time (verification handles only public data). Checked against the
//! `p256` crate in the tests below.

use borsh::{BorshDeserialize, BorshSerialize};

/// Limbs of a 256-bit number, least significant first.
pub type Limbs = [u32; 8];

/// A prime modulus and the constants its Montgomery arithmetic needs.
pub struct Modulus {
    pub m: Limbs,
    /// `-m^-1 mod 2^32`.
    inv: u32,
    /// `2^512 mod m`, to enter Montgomery form.
    r2: Limbs,
}

impl Modulus {
    const fn new(m: Limbs) -> Self {
        // Newton's iteration for m^-1 mod 2^32 (m odd): each step doubles the correct bits.
        let mut x: u32 = 1;
        let mut i = 0;
        while i < 5 {
            x = x.wrapping_mul(2u32.wrapping_sub(m[0].wrapping_mul(x)));
            i += 1;
        }
        // R mod m = 2^256 - m (m > 2^255), then doubled 256 times: R^2 mod m.
        let mut r = sub_limbs(&[0; 8], &m).0;
        let mut i = 0;
        while i < 256 {
            r = add_mod(&r, &r, &m);
            i += 1;
        }
        Self {
            m,
            inv: x.wrapping_neg(),
            r2: r,
        }
    }
}

/// The field prime p = 2^256 - 2^224 + 2^192 + 2^96 - 1.
pub static P: Modulus = Modulus::new(from_be_const(
    b"\xff\xff\xff\xff\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
));
/// The group order n.
pub static N: Modulus = Modulus::new(from_be_const(
    b"\xff\xff\xff\xff\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\xbc\xe6\xfa\xad\xa7\x17\x9e\x84\xf3\xb9\xca\xc2\xfc\x63\x25\x51",
));

/// The curve's b (y^2 = x^3 - 3x + b), plain (not Montgomery) form.
const B: Limbs = from_be_const(
    b"\x5a\xc6\x35\xd8\xaa\x3a\x93\xe7\xb3\xeb\xbd\x55\x76\x98\x86\xbc\x65\x1d\x06\xb0\xcc\x53\xb0\xf6\x3b\xce\x3c\x3e\x27\xd2\x60\x4b",
);
/// The generator G, plain form.
const GX: Limbs = from_be_const(
    b"\x6b\x17\xd1\xf2\xe1\x2c\x42\x47\xf8\xbc\xe6\xe5\x63\xa4\x40\xf2\x77\x03\x7d\x81\x2d\xeb\x33\xa0\xf4\xa1\x39\x45\xd8\x98\xc2\x96",
);
const GY: Limbs = from_be_const(
    b"\x4f\xe3\x42\xe2\xfe\x1a\x7f\x9b\x8e\xe7\xeb\x4a\x7c\x0f\x9e\x16\x2b\xce\x33\x57\x6b\x31\x5e\xce\xcb\xb6\x40\x68\x37\xbf\x51\xf5",
);

/// Big-endian bytes to limbs.
pub const fn from_be_const(bytes: &[u8; 32]) -> Limbs {
    let mut out = [0u32; 8];
    let mut i = 0;
    while i < 8 {
        let j = 28 - 4 * i;
        out[i] = u32::from_be_bytes([bytes[j], bytes[j + 1], bytes[j + 2], bytes[j + 3]]);
        i += 1;
    }
    out
}

/// Limbs to big-endian bytes.
pub fn to_be(limbs: &Limbs) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, limb) in limbs.iter().enumerate() {
        let j = 28 - 4 * i;
        out[j..j + 4].copy_from_slice(&limb.to_be_bytes());
    }
    out
}

/// `a < b` as numbers.
pub fn less(a: &Limbs, b: &Limbs) -> bool {
    for i in (0..8).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

pub fn is_zero(a: &Limbs) -> bool {
    a.iter().all(|&l| l == 0)
}

/// `a + b` and the carry out.
const fn add_limbs(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut out = [0u32; 8];
    let mut carry = 0u64;
    let mut i = 0;
    while i < 8 {
        let s = a[i] as u64 + b[i] as u64 + carry;
        out[i] = s as u32;
        carry = s >> 32;
        i += 1;
    }
    (out, carry != 0)
}

/// `a - b` and the borrow out.
const fn sub_limbs(a: &Limbs, b: &Limbs) -> (Limbs, bool) {
    let mut out = [0u32; 8];
    let mut borrow = 0u64;
    let mut i = 0;
    while i < 8 {
        let d = (a[i] as u64).wrapping_sub(b[i] as u64 + borrow);
        out[i] = d as u32;
        borrow = (d >> 63) & 1;
        i += 1;
    }
    (out, borrow != 0)
}

/// `a >= b` as numbers (const).
const fn geq(a: &Limbs, b: &Limbs) -> bool {
    !sub_limbs(a, b).1
}

/// `a + b mod m` for `a, b < m`.
const fn add_mod(a: &Limbs, b: &Limbs, m: &Limbs) -> Limbs {
    let (sum, carry) = add_limbs(a, b);
    if carry || geq(&sum, m) {
        sub_limbs(&sum, m).0
    } else {
        sum
    }
}

/// `a - b mod m` for `a, b < m`.
fn sub_mod(a: &Limbs, b: &Limbs, m: &Limbs) -> Limbs {
    let (diff, borrow) = sub_limbs(a, b);
    if borrow {
        add_limbs(&diff, m).0
    } else {
        diff
    }
}

/// `t += a * bi` (one row of a Montgomery product; `t[9]` is zero before).
#[inline(always)]
fn add_row(t: &mut [u32; 10], a: &Limbs, bi: u32) {
    let mut carry = 0u64;
    for j in 0..8 {
        let s = t[j] as u64 + a[j] as u64 * bi as u64 + carry;
        t[j] = s as u32;
        carry = s >> 32;
    }
    let s = t[8] as u64 + carry;
    t[8] = s as u32;
    t[9] = (s >> 32) as u32;
}

/// Montgomery product `a * b / 2^256 mod m` (CIOS, 32-bit limbs) for `a, b < m`.
fn mont_mul(a: &Limbs, b: &Limbs, modulus: &Modulus) -> Limbs {
    let m = &modulus.m;
    let mut t = [0u32; 10];
    for &bi in b.iter() {
        add_row(&mut t, a, bi);
        let q = t[0].wrapping_mul(modulus.inv);
        let s = t[0] as u64 + q as u64 * m[0] as u64;
        let mut carry = s >> 32;
        for j in 1..8 {
            let s = t[j] as u64 + q as u64 * m[j] as u64 + carry;
            t[j - 1] = s as u32;
            carry = s >> 32;
        }
        let s = t[8] as u64 + carry;
        t[7] = s as u32;
        t[8] = t[9] + (s >> 32) as u32;
    }
    let mut out = [0u32; 8];
    out.copy_from_slice(&t[..8]);
    if t[8] != 0 || !less(&out, m) {
        out = sub_limbs(&out, m).0;
    }
    out
}

/// [`mont_mul`] for p: its limbs are 2^32 - 1, 0 and 1 (p = 2^256 - 2^224 + 2^192 + 2^96 - 1)
/// and -p^-1 mod 2^32 is 1, so each reduction round adds q p as a few word additions and
/// subtractions (q = t[0]: the low word cancels exactly) instead of eight products: about half
/// the work of the generic round on SBF.
fn mont_mul_p(a: &Limbs, b: &Limbs) -> Limbs {
    let mut t = [0u32; 10];
    for &bi in b.iter() {
        add_row(&mut t, a, bi);
        // (t + q p) / 2^32 with q = t[0]: + q at words 3, 6 and 8, - q at word 7, then the
        // shift by one word. Signed carries: the sum is never negative.
        let q = t[0] as i64;
        let mut carry = 0i64;
        let words: [i64; 9] = [0, 0, q, 0, 0, q, -q, q, 0];
        for j in 0..9 {
            let s = t[j + 1] as i64 + words[j] + carry;
            t[j] = s as u32;
            carry = s >> 32;
        }
        t[9] = 0;
    }
    let mut out = [0u32; 8];
    out.copy_from_slice(&t[..8]);
    if t[8] != 0 || !less(&out, &P.m) {
        out = sub_limbs(&out, &P.m).0;
    }
    out
}

/// An element of the field modulo p or n in Montgomery form (`a * 2^256 mod m`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Fe(pub Limbs);

impl Fe {
    /// `a` (below the modulus) into Montgomery form.
    pub fn new(a: &Limbs, m: &Modulus) -> Self {
        Fe(mont_mul(a, &m.r2, m))
    }
    /// Back to a plain number.
    pub fn value(&self, m: &Modulus) -> Limbs {
        let mut one = [0u32; 8];
        one[0] = 1;
        mont_mul(&self.0, &one, m)
    }
    pub fn mul(&self, other: &Fe, m: &Modulus) -> Fe {
        Fe(mont_mul(&self.0, &other.0, m))
    }
    pub fn add(&self, other: &Fe, m: &Modulus) -> Fe {
        Fe(add_mod(&self.0, &other.0, &m.m))
    }
    pub fn sub(&self, other: &Fe, m: &Modulus) -> Fe {
        Fe(sub_mod(&self.0, &other.0, &m.m))
    }
    pub fn is_zero(&self) -> bool {
        is_zero(&self.0)
    }
}

/// Field operations modulo p, with short names for the curve formulas.
fn mul(a: &Fe, b: &Fe) -> Fe {
    Fe(mont_mul_p(&a.0, &b.0))
}
fn add(a: &Fe, b: &Fe) -> Fe {
    a.add(b, &P)
}
fn sub(a: &Fe, b: &Fe) -> Fe {
    a.sub(b, &P)
}
fn triple(a: &Fe) -> Fe {
    add(&add(a, a), a)
}

/// `b` in Montgomery form modulo p.
fn curve_b() -> Fe {
    Fe::new(&B, &P)
}

/// A point in projective coordinates (X : Y : Z), Montgomery form modulo p; Z = 0 is infinity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Point {
    pub x: Fe,
    pub y: Fe,
    pub z: Fe,
}

impl Point {
    /// The affine point (x, y), plain numbers below p, if it is on the curve.
    pub fn from_affine(x: &Limbs, y: &Limbs) -> Option<Point> {
        if !less(x, &P.m) || !less(y, &P.m) {
            return None;
        }
        let (x, y) = (Fe::new(x, &P), Fe::new(y, &P));
        // y^2 == x^3 - 3x + b
        let rhs = add(&sub(&mul(&mul(&x, &x), &x), &triple(&x)), &curve_b());
        (mul(&y, &y) == rhs).then(|| Point {
            x,
            y,
            z: Fe::new(&one(), &P),
        })
    }

    pub fn generator() -> Point {
        Point::from_affine(&GX, &GY).expect("G is on the curve")
    }

    pub fn infinity() -> Point {
        Point {
            x: Fe([0; 8]),
            y: Fe::new(&one(), &P),
            z: Fe([0; 8]),
        }
    }

    pub fn is_infinity(&self) -> bool {
        self.z.is_zero()
    }

    /// Complete addition (Renes-Costello-Batina 2015, algorithm 4, a = -3).
    pub fn add(&self, rhs: &Point) -> Point {
        let b = curve_b();
        let xx = mul(&self.x, &rhs.x);
        let yy = mul(&self.y, &rhs.y);
        let zz = mul(&self.z, &rhs.z);
        let xy_pairs = sub(
            &mul(&add(&self.x, &self.y), &add(&rhs.x, &rhs.y)),
            &add(&xx, &yy),
        );
        let yz_pairs = sub(
            &mul(&add(&self.y, &self.z), &add(&rhs.y, &rhs.z)),
            &add(&yy, &zz),
        );
        let xz_pairs = sub(
            &mul(&add(&self.x, &self.z), &add(&rhs.x, &rhs.z)),
            &add(&xx, &zz),
        );
        let bzz3 = triple(&sub(&xz_pairs, &mul(&b, &zz)));
        let yy_m_bzz3 = sub(&yy, &bzz3);
        let yy_p_bzz3 = add(&yy, &bzz3);
        let zz3 = triple(&zz);
        let bxz3 = triple(&sub(&mul(&b, &xz_pairs), &add(&zz3, &xx)));
        let xx3_m_zz3 = sub(&triple(&xx), &zz3);
        Point {
            x: sub(&mul(&yy_p_bzz3, &xy_pairs), &mul(&yz_pairs, &bxz3)),
            y: add(&mul(&yy_p_bzz3, &yy_m_bzz3), &mul(&xx3_m_zz3, &bxz3)),
            z: add(&mul(&yy_m_bzz3, &yz_pairs), &mul(&xy_pairs, &xx3_m_zz3)),
        }
    }

    /// Doubling (Renes-Costello-Batina 2015, algorithm 6, a = -3).
    pub fn double(&self) -> Point {
        let b = curve_b();
        let xx = mul(&self.x, &self.x);
        let yy = mul(&self.y, &self.y);
        let zz = mul(&self.z, &self.z);
        let xy = mul(&self.x, &self.y);
        let xy2 = add(&xy, &xy);
        let xz = mul(&self.x, &self.z);
        let xz2 = add(&xz, &xz);
        let bzz3 = triple(&sub(&mul(&b, &zz), &xz2));
        let yy_m_bzz3 = sub(&yy, &bzz3);
        let yy_p_bzz3 = add(&yy, &bzz3);
        let y_frag = mul(&yy_p_bzz3, &yy_m_bzz3);
        let x_frag = mul(&yy_m_bzz3, &xy2);
        let zz3 = triple(&zz);
        let bxz6 = triple(&sub(&mul(&b, &xz2), &add(&zz3, &xx)));
        let xx3_m_zz3 = sub(&triple(&xx), &zz3);
        let y = add(&y_frag, &mul(&xx3_m_zz3, &bxz6));
        let yz = mul(&self.y, &self.z);
        let yz2 = add(&yz, &yz);
        let x = sub(&x_frag, &mul(&bxz6, &yz2));
        let z2 = mul(&yz2, &yy);
        let z4 = add(&z2, &z2);
        Point {
            x,
            y,
            z: add(&z4, &z4),
        }
    }

    /// Whether the affine x of this (finite) point, reduced mod n, equals `r` (plain, in
    /// [1, n-1]): X == r Z or, when r + n < p, X == (r + n) Z, so no inversion is needed.
    pub fn x_matches(&self, r: &Limbs) -> bool {
        if mul(&Fe::new(r, &P), &self.z) == self.x {
            return true;
        }
        let (r_n, carry) = add_limbs(r, &N.m);
        !carry && less(&r_n, &P.m) && mul(&Fe::new(&r_n, &P), &self.z) == self.x
    }
}

/// The number one.
pub const fn one() -> Limbs {
    let mut one = [0u32; 8];
    one[0] = 1;
    one
}

/// `a - b` for `a >= b` (reducing a number below 2^256 once by a modulus above 2^255).
pub fn reduce_once(a: &Limbs, m: &Modulus) -> Limbs {
    if less(a, &m.m) {
        *a
    } else {
        sub_limbs(a, &m.m).0
    }
}

#[cfg(all(test, feature = "p256"))]
mod tests {
    use super::*;
    use crate::precompiles::test_util::Rng;
    use p256::elliptic_curve::ops::Reduce;
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    use p256::elliptic_curve::PrimeField;
    use p256::{ProjectivePoint, Scalar, U256};

    fn scalar(bytes: &[u8; 32]) -> Scalar {
        <Scalar as Reduce<U256>>::reduce_bytes(bytes.into())
    }

    #[test]
    fn scalar_field_matches_the_p256_crate() {
        let mut rng = Rng(7);
        for _ in 0..200 {
            let (a, b) = (rng.bytes(), rng.bytes());
            let (sa, sb) = (scalar(&a), scalar(&b));
            let fa = Fe::new(&reduce_once(&from_be_const(&a), &N), &N);
            let fb = Fe::new(&reduce_once(&from_be_const(&b), &N), &N);
            let expect = |s: Scalar| -> [u8; 32] { s.to_repr().into() };
            assert_eq!(to_be(&fa.mul(&fb, &N).value(&N)), expect(sa * sb));
            assert_eq!(to_be(&fa.add(&fb, &N).value(&N)), expect(sa + sb));
            assert_eq!(to_be(&fa.sub(&fb, &N).value(&N)), expect(sa - sb));
        }
    }

    #[test]
    fn the_special_multiplication_mod_p_is_the_generic_one() {
        let mut rng = Rng(5);
        let mut p_minus_1 = P.m;
        p_minus_1[0] -= 1;
        let mut values = alloc::vec![[0u32; 8], one(), p_minus_1, P.r2];
        for _ in 0..2000 {
            values.push(reduce_once(&from_be_const(&rng.bytes()), &P));
        }
        for pair in values.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            assert_eq!(mont_mul_p(a, b), mont_mul(a, b, &P), "{a:x?} {b:x?}");
            assert_eq!(mont_mul_p(a, a), mont_mul(a, a, &P), "{a:x?}");
        }
        assert_eq!(
            mont_mul_p(&p_minus_1, &p_minus_1),
            mont_mul(&p_minus_1, &p_minus_1, &P)
        );
    }

    #[test]
    fn curve_formulas_match_the_p256_crate() {
        let mut rng = Rng(11);
        let g = Point::generator();
        let affine = |p: &Point| -> Option<([u8; 32], [u8; 32])> {
            if p.is_infinity() {
                return None;
            }
            // Affine via Fermat inversion modulo p (test only).
            let mut e = P.m;
            e[0] -= 2;
            let mut inv = Fe::new(&one(), &P);
            for i in (0..256).rev() {
                inv = inv.mul(&inv, &P);
                if (e[i / 32] >> (i % 32)) & 1 == 1 {
                    inv = inv.mul(&p.z, &P);
                }
            }
            Some((
                to_be(&p.x.mul(&inv, &P).value(&P)),
                to_be(&p.y.mul(&inv, &P).value(&P)),
            ))
        };
        let theirs = |p: ProjectivePoint| -> Option<([u8; 32], [u8; 32])> {
            let e = p.to_affine().to_encoded_point(false);
            let (x, y) = (e.x()?, e.y()?);
            Some(((*x).into(), (*y).into()))
        };
        for _ in 0..20 {
            let (a, b) = (rng.bytes(), rng.bytes());
            let (sa, sb) = (scalar(&a), scalar(&b));
            let mul_g = |s: &Scalar| {
                let bits: [u8; 32] = s.to_repr().into();
                let mut acc = Point::infinity();
                for i in 0..256 {
                    acc = acc.double();
                    if (bits[i / 8] >> (7 - i % 8)) & 1 == 1 {
                        acc = acc.add(&g);
                    }
                }
                acc
            };
            let (pa, pb) = (mul_g(&sa), mul_g(&sb));
            assert_eq!(affine(&pa), theirs(ProjectivePoint::GENERATOR * sa));
            assert_eq!(
                affine(&pa.add(&pb)),
                theirs(ProjectivePoint::GENERATOR * (sa + sb))
            );
            assert_eq!(affine(&pa.add(&pa)), affine(&pa.double()));
            let neg = Point {
                y: Fe([0; 8]).sub(&pa.y, &P),
                ..pa
            };
            assert!(pa.add(&neg).is_infinity());
            assert_eq!(affine(&pa.add(&Point::infinity())), affine(&pa));
        }
        assert!(Point::infinity().double().is_infinity());
    }

    #[test]
    fn off_curve_and_out_of_range_points_are_rejected() {
        assert!(Point::from_affine(&GX, &GY).is_some());
        let mut y = GY;
        y[0] ^= 1;
        assert!(Point::from_affine(&GX, &y).is_none());
        assert!(Point::from_affine(&P.m, &GY).is_none());
        assert!(Point::from_affine(&[0; 8], &[0; 8]).is_none());
    }
}
