//! The instruction data the probe program reads and the report it returns.
//!
//! Instruction data (all integers little-endian):
//!
//! ```text
//! u8   flags       bit 0: parse only, do not run the EVM (measures the program's own overhead)
//!                  bit 1: log the remaining compute units between the phases of the run
//! u64  gas_limit   of the EVM transaction
//! u32  code_len    the code is zero-padded (with STOP bytes) to this many bytes, so a workload and
//!                  its baseline can have codes of equal length (equal hashing/analysis cost)
//! u8   segments
//!      per segment: u16 repeat, u16 len, len bytes   (the code is the segments, each repeated)
//! ..   calldata    the rest
//! ```
//!
//! The code is sent as repeated segments because a Solana transaction is at most 1,232 bytes while
//! an unrolled benchmark (200 x `DUP2 DUP2 ADD POP`) is not.

use alloc::vec::Vec;

/// Flag: parse the message and return without running the EVM.
pub const FLAG_SKIP_EVM: u8 = 1;
/// Flag: log the remaining compute units (`sol_log_compute_units_`) after decoding the message,
/// after building the world and after running the machine.
pub const FLAG_TRACE_CU: u8 = 2;
/// Flag: instead of the EVM, verify the calldata as EIP-7951's P256VERIFY input (hash, r, s, x,
/// y) with `isthmus_evm::crypto::p256` (Rust); the report's `detail` is 1 for a valid signature.
pub const FLAG_P256: u8 = 4;
/// Flag: instead of the EVM, run the stepped P256VERIFY job
/// (`isthmus_evm::precompiles::p256_job`) on the calldata's first 160 bytes for as many pieces
/// as the u16 (little-endian) after them says (0: the input checks only); `detail` is 1 once
/// the job answered "valid", 2 once it answered "invalid".
pub const FLAG_P256_JOB: u8 = 8;
/// Flag: instead of the EVM, run the calldata through EIP-2537's MAP_FP_TO_G1 (64 bytes) or
/// MAP_FP2_TO_G2 (128 bytes) as a resumable job, piece by piece; the return data is a
/// [`crate::bls_map::MapReport`] instead of a [`Report`].
pub const FLAG_BLS_MAP: u8 = 16;

/// One piece of code, repeated `repeat` times.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment<'a> {
    pub repeat: u16,
    pub bytes: &'a [u8],
}

/// A decoded message (borrowing the instruction data).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    pub flags: u8,
    pub gas_limit: u64,
    pub code_len: u32,
    pub segments: Vec<Segment<'a>>,
    pub calldata: &'a [u8],
}

/// Why instruction data was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageError {
    Truncated,
    /// The expanded segments are longer than `code_len`.
    CodeTooLong,
}

struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], MessageError> {
        if self.data.len() < n {
            return Err(MessageError::Truncated);
        }
        let (head, tail) = self.data.split_at(n);
        self.data = tail;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], MessageError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
}

impl<'a> Message<'a> {
    pub fn decode(data: &'a [u8]) -> Result<Self, MessageError> {
        let mut r = Reader { data };
        let flags = r.array::<1>()?[0];
        let gas_limit = u64::from_le_bytes(r.array()?);
        let code_len = u32::from_le_bytes(r.array()?);
        let count = r.array::<1>()?[0];
        let mut segments = Vec::with_capacity(count as usize);
        let mut total = 0u64;
        for _ in 0..count {
            let repeat = u16::from_le_bytes(r.array()?);
            let len = u16::from_le_bytes(r.array()?);
            let bytes = r.take(len as usize)?;
            total += repeat as u64 * len as u64;
            segments.push(Segment { repeat, bytes });
        }
        if total > code_len as u64 {
            return Err(MessageError::CodeTooLong);
        }
        Ok(Self {
            flags,
            gas_limit,
            code_len,
            segments,
            calldata: r.data,
        })
    }

    /// The instruction data for this message.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.push(self.flags);
        out.extend_from_slice(&self.gas_limit.to_le_bytes());
        out.extend_from_slice(&self.code_len.to_le_bytes());
        out.push(self.segments.len() as u8);
        for segment in &self.segments {
            out.extend_from_slice(&segment.repeat.to_le_bytes());
            out.extend_from_slice(&(segment.bytes.len() as u16).to_le_bytes());
            out.extend_from_slice(segment.bytes);
        }
        out.extend_from_slice(self.calldata);
        out
    }

    /// Length of the expanded segments, before padding.
    pub fn unpadded_len(&self) -> usize {
        self.segments
            .iter()
            .map(|s| s.repeat as usize * s.bytes.len())
            .sum()
    }

    /// The code: the segments expanded, zero-padded to `code_len`.
    pub fn code(&self) -> Vec<u8> {
        let mut code = Vec::with_capacity(self.code_len as usize);
        for segment in &self.segments {
            for _ in 0..segment.repeat {
                code.extend_from_slice(segment.bytes);
            }
        }
        code.resize(self.code_len as usize, 0);
        code
    }
}

/// Report status codes (first byte of [`Report`]).
pub mod status {
    pub const SUCCESS: u8 = 0;
    pub const REVERT: u8 = 1;
    /// Exceptional halt; `detail` is the `HaltReason` discriminant.
    pub const HALT: u8 = 2;
    /// The transaction was invalid (not executed).
    pub const INVALID: u8 = 3;
    /// The state could not answer (cannot happen with the in-memory state).
    pub const FATAL: u8 = 4;
    /// The step budget ran out (cannot happen: the probe runs without a budget).
    pub const PAUSED: u8 = 5;
    /// [`super::FLAG_SKIP_EVM`]: nothing was run.
    pub const SKIPPED: u8 = 6;
}

/// What the program returns (as return data) and logs (with `sol_log_64`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// One of [`status`].
    pub status: u8,
    /// For [`status::HALT`]: the halt reason's discriminant.
    pub detail: u8,
    pub gas_used: u64,
    /// Opcodes executed.
    pub steps: u64,
    /// Heap bytes the bump allocator reached (what the requested heap frame must hold). On-chain only.
    pub heap_high_water: u64,
    /// Peak of the bytes allocated and not yet freed (what a freeing allocator would need).
    pub heap_peak_live: u64,
}

impl Report {
    pub const LEN: usize = 40;

    pub fn to_bytes(&self) -> [u8; Self::LEN] {
        let mut out = [0u8; Self::LEN];
        out[0] = self.status;
        out[1] = self.detail;
        out[8..16].copy_from_slice(&self.gas_used.to_le_bytes());
        out[16..24].copy_from_slice(&self.steps.to_le_bytes());
        out[24..32].copy_from_slice(&self.heap_high_water.to_le_bytes());
        out[32..40].copy_from_slice(&self.heap_peak_live.to_le_bytes());
        out
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != Self::LEN {
            return None;
        }
        let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
        Some(Self {
            status: bytes[0],
            detail: bytes[1],
            gas_used: u64_at(8),
            steps: u64_at(16),
            heap_high_water: u64_at(24),
            heap_peak_live: u64_at(32),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_round_trip_and_expansion() {
        let msg = Message {
            flags: 0,
            gas_limit: 1_000_000,
            code_len: 10,
            segments: alloc::vec![
                Segment {
                    repeat: 1,
                    bytes: &[0x60, 0x01]
                },
                Segment {
                    repeat: 3,
                    bytes: &[0x80]
                }
            ],
            calldata: &[1, 2, 3],
        };
        let bytes = msg.encode();
        let decoded = Message::decode(&bytes).unwrap();
        assert_eq!(decoded, msg);
        assert_eq!(
            decoded.code(),
            [0x60, 0x01, 0x80, 0x80, 0x80, 0, 0, 0, 0, 0]
        );
        assert_eq!(Message::decode(&bytes[..5]), Err(MessageError::Truncated));
        let short = Message { code_len: 4, ..msg };
        assert_eq!(
            Message::decode(&short.encode()),
            Err(MessageError::CodeTooLong)
        );
    }

    #[test]
    fn report_round_trip() {
        let report = Report {
            status: 2,
            detail: 4,
            gas_used: 21_000,
            steps: 7,
            heap_high_water: 9_000,
            heap_peak_live: 5_000,
        };
        assert_eq!(Report::from_bytes(&report.to_bytes()), Some(report));
    }
}
