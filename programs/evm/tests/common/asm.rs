//! A minimal assembler: opcodes, minimal-width pushes, and forward/backward labels.

use isthmus_evm::opcode::*;
use isthmus_evm::{Address, U256};

#[derive(Clone, Copy, Debug)]
pub struct Label(usize);

#[derive(Default)]
pub struct Asm {
    pub code: Vec<u8>,
    labels: Vec<Option<usize>>,
    /// (position of a PUSH2 immediate, label it must point to)
    fixups: Vec<(usize, Label)>,
}

impl Asm {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn op(&mut self, op: u8) -> &mut Self {
        self.code.push(op);
        self
    }

    pub fn ops(&mut self, ops: &[u8]) -> &mut Self {
        self.code.extend_from_slice(ops);
        self
    }

    /// Pushes `value` with the shortest PUSH (PUSH0 for zero).
    pub fn push(&mut self, value: U256) -> &mut Self {
        let bytes = value.to_be_bytes::<32>();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        self.push_bytes(&bytes[skip..])
    }

    pub fn push_u64(&mut self, value: u64) -> &mut Self {
        self.push(U256::from(value))
    }

    pub fn push_address(&mut self, address: &Address) -> &mut Self {
        self.push_bytes(address)
    }

    /// PUSHn of exactly these bytes (PUSH0 when empty).
    pub fn push_bytes(&mut self, bytes: &[u8]) -> &mut Self {
        assert!(bytes.len() <= 32);
        if bytes.is_empty() {
            return self.op(PUSH0);
        }
        self.code.push(PUSH1 + bytes.len() as u8 - 1);
        self.code.extend_from_slice(bytes);
        self
    }

    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }

    /// Places `label` here, as a JUMPDEST.
    pub fn bind(&mut self, label: Label) -> &mut Self {
        self.labels[label.0] = Some(self.code.len());
        self.op(JUMPDEST)
    }

    /// PUSH2 of the label's position (filled in by `finish`).
    pub fn push_label(&mut self, label: Label) -> &mut Self {
        self.code.push(PUSH2);
        self.fixups.push((self.code.len(), label));
        self.code.extend_from_slice(&[0, 0]);
        self
    }

    /// Writes `data` to memory at `offset` (whole words, then the tail with MSTORE8s).
    pub fn mstore_bytes(&mut self, offset: u64, data: &[u8]) -> &mut Self {
        let mut chunks = data.chunks_exact(32);
        let mut at = offset;
        for chunk in &mut chunks {
            self.push_bytes(chunk).push_u64(at).op(MSTORE);
            at += 32;
        }
        for byte in chunks.remainder() {
            self.push_u64(*byte as u64).push_u64(at).op(MSTORE8);
            at += 1;
        }
        self
    }

    pub fn len(&self) -> usize {
        self.code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.code.is_empty()
    }

    /// The code, with every label reference resolved.
    pub fn finish(mut self) -> Vec<u8> {
        for (at, label) in &self.fixups {
            let target = self.labels[label.0].expect("every referenced label is bound");
            let target = u16::try_from(target).expect("code under 64 KiB");
            self.code[*at..*at + 2].copy_from_slice(&target.to_be_bytes());
        }
        self.code
    }
}

/// The code of a creation that deploys `runtime` unchanged.
pub fn deployer(runtime: &[u8]) -> Vec<u8> {
    // PUSH2 len, DUP1, PUSH2 start, PUSH0, CODECOPY, PUSH0, RETURN, then the runtime.
    let len = u16::try_from(runtime.len()).expect("runtime under 64 KiB");
    let start: u16 = 11;
    let mut code = vec![PUSH2];
    code.extend_from_slice(&len.to_be_bytes());
    code.push(DUP1);
    code.push(PUSH2);
    code.extend_from_slice(&start.to_be_bytes());
    code.extend_from_slice(&[PUSH0, CODECOPY, PUSH0, RETURN]);
    assert_eq!(code.len(), start as usize);
    code.extend_from_slice(runtime);
    code
}
