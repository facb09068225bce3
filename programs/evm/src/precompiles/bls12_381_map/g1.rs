//! MAP_FP_TO_G1 (0x10) as a resumable job.

use super::constants::{
    G1_A, G1_B, G1_SQRT_MINUS_Z, G1_X_DEN, G1_X_NUM, G1_Y_DEN, G1_Y_NUM, G1_Z, P_MINUS_2,
    P_MINUS_3_DIV_4,
};
use super::curve::{Jacobian, ScalarMul};
use super::pow::Pow;
use super::swu::{self, Isogeny, Maps, SwuCurve, ASSEMBLE_OPS, FINISH_OPS, PREFIX_OPS};
use super::{pad, unpad};
use crate::crypto::bls12_381::{Field, Fp};
use crate::crypto::Crypto;
use crate::precompiles::stepped::{drive, Piece, PrecompileJob};
use crate::precompiles::PrecompileFailure;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

const CURVE: SwuCurve<Fp> = SwuCurve {
    a: G1_A,
    b: G1_B,
    z: G1_Z,
};

const MAPS: Maps<'static, Fp> = Maps {
    polys: [&G1_X_NUM, &G1_X_DEN, &G1_Y_NUM, &G1_Y_DEN],
};

/// G1's effective cofactor (RFC 9380 8.8.1): multiplying by it clears the cofactor.
const H_EFF: u64 = 0xd201_0000_0001_0001;

/// A piece of `ops` Fp multiplications.
fn fp_ops(ops: u64) -> Piece {
    Piece::Worked(ops * Fp::MUL_CU)
}

/// MAP_FP_TO_G1 in progress.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct MapFpToG1Job {
    stage: Stage,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
enum Stage {
    /// The input, before SWU.
    Swu {
        u: Fp,
    },
    /// sqrt_ratio(gx_num, gx_den) for q = 3 mod 4 (RFC 9380 F.2.1.2): its exponentiation by
    /// (p - 3) / 4; the SWU values around it are recomputed from `u` (cheaper than stored).
    Sqrt {
        u: Fp,
        pow: Pow<Fp>,
    },
    Isogeny(Isogeny<Fp>),
    ClearCofactor(ScalarMul<Fp>),
    /// Z^(p - 2), to leave Jacobian coordinates.
    Affine {
        point: Jacobian<Fp>,
        pow: Pow<Fp>,
    },
}

/// The stages' names, in order (for measurements: [`MapFpToG1Job::stage`]).
pub const STAGES: [&str; 5] = ["swu", "sqrt", "isogeny", "clear cofactor", "affine"];

impl PrecompileJob for MapFpToG1Job {
    /// Checks the input (64 bytes: 16 zero bytes, then a big-endian value below p).
    fn start(input: &[u8]) -> Result<Self, PrecompileFailure> {
        let [value] = unpad(input)?;
        let u = Fp::from_bytes(&value).ok_or(PrecompileFailure::InvalidInput)?;
        Ok(MapFpToG1Job {
            stage: Stage::Swu { u },
        })
    }

    /// Works until done or until `budget` (machine steps) is spent.
    fn advance(
        &mut self,
        budget: &mut u64,
        _: &dyn Crypto,
    ) -> Option<Result<Vec<u8>, PrecompileFailure>> {
        drive(budget, |_| self.piece())
    }
}

impl MapFpToG1Job {
    /// The index in [`STAGES`] of the stage the next piece works in.
    pub fn stage(&self) -> usize {
        match self.stage {
            Stage::Swu { .. } => 0,
            Stage::Sqrt { .. } => 1,
            Stage::Isogeny(_) => 2,
            Stage::ClearCofactor(_) => 3,
            Stage::Affine { .. } => 4,
        }
    }

    // Not inlined: keeps SBF stack frames small (4 KiB each).
    #[inline(never)]
    fn piece(&mut self) -> Piece {
        match &mut self.stage {
            Stage::Swu { u } => {
                let u = *u;
                let prefix = swu::prefix(&CURVE, u);
                // sqrt_ratio's tv1 = v^2 (u v), raised to (p - 3) / 4.
                let (num, den) = (prefix.gx_num, prefix.gx_den);
                let base = den.square() * (num * den);
                self.stage = Stage::Sqrt {
                    u,
                    pow: Pow::new(base, &P_MINUS_3_DIV_4),
                };
                fp_ops(PREFIX_OPS + 3)
            }
            Stage::Sqrt { u, pow } => {
                let Some(power) = pow.result() else {
                    return fp_ops(pow.step(&P_MINUS_3_DIV_4));
                };
                let u = *u;
                let prefix = swu::prefix(&CURVE, u);
                let (num, den) = (prefix.gx_num, prefix.gx_den);
                let y1 = power * (num * den);
                let is_square = y1.square() * den == num;
                let y = if is_square { y1 } else { y1 * G1_SQRT_MINUS_Z };
                self.stage = Stage::Isogeny(swu::finish(u, &prefix, is_square, y));
                fp_ops(PREFIX_OPS + 5 + FINISH_OPS)
            }
            Stage::Isogeny(isogeny) => {
                let Some(point) = isogeny.result() else {
                    return fp_ops(isogeny.step(&MAPS));
                };
                self.stage = Stage::ClearCofactor(ScalarMul::new(point, H_EFF));
                fp_ops(ASSEMBLE_OPS)
            }
            Stage::ClearCofactor(mul) => {
                let Some(point) = mul.result() else {
                    return fp_ops(mul.step(H_EFF));
                };
                if point.is_infinity() {
                    return Piece::Done {
                        cu: 0,
                        output: pad(&[[0; 48]; 2]),
                    };
                }
                self.stage = Stage::Affine {
                    point,
                    pow: Pow::new(point.z, &P_MINUS_2),
                };
                fp_ops(0)
            }
            Stage::Affine { point, pow } => {
                let Some(z_inv) = pow.result() else {
                    return fp_ops(pow.step(&P_MINUS_2));
                };
                let z_inv2 = z_inv.square();
                let x = point.x * z_inv2;
                let y = point.y * z_inv2 * z_inv;
                Piece::Done {
                    cu: 0,
                    output: pad(&[x.to_bytes(), y.to_bytes()]),
                }
            }
        }
    }
}
