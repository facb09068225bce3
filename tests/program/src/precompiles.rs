//! A chain with the `Precompiles` test contract deployed, whose `call(address,bytes)` calls an
//! address and logs `Result(target, ok, output)`: how the precompile tests (bls12_381.rs,
//! p256verify.rs) run a precompile on-chain and read its answer.

use isthmus_evm::U256;
use isthmus_test_support::contracts::*;
use isthmus_test_support::*;
use solana_keypair::Keypair;

const SOL: u64 = 1_000_000_000;
/// The gas of each call.
pub const GAS: u64 = 3_000_000;

/// The address of precompile `n`.
pub fn address(n: u16) -> [u8; 20] {
    let mut a = [0u8; 20];
    a[18..].copy_from_slice(&n.to_be_bytes());
    a
}

/// The `Result(target, ok, output)` event of the Precompiles contract: (ok, output).
fn result_event(run: &Run) -> (bool, Vec<u8>) {
    let data = &run.receipt.logs[0].data;
    let ok = data[31] == 1;
    let len = U256::from_be_slice(&data[64..96]).to::<usize>();
    (ok, data[96..96 + len].to_vec())
}

/// A chain with an operator, a funded sender and the Precompiles contract.
pub struct World {
    pub h: Harness,
    operator: Keypair,
    alice: EthWallet,
    contract: [u8; 20],
}

impl World {
    pub fn new() -> Self {
        let (mut h, operator) = Harness::with_operator();
        let alice = EthWallet::new(0xa1);
        h.deposit_to(&alice.address, 20 * SOL).unwrap();
        let run = h.run(
            &operator,
            &alice,
            None,
            0,
            creation_code("Precompiles"),
            GAS,
        );
        assert_eq!(run.receipt.status, 1);
        let contract = run.receipt.created_address.unwrap();
        World {
            h,
            operator,
            alice,
            contract,
        }
    }

    /// Calls precompile `n` with `input` through the contract: (ok, output, CU, `step`s taken).
    pub fn call(&mut self, n: u16, input: &[u8]) -> (bool, Vec<u8>, u64, usize) {
        let data = calldata(
            "call(address,bytes)",
            &[Arg::Address(address(n)), Arg::Bytes(input)],
        );
        // A slot each: a contract may spend 12M CU (of gas) per slot, and a failed call spends
        // all its gas.
        let slot = self.h.svm.get_sysvar::<solana_clock::Clock>().slot;
        self.h.svm.warp_to_slot(slot + 1);
        let run = self.h.run(
            &self.operator,
            &self.alice,
            Some(self.contract),
            0,
            data,
            GAS,
        );
        assert_eq!(run.receipt.status, 1);
        let (ok, output) = result_event(&run);
        (ok, output, run.cu, run.steps)
    }
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}
