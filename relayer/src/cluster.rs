//! A Solana cluster (or `solana-test-validator`) over JSON-RPC, as the relayer and the emulator
//! see it ([`Solana`], [`AccountSource`]): accounts read at `confirmed`, transactions sent with
//! preflight (a refused one comes back with its error and logs and changes nothing), confirmed
//! by polling their status, and re-signed with a new blockhash when the old one expired before
//! the transaction landed. Each signature is handed to a [`Journal`] before it is sent (so a
//! restarted caller knows what may still land), a send not yet confirmed is broadcast again
//! every [`REBROADCAST_EVERY`], and a read that fails is remembered ([`Cluster::take_read_error`])
//! rather than passed off as an absent account.
//!
//! Plain HTTP JSON-RPC through `ureq`: the handful of calls needed do not justify
//! `solana-rpc-client`, whose account decoders pull in the SPL token crates.

use base64::Engine;
use isthmus_client::interface::event::Receipt;
use isthmus_client::logs::{program_cu, receipt};
use isthmus_client::solana::{transaction_size, PACKET_DATA_SIZE};
use isthmus_client::{AccountSource, Failure, Solana, Success};
use serde_json::{json, Value};
use solana_account::Account;
use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, Message, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a transport failure is retried before the send is given up.
const TRANSPORT_PATIENCE: Duration = Duration::from_secs(60);

/// How often a sent transaction not yet confirmed is sent again (validators drop what they
/// cannot forward; the same signed bytes can land only once).
pub const REBROADCAST_EVERY: Duration = Duration::from_secs(2);

/// The longest one send waits for its confirmation before it is reported as failed (in doubt:
/// it may still land until its blockhash expires, which the [`Journal`] lets the caller check).
pub const CONFIRM_DEADLINE: Duration = Duration::from_secs(90);

/// Told each signature and its blockhash's last valid block height before the transaction is
/// sent; an error stops the send (nothing is sent that the journal does not hold).
pub type Journal = Arc<dyn Fn(&str, u64) -> Result<(), String> + Send + Sync>;

pub struct Cluster {
    url: String,
    agent: ureq::Agent,
    ids: AtomicU64,
    lookup_tables: Vec<AddressLookupTableAccount>,
    priority: PriorityFee,
    /// The last [`PriorityFee::Recent`] figure and when it was read (shared by handles).
    recent: Arc<Mutex<Option<(Instant, u64)>>>,
    journal: Option<Journal>,
    /// The slot the last confirmed send landed in.
    landed_slot: Option<u64>,
    /// The first read that failed since [`Cluster::take_read_error`] was last called.
    read_error: Mutex<Option<String>>,
}

/// What the cluster knows of a signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Landing {
    pub slot: u64,
    /// Whether it is confirmed (else only processed: it may still be rolled back).
    pub confirmed: bool,
    /// The transaction's error (`null`: it succeeded).
    pub err: Value,
}

/// What a cluster's sends pay as priority fee, in micro-lamports a compute unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriorityFee {
    Fixed(u64),
    /// The 75th percentile of what transactions paid in the recent slots the cluster reports
    /// (`getRecentPrioritizationFees`, up to 150), read again after [`RECENT_FEE_AGE`].
    Recent,
}

/// How long a [`PriorityFee::Recent`] reading is used.
pub const RECENT_FEE_AGE: Duration = Duration::from_secs(10);

impl std::str::FromStr for PriorityFee {
    type Err = String;

    /// `auto` ([`PriorityFee::Recent`]) or a number of micro-lamports a compute unit.
    fn from_str(s: &str) -> Result<Self, String> {
        if s.eq_ignore_ascii_case("auto") {
            return Ok(PriorityFee::Recent);
        }
        s.parse()
            .map(PriorityFee::Fixed)
            .map_err(|_| format!("{s}: micro-lamports a compute unit, or auto"))
    }
}

/// The 75th percentile of recent slots' priority fees (0 when none are reported).
pub fn recent_priority_fee(mut fees: Vec<u64>) -> u64 {
    if fees.is_empty() {
        return 0;
    }
    fees.sort_unstable();
    fees[(fees.len() * 3).div_ceil(4) - 1]
}

/// A JSON-RPC error answer (the cluster's, not the transport's).
#[derive(Debug)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Value,
}

#[derive(Debug)]
pub enum CallError {
    Transport(String),
    Rpc(RpcError),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Transport(e) => write!(f, "transport: {e}"),
            CallError::Rpc(e) => write!(f, "{} ({})", e.message, e.code),
        }
    }
}

impl Cluster {
    pub fn new(url: &str) -> Self {
        Self {
            url: url.to_string(),
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(30))
                .build(),
            ids: AtomicU64::new(1),
            lookup_tables: Vec::new(),
            priority: PriorityFee::Fixed(0),
            recent: Arc::new(Mutex::new(None)),
            journal: None,
            landed_slot: None,
            read_error: Mutex::new(None),
        }
    }

    /// Another client of the same cluster (same connection pool, priority fee and lookup
    /// tables), without a journal: one relay can use it while the original stays usable.
    pub fn handle(&self) -> Self {
        Self {
            url: self.url.clone(),
            agent: self.agent.clone(),
            ids: AtomicU64::new(self.ids.load(Ordering::Relaxed)),
            lookup_tables: self.lookup_tables.clone(),
            priority: self.priority,
            recent: self.recent.clone(),
            journal: None,
            landed_slot: None,
            read_error: Mutex::new(None),
        }
    }

    /// The cluster, telling `journal` each signature before it is sent.
    pub fn with_journal(mut self, journal: Journal) -> Self {
        self.journal = Some(journal);
        self
    }

    /// The slot the last confirmed send landed in.
    pub fn landed_slot(&self) -> Option<u64> {
        self.landed_slot
    }

    /// The first account read that failed since the last call: what read as an absent account
    /// through [`AccountSource`] was in fact unknown.
    pub fn take_read_error(&self) -> Option<String> {
        self.read_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// The account at `address` (`None`: there is none); a failed read is an error.
    pub fn account(&self, address: &Address) -> Result<Option<Account>, CallError> {
        let v = self.call_patiently(
            "getAccountInfo",
            json!([address.to_string(), {"encoding": "base64", "commitment": "confirmed"}]),
        )?;
        let Some(a) = v.get("value").filter(|a| !a.is_null()) else {
            return Ok(None);
        };
        let bad = |what: &str| CallError::Transport(format!("{address}: malformed {what}"));
        let data = base64::engine::general_purpose::STANDARD
            .decode(a["data"][0].as_str().ok_or_else(|| bad("data"))?)
            .map_err(|_| bad("data"))?;
        Ok(Some(Account {
            lamports: a["lamports"].as_u64().ok_or_else(|| bad("lamports"))?,
            data,
            owner: a["owner"]
                .as_str()
                .and_then(|o| Address::from_str(o).ok())
                .ok_or_else(|| bad("owner"))?,
            executable: a["executable"].as_bool().unwrap_or(false),
            rent_epoch: a["rentEpoch"].as_u64().unwrap_or(u64::MAX),
        }))
    }

    /// The SlotHashes sysvar's entries, newest first: the hashes BLOCKHASH answers.
    pub fn slot_hashes(&self) -> Result<Vec<(u64, [u8; 32])>, CallError> {
        let data = self
            .account(&isthmus_client::SLOT_HASHES)?
            .map(|a| a.data)
            .unwrap_or_default();
        Ok(isthmus_client::interface::block::slot_hashes(&data).collect())
    }

    /// Where `signature` landed, searched in the cluster's history too (`None`: not seen).
    pub fn landing(&self, signature: &str) -> Result<Option<Landing>, CallError> {
        let status = self.call_patiently(
            "getSignatureStatuses",
            json!([[signature], {"searchTransactionHistory": true}]),
        )?;
        let s = &status["value"][0];
        if s.is_null() {
            return Ok(None);
        }
        Ok(Some(Landing {
            slot: s["slot"].as_u64().unwrap_or(0),
            confirmed: matches!(
                s["confirmationStatus"].as_str(),
                Some("confirmed") | Some("finalized")
            ),
            err: s["err"].clone(),
        }))
    }

    /// The logs of a landed transaction ([`Cluster::landing`] first).
    pub fn logs(&self, signature: &str) -> Result<Vec<String>, CallError> {
        self.confirmed_meta(signature).map(|(logs, _, _)| logs)
    }

    /// The cluster, its sends paying `priority` as priority fee.
    pub fn with_priority_fee(mut self, priority: PriorityFee) -> Self {
        self.priority = priority;
        self
    }

    /// What recent slots' transactions paid ([`recent_priority_fee`]); a failed read keeps the
    /// last figure (0 before any).
    fn read_recent_fee(&self) -> u64 {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, fee)) = *recent {
            if at.elapsed() < RECENT_FEE_AGE {
                return fee;
            }
        }
        let last = recent.map(|(_, fee)| fee).unwrap_or(0);
        let fee = match self.call("getRecentPrioritizationFees", json!([])) {
            Ok(v) => recent_priority_fee(
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|e| e["prioritizationFee"].as_u64())
                            .collect()
                    })
                    .unwrap_or_default(),
            ),
            Err(e) => {
                tracing::warn!(error = %e, "getRecentPrioritizationFees failed; keeping {last}");
                last
            }
        };
        *recent = Some((Instant::now(), fee));
        fee
    }

    /// One JSON-RPC call.
    pub fn call(&self, method: &str, params: Value) -> Result<Value, CallError> {
        let id = self.ids.fetch_add(1, Ordering::Relaxed);
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let answer: Value = self
            .agent
            .post(&self.url)
            .send_json(body)
            .map_err(|e| CallError::Transport(e.to_string()))?
            .into_json()
            .map_err(|e| CallError::Transport(e.to_string()))?;
        if let Some(e) = answer.get("error") {
            return Err(CallError::Rpc(RpcError {
                code: e["code"].as_i64().unwrap_or(0),
                message: e["message"].as_str().unwrap_or("").to_string(),
                data: e.get("data").cloned().unwrap_or(Value::Null),
            }));
        }
        Ok(answer.get("result").cloned().unwrap_or(Value::Null))
    }

    /// [`Cluster::call`], retrying transport failures for a while.
    fn call_patiently(&self, method: &str, params: Value) -> Result<Value, CallError> {
        let started = Instant::now();
        loop {
            match self.call(method, params.clone()) {
                Err(CallError::Transport(e)) if started.elapsed() < TRANSPORT_PATIENCE => {
                    tracing::warn!(method, error = %e, "cluster unreachable; retrying");
                    std::thread::sleep(Duration::from_millis(500));
                }
                other => return other,
            }
        }
    }

    pub fn slot(&self) -> Result<u64, CallError> {
        let v = self.call_patiently("getSlot", json!([{"commitment": "confirmed"}]))?;
        Ok(v.as_u64().unwrap_or(0))
    }

    /// The confirmed block height (what a blockhash's last valid block height is compared with).
    pub fn block_height(&self) -> Result<u64, CallError> {
        let v = self.call_patiently("getBlockHeight", json!([{"commitment": "confirmed"}]))?;
        Ok(v.as_u64().unwrap_or(0))
    }

    fn latest_blockhash(&self) -> Result<(solana_hash::Hash, u64), CallError> {
        let v = self.call_patiently("getLatestBlockhash", json!([{"commitment": "confirmed"}]))?;
        let hash = v["value"]["blockhash"].as_str().unwrap_or("");
        let hash = solana_hash::Hash::from_str(hash)
            .map_err(|e| CallError::Transport(format!("blockhash {hash:?}: {e}")))?;
        Ok((
            hash,
            v["value"]["lastValidBlockHeight"].as_u64().unwrap_or(0),
        ))
    }

    fn sign(
        &self,
        ixs: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
        blockhash: solana_hash::Hash,
    ) -> Result<VersionedTransaction, String> {
        let mut all: Vec<&Keypair> = vec![payer];
        all.extend_from_slice(signers);
        let legacy = Message::new_with_blockhash(ixs, Some(&payer.pubkey()), &blockhash);
        let message = if transaction_size(ixs, &payer.pubkey()) > PACKET_DATA_SIZE
            && !self.lookup_tables.is_empty()
        {
            VersionedMessage::V0(
                v0::Message::try_compile(&payer.pubkey(), ixs, &self.lookup_tables, blockhash)
                    .map_err(|e| format!("v0 message: {e}"))?,
            )
        } else {
            VersionedMessage::Legacy(legacy)
        };
        VersionedTransaction::try_new(message, &all).map_err(|e| format!("signing: {e}"))
    }

    /// The logs and compute units of a confirmed transaction.
    fn confirmed_meta(&self, signature: &str) -> Result<(Vec<String>, u64, Value), CallError> {
        let started = Instant::now();
        loop {
            let v = self.call_patiently(
                "getTransaction",
                json!([signature, {"encoding": "json", "commitment": "confirmed",
                                   "maxSupportedTransactionVersion": 0}]),
            )?;
            if !v.is_null() {
                let meta = &v["meta"];
                let logs = meta["logMessages"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|l| l.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                let cu = meta["computeUnitsConsumed"].as_u64().unwrap_or(0);
                return Ok((logs, cu, meta["err"].clone()));
            }
            if started.elapsed() > Duration::from_secs(30) {
                return Err(CallError::Transport(format!(
                    "{signature} confirmed but not returned by getTransaction"
                )));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Cluster {
    /// The receipt of Ethereum transaction `tx_hash` among `operator`'s last `limit` Solana
    /// transactions, with the slot it landed in: how a restarted relayer finds what it sent
    /// before it stopped (the operator's own transaction history is the journal).
    pub fn find_receipt(
        &self,
        operator: &Address,
        tx_hash: &[u8; 32],
        limit: usize,
    ) -> Option<(Receipt, u64)> {
        let signatures = self
            .call_patiently(
                "getSignaturesForAddress",
                json!([operator.to_string(), {"limit": limit, "commitment": "confirmed"}]),
            )
            .ok()?;
        for entry in signatures.as_array()? {
            if !entry["err"].is_null() {
                continue;
            }
            let Some(signature) = entry["signature"].as_str() else {
                continue;
            };
            let Ok((logs, _, _)) = self.confirmed_meta(signature) else {
                continue;
            };
            if let Ok(Some(r)) = receipt(&logs) {
                if &r.tx_hash == tx_hash {
                    return Some((r, entry["slot"].as_u64().unwrap_or(0)));
                }
            }
        }
        None
    }
}

/// A transaction error as the JSON-RPC API writes it (serde's form of `TransactionError`).
fn transaction_error(v: &Value) -> TransactionError {
    serde_json::from_value(v.clone()).unwrap_or(TransactionError::UnsupportedVersion)
}

fn failure(err: TransactionError, logs: Vec<String>) -> Failure {
    Failure { err, logs }
}

impl AccountSource for Cluster {
    /// [`Cluster::account`]; a failed read answers `None` and is kept for
    /// [`Cluster::take_read_error`] (the emulator's reads cannot carry an error).
    fn get_account(&self, address: &Address) -> Option<Account> {
        match self.account(address) {
            Ok(account) => account,
            Err(e) => {
                tracing::warn!(%address, error = %e, "account read failed");
                let mut first = self.read_error.lock().unwrap_or_else(|e| e.into_inner());
                first.get_or_insert_with(|| format!("reading {address}: {e}"));
                None
            }
        }
    }
}

impl Solana for Cluster {
    fn send(
        &mut self,
        ixs: &[Instruction],
        payer: &Keypair,
        signers: &[&Keypair],
    ) -> Result<Success, Failure> {
        let transport = |e: CallError| {
            failure(
                TransactionError::BlockhashNotFound,
                vec![format!("rpc: {e}")],
            )
        };
        let ixs = &isthmus_client::instructions::with_priority_fee(ixs, self.priority_fee())[..];
        loop {
            let (blockhash, last_valid) = self.latest_blockhash().map_err(transport)?;
            let tx = self
                .sign(ixs, payer, signers, blockhash)
                .map_err(|e| failure(TransactionError::SanitizeFailure, vec![e]))?;
            let bytes = bincode::serialize(&tx)
                .map_err(|e| failure(TransactionError::SanitizeFailure, vec![e.to_string()]))?;
            let signature = tx.signatures[0].to_string();
            let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
            if let Some(journal) = &self.journal {
                journal(&signature, last_valid).map_err(|e| {
                    failure(
                        TransactionError::BlockhashNotFound,
                        vec![format!("journal: {e}")],
                    )
                })?;
            }
            match self.call_patiently(
                "sendTransaction",
                json!([encoded, {"encoding": "base64", "preflightCommitment": "confirmed"}]),
            ) {
                Ok(_) => {}
                Err(CallError::Rpc(e)) => {
                    // Preflight refused it: nothing was sent.
                    let logs = e.data["logs"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .filter_map(|l| l.as_str().map(String::from))
                                .collect()
                        })
                        .unwrap_or_else(|| vec![e.message.clone()]);
                    if e.data["err"] == json!("BlockhashNotFound") {
                        continue;
                    }
                    return Err(failure(transaction_error(&e.data["err"]), logs));
                }
                Err(e) => return Err(transport(e)),
            }
            // Wait for it to be confirmed, or for its blockhash to expire unseen, sending it again
            // now and then.
            let sent = Instant::now();
            let mut broadcast = Instant::now();
            loop {
                if sent.elapsed() > CONFIRM_DEADLINE {
                    return Err(failure(
                        TransactionError::BlockhashNotFound,
                        vec![format!(
                            "rpc: {signature} not confirmed within {CONFIRM_DEADLINE:?} (it may still land until block height {last_valid})"
                        )],
                    ));
                }
                if broadcast.elapsed() >= REBROADCAST_EVERY {
                    broadcast = Instant::now();
                    let again = self.call(
                        "sendTransaction",
                        json!([encoded, {"encoding": "base64", "skipPreflight": true, "maxRetries": 0}]),
                    );
                    if let Err(e) = again {
                        tracing::debug!(%signature, error = %e, "rebroadcast");
                    }
                }
                let status = self
                    .call_patiently(
                        "getSignatureStatuses",
                        json!([[signature], {"searchTransactionHistory": false}]),
                    )
                    .map_err(transport)?;
                let s = &status["value"][0];
                if !s.is_null()
                    && matches!(
                        s["confirmationStatus"].as_str(),
                        Some("confirmed") | Some("finalized")
                    )
                {
                    let (logs, tx_cu, err) = self.confirmed_meta(&signature).map_err(transport)?;
                    self.landed_slot = s["slot"].as_u64();
                    if !err.is_null() {
                        return Err(failure(transaction_error(&err), logs));
                    }
                    return Ok(Success {
                        cu: program_cu(&logs),
                        tx_cu,
                        logs,
                    });
                }
                if s.is_null() && self.block_height().map_err(transport)? > last_valid {
                    tracing::info!(%signature, "blockhash expired before it landed; re-signing");
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }

    fn lookup_tables(&mut self) -> &mut Vec<AddressLookupTableAccount> {
        &mut self.lookup_tables
    }

    fn priority_fee(&self) -> u64 {
        match self.priority {
            PriorityFee::Fixed(fee) => fee,
            PriorityFee::Recent => self.read_recent_fee(),
        }
    }

    fn next_slot(&mut self) {
        let Ok(now) = self.slot() else { return };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(100));
            if self.slot().map(|s| s > now).unwrap_or(false) {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recent_fee_is_the_75th_percentile() {
        assert_eq!(recent_priority_fee(vec![]), 0);
        assert_eq!(recent_priority_fee(vec![7]), 7);
        assert_eq!(recent_priority_fee(vec![0, 0, 100, 5_000]), 100);
        assert_eq!(recent_priority_fee((1..=150).rev().collect()), 113);
        assert_eq!("auto".parse(), Ok(PriorityFee::Recent));
        assert_eq!("2500".parse(), Ok(PriorityFee::Fixed(2_500)));
        assert!("cheap".parse::<PriorityFee>().is_err());
    }
}
