//! Client side of the blockhash registry, the per-contract fee markets, the reverse registry and
//! withdrawals (programs/isthmus/README.md): PDAs, instruction encoding, account decoding, the
//! EIP-191 link message, and a few harness helpers (SlotHashes, planting contracts).

use super::*;

/// The feature gate of the `sol_remaining_compute_units` syscall, which the fee market measures
/// compute with. It is not in LiteSVM 0.16's mainnet feature set (mainnet as of 2026-08-24), so
/// without it `execute` fails with "unsupported BPF instruction".
pub const REMAINING_COMPUTE_UNITS_FEATURE: Address =
    Address::from_str_const("5TuppMutoyzhUSfuYdhgzD47F92GL1g89KpCZQKqedxP");

/// LiteSVM as `LiteSVM::new()` builds it (mainnet features, builtins, sysvars, default
/// programs, signature and blockhash checks), plus [`REMAINING_COMPUTE_UNITS_FEATURE`]. The
/// feature set must be chosen before the builtins: the program runtime's syscalls follow it.
pub fn new_svm() -> LiteSVM {
    let mut features = LiteSVM::mainnet_feature_set();
    features.activate(&REMAINING_COMPUTE_UNITS_FEATURE, 0);
    LiteSVM::default()
        .with_feature_set(features)
        .with_builtins()
        .with_lamports(1_000_000u64.wrapping_mul(1_000_000_000))
        .with_sysvars()
        .with_feature_accounts()
        .with_default_programs()
        .with_sigverify(true)
        .with_blockhash_check(true)
}

/// `SysvarS1otHashes111111111111111111111111111`.
pub const SLOT_HASHES: Address =
    Address::from_str_const("SysvarS1otHashes111111111111111111111111111");
pub const SYSVAR_OWNER: Address =
    Address::from_str_const("Sysvar1111111111111111111111111111111111111");
/// The SlotHashes sysvar account's size (512 entries).
pub const SLOT_HASHES_LEN: usize = 8 + 512 * 40;

/// `BlockhashRegistry`: discriminator, newest slot u64, bump, 32-byte validity bitmap, 256 hashes.
pub const BLOCKHASHES_LEN: usize = 8 + 8 + 1 + 32 + 256 * 32;
/// `FeeMarket`: discriminator, address, bump, last slot, used, base fee.
pub const FEE_MARKET_LEN: usize = 8 + 20 + 1 + 8 + 8 + 8;
/// `ReverseEntry`: discriminator, wallet, address, bump.
pub const REVERSE_LEN: usize = 8 + 32 + 20 + 1;

pub fn blockhashes_pda() -> Address {
    Address::find_program_address(&[b"blockhashes"], &PROGRAM_ID).0
}

pub fn fee_pda(address: &[u8; 20]) -> (Address, u8) {
    Address::find_program_address(&[b"fee", address], &PROGRAM_ID)
}

pub fn reverse_pda(wallet: &Address) -> (Address, u8) {
    Address::find_program_address(&[b"reverse", wallet.as_ref()], &PROGRAM_ID)
}

/// `crank_blockhashes()`: payer (signer, writable), registry (writable), SlotHashes, system
/// program.
pub fn crank_ix(payer: &Address) -> Instruction {
    Instruction {
        program_id: PROGRAM_ID,
        accounts: vec![
            AccountMeta::new(*payer, true),
            AccountMeta::new(blockhashes_pda(), false),
            AccountMeta::new_readonly(SLOT_HASHES, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data: discriminator("global", "crank_blockhashes").to_vec(),
    }
}

/// `link_wallet(address, signature)`: wallet (signer, writable), config, reverse entry
/// (writable), system program.
pub fn link_wallet_ix(wallet: &Address, address: &[u8; 20], signature: &[u8; 65]) -> Instruction {
    let mut data = discriminator("global", "link_wallet").to_vec();
    data.extend_from_slice(address);
    data.extend_from_slice(signature);
    Instruction {
        program_id: PROGRAM_ID,
        accounts: vec![
            AccountMeta::new(*wallet, true),
            AccountMeta::new_readonly(config_pda(), false),
            AccountMeta::new(reverse_pda(wallet).0, false),
            AccountMeta::new_readonly(SYSTEM_PROGRAM, false),
        ],
        data,
    }
}

/// `withdraw(lamports)`: wallet (signer, writable), reverse entry, the linked address's account
/// (writable), vault (writable).
pub fn withdraw_ix(wallet: &Address, address: &[u8; 20], lamports: u64) -> Instruction {
    let mut data = discriminator("global", "withdraw").to_vec();
    data.extend_from_slice(&lamports.to_le_bytes());
    Instruction {
        program_id: PROGRAM_ID,
        accounts: vec![
            AccountMeta::new(*wallet, true),
            AccountMeta::new_readonly(reverse_pda(wallet).0, false),
            AccountMeta::new(account_pda(address).0, false),
            AccountMeta::new(vault_pda(), false),
        ],
        data,
    }
}

/// The text an Ethereum address signs to link `wallet` (programs/isthmus/README.md).
pub fn link_message(wallet: &Address, chain_id: u64, program_id: &Address) -> String {
    format!(
        "Isthmus: link Solana wallet {wallet} to this Ethereum address.\nChain id: {chain_id}\nProgram: {program_id}"
    )
}

impl EthWallet {
    /// EIP-191 `personal_sign` of `message`: r || s || v (27/28).
    pub fn personal_sign(&self, message: &[u8]) -> [u8; 65] {
        let mut data = format!("\x19Ethereum Signed Message:\n{}", message.len()).into_bytes();
        data.extend_from_slice(message);
        let hash = keccak(&data);
        let (sig, recid) = self.key.sign_prehash_recoverable(&hash).unwrap();
        let mut out = [0u8; 65];
        out[..64].copy_from_slice(&sig.to_bytes());
        out[64] = 27 + recid.to_byte();
        out
    }

    /// The signature `link_wallet` needs to link `wallet` on chain `chain_id`.
    pub fn sign_link(&self, wallet: &Address, chain_id: u64) -> [u8; 65] {
        self.personal_sign(link_message(wallet, chain_id, &PROGRAM_ID).as_bytes())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeeMarket {
    pub address: [u8; 20],
    pub bump: u8,
    pub last_slot: u64,
    pub used: u64,
    pub base_fee: u64,
}

impl FeeMarket {
    pub fn decode(data: &[u8]) -> Self {
        assert_eq!(data.len(), FEE_MARKET_LEN, "fee market length");
        assert_eq!(data[..8], discriminator("account", "FeeMarket"));
        Self {
            address: data[8..28].try_into().unwrap(),
            bump: data[28],
            last_slot: u64_at(data, 29),
            used: u64_at(data, 37),
            base_fee: u64_at(data, 45),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registry {
    pub newest_slot: u64,
    pub bump: u8,
    pub valid: [u8; 32],
    pub hashes: Vec<[u8; 32]>,
}

impl Registry {
    pub fn decode(data: &[u8]) -> Self {
        assert_eq!(data.len(), BLOCKHASHES_LEN, "registry length");
        assert_eq!(data[..8], discriminator("account", "BlockhashRegistry"));
        Self {
            newest_slot: u64_at(data, 8),
            bump: data[16],
            valid: data[17..49].try_into().unwrap(),
            hashes: data[49..]
                .chunks_exact(32)
                .map(|c| c.try_into().unwrap())
                .collect(),
        }
    }

    /// The hash the registry holds for `slot` (zero outside its window or for a skipped slot).
    pub fn hash(&self, slot: u64) -> [u8; 32] {
        if slot > self.newest_slot || self.newest_slot - slot >= 256 {
            return [0; 32];
        }
        let i = (slot % 256) as usize;
        if self.valid[i / 8] & (1 << (i % 8)) != 0 {
            self.hashes[i]
        } else {
            [0; 32]
        }
    }
}

/// `(wallet, address, bump)` of a reverse entry.
pub fn decode_reverse(data: &[u8]) -> (Address, [u8; 20], u8) {
    assert_eq!(data.len(), REVERSE_LEN, "reverse entry length");
    assert_eq!(data[..8], discriminator("account", "ReverseEntry"));
    (
        Address::new_from_array(data[8..40].try_into().unwrap()),
        data[40..60].try_into().unwrap(),
        data[60],
    )
}

/// A recognizable hash for slot `slot` in test SlotHashes.
pub fn test_slot_hash(slot: u64) -> [u8; 32] {
    keccak(&slot.to_le_bytes())
}

/// The SlotHashes sysvar bytes for `entries` (newest first, as the runtime keeps them).
pub fn slot_hashes_data(entries: &[(u64, [u8; 32])]) -> Vec<u8> {
    let mut data = vec![0u8; SLOT_HASHES_LEN];
    data[..8].copy_from_slice(&(entries.len() as u64).to_le_bytes());
    for (i, (slot, hash)) in entries.iter().enumerate() {
        let at = 8 + 40 * i;
        data[at..at + 8].copy_from_slice(&slot.to_le_bytes());
        data[at + 8..at + 40].copy_from_slice(hash);
    }
    data
}

impl Harness {
    /// Moves the clock to `slot` and sets SlotHashes to `entries` (LiteSVM 0.16's `warp_to_slot`
    /// only changes the clock: SlotHashes keeps what it was).
    pub fn warp_with_slot_hashes(&mut self, slot: u64, entries: &[(u64, [u8; 32])]) {
        self.svm.warp_to_slot(slot);
        let data = slot_hashes_data(entries);
        let lamports = self.svm.minimum_balance_for_rent_exemption(data.len());
        self.svm
            .set_account(
                SLOT_HASHES,
                Account {
                    lamports,
                    data,
                    owner: SYSVAR_OWNER,
                    executable: false,
                    rent_epoch: 0,
                },
            )
            .unwrap();
    }

    /// Moves the clock to `slot`, with SlotHashes holding every slot from `slot - 1` down to
    /// `slot - count` (hashes [`test_slot_hash`]) except those in `skipped`.
    pub fn warp_to(&mut self, slot: u64, count: u64, skipped: &[u64]) {
        let entries: Vec<(u64, [u8; 32])> = (1..=count.min(slot))
            .map(|k| slot - k)
            .filter(|s| !skipped.contains(s))
            .map(|s| (s, test_slot_hash(s)))
            .collect();
        self.warp_with_slot_hashes(slot, &entries);
    }

    /// A harness initialized with one funded operator and the fee market `fee_market`.
    pub fn with_fee_market(fee_market: FeeMarketParams) -> (Self, Keypair) {
        let mut h = Self::new();
        let operator = h.wallet(100_000_000_000);
        let mut args = default_args();
        args.operators = vec![operator.pubkey()];
        args.fee_market = fee_market;
        let admin = h.admin.insecure_clone();
        h.send(&[initialize_ix(&admin.pubkey(), &args)], &admin, &[])
            .unwrap_or_else(|f| panic!("initialize: {:?}\n{}", f.err, f.logs.join("\n")));
        (h, operator)
    }

    /// Writes a contract at `address` directly (its EthAccount with nonce 1 and its EthCode), as
    /// if deployed earlier.
    pub fn plant_contract(&mut self, address: &[u8; 20], code: &[u8]) {
        let (pda, bump) = account_pda(address);
        let account = EthAccount {
            address: *address,
            bump,
            version: 1,
            nonce: 1,
            balance: 0,
            code_hash: keccak(code),
            generation: 0,
            inline_storage: [[0; 32]; INLINE_SLOTS],
        };
        self.plant(pda, account.encode());
        let (code_pda, code_bump) = Address::find_program_address(&[b"code", address], &PROGRAM_ID);
        let mut data = discriminator("account", "EthCode").to_vec();
        data.extend_from_slice(address);
        data.push(code_bump);
        data.extend_from_slice(&(code.len() as u32).to_le_bytes());
        data.extend_from_slice(code);
        self.plant(code_pda, data);
    }

    /// A rent-exempt account of this program with `data` at `address`.
    pub fn plant(&mut self, address: Address, data: Vec<u8>) {
        let lamports = self.svm.minimum_balance_for_rent_exemption(data.len());
        self.svm
            .set_account(
                address,
                Account {
                    lamports,
                    data,
                    owner: PROGRAM_ID,
                    executable: false,
                    rent_epoch: 0,
                },
            )
            .unwrap();
    }

    pub fn fee_market(&self, address: &[u8; 20]) -> Option<FeeMarket> {
        self.account(&fee_pda(address).0)
            .filter(|a| a.owner == PROGRAM_ID)
            .map(|a| FeeMarket::decode(&a.data))
    }

    pub fn registry(&self) -> Option<Registry> {
        self.account(&blockhashes_pda())
            .filter(|a| a.owner == PROGRAM_ID)
            .map(|a| Registry::decode(&a.data))
    }
}
