//! Contract code with its JUMPDEST analysis, shared between frames and the journal.

use alloc::vec;
use alloc::vec::Vec;
use borsh::{BorshDeserialize, BorshSerialize};

/// Zero bytes appended to the code so PUSH32 at the very end reads zeros and pc may run one past
/// the end onto an implicit STOP without a bounds branch in the dispatch loop.
const PADDING: usize = 33;

/// Analysed code. Saved with its analysis, so a machine resumed on-chain does not pay for
/// the JUMPDEST scan again (about 8.5 CU a code byte) at every step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Bytecode {
    /// The code followed by [`PADDING`] zero bytes.
    padded: Vec<u8>,
    len: usize,
    /// One bit per code byte: set where a JUMPDEST opcode (not PUSH data) sits.
    jumpdests: Vec<u64>,
}

impl Bytecode {
    /// Analyses `code`.
    pub fn new(code: Vec<u8>) -> Self {
        let jumpdests = analyse_jumpdests(&code);
        Self::with_analysis(code, jumpdests)
    }

    fn with_analysis(code: Vec<u8>, jumpdests: Vec<u64>) -> Self {
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
        target < self.len && self.jumpdests[target / 64] & (1 << (target % 64)) != 0
    }
}

fn analyse_jumpdests(code: &[u8]) -> Vec<u64> {
    let mut bits = vec![0u64; code.len().div_ceil(64)];
    let mut pc = 0;
    while pc < code.len() {
        let op = code[pc];
        if op == super::opcode::JUMPDEST {
            bits[pc / 64] |= 1 << (pc % 64);
        } else if (super::opcode::PUSH1..=super::opcode::PUSH32).contains(&op) {
            pc += (op - super::opcode::PUSH1) as usize + 1;
        }
        pc += 1;
    }
    bits
}

impl BorshSerialize for Bytecode {
    fn serialize<W: borsh::io::Write>(&self, writer: &mut W) -> borsh::io::Result<()> {
        self.code().serialize(writer)?;
        self.jumpdests.serialize(writer)
    }
}

impl BorshDeserialize for Bytecode {
    fn deserialize_reader<R: borsh::io::Read>(reader: &mut R) -> borsh::io::Result<Self> {
        let code = Vec::<u8>::deserialize_reader(reader)?;
        let jumpdests = Vec::<u64>::deserialize_reader(reader)?;
        if jumpdests.len() != code.len().div_ceil(64) {
            return Err(borsh::io::Error::new(
                borsh::io::ErrorKind::InvalidData,
                "jumpdest bitmap does not match the code length",
            ));
        }
        Ok(Self::with_analysis(code, jumpdests))
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
