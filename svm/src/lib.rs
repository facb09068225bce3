//! The Isthmus program in an in-process LiteSVM: deployed under the upgradeable loader with an
//! upgrade authority, the runtime's compute metering and signature checks on, SlotHashes filled
//! as a cluster fills it, and transactions held to the 1,232-byte packet (v0 through address
//! lookup tables when needed). It is rpc-proxy's embedded chain and the base of the test harness
//! (`isthmus-test-support`).

use isthmus_client::solana::{transaction_size, PACKET_DATA_SIZE};
use isthmus_client::{logs, pda, AccountSource, Failure, Solana, Success, PROGRAM_ID};
use isthmus_client::{SLOT_HASHES, SYSVAR_OWNER};
use litesvm::LiteSVM;
use solana_account::Account;
use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction::Transaction;
use std::path::{Path, PathBuf};

pub mod secp256k1_recover;

/// The runtime features the chain runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Features {
    /// Those active on mainnet-beta (LiteSVM 0.16's list): what a real cluster runs, the default.
    Mainnet,
    /// Every feature Agave knows, as a test validator started fresh has them.
    All,
}

impl Features {
    /// `$ISTHMUS_FEATURES` (`mainnet`, the default, or `all`): CI runs the program tests and
    /// the Anchor suite under both.
    pub fn from_env() -> Self {
        match std::env::var("ISTHMUS_FEATURES").as_deref() {
            Ok("all") => Features::All,
            Ok("mainnet") | Err(_) => Features::Mainnet,
            Ok(other) => panic!("ISTHMUS_FEATURES={other}: expected `mainnet` or `all`"),
        }
    }

    pub fn feature_set(self) -> agave_feature_set::FeatureSet {
        match self {
            Features::Mainnet => LiteSVM::mainnet_feature_set(),
            Features::All => agave_feature_set::FeatureSet::all_enabled(),
        }
    }
}

/// The SlotHashes sysvar account's size (512 entries).
pub const SLOT_HASHES_LEN: usize = 8 + 512 * 40;

/// Where the built program is: `$ISTHMUS_SO`, else `<repo>/target/deploy/isthmus.so`.
pub fn so_path() -> PathBuf {
    if let Some(path) = std::env::var_os("ISTHMUS_SO") {
        return path.into();
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/deploy/isthmus.so")
}

/// The hash an embedded chain gives slot `slot` in SlotHashes (and so the block hash of
/// Ethereum block `slot`): keccak256 of the slot, little-endian.
pub fn slot_hash(slot: u64) -> [u8; 32] {
    isthmus_client::keccak(&slot.to_le_bytes())
}

/// SlotHashes' entries before `slot` ([`Svm::warp_to`]), newest first, each hash taken from
/// `memo` (earlier entries, newest first) where it holds that slot, else computed.
fn slot_hash_entries(
    slot: u64,
    count: u64,
    skipped: &[u64],
    memo: &[(u64, [u8; 32])],
) -> Vec<(u64, [u8; 32])> {
    let remembered = |s: u64| {
        let newest = memo.first()?.0;
        let entry = memo.get(usize::try_from(newest.checked_sub(s)?).ok()?)?;
        (entry.0 == s).then_some(entry.1)
    };
    (1..=count.min(slot))
        .map(|k| slot - k)
        .filter(|s| !skipped.contains(s))
        .map(|s| (s, remembered(s).unwrap_or_else(|| slot_hash(s))))
        .collect()
}

/// The SlotHashes sysvar bytes for `entries` (newest first, as the runtime keeps them).
pub fn slot_hashes_data(entries: &[(u64, [u8; 32])]) -> Vec<u8> {
    let mut data = isthmus_client::interface::block::encode_slot_hashes(entries);
    data.resize(SLOT_HASHES_LEN, 0);
    data
}

/// LiteSVM as `LiteSVM::new()` builds it (builtins, sysvars, default programs, signature and
/// blockhash checks) with the features of [`Features::from_env`] (mainnet-beta's by default),
/// and `sol_secp256k1_recover` over libsecp256k1 ([`secp256k1_recover`]: same answers and compute
/// units, several times less CPU).
pub fn new_litesvm() -> LiteSVM {
    new_litesvm_with(Features::from_env())
}

/// [`new_litesvm`] with `features`. The feature set must be chosen before the builtins: the
/// program runtime's syscalls follow it.
pub fn new_litesvm_with(features: Features) -> LiteSVM {
    LiteSVM::default()
        .with_feature_set(features.feature_set())
        .with_custom_syscall(secp256k1_recover::NAME, secp256k1_recover::register)
        .with_builtins()
        .with_lamports(1_000_000u64.wrapping_mul(1_000_000_000))
        .with_sysvars()
        .with_feature_accounts()
        .with_default_programs()
        .with_sigverify(true)
        .with_blockhash_check(true)
}

/// The program in a LiteSVM.
pub struct Svm {
    pub svm: LiteSVM,
    /// Address lookup tables [`Solana::send`] compiles a v0 transaction with when a legacy one
    /// would exceed the packet.
    pub lookup_tables: Vec<AddressLookupTableAccount>,
    /// Micro-lamports a compute unit every send pays as priority fee (as on a congested
    /// cluster; LiteSVM charges it to the fee payer). 0 by default.
    pub priority_fee: u64,
    /// The SlotHashes entries the last [`Svm::warp_to`] wrote (newest first): the next warp
    /// moves by a slot or a few, so it takes all but those few hashes from here rather than
    /// computing 512 keccaks a block.
    slot_hash_memo: Vec<(u64, [u8; 32])>,
}

impl Svm {
    /// LiteSVM with the program at `so` deployed under the upgradeable loader, `authority` its
    /// upgrade authority (the one key `initialize` accepts).
    pub fn new(so: &Path, authority: &Address) -> Result<Self, String> {
        let mut svm = new_litesvm();
        svm.add_program_from_file(PROGRAM_ID, so).map_err(|e| {
            format!(
                "loading {}: {e:?} (build it with scripts/build-program.sh)",
                so.display()
            )
        })?;
        // LiteSVM deploys without an upgrade authority: name one in the ProgramData header
        // (u32 tag 3, u64 slot, Option<Pubkey> at byte 12).
        let program_data = pda::program_data();
        let mut account = svm
            .get_account(&program_data)
            .ok_or("the program has no ProgramData")?;
        account.data[12] = 1;
        account.data[13..45].copy_from_slice(authority.as_ref());
        svm.set_account(program_data, account)
            .map_err(|e| format!("{e:?}"))?;
        Ok(Self {
            svm,
            lookup_tables: Vec::new(),
            priority_fee: 0,
            slot_hash_memo: Vec::new(),
        })
    }

    /// Stops re-verifying the ed25519 signatures of the transactions [`Solana::send`] signs: for
    /// a chain whose only Solana transactions are the ones this process builds and signs (the
    /// embedded chain's relays), where the check can only pass. A cluster verifies signatures
    /// in its sigverify stage on other cores, off the bank's path; here the check was a sixth of
    /// the block producer's time. A signer missing from a transaction still fails at signing,
    /// and fees are charged per signature as before. (LiteSVM's replay check goes with it:
    /// every send signs over a fresh blockhash, so no two are the same transaction.)
    pub fn trust_own_signatures(&mut self) {
        self.svm = std::mem::take(&mut self.svm).with_sigverify(false);
    }

    pub fn airdrop(&mut self, to: &Address, lamports: u64) -> Result<(), String> {
        self.svm
            .airdrop(to, lamports)
            .map(|_| ())
            .map_err(|e| format!("airdrop: {:?}", e.err))
    }

    /// Moves the clock to `slot` and sets SlotHashes to `entries` (LiteSVM's `warp_to_slot`
    /// only moves the clock).
    pub fn warp_with_slot_hashes(&mut self, slot: u64, entries: &[(u64, [u8; 32])]) {
        self.svm.warp_to_slot(slot);
        let data = slot_hashes_data(entries);
        let lamports = self.svm.minimum_balance_for_rent_exemption(data.len());
        let sysvar = Account {
            lamports,
            data,
            owner: SYSVAR_OWNER,
            executable: false,
            rent_epoch: 0,
        };
        self.svm
            .set_account(SLOT_HASHES, sysvar)
            .expect("LiteSVM accepts a sysvar account");
    }

    /// Moves the clock to `slot`, with SlotHashes holding every slot from `slot - 1` down to
    /// `slot - count` ([`slot_hash`]) except those in `skipped`.
    pub fn warp_to(&mut self, slot: u64, count: u64, skipped: &[u64]) {
        let entries = slot_hash_entries(slot, count, skipped, &self.slot_hash_memo);
        self.warp_with_slot_hashes(slot, &entries);
        self.slot_hash_memo = entries;
    }

    /// Writes the program's account at `address`, holding `data`, rent-exempt; empty `data`
    /// removes it. (Development state setters and test fixtures: the program itself never
    /// writes this way.)
    pub fn plant(&mut self, address: Address, data: Vec<u8>) -> Result<(), String> {
        let lamports = if data.is_empty() {
            0
        } else {
            self.svm.minimum_balance_for_rent_exemption(data.len())
        };
        let account = Account {
            lamports,
            data,
            owner: PROGRAM_ID,
            executable: false,
            rent_epoch: 0,
        };
        self.svm
            .set_account(address, account)
            .map_err(|e| format!("writing {address}: {e:?}"))
    }

    /// Sets the clock's unix timestamp.
    pub fn set_time(&mut self, unix_timestamp: i64) {
        let mut clock: solana_clock::Clock = self.svm.get_sysvar();
        clock.unix_timestamp = unix_timestamp;
        self.svm.set_sysvar(&clock);
    }
}

impl AccountSource for Svm {
    fn get_account(&self, address: &Address) -> Option<Account> {
        self.svm.get_account(address)
    }

    fn clock(&self) -> solana_clock::Clock {
        self.svm.get_sysvar()
    }
}

impl Solana for Svm {
    fn send(
        &mut self,
        ixs: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Success, Failure> {
        // Identical transactions must not be refused as replays.
        self.svm.expire_blockhash();
        let ixs = &isthmus_client::instructions::with_priority_fee(ixs, self.priority_fee)[..];
        let mut all: Vec<&Keypair> = vec![payer];
        all.extend_from_slice(signers);
        let blockhash = self.svm.latest_blockhash();
        let oversized = transaction_size(ixs, &payer.pubkey()) > PACKET_DATA_SIZE;
        let too_large = |size: usize| Failure {
            err: solana_transaction_error::TransactionError::SanitizeFailure,
            logs: vec![format!(
                "a transaction of {size} bytes, over the {PACKET_DATA_SIZE}-byte packet"
            )],
        };
        let sent = if oversized && !self.lookup_tables.is_empty() {
            let message =
                v0::Message::try_compile(&payer.pubkey(), ixs, &self.lookup_tables, blockhash)
                    .map_err(|e| Failure {
                        err: solana_transaction_error::TransactionError::SanitizeFailure,
                        logs: vec![format!("compiling a v0 message: {e:?}")],
                    })?;
            let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &all).map_err(
                |e| Failure {
                    err: solana_transaction_error::TransactionError::SignatureFailure,
                    logs: vec![format!("signing: {e:?}")],
                },
            )?;
            let size = bincode::serialized_size(&tx).unwrap_or(u64::MAX) as usize;
            if size > PACKET_DATA_SIZE {
                return Err(too_large(size));
            }
            self.svm.send_transaction(tx)
        } else if oversized {
            // A cluster refuses a transaction over the packet before it runs; so does this chain.
            return Err(too_large(transaction_size(ixs, &payer.pubkey())));
        } else {
            let message = Message::new(ixs, Some(&payer.pubkey()));
            self.svm
                .send_transaction(Transaction::new(&all, message, blockhash))
        };
        match sent {
            Ok(meta) => Ok(Success {
                cu: logs::program_cu(&meta.logs),
                tx_cu: meta.compute_units_consumed,
                logs: meta.logs,
            }),
            Err(failed) => Err(Failure {
                err: failed.err,
                logs: failed.meta.logs,
            }),
        }
    }

    fn lookup_tables(&mut self) -> &mut Vec<AddressLookupTableAccount> {
        &mut self.lookup_tables
    }

    fn next_slot(&mut self) {
        let slot = self.svm.get_sysvar::<solana_clock::Clock>().slot;
        self.svm.warp_to_slot(slot + 1);
    }

    fn priority_fee(&self) -> u64 {
        self.priority_fee
    }
}

#[cfg(test)]
mod tests {
    use super::{slot_hash, slot_hash_entries};

    fn computed(slot: u64, count: u64, skipped: &[u64]) -> Vec<(u64, [u8; 32])> {
        (1..=count.min(slot))
            .map(|k| slot - k)
            .filter(|s| !skipped.contains(s))
            .map(|s| (s, slot_hash(s)))
            .collect()
    }

    #[test]
    fn remembered_slot_hashes_are_the_computed_ones() {
        let mut memo = Vec::new();
        // From genesis, a slot at a time, jumps, skipped slots, a jump past the memo, backwards.
        for (slot, skipped) in [
            (1, vec![]),
            (2, vec![]),
            (3, vec![]),
            (600, vec![]),
            (601, vec![]),
            (605, vec![602, 603]),
            (606, vec![602, 603]),
            (2_000, vec![]),
            (1_990, vec![]),
        ] {
            let entries = slot_hash_entries(slot, 512, &skipped, &memo);
            assert_eq!(entries, computed(slot, 512, &skipped), "slot {slot}");
            memo = entries;
        }
    }
}
