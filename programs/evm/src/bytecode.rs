//! Contract code with its JUMPDEST analysis, shared between frames and the journal. It sits below
//! both: it needs only the opcode bytes ([`crate::opcode`]).

use alloc::vec;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};
use core::cell::OnceCell;

/// Zero bytes appended to the code so PUSH32 at the very end reads zeros and pc may run one past
/// the end onto an implicit STOP without a bounds branch in the dispatch loop.
const PADDING: usize = 33;

/// Code with its JUMPDEST analysis, made at the first jump: code that never jumps (most
/// initcode of large contracts copies the runtime and returns; code just deployed) never pays for
/// the scan, which costs several CU a byte on-chain, where one opcode must fit in what is left of
/// a Solana transaction. Saved with its analysis, so a machine resumed on-chain does not scan again
/// at every step.
#[derive(Clone, Debug, Default)]
pub struct Bytecode {
    /// The code followed by [`PADDING`] zero bytes.
    padded: Vec<u8>,
    len: usize,
    /// One bit per code byte: set where a JUMPDEST opcode (not PUSH data) sits.
    jumpdests: OnceCell<Vec<u64>>,
}

/// Equal code is equal bytecode, analysed or not.
impl PartialEq for Bytecode {
    fn eq(&self, other: &Self) -> bool {
        self.code() == other.code()
    }
}

impl Eq for Bytecode {}

impl Bytecode {
    /// Bytes of padding behind the code: a code `Vec` with this much spare capacity is not copied.
    pub const PADDING: usize = PADDING;

    pub fn new(code: Vec<u8>) -> Self {
        Self::with_analysis(code, OnceCell::new())
    }

    /// Code with the JUMPDEST analysis a host kept beside it ([`jumpdest_bitmap`] of the same
    /// code): the program stores it in the code account, so no transaction scans the code again.
    /// A bitmap of the wrong length is ignored (the code is analysed at its first jump).
    pub fn with_jumpdests(code: Vec<u8>, jumpdests: Vec<u64>) -> Self {
        let analysis = OnceCell::new();
        if jumpdests.len() == code.len().div_ceil(64) {
            let _ = analysis.set(jumpdests);
        }
        Self::with_analysis(code, analysis)
    }

    fn with_analysis(code: Vec<u8>, jumpdests: OnceCell<Vec<u64>>) -> Self {
        let len = code.len();
        let mut padded = code;
        // Exactly the padding: `resize` alone would double the buffer.
        padded.reserve_exact(PADDING);
        padded.resize(len + PADDING, 0);
        Self {
            padded,
            len,
            jumpdests,
        }
    }

    /// The code without padding.
    #[inline]
    pub fn code(&self) -> &[u8] {
        &self.padded[..self.len]
    }

    /// The code with padding: safe to index at `pc` for any `pc <= len`, and 32 bytes further.
    #[inline]
    pub fn padded(&self) -> &[u8] {
        &self.padded
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether `target` is a valid JUMP/JUMPI destination.
    #[inline]
    pub fn is_jumpdest(&self, target: usize) -> bool {
        if target >= self.len {
            return false;
        }
        let bits = self.jumpdests.get_or_init(|| jumpdest_bitmap(self.code()));
        bits[target / 64] & (1 << (target % 64)) != 0
    }
}

/// One bit per code byte (bit `i % 64` of word `i / 64`), set where a JUMPDEST opcode sits (not
/// inside PUSH data): what JUMP and JUMPI check their target against.
pub fn jumpdest_bitmap(code: &[u8]) -> Vec<u64> {
    use crate::opcode::{JUMPDEST, PUSH1, PUSH32};
    let mut bits = vec![0u64; code.len().div_ceil(64)];
    let mut pc = 0;
    while let Some(&op) = code.get(pc) {
        if op == JUMPDEST {
            bits[pc >> 6] |= 1 << (pc & 63);
            pc += 1;
        } else if (PUSH1..=PUSH32).contains(&op) {
            pc += (op - PUSH1) as usize + 2;
        } else {
            pc += 1;
        }
    }
    bits
}

impl BorshSerialize for Bytecode {
    fn serialize<W: borsh::io::Write>(&self, writer: &mut W) -> borsh::io::Result<()> {
        self.code().serialize(writer)?;
        self.jumpdests.get().serialize(writer)
    }
}

impl BorshDeserialize for Bytecode {
    fn deserialize_reader<R: borsh::io::Read>(reader: &mut R) -> borsh::io::Result<Self> {
        // Read straight into a buffer with room for the padding (no second copy).
        let len = u32::deserialize_reader(reader)? as usize;
        let mut code = Vec::new();
        code.try_reserve_exact(len + PADDING)
            .map_err(|_| borsh::io::Error::from(borsh::io::ErrorKind::InvalidData))?;
        code.resize(len, 0);
        reader.read_exact(&mut code)?;
        let analysis = OnceCell::new();
        if let Some(jumpdests) = Option::<Vec<u64>>::deserialize_reader(reader)? {
            if jumpdests.len() != code.len().div_ceil(64) {
                return Err(borsh::io::Error::new(
                    borsh::io::ErrorKind::InvalidData,
                    "jumpdest bitmap does not match the code length",
                ));
            }
            let _ = analysis.set(jumpdests);
        }
        Ok(Self::with_analysis(code, analysis))
    }
}

/// Borsh for the `Rc<Bytecode>` fields (`#[borsh(serialize_with, deserialize_with)]`), written out
/// because borsh's `rc` feature cannot be used: it also brings `Arc` (`alloc::sync`), which the SBF
/// target (`bpfel-unknown-none`, no atomic compare-and-swap) does not have. Same bytes as borsh's
/// own `Rc` impls: the inner value (behind the usual 0/1 tag for an `Option`).
pub mod rc_borsh {
    use super::Bytecode;
    use alloc::rc::Rc;
    use borsh::io::{Read, Result, Write};
    use borsh::{BorshDeserialize, BorshSerialize};

    pub fn serialize<W: Write>(code: &Rc<Bytecode>, writer: &mut W) -> Result<()> {
        (**code).serialize(writer)
    }

    pub fn deserialize<R: Read>(reader: &mut R) -> Result<Rc<Bytecode>> {
        Ok(Rc::new(Bytecode::deserialize_reader(reader)?))
    }

    pub fn serialize_option<W: Write>(code: &Option<Rc<Bytecode>>, writer: &mut W) -> Result<()> {
        code.as_deref().serialize(writer)
    }

    pub fn deserialize_option<R: Read>(reader: &mut R) -> Result<Option<Rc<Bytecode>>> {
        Ok(Option::<Bytecode>::deserialize_reader(reader)?.map(Rc::new))
    }
}
