//! Holders and iterative execution: instruction encoding for `holder_create`, `holder_resize`,
//! `holder_write`, `holder_delete`, `execute_from_holder`, `step` and `cancel`, the holder's
//! header layout, and harness methods that write a transaction in chunks and step it to the end.

use crate::contracts::{transaction_size, PACKET_DATA_SIZE};
use crate::*;

/// Bytes of raw transaction per `holder_write` (fits a Solana transaction with its accounts).
pub const CHUNK: usize = 900;
/// Offset of the raw transaction in a holder.
pub const HOLDER_HEADER: usize = 96;

pub fn holder_pda(operator: &Address, index: u64) -> Address {
    Address::find_program_address(
        &[b"holder", operator.as_ref(), &index.to_le_bytes()],
        &PROGRAM_ID,
    )
    .0
}

fn ix(name: &str, args: &[u8], accounts: Vec<AccountMeta>) -> Instruction {
    let mut data = discriminator("global", name).to_vec();
    data.extend_from_slice(args);
    Instruction {
        program_id: PROGRAM_ID,
        accounts,
        data,
    }
}

pub fn holder_create_ix(
    operator: &Address,
    holder: &Address,
    index: u64,
    size: u32,
) -> Instruction {
    let mut args = index.to_le_bytes().to_vec();
    args.extend_from_slice(&size.to_le_bytes());
    ix(
        "holder_create",
        &args,
        vec![
            AccountMeta::new(*operator, true),
            AccountMeta::new_readonly(config_pda(), false),
            AccountMeta::new(*holder, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
    )
}

pub fn holder_resize_ix(operator: &Address, holder: &Address, size: u32) -> Instruction {
    ix(
        "holder_resize",
        &size.to_le_bytes(),
        vec![
            AccountMeta::new(*operator, true),
            AccountMeta::new(*holder, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
    )
}

pub fn holder_write_ix(
    operator: &Address,
    holder: &Address,
    offset: u32,
    chunk: &[u8],
) -> Instruction {
    let mut args = offset.to_le_bytes().to_vec();
    args.extend_from_slice(&(chunk.len() as u32).to_le_bytes());
    args.extend_from_slice(chunk);
    ix(
        "holder_write",
        &args,
        vec![
            AccountMeta::new(*operator, true),
            AccountMeta::new(*holder, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
    )
}

pub fn holder_delete_ix(operator: &Address, holder: &Address) -> Instruction {
    ix(
        "holder_delete",
        &[],
        vec![
            AccountMeta::new(*operator, true),
            AccountMeta::new(*holder, false),
        ],
    )
}

/// The fixed accounts of `execute_from_holder` and `step` (those of `execute` with the holder),
/// then `extra`.
fn holder_exec_accounts(
    operator: &Address,
    holder: &Address,
    to: &[u8; 20],
    extra: &[AccountMeta],
) -> Vec<AccountMeta> {
    let to = (*to != [0; 20]).then_some(*to);
    let mut accounts = ix::fixed_accounts(operator, to, Some(holder));
    accounts.extend_from_slice(extra);
    accounts
}

/// The `to` of the transaction in a holder (zero for a creation or an undecodable one).
pub fn holder_tx_to(h: &(impl AccountSource + ?Sized), holder: &Address) -> [u8; 20] {
    let data = h.get_account(holder).map(|a| a.data).unwrap_or_default();
    if data.len() < HOLDER_HEADER {
        return [0; 20];
    }
    if data[..8] != discriminator("account", "Holder") {
        return [0; 20];
    }
    let header = HolderHeader::decode(&data);
    let raw = &data[HOLDER_HEADER..HOLDER_HEADER + header.tx_len as usize];
    isthmus_evm::transaction::decode(raw, &isthmus_evm::HostCrypto)
        .ok()
        .and_then(|signed| signed.tx.to)
        .unwrap_or([0; 20])
}

pub fn execute_from_holder_ix(
    operator: &Address,
    holder: &Address,
    to: &[u8; 20],
    extra: &[AccountMeta],
) -> Instruction {
    ix(
        "execute_from_holder",
        &[],
        holder_exec_accounts(operator, holder, to, extra),
    )
}

pub fn step_ix(
    operator: &Address,
    holder: &Address,
    to: &[u8; 20],
    max_steps: u64,
    extra: &[AccountMeta],
) -> Instruction {
    ix(
        "step",
        &max_steps.to_le_bytes(),
        holder_exec_accounts(operator, holder, to, extra),
    )
}

/// `cancel`: operator, config, holder, system program, then `extra` (the sender's and the
/// operator's Ethereum accounts).
pub fn cancel_ix(operator: &Address, holder: &Address, extra: &[AccountMeta]) -> Instruction {
    let mut accounts = vec![
        AccountMeta::new(*operator, true),
        AccountMeta::new_readonly(config_pda(), false),
        AccountMeta::new(*holder, false),
        AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
    ];
    accounts.extend_from_slice(extra);
    ix("cancel", &[], accounts)
}

/// A holder's header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolderHeader {
    pub operator: Address,
    pub index: u64,
    pub status: u8,
    pub tx_len: u32,
    pub progress_len: u32,
    pub tx_hash: [u8; 32],
}

impl HolderHeader {
    pub fn decode(data: &[u8]) -> Self {
        assert_eq!(data[..8], discriminator("account", "Holder"));
        Self {
            operator: Address::new_from_array(data[8..40].try_into().unwrap()),
            index: u64::from_le_bytes(data[40..48].try_into().unwrap()),
            status: data[49],
            tx_len: u32::from_le_bytes(data[50..54].try_into().unwrap()),
            progress_len: u32::from_le_bytes(data[54..58].try_into().unwrap()),
            tx_hash: data[58..90].try_into().unwrap(),
        }
    }
}

/// `StepProgress` events in a step's logs: (steps, gas_spent, restarts).
pub fn step_progress(logs: &[String]) -> Option<(u64, u64, u32)> {
    events(logs)
        .iter()
        .find(|e| e[..8] == discriminator("event", "StepProgress"))
        .map(|e| {
            let d = &e[8 + 32..];
            (
                u64::from_le_bytes(d[..8].try_into().unwrap()),
                u64::from_le_bytes(d[8..16].try_into().unwrap()),
                u32::from_le_bytes(d[16..20].try_into().unwrap()),
            )
        })
}

/// Why a step paused (`StepProgress.pause`): 3 means the holder must grow first.
pub fn step_pause(logs: &[String]) -> Option<u8> {
    events(logs)
        .iter()
        .find(|e| e[..8] == discriminator("event", "StepProgress"))
        .map(|e| e[8 + 32 + 20])
}

/// `StepProgress.pause`: the saved machine needs a larger holder before the next step.
pub const PAUSE_HOLDER_FULL: u8 = 3;

/// Whether a transaction failed by running out of compute units.
pub fn out_of_compute(failure: &Failure) -> bool {
    failure
        .logs
        .iter()
        .any(|l| l.contains("exceeded CUs meter"))
}

/// Whether the logs carry an `Executed` receipt.
pub fn has_receipt(logs: &[String]) -> bool {
    events(logs)
        .iter()
        .any(|e| e[..8] == discriminator("event", "Executed"))
}

/// What running one transaction through steps took.
#[derive(Debug)]
pub struct Iterated {
    pub receipt: Receipt,
    /// Solana transactions of `step` (and `holder_resize` when the saved machine outgrew the
    /// holder, and the refused step before it), not counting the holder writes.
    pub steps: usize,
    /// Compute units of every step together (refused ones included), and of the largest one.
    pub total_cu: u64,
    pub max_cu: u64,
    pub restarts: u32,
}

/// Holders, steps and lookup tables over any [`Solana`]: how a relayer writes a transaction
/// into a holder and steps it to the end.
pub trait Relaying: Solana {
    /// Creates the operator's holder `index` (10 KiB) if needed, writes `raw` into it in chunks
    /// and grows it to leave room for the saved machine. Returns the holder, the Solana
    /// transactions used and their compute units.
    fn write_holder(
        &mut self,
        operator: &Keypair,
        index: u64,
        raw: &[u8],
    ) -> (Address, usize, u64) {
        let holder = holder_pda(&operator.pubkey(), index);
        let (mut sent, mut cu) = (0, 0);
        if self.get_account(&holder).is_none() {
            let done = self
                .send(
                    &[holder_create_ix(
                        &operator.pubkey(),
                        &holder,
                        index,
                        10 * 1024,
                    )],
                    operator,
                    &[],
                )
                .unwrap_or_else(|f| panic!("holder_create: {:?}\n{}", f.err, f.logs.join("\n")));
            sent += 1;
            cu += done.cu;
        }
        for (i, chunk) in raw.chunks(CHUNK).enumerate() {
            let done = self
                .send(
                    &[holder_write_ix(
                        &operator.pubkey(),
                        &holder,
                        (i * CHUNK) as u32,
                        chunk,
                    )],
                    operator,
                    &[],
                )
                .unwrap_or_else(|f| panic!("holder_write: {:?}\n{}", f.err, f.logs.join("\n")));
            sent += 1;
            cu += done.cu;
        }
        // Room for the saved machine beside the transaction (a holder grows by at most 10 KiB
        // an instruction; a relayer sizes it from the emulator).
        let want = (HOLDER_HEADER + 3 * raw.len() + 16 * 1024) as u32;
        while (self.get_account(&holder).unwrap().data.len() as u32) < want {
            let size = (self.get_account(&holder).unwrap().data.len() as u32 + 10 * 1024).min(want);
            let done = self
                .send(
                    &[holder_resize_ix(&operator.pubkey(), &holder, size)],
                    operator,
                    &[],
                )
                .unwrap_or_else(|f| panic!("holder_resize: {:?}\n{}", f.err, f.logs.join("\n")));
            sent += 1;
            cu += done.cu;
        }
        (holder, sent, cu)
    }

    /// One `step` with the compute-budget instructions.
    fn step(
        &mut self,
        operator: &Keypair,
        holder: &Address,
        max_steps: u64,
        extra: &[AccountMeta],
    ) -> Result<Success, Failure> {
        let to = holder_tx_to(self, holder);
        let mut ixs = budget_ixs();
        ixs.push(step_ix(&operator.pubkey(), holder, &to, max_steps, extra));
        self.send(&ixs, operator, &[])
    }

    /// Grows the holder by the 10 KiB one instruction may add; returns the compute it took.
    fn grow_holder(&mut self, operator: &Keypair, holder: &Address) -> u64 {
        let size = self.get_account(holder).unwrap().data.len() as u32 + 10 * 1024;
        self.send(
            &[holder_resize_ix(&operator.pubkey(), holder, size)],
            operator,
            &[],
        )
        .unwrap_or_else(|f| panic!("holder_resize: {:?}", f.err))
        .cu
    }

    /// Steps the holder's transaction until its receipt appears (at most `limit` steps).
    fn step_to_end(
        &mut self,
        operator: &Keypair,
        holder: &Address,
        max_steps: u64,
        extra: &[AccountMeta],
        limit: usize,
    ) -> Iterated {
        let (mut total_cu, mut max_cu, mut restarts, mut resizes) = (0, 0, 0, 0);
        for n in 1..=limit {
            // Each step in a slot of its own, as on a cluster, where a contract may use a
            // quarter of a slot's compute.
            self.next_slot();
            let done = match self.step(operator, holder, max_steps, extra) {
                Ok(done) => done,
                // The saved machine outgrew the holder by more than an instruction may grow it:
                // grow it (10 KiB at a time) and step again, as a relayer does.
                Err(f) if matches!(f.instruction_error(), InstructionError::Custom(c) if *c == exec_code::HOLDER_TOO_SMALL) =>
                {
                    // The failed step's compute counts too: a cluster charges it (it is
                    // already counted among the Solana transactions, `n`).
                    let failed_cu = program_cu(&f.logs);
                    total_cu += failed_cu;
                    max_cu = max_cu.max(failed_cu);
                    total_cu += self.grow_holder(operator, holder);
                    resizes += 1;
                    continue;
                }
                Err(f) => panic!("step {n}: {:?}\n{}", f.err, f.logs.join("\n")),
            };
            total_cu += done.cu;
            max_cu = max_cu.max(done.cu);
            if let Some((_, _, r)) = step_progress(&done.logs) {
                restarts = r;
            }
            if step_pause(&done.logs) == Some(PAUSE_HOLDER_FULL) {
                // The step paused before its machine outgrew the holder: grow it, as a relayer
                // does.
                total_cu += self.grow_holder(operator, holder);
                resizes += 1;
            }
            if has_receipt(&done.logs) {
                return Iterated {
                    receipt: receipt(&done.logs),
                    steps: n + resizes,
                    total_cu,
                    max_cu,
                    restarts,
                };
            }
        }
        panic!("no receipt after {limit} steps");
    }

    /// When `ixs` (an `execute_from_holder` or `step` with its compute-budget instructions) do not
    /// fit a legacy transaction's 1,232 bytes, creates an address lookup table of every account
    /// of the last instruction but its signer, so [`Solana::send`] sends v0 transactions. Returns
    /// the Solana transactions and compute units that took (none when not needed).
    fn lookup_table_if_needed(&mut self, payer: &Keypair, ixs: &[Instruction]) -> (usize, u64) {
        if transaction_size(ixs, &payer.pubkey()) <= PACKET_DATA_SIZE {
            return (0, 0);
        }
        let addresses: Vec<Address> = ixs
            .last()
            .unwrap()
            .accounts
            .iter()
            .filter(|m| !m.is_signer)
            .map(|m| m.pubkey)
            .collect();
        self.create_lookup_table(payer, &addresses)
    }

    /// Creates an address lookup table of `addresses` (a new authority; `payer` pays and signs),
    /// extends it 20 addresses a transaction, moves one slot on so they are active, and adds it to
    /// [`Solana::lookup_tables`]. Returns the Solana transactions and compute units it took.
    fn create_lookup_table(&mut self, payer: &Keypair, addresses: &[Address]) -> (usize, u64) {
        use solana_address_lookup_table_interface::instruction as alt;
        let authority = Keypair::new();
        // The table's address comes from a recent slot, one SlotHashes holds.
        let slot_hashes = self
            .get_account(&registries::SLOT_HASHES)
            .expect("SlotHashes");
        assert!(u64::from_le_bytes(slot_hashes.data[..8].try_into().unwrap()) > 0);
        let recent_slot = u64::from_le_bytes(slot_hashes.data[8..16].try_into().unwrap());
        let (create, table) =
            alt::create_lookup_table(authority.pubkey(), payer.pubkey(), recent_slot);
        let done = self
            .send(&[create], payer, &[])
            .unwrap_or_else(|f| panic!("create_lookup_table: {:?}\n{}", f.err, f.logs.join("\n")));
        let (mut sent, mut cu) = (1, done.tx_cu);
        for chunk in addresses.chunks(20) {
            let extend = alt::extend_lookup_table(
                table,
                authority.pubkey(),
                Some(payer.pubkey()),
                chunk.to_vec(),
            );
            let done = self
                .send(&[extend], payer, &[&authority])
                .unwrap_or_else(|f| {
                    panic!("extend_lookup_table: {:?}\n{}", f.err, f.logs.join("\n"))
                });
            sent += 1;
            cu += done.tx_cu;
        }
        self.next_slot();
        self.lookup_tables()
            .push(solana_message::AddressLookupTableAccount {
                key: table,
                addresses: addresses.to_vec(),
            });
        (sent, cu)
    }
}

impl<T: Solana + ?Sized> Relaying for T {}
