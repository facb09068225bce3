//! A Solana validator stand-in for rpc-proxy's `--solana-url` tests: the JSON-RPC methods
//! `isthmus_relayer::cluster` calls, over the program in LiteSVM (`isthmus-svm`), behaving like
//! a validator where the relay's correctness depends on it:
//!
//! - a sent transaction is checked (blockhash, preflight) at once but lands only after
//!   [`StandIn::land_after`], so it is in flight for a while, and lands even if its sender is gone;
//! - slots advance every [`SLOT`]; block height is the slot; a blockhash is valid for 150 blocks
//!   and a transaction still queued when its blockhash expires never lands;
//! - SlotHashes holds each past slot's hash, which is not the embedded chain's `keccak(slot)`
//!   (so a client that assumes it is caught);
//! - `getTransaction` answers a landed transaction's logs, compute units and slot;
//! - the same signature lands at most once (a rebroadcast is harmless).
//!
#![allow(dead_code)] // not every test uses every part

//! Everything that landed stays on record ([`StandIn::receipts`]) for the tests' checks.

use base64::Engine;
use isthmus_client::instructions::{self, InitializeArgs};
use isthmus_client::interface::block::ChainRules;
use isthmus_client::interface::fee_market::FeeMarketParams;
use isthmus_svm::{so_path, Svm};
use jsonrpsee::server::{RpcModule, Server, ServerHandle};
use jsonrpsee::types::{ErrorObjectOwned, Params};
use serde_json::{json, Value};
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a slot lasts.
pub const SLOT: Duration = Duration::from_millis(100);
/// Blocks a blockhash stays valid for, as on a cluster.
const BLOCKHASH_VALIDITY: u64 = 150;
/// SlotHashes entries kept, as on a cluster.
const SLOT_HASHES_KEPT: usize = 512;

/// A transaction that landed.
#[derive(Clone)]
struct Landed {
    slot: u64,
    err: Value,
    logs: Vec<String>,
    cu: u64,
}

struct Chain {
    svm: Svm,
    slot: u64,
    /// SlotHashes entries, newest first.
    slot_hashes: Vec<(u64, [u8; 32])>,
    /// Each slot's blockhash and the last block height it is valid at.
    blockhashes: HashMap<solana_hash::Hash, u64>,
    latest_blockhash: solana_hash::Hash,
    /// Sent, not landed yet: when it lands, and the transaction.
    queue: Vec<(Instant, VersionedTransaction)>,
    /// Nothing lands while set ([`StandIn::hold`]).
    held: bool,
    /// Accounts whose reads fail ([`StandIn::fail_reads`]), and how many reads failed.
    failing_reads: Vec<Address>,
    failed_reads: usize,
    landed: HashMap<String, Landed>,
    /// Each account's landed signatures, oldest first.
    by_address: HashMap<Address, Vec<String>>,
}

/// The cluster the tests run against: the one the environment names
/// ([`super::support::Proxy::cluster_from_env`]), else a stand-in started here (`None` for
/// the former); its URL and operator keypair file.
pub async fn cluster(dir: &Path) -> (Option<StandIn>, std::ffi::OsString, std::ffi::OsString) {
    if let Some((url, key)) = super::support::Proxy::cluster_from_env() {
        return (None, url, key);
    }
    let stand_in = StandIn::start(dir, Duration::from_millis(200)).await;
    let (url, key) = (
        stand_in.url.clone().into(),
        stand_in.operator_key.clone().into_os_string(),
    );
    (Some(stand_in), url, key)
}

/// The stand-in's hash of slot `slot` in SlotHashes.
pub fn stand_in_slot_hash(slot: u64) -> [u8; 32] {
    let mut seed = b"stand-in slot ".to_vec();
    seed.extend_from_slice(&slot.to_le_bytes());
    isthmus_client::keccak(&seed)
}

pub struct StandIn {
    chain: Arc<Mutex<Chain>>,
    pub url: String,
    /// The operator's keypair file (a Solana CLI JSON array).
    pub operator_key: PathBuf,
    /// Every operator's keypair file, [`StandIn::operator_key`] first.
    #[allow(dead_code)] // not every test binary uses it
    pub operator_keys: Vec<PathBuf>,
    /// How long a sent transaction takes to land, in milliseconds.
    land_after: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    server: ServerHandle,
}

impl StandIn {
    /// The program deployed and initialized (chain id 1337, `operator` its one operator, the
    /// operator funded), served on a free port; `dir` gets the operator's keypair file.
    pub async fn start(dir: &Path, land_after: Duration) -> Self {
        Self::start_with_operators(dir, land_after, 1).await
    }

    /// [`StandIn::start`] with `count` operators, each funded, their keypair files in `dir`.
    pub async fn start_with_operators(dir: &Path, land_after: Duration, count: usize) -> Self {
        let admin = Keypair::new();
        let operators: Vec<Keypair> = (0..count.max(1)).map(|_| Keypair::new()).collect();
        let mut svm = Svm::new(&so_path(), &admin.pubkey()).expect("the program loads");
        // The stand-in checks blockhashes itself (LiteSVM knows only its latest one).
        svm.svm = std::mem::take(&mut svm.svm).with_blockhash_check(false);
        svm.airdrop(&admin.pubkey(), 1_000_000_000_000).unwrap();
        for operator in &operators {
            svm.airdrop(&operator.pubkey(), 200_000_000_000_000)
                .unwrap();
        }
        let args = InitializeArgs {
            chain_id: 1337,
            operators: operators.iter().map(|o| o.pubkey()).collect(),
            fee_market: FeeMarketParams::default(),
            development: false,
            fork: ChainRules::default().fork,
            code_size_limit: None,
        };
        isthmus_client::Solana::send(
            &mut svm,
            &[instructions::initialize(&admin.pubkey(), &args)],
            &admin,
            &[],
        )
        .expect("initialize");
        let operator_keys: Vec<PathBuf> = operators
            .iter()
            .enumerate()
            .map(|(i, operator)| {
                let name = if i == 0 {
                    "operator.json".to_string()
                } else {
                    format!("operator-{i}.json")
                };
                let path = dir.join(name);
                std::fs::write(
                    &path,
                    serde_json::to_string(&operator.to_bytes().to_vec()).unwrap(),
                )
                .unwrap();
                path
            })
            .collect();
        let operator_key = operator_keys[0].clone();
        let mut chain = Chain {
            svm,
            slot: 1,
            slot_hashes: Vec::new(),
            blockhashes: HashMap::new(),
            latest_blockhash: solana_hash::Hash::default(),
            queue: Vec::new(),
            held: false,
            failing_reads: Vec::new(),
            failed_reads: 0,
            landed: HashMap::new(),
            by_address: HashMap::new(),
        };
        chain.next_slot();
        let chain = Arc::new(Mutex::new(chain));
        let land_after = Arc::new(AtomicU64::new(land_after.as_millis() as u64));
        let stop = Arc::new(AtomicBool::new(false));
        {
            let (chain, stop) = (chain.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(SLOT);
                    lock(&chain).next_slot();
                }
            });
        }
        let module = module(chain.clone(), land_after.clone());
        let server = Server::builder().build("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", server.local_addr().unwrap());
        let server = server.start(module);
        Self {
            chain,
            url,
            operator_key,
            operator_keys,
            land_after,
            stop,
            server,
        }
    }

    /// Makes sent transactions land after `delay`.
    pub fn land_after(&self, delay: Duration) {
        self.land_after
            .store(delay.as_millis() as u64, Ordering::Relaxed);
    }

    /// While `held`, sent transactions stay in flight (slots still pass; their blockhashes may
    /// expire meanwhile); released, all of them land in the next slot together.
    pub fn hold(&self, held: bool) {
        let mut chain = lock(&self.chain);
        chain.held = held;
        if !held {
            let now = Instant::now();
            for (due, _) in &mut chain.queue {
                *due = now;
            }
        }
    }

    /// From now on getAccountInfo of these accounts answers an error (as an overloaded node
    /// does); empty: none.
    pub fn fail_reads(&self, accounts: &[Address]) {
        lock(&self.chain).failing_reads = accounts.to_vec();
    }

    /// How many reads failed so far.
    pub fn failed_reads(&self) -> usize {
        lock(&self.chain).failed_reads
    }

    /// Transactions sent and not landed yet.
    pub fn in_flight(&self) -> usize {
        lock(&self.chain).queue.len()
    }

    /// The program's receipts in landed, successful transactions: each Ethereum transaction
    /// hash with the slots it landed in (more than one: it ran twice).
    pub fn receipts(&self) -> HashMap<[u8; 32], Vec<u64>> {
        let chain = lock(&self.chain);
        let mut out: HashMap<[u8; 32], Vec<u64>> = HashMap::new();
        for l in chain.landed.values().filter(|l| l.err.is_null()) {
            if let Ok(Some(r)) = isthmus_client::logs::receipt(&l.logs) {
                out.entry(r.tx_hash).or_default().push(l.slot);
            }
        }
        out
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = self.server.stop();
    }
}

fn lock(chain: &Mutex<Chain>) -> std::sync::MutexGuard<'_, Chain> {
    chain.lock().unwrap_or_else(|p| p.into_inner())
}

impl Chain {
    /// Ends the current slot (its hash into SlotHashes), starts the next with a new blockhash,
    /// and lands the queued transactions that are due.
    fn next_slot(&mut self) {
        self.slot_hashes
            .insert(0, (self.slot, stand_in_slot_hash(self.slot)));
        self.slot_hashes.truncate(SLOT_HASHES_KEPT);
        self.slot += 1;
        self.svm
            .warp_with_slot_hashes(self.slot, &self.slot_hashes.clone());
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        self.svm.set_time(now as i64);
        let mut seed = b"stand-in blockhash ".to_vec();
        seed.extend_from_slice(&self.slot.to_le_bytes());
        self.latest_blockhash = solana_hash::Hash::new_from_array(isthmus_client::keccak(&seed));
        self.blockhashes
            .insert(self.latest_blockhash, self.slot + BLOCKHASH_VALIDITY);
        let slot = self.slot;
        self.blockhashes.retain(|_, last| *last >= slot);
        if self.held {
            return;
        }
        let now = Instant::now();
        let (due, waiting): (Vec<_>, Vec<_>) = self.queue.drain(..).partition(|(at, _)| *at <= now);
        self.queue = waiting;
        for (_, tx) in due {
            self.land(tx);
        }
    }

    fn valid(&self, blockhash: &solana_hash::Hash) -> bool {
        self.blockhashes
            .get(blockhash)
            .is_some_and(|last| *last >= self.slot)
    }

    /// Runs `tx` in the current slot, unless its blockhash expired or it already landed.
    fn land(&mut self, tx: VersionedTransaction) {
        let signature = tx.signatures[0].to_string();
        if !self.valid(tx.message.recent_blockhash()) || self.landed.contains_key(&signature) {
            return;
        }
        let keys: Vec<Address> = tx.message.static_account_keys().to_vec();
        let landed = match self.svm.svm.send_transaction(tx) {
            Ok(meta) => Landed {
                slot: self.slot,
                err: Value::Null,
                logs: meta.logs,
                cu: meta.compute_units_consumed,
            },
            Err(failed) => Landed {
                slot: self.slot,
                err: serde_json::to_value(&failed.err).unwrap(),
                logs: failed.meta.logs,
                cu: failed.meta.compute_units_consumed,
            },
        };
        for key in keys {
            self.by_address
                .entry(key)
                .or_default()
                .push(signature.clone());
        }
        self.landed.insert(signature, landed);
    }

    fn context(&self) -> Value {
        json!({"slot": self.slot})
    }
}

fn rpc_error(code: i32, message: impl Into<String>, data: Value) -> ErrorObjectOwned {
    ErrorObjectOwned::owned(code, message.into(), Some(data))
}

fn positional(params: &Params) -> Vec<Value> {
    params.parse::<Vec<Value>>().unwrap_or_default()
}

type Handler = fn(&mut Chain, &[Value], Duration) -> Result<Value, ErrorObjectOwned>;

fn module(chain: Arc<Mutex<Chain>>, land_after: Arc<AtomicU64>) -> RpcModule<()> {
    let mut module = RpcModule::new(());
    let methods: [(&'static str, Handler); 10] = [
        ("getSlot", |c, _, _| Ok(json!(c.slot))),
        ("getBlockHeight", |c, _, _| Ok(json!(c.slot))),
        ("getLatestBlockhash", |c, _, _| {
            Ok(json!({"context": c.context(), "value": {
                "blockhash": c.latest_blockhash.to_string(),
                "lastValidBlockHeight": c.slot + BLOCKHASH_VALIDITY}}))
        }),
        ("getRecentPrioritizationFees", |_, _, _| Ok(json!([]))),
        ("getAccountInfo", get_account_info),
        ("sendTransaction", send_transaction),
        ("getSignatureStatuses", get_signature_statuses),
        ("getTransaction", get_transaction),
        ("getSignaturesForAddress", get_signatures_for_address),
        ("getHealth", |_, _, _| Ok(json!("ok"))),
    ];
    for (name, handler) in methods {
        let (chain, land_after) = (chain.clone(), land_after.clone());
        module
            .register_blocking_method(name, move |params, _, _| {
                let args = positional(&params);
                let delay = Duration::from_millis(land_after.load(Ordering::Relaxed));
                handler(&mut lock(&chain), &args, delay)
            })
            .unwrap();
    }
    module
}

fn address(v: &Value) -> Result<Address, ErrorObjectOwned> {
    v.as_str()
        .and_then(|s| Address::from_str(s).ok())
        .ok_or_else(|| rpc_error(-32602, "Invalid param: not an address", Value::Null))
}

fn get_account_info(c: &mut Chain, args: &[Value], _: Duration) -> Result<Value, ErrorObjectOwned> {
    let at = address(&args[0])?;
    if c.failing_reads.contains(&at) {
        c.failed_reads += 1;
        return Err(rpc_error(-32005, "Node is unhealthy", Value::Null));
    }
    let value = c
        .svm
        .svm
        .get_account(&at)
        .filter(|a| a.lamports > 0)
        .map(|a| {
            json!({
                "lamports": a.lamports,
                "data": [base64::engine::general_purpose::STANDARD.encode(&a.data), "base64"],
                "owner": a.owner.to_string(),
                "executable": a.executable,
                "rentEpoch": a.rent_epoch,
                "space": a.data.len(),
            })
        });
    Ok(json!({"context": c.context(), "value": value}))
}

/// Checks the blockhash and, unless skipped, runs the preflight; queues the transaction to land
/// after `delay`.
fn send_transaction(
    c: &mut Chain,
    args: &[Value],
    delay: Duration,
) -> Result<Value, ErrorObjectOwned> {
    let bytes = args[0]
        .as_str()
        .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
        .ok_or_else(|| rpc_error(-32602, "invalid base64 transaction", Value::Null))?;
    let tx: VersionedTransaction = bincode::deserialize(&bytes)
        .map_err(|e| rpc_error(-32602, format!("invalid transaction: {e}"), Value::Null))?;
    let signature = tx.signatures[0].to_string();
    let known = c.landed.contains_key(&signature)
        || c.queue
            .iter()
            .any(|(_, t)| t.signatures[0] == tx.signatures[0]);
    if known {
        return Ok(json!(signature));
    }
    let skip_preflight = args
        .get(1)
        .and_then(|o| o["skipPreflight"].as_bool())
        .unwrap_or(false);
    if !c.valid(tx.message.recent_blockhash()) {
        if skip_preflight {
            return Ok(json!(signature)); // dropped, as a validator drops it
        }
        return Err(rpc_error(
            -32002,
            "Transaction simulation failed: Blockhash not found",
            json!({"err": "BlockhashNotFound", "logs": []}),
        ));
    }
    if !skip_preflight {
        if let Err(failed) = c.svm.svm.simulate_transaction(tx.clone()) {
            return Err(rpc_error(
                -32002,
                format!("Transaction simulation failed: {:?}", failed.err),
                json!({"err": serde_json::to_value(&failed.err).unwrap(),
                       "logs": failed.meta.logs}),
            ));
        }
    }
    c.queue.push((Instant::now() + delay, tx));
    Ok(json!(signature))
}

fn get_signature_statuses(
    c: &mut Chain,
    args: &[Value],
    _: Duration,
) -> Result<Value, ErrorObjectOwned> {
    let value: Vec<Value> = args[0]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| match s.as_str().and_then(|s| c.landed.get(s)) {
                    None => Value::Null,
                    Some(l) => json!({
                        "slot": l.slot, "confirmations": null, "err": l.err,
                        "status": if l.err.is_null() { json!({"Ok": null}) } else { json!({"Err": l.err}) },
                        "confirmationStatus": "confirmed",
                    }),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(json!({"context": c.context(), "value": value}))
}

fn get_transaction(c: &mut Chain, args: &[Value], _: Duration) -> Result<Value, ErrorObjectOwned> {
    let Some(l) = args[0].as_str().and_then(|s| c.landed.get(s)) else {
        return Ok(Value::Null);
    };
    Ok(json!({
        "slot": l.slot,
        "blockTime": null,
        "meta": {"err": l.err, "logMessages": l.logs, "computeUnitsConsumed": l.cu, "fee": 5000},
        "transaction": null,
    }))
}

fn get_signatures_for_address(
    c: &mut Chain,
    args: &[Value],
    _: Duration,
) -> Result<Value, ErrorObjectOwned> {
    let at = address(&args[0])?;
    let limit = args
        .get(1)
        .and_then(|o| o["limit"].as_u64())
        .unwrap_or(1000) as usize;
    let entries: Vec<Value> = c
        .by_address
        .get(&at)
        .map(|sigs| {
            sigs.iter()
                .rev()
                .take(limit)
                .map(|s| {
                    let l = &c.landed[s];
                    json!({"signature": s, "slot": l.slot, "err": l.err, "memo": null,
                           "blockTime": null, "confirmationStatus": "confirmed"})
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(json!(entries))
}
