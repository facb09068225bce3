//! Instruction builders: the accounts each instruction takes, in the order of the program's
//! `#[derive(Accounts)]` structs, and its data from `isthmus_interface::instruction`.

use crate::{pda, PROGRAM_ID, SLOT_HASHES, SYSTEM_PROGRAM};
use isthmus_evm::Fork;
use isthmus_interface::fee_market::FeeMarketParams;
use isthmus_interface::instruction as data;
use solana_address::Address;
use solana_instruction::{AccountMeta, Instruction};

fn ix(accounts: Vec<AccountMeta>, data: Vec<u8>) -> Instruction {
    Instruction {
        program_id: PROGRAM_ID,
        accounts,
        data,
    }
}

/// `initialize`'s arguments.
#[derive(Clone, Debug)]
pub struct InitializeArgs {
    pub chain_id: u64,
    pub operators: Vec<Address>,
    pub fee_market: FeeMarketParams,
    /// A development chain: impersonated transactions run (never on a cluster).
    pub development: bool,
    /// The Ethereum fork the chain runs (Osaka for a new chain: what Ethereum mainnet runs).
    pub fork: Fork,
    /// The largest code a creation may deploy (`None`: EIP-170's).
    pub code_size_limit: Option<u32>,
}

/// `initialize`: admin (signer, writable; the upgrade authority), config, vault, blockhash
/// registry, program data, system program.
pub fn initialize(admin: &Address, args: &InitializeArgs) -> Instruction {
    let operators: Vec<[u8; 32]> = args.operators.iter().map(|o| o.to_bytes()).collect();
    ix(
        vec![
            AccountMeta::new(*admin, true),
            AccountMeta::new(pda::config(), false),
            AccountMeta::new(pda::vault(), false),
            AccountMeta::new(pda::blockhashes(), false),
            AccountMeta::new_readonly(pda::program_data(), false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data::initialize(
            args.chain_id,
            &operators,
            &args.fee_market,
            args.development,
            args.fork,
            args.code_size_limit,
        ),
    )
}

/// `update_config`: admin (signer), config (writable): the new operators and fee market, and
/// a later fork to move to (`None`: kept).
pub fn update_config(
    admin: &Address,
    operators: &[Address],
    fee_market: &FeeMarketParams,
    fork: Option<Fork>,
) -> Instruction {
    let operators: Vec<[u8; 32]> = operators.iter().map(|o| o.to_bytes()).collect();
    ix(
        vec![
            AccountMeta::new_readonly(*admin, true),
            AccountMeta::new(pda::config(), false),
        ],
        data::update_config(&operators, fee_market, fork),
    )
}

/// `deposit`: depositor (signer, writable), vault, the address's EthAccount, system program.
pub fn deposit(depositor: &Address, address: &[u8; 20], lamports: u64) -> Instruction {
    ix(
        vec![
            AccountMeta::new(*depositor, true),
            AccountMeta::new(pda::vault(), false),
            AccountMeta::new(pda::account(address).0, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data::deposit(address, lamports),
    )
}

/// The fixed accounts of `execute`, `execute_from_holder` and `step`, before the EVM accounts:
/// operator (signer, writable), config, blockhash registry (read-only), the fee market of the
/// transaction's `to` (writable; the zero address's for a creation), SlotHashes, [holder
/// (writable)], system program. The fee markets of the other contracts the transaction runs come
/// with the EVM accounts (the emulator lists them).
pub fn execute_accounts(
    operator: &Address,
    to: Option<[u8; 20]>,
    holder: Option<&Address>,
) -> Vec<AccountMeta> {
    let mut accounts = vec![
        AccountMeta::new(*operator, true),
        AccountMeta::new_readonly(pda::config(), false),
        AccountMeta::new_readonly(pda::blockhashes(), false),
        AccountMeta::new(pda::fee_market(&to.unwrap_or([0; 20])).0, false),
        AccountMeta::new_readonly(SLOT_HASHES, false),
    ];
    if let Some(holder) = holder {
        accounts.push(AccountMeta::new(*holder, false));
    }
    accounts.push(AccountMeta::new_readonly(SYSTEM_PROGRAM, false));
    accounts
}

/// `execute(raw)` with the fixed accounts, then `evm_accounts` (from the emulator). `to` is the
/// transaction's (its contract's fee market is passed).
pub fn execute(
    operator: &Address,
    raw: &[u8],
    to: Option<[u8; 20]>,
    evm_accounts: &[AccountMeta],
) -> Instruction {
    let mut accounts = execute_accounts(operator, to, None);
    accounts.extend_from_slice(evm_accounts);
    ix(accounts, data::execute(raw))
}

/// `execute_from_holder`: the holder's transaction (to `to`) run in one instruction.
pub fn execute_from_holder(
    operator: &Address,
    holder: &Address,
    to: Option<[u8; 20]>,
    evm_accounts: &[AccountMeta],
) -> Instruction {
    let mut accounts = execute_accounts(operator, to, Some(holder));
    accounts.extend_from_slice(evm_accounts);
    ix(accounts, data::execute_from_holder())
}

/// `step(max_steps)` of the holder's transaction (to `to`): at most `max_steps` opcodes (0: no
/// limit but the heap and the holder; the relayer picks a number that fits the compute budget).
pub fn step(
    operator: &Address,
    holder: &Address,
    to: Option<[u8; 20]>,
    max_steps: u64,
    evm_accounts: &[AccountMeta],
) -> Instruction {
    let mut accounts = execute_accounts(operator, to, Some(holder));
    accounts.extend_from_slice(evm_accounts);
    ix(accounts, data::step(max_steps))
}

/// `cancel`: operator, config, holder, system program, then `evm_accounts` (the sender's and
/// the operator's EthAccounts).
pub fn cancel(operator: &Address, holder: &Address, evm_accounts: &[AccountMeta]) -> Instruction {
    let mut accounts = vec![
        AccountMeta::new(*operator, true),
        AccountMeta::new_readonly(pda::config(), false),
        AccountMeta::new(*holder, false),
        AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
    ];
    accounts.extend_from_slice(evm_accounts);
    ix(accounts, data::cancel())
}

pub fn holder_create(operator: &Address, holder: &Address, index: u64, size: u32) -> Instruction {
    ix(
        vec![
            AccountMeta::new(*operator, true),
            AccountMeta::new_readonly(pda::config(), false),
            AccountMeta::new(*holder, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data::holder_create(index, size),
    )
}

pub fn holder_resize(operator: &Address, holder: &Address, size: u32) -> Instruction {
    ix(
        vec![
            AccountMeta::new(*operator, true),
            AccountMeta::new(*holder, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data::holder_resize(size),
    )
}

pub fn holder_write(
    operator: &Address,
    holder: &Address,
    offset: u32,
    chunk: &[u8],
) -> Instruction {
    ix(
        vec![
            AccountMeta::new(*operator, true),
            AccountMeta::new(*holder, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data::holder_write(offset, chunk),
    )
}

pub fn holder_delete(operator: &Address, holder: &Address) -> Instruction {
    ix(
        vec![
            AccountMeta::new(*operator, true),
            AccountMeta::new(*holder, false),
        ],
        data::holder_delete(),
    )
}

/// `crank_blockhashes`: payer (signer, writable), registry (writable), SlotHashes, system
/// program.
pub fn crank_blockhashes(payer: &Address) -> Instruction {
    ix(
        vec![
            AccountMeta::new(*payer, true),
            AccountMeta::new(pda::blockhashes(), false),
            AccountMeta::new_readonly(SLOT_HASHES, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data::crank_blockhashes(),
    )
}

/// `link_wallet`: wallet (signer, writable), config, its ReverseEntry (writable), system
/// program.
pub fn link_wallet(wallet: &Address, address: &[u8; 20], signature: &[u8; 65]) -> Instruction {
    ix(
        vec![
            AccountMeta::new(*wallet, true),
            AccountMeta::new_readonly(pda::config(), false),
            AccountMeta::new(pda::reverse(wallet).0, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data::link_wallet(address, signature),
    )
}

/// `withdraw`: wallet (signer, writable), its ReverseEntry, the linked address's EthAccount
/// (writable), vault (writable).
pub fn withdraw(wallet: &Address, address: &[u8; 20], lamports: u64) -> Instruction {
    ix(
        vec![
            AccountMeta::new(*wallet, true),
            AccountMeta::new_readonly(pda::reverse(wallet).0, false),
            AccountMeta::new(pda::account(address).0, false),
            AccountMeta::new(pda::vault(), false),
        ],
        data::withdraw(lamports),
    )
}

/// The compute limit [`budget`] asks for: a Solana transaction's maximum.
pub const COMPUTE_UNIT_LIMIT: u32 = 1_400_000;

/// The compute-budget instructions every executing instruction needs: the 256 KiB heap the
/// program's allocator assumes and the full 1.4M CU.
pub fn budget() -> Vec<Instruction> {
    use solana_compute_budget_interface::ComputeBudgetInstruction;
    vec![
        ComputeBudgetInstruction::request_heap_frame(256 * 1024),
        ComputeBudgetInstruction::set_compute_unit_limit(COMPUTE_UNIT_LIMIT),
    ]
}

/// `ixs` paying `micro_lamports` a compute unit as priority fee (a `SetComputeUnitPrice` first;
/// unchanged when 0).
pub fn with_priority_fee(ixs: &[Instruction], micro_lamports: u64) -> Vec<Instruction> {
    use solana_compute_budget_interface::ComputeBudgetInstruction;
    let mut out = Vec::with_capacity(ixs.len() + 1);
    if micro_lamports > 0 {
        out.push(ComputeBudgetInstruction::set_compute_unit_price(
            micro_lamports,
        ));
    }
    out.extend_from_slice(ixs);
    out
}

/// The priority fee of a transaction asking for the full [`COMPUTE_UNIT_LIMIT`] at
/// `micro_lamports` a compute unit, in lamports.
pub fn priority_fee_lamports(micro_lamports: u64) -> u64 {
    let lamports = (COMPUTE_UNIT_LIMIT as u128 * micro_lamports as u128).div_ceil(1_000_000);
    u64::try_from(lamports).unwrap_or(u64::MAX)
}

/// The most one relayed Solana transaction costs its fee payer at `micro_lamports` a compute
/// unit: its signature and [`priority_fee_lamports`].
pub fn fee_per_transaction(micro_lamports: u64) -> u64 {
    isthmus_interface::solana_costs::LAMPORTS_PER_SIGNATURE
        .saturating_add(priority_fee_lamports(micro_lamports))
}
