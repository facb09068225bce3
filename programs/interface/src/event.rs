//! The events the program logs with `sol_log_data` ("Program data: <base64>" lines): an 8-byte
//! discriminator, sha256("event:<Name>")[..8], then the fields in Borsh layout. An executed
//! transaction's receipt is one [`Executed`] followed by one [`EvmLog`] per log record.

use crate::reader::Reader;
use crate::DecodeError;
use alloc::vec::Vec;
use isthmus_evm::U256;

/// sha256("event:Initialized")[..8]
pub const INITIALIZED: [u8; 8] = [208, 213, 115, 98, 115, 82, 201, 209];
/// sha256("event:Deposited")[..8]
pub const DEPOSITED: [u8; 8] = [111, 141, 26, 45, 161, 35, 100, 57];
/// sha256("event:Executed")[..8]
pub const EXECUTED: [u8; 8] = [8, 232, 139, 132, 197, 45, 29, 164];
/// sha256("event:EvmLog")[..8]
pub const EVM_LOG: [u8; 8] = [132, 73, 76, 146, 67, 182, 75, 38];
/// sha256("event:MissingAccount")[..8]
pub const MISSING_ACCOUNT: [u8; 8] = [183, 39, 15, 220, 74, 6, 233, 26];
/// sha256("event:StepProgress")[..8]
pub const STEP_PROGRESS: [u8; 8] = [30, 147, 59, 112, 120, 101, 159, 180];
/// sha256("event:Dropped")[..8]
pub const DROPPED: [u8; 8] = [146, 61, 48, 224, 114, 94, 49, 12];
/// sha256("event:WalletLinked")[..8]
pub const WALLET_LINKED: [u8; 8] = [117, 31, 117, 13, 216, 212, 63, 33];
/// sha256("event:Withdrawn")[..8]
pub const WITHDRAWN: [u8; 8] = [20, 89, 223, 198, 194, 124, 219, 13];

/// `Executed.outcome` and `StepProgress.pause` values.
pub mod outcome {
    pub const SUCCESS: u8 = 0;
    pub const REVERT: u8 = 1;
    pub const HALT: u8 = 2;
}

/// Why a step paused (`StepProgress.pause`).
pub mod pause {
    /// `max_steps` opcodes ran.
    pub const MAX_STEPS: u8 = 0;
    // 1 was "compute left only for saving", when the program could read its compute left.
    pub const HEAP: u8 = 2;
    /// The saved machine needs a larger holder before the next step (`holder_resize`).
    pub const HOLDER_FULL: u8 = 3;
    /// Only begun (a large transaction).
    pub const BEGUN: u8 = 4;
    /// Finished; settled by the next step.
    pub const FINISHED: u8 = 5;
    /// Started over at the end of the step: a balance that grew since it was read (a deposit)
    /// was then observed (BALANCE and the like).
    pub const RESTARTED: u8 = 6;
}

/// The receipt of one executed Ethereum transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Executed {
    /// keccak256 of the raw signed transaction.
    pub tx_hash: [u8; 32],
    pub sender: [u8; 20],
    pub nonce: u64,
    /// 1 success, 0 failure (revert or exceptional halt).
    pub status: u8,
    /// [`outcome`]: 0 success, 1 revert, 2 exceptional halt.
    pub outcome: u8,
    /// Gas charged, after the refund.
    pub gas_used: u64,
    /// Wei per gas the sender paid.
    pub effective_gas_price: U256,
    pub created_address: Option<[u8; 20]>,
    /// [`EvmLog`] events that follow.
    pub log_count: u32,
    /// The revert data when `outcome` is 1, else empty.
    pub revert_data: Vec<u8>,
}

/// One LOG record of an executed transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvmLog {
    pub tx_hash: [u8; 32],
    /// Position among the transaction's logs, from 0.
    pub index: u32,
    pub address: [u8; 20],
    pub topics: Vec<[u8; 32]>,
    pub data: Vec<u8>,
}

/// An iterative transaction paused at the end of a `step`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepProgress {
    pub tx_hash: [u8; 32],
    /// Opcodes executed so far (since the last restart).
    pub steps: u64,
    /// Gas spent so far, before refunds.
    pub gas_spent: u64,
    /// Times it started over because an account it had read changed between steps.
    pub restarts: u32,
    /// [`pause`].
    pub pause: u8,
}

/// An iterative transaction that became invalid when it started over: dropped, charged nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dropped {
    pub tx_hash: [u8; 32],
    /// The [`crate::ProgramError`] code it would have failed with.
    pub reason: u32,
}

/// Logged before `AccountNotProvided`: the account the transaction needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingAccount {
    pub address: [u8; 20],
    /// 0: the address's account, 1: its code, 2: the storage cell of `slot`.
    pub kind: u8,
    pub slot: [u8; 32],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Initialized {
    pub admin: [u8; 32],
    pub chain_id: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deposited {
    pub address: [u8; 20],
    pub depositor: [u8; 32],
    pub lamports: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalletLinked {
    pub wallet: [u8; 32],
    pub address: [u8; 20],
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Withdrawn {
    pub address: [u8; 20],
    pub wallet: [u8; 32],
    pub lamports: u64,
}

/// Any event of the program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Initialized(Initialized),
    Deposited(Deposited),
    Executed(Executed),
    EvmLog(EvmLog),
    MissingAccount(MissingAccount),
    StepProgress(StepProgress),
    Dropped(Dropped),
    WalletLinked(WalletLinked),
    Withdrawn(Withdrawn),
}

impl Event {
    /// Decodes one event's bytes (discriminator included); every byte must be used.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        if bytes.len() < 8 {
            return Err(DecodeError::Length);
        }
        let discriminator: [u8; 8] = bytes[..8].try_into().unwrap();
        let mut r = Reader(&bytes[8..]);
        let event = match discriminator {
            EXECUTED => Event::Executed(Executed {
                tx_hash: r.array()?,
                sender: r.array()?,
                nonce: r.u64()?,
                status: r.u8()?,
                outcome: r.u8()?,
                gas_used: r.u64()?,
                effective_gas_price: U256::from_le_bytes::<32>(r.array()?),
                created_address: match r.u8()? {
                    0 => None,
                    1 => Some(r.array()?),
                    _ => return Err(DecodeError::Value),
                },
                log_count: r.u32()?,
                revert_data: r.bytes()?.to_vec(),
            }),
            EVM_LOG => Event::EvmLog(EvmLog {
                tx_hash: r.array()?,
                index: r.u32()?,
                address: r.array()?,
                topics: {
                    let n = r.u32()? as usize;
                    if n > 4 {
                        return Err(DecodeError::Value);
                    }
                    (0..n).map(|_| r.array()).collect::<Result<_, _>>()?
                },
                data: r.bytes()?.to_vec(),
            }),
            STEP_PROGRESS => Event::StepProgress(StepProgress {
                tx_hash: r.array()?,
                steps: r.u64()?,
                gas_spent: r.u64()?,
                restarts: r.u32()?,
                pause: r.u8()?,
            }),
            DROPPED => Event::Dropped(Dropped {
                tx_hash: r.array()?,
                reason: r.u32()?,
            }),
            MISSING_ACCOUNT => Event::MissingAccount(MissingAccount {
                address: r.array()?,
                kind: r.u8()?,
                slot: r.array()?,
            }),
            INITIALIZED => Event::Initialized(Initialized {
                admin: r.array()?,
                chain_id: r.u64()?,
            }),
            DEPOSITED => Event::Deposited(Deposited {
                address: r.array()?,
                depositor: r.array()?,
                lamports: r.u64()?,
            }),
            WALLET_LINKED => Event::WalletLinked(WalletLinked {
                wallet: r.array()?,
                address: r.array()?,
            }),
            WITHDRAWN => Event::Withdrawn(Withdrawn {
                address: r.array()?,
                wallet: r.array()?,
                lamports: r.u64()?,
            }),
            _ => return Err(DecodeError::Discriminator),
        };
        r.end()?;
        Ok(event)
    }
}

/// A receipt: the [`Executed`] event's fields and its logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    pub tx_hash: [u8; 32],
    pub sender: [u8; 20],
    pub nonce: u64,
    /// 1 success, 0 failure.
    pub status: u8,
    /// [`outcome`].
    pub outcome: u8,
    pub gas_used: u64,
    pub effective_gas_price: U256,
    pub created_address: Option<[u8; 20]>,
    /// Logs the transaction emitted (`logs.len()`).
    pub log_count: u32,
    pub revert_data: Vec<u8>,
    pub logs: Vec<EvmLog>,
}

impl Receipt {
    /// The receipt among one Solana transaction's events (each event's bytes), if it has one.
    /// The logs are the [`EvmLog`]s of the same transaction hash; their count must be the
    /// receipt's `log_count`.
    pub fn find<'a>(
        events: impl IntoIterator<Item = &'a [u8]>,
    ) -> Result<Option<Self>, DecodeError> {
        let mut executed = None;
        let mut logs = Vec::new();
        for bytes in events {
            match Event::decode(bytes)? {
                Event::Executed(e) => executed = Some(e),
                Event::EvmLog(log) => logs.push(log),
                _ => {}
            }
        }
        let Some(e) = executed else {
            return Ok(None);
        };
        logs.retain(|l| l.tx_hash == e.tx_hash);
        if logs.len() != e.log_count as usize {
            return Err(DecodeError::Value);
        }
        Ok(Some(Self {
            tx_hash: e.tx_hash,
            sender: e.sender,
            nonce: e.nonce,
            status: e.status,
            outcome: e.outcome,
            gas_used: e.gas_used,
            effective_gas_price: e.effective_gas_price,
            created_address: e.created_address,
            log_count: e.log_count,
            revert_data: e.revert_data,
            logs,
        }))
    }
}
