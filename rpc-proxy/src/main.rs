//! `rpc-proxy`: the Ethereum JSON-RPC endpoint of Isthmus. With no arguments it runs an embedded
//! Solana VM (LiteSVM) with `target/deploy/isthmus.so` deployed and initialized, funds the ten
//! development accounts of `test test ... junk` (as anvil and Hardhat do) and serves JSON-RPC over
//! HTTP and WebSocket on 127.0.0.1:8545. The chain, its blocks and receipts, and the accepted
//! transactions live in a SQLite database in the data directory, so a restart continues the
//! same chain (`--ephemeral` keeps everything in memory instead).

mod accounts;
mod app;
mod chain;
mod clock;
mod dev;
mod filters;
mod geth;
mod history;
mod mempool;
mod overrides;
mod producer;
mod rpc;
mod snapshot;
mod state_edit;
mod store;
mod supervise;
mod trace;
mod view;

use clap::Parser;
use isthmus_client::interface::account::config::MAX_CODE_SIZE_LIMIT;
use isthmus_client::interface::block::ChainRules;
use isthmus_client::interface::fee_market::FeeMarketParams;
use isthmus_evm::Fork;
use isthmus_relayer::cluster::PriorityFee;
use jsonrpsee::server::{BatchRequestConfig, Server, ServerConfig};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "rpc-proxy",
    version,
    about = "Isthmus Ethereum JSON-RPC endpoint"
)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on (HTTP and WebSocket).
    #[arg(long, default_value_t = 8545)]
    port: u16,
    /// Keep nothing on disk: a fresh chain that is gone on exit.
    #[arg(long)]
    ephemeral: bool,
    /// Where the embedded chain keeps its database (default: $XDG_DATA_HOME/isthmus, else
    /// ~/.local/share/isthmus).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// The chain id of a new chain (an existing data directory keeps its own).
    #[arg(long, default_value_t = 1337)]
    chain_id: u64,
    /// The Ethereum fork of a new chain (cancun, prague, osaka or latest; anvil's flag), kept in
    /// the program's config (an existing data directory keeps its own).
    #[arg(long, default_value = "osaka", value_parser = parse_fork)]
    hardfork: Fork,
    /// The largest code a creation may deploy on a new chain, in bytes (anvil's flag; default:
    /// EIP-170's 24,576; initcode may be twice as large).
    #[arg(long, conflicts_with = "disable_code_size_limit")]
    code_size_limit: Option<u32>,
    /// No code size limit on a new chain but what one Solana account holds (anvil's flag;
    /// Hardhat's `allowUnlimitedContractSize`).
    #[arg(long)]
    disable_code_size_limit: bool,
    /// A new chain's senders pay their transactions' Solana costs (rent of the accounts they
    /// create, the operator's signature) as gas on top of the EVM's, as a cluster deployment
    /// does; by default the embedded chain's operator bears them, so gas figures are Ethereum's.
    #[arg(long)]
    charge_solana_costs: bool,
    /// Priority fee of the Solana transactions relayed, micro-lamports a compute unit, or `auto`
    /// (with --solana-url: the 75th percentile of what recent slots paid,
    /// getRecentPrioritizationFees). On a chain charging Solana costs, a transaction whose gas
    /// does not pay for its relay at this fee is refused.
    #[arg(long, default_value = "0")]
    priority_fee: PriorityFee,
    /// The program to load (default: $ISTHMUS_SO, else target/deploy/isthmus.so).
    #[arg(long)]
    program: Option<PathBuf>,
    /// Serve Prometheus metrics on this address (e.g. 127.0.0.1:9545).
    #[arg(long)]
    metrics: Option<SocketAddr>,
    /// Use this Solana cluster or local validator instead of the embedded VM.
    #[arg(long, requires = "operator_keypair")]
    solana_url: Option<String>,
    /// The program's id on that cluster (must be this build's, the one in
    /// target/deploy/isthmus-keypair.json).
    #[arg(long, requires = "solana_url")]
    program_id: Option<String>,
    /// An operator's keypair file (Solana CLI JSON): it signs and pays for the Solana
    /// transactions and must be one of the program's operators. Repeat it for a pool of
    /// operators that relay in turn.
    #[arg(long, requires = "solana_url")]
    operator_keypair: Vec<PathBuf>,
    /// Answer browsers from any origin (CORS, as anvil does) unless this is set.
    #[arg(long)]
    no_cors: bool,
    /// The most requests one JSON-RPC batch may hold (geth's default).
    #[arg(long, default_value_t = 1_000)]
    rpc_batch_limit: u32,
    /// Seconds eth_call, eth_estimateGas and eth_createAccessList may run before they are
    /// aborted (geth's default: 5).
    #[arg(long, default_value_t = 5.0)]
    rpc_evmtimeout: f64,
    /// The largest JSON-RPC response, in MiB: a larger one is refused (-32008), not sent.
    #[arg(long, default_value_t = 64)]
    rpc_max_response_mib: u32,
    /// The most subscriptions (eth_subscribe) one WebSocket connection may hold.
    #[arg(long, default_value_t = 1_024)]
    rpc_max_subscriptions: u32,
    /// The most gas eth_call, eth_estimateGas and eth_createAccessList may use (geth's default;
    /// 0: no cap but the block gas limit).
    #[arg(long, default_value_t = app::DEFAULT_CALL_GAS_CAP)]
    rpc_gascap: u64,
    /// Start with automine off: transactions wait for evm_mine (anvil's --no-mining).
    #[arg(long)]
    no_mining: bool,
    /// Mine a block every this many seconds, empty or not (anvil's --block-time; automine off).
    #[arg(long)]
    block_time: Option<f64>,
    /// Embedded chain: how many operator keys a new chain creates and relays through in turn
    /// (1 to 8).
    #[arg(long, default_value_t = 4, conflicts_with = "solana_url")]
    operators: usize,
    /// With --solana-url: sign for the ten development accounts (eth_accounts,
    /// eth_sendTransaction); the embedded chain always does.
    #[arg(long, requires = "solana_url")]
    unlock_dev_accounts: bool,
    /// With --solana-url: give each development account without a balance 10,000 ETH, paid by
    /// the operator (for local validators).
    #[arg(long, requires = "solana_url")]
    fund_dev_accounts: bool,
}

/// `--hardfork`: a fork's name in any case, or `latest` (Osaka, what Ethereum mainnet runs).
fn parse_fork(name: &str) -> Result<Fork, String> {
    if name.eq_ignore_ascii_case("latest") {
        return Ok(Fork::Osaka);
    }
    Fork::ALL
        .into_iter()
        .find(|fork| fork.name().eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            format!("{name}: not a fork this chain runs (cancun, prague, osaka, latest)")
        })
}

/// The chain the flags ask for, over `store`.
fn open_chain(args: &Args, store: &store::Store) -> Result<chain::Chain, String> {
    let Some(url) = &args.solana_url else {
        let rules = ChainRules {
            chain_id: args.chain_id,
            fork: args.hardfork,
            code_size_limit: if args.disable_code_size_limit {
                Some(MAX_CODE_SIZE_LIMIT)
            } else {
                args.code_size_limit
            },
        };
        let PriorityFee::Fixed(priority_fee) = args.priority_fee else {
            return Err("--priority-fee auto reads a cluster's fees: it needs --solana-url".into());
        };
        let fee_market = FeeMarketParams {
            charge_solana_costs: args.charge_solana_costs,
            ..FeeMarketParams::default()
        };
        let mut chain = chain::Chain::open(store, rules, fee_market, args.operators)?;
        chain.set_embedded_priority_fee(priority_fee);
        return Ok(chain);
    };
    if let Some(id) = &args.program_id {
        if *id != isthmus_client::PROGRAM_ID.to_string() {
            return Err(format!(
                "--program-id {id}: this build's program is {}",
                isthmus_client::PROGRAM_ID
            ));
        }
    }
    let mut operators = Vec::new();
    for path in &args.operator_keypair {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let bytes: Vec<u8> =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        operators.push(
            solana_keypair::Keypair::try_from(&bytes[..])
                .map_err(|e| format!("{}: {e}", path.display()))?,
        );
    }
    chain::Chain::remote(url, operators, args.fund_dev_accounts, args.priority_fee)
}

fn data_dir(args: &Args) -> PathBuf {
    if let Some(d) = &args.data_dir {
        return d.clone();
    }
    match std::env::var_os("XDG_DATA_HOME") {
        Some(d) => PathBuf::from(d).join("isthmus"),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| ".".into()))
            .join(".local/share/isthmus"),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let (host, port) = (args.host.clone(), args.port);
    let (cors, batch_limit) = (!args.no_cors, args.rpc_batch_limit);
    let (max_response, max_subscriptions) = (
        args.rpc_max_response_mib.saturating_mul(1024 * 1024),
        args.rpc_max_subscriptions,
    );
    let call_timeout_ms = (args.rpc_evmtimeout * 1000.0).round().max(1.0) as u64;
    let (gas_cap, no_mining) = (args.rpc_gascap, args.no_mining);
    let block_time_ms = args
        .block_time
        .map(|s| (s * 1000.0).round().max(1.0) as u64);
    if let Some(so) = &args.program {
        std::env::set_var("ISTHMUS_SO", so);
    }
    if let Some(addr) = args.metrics {
        metrics_exporter_prometheus::PrometheusBuilder::new()
            .with_http_listener(addr)
            .install()?;
        tracing::info!(%addr, "Prometheus metrics");
    }
    let store = if args.ephemeral {
        store::Store::open(None)?
    } else {
        let dir = data_dir(&args);
        std::fs::create_dir_all(&dir)?;
        // A cluster's index apart from the embedded chain's.
        let name = if args.solana_url.is_some() {
            "remote.sqlite"
        } else {
            "chain.sqlite"
        };
        let path = dir.join(name);
        tracing::info!(path = %path.display(), "database");
        store::Store::open(Some(&path))?
    };
    let embedded = args.solana_url.is_none();
    let (app, woken) = tokio::task::spawn_blocking(move || {
        let chain = open_chain(&args, &store)?;
        let accounts = if args.solana_url.is_none() || args.unlock_dev_accounts {
            accounts::NodeAccounts::dev()?
        } else {
            accounts::NodeAccounts::default()
        };
        app::App::open(store, chain, accounts)
    })
    .await?
    .map_err(|e| format!("starting the chain: {e}"))?;
    print_accounts(app.chain_id, embedded)?;
    app.call_timeout_ms
        .store(call_timeout_ms, std::sync::atomic::Ordering::Relaxed);
    app.call_gas_cap
        .store(gas_cap, std::sync::atomic::Ordering::Relaxed);
    if embedded && (no_mining || block_time_ms.is_some()) {
        app.automine
            .store(false, std::sync::atomic::Ordering::Relaxed);
    }
    if let (true, Some(ms)) = (embedded, block_time_ms) {
        app.interval_ms
            .store(ms, std::sync::atomic::Ordering::Relaxed);
    }
    let producer = app.clone();
    std::thread::Builder::new()
        .name("producer".into())
        .spawn(move || {
            // A panic (a bug met by one transaction) restarts the producer, logged, instead of
            // stopping blocks for good.
            supervise::supervise("producer", std::time::Duration::from_secs(1), || {
                producer.clone().run_producer(&woken)
            });
        })?;

    let module = rpc::module(app)?;
    let addr: SocketAddr = format!("{host}:{port}").parse()?;
    let config = ServerConfig::builder()
        .set_id_provider(rpc::eth_pubsub::HexIds::default())
        .max_request_body_size(16 * 1024 * 1024)
        .max_response_body_size(max_response)
        .max_subscriptions_per_connection(max_subscriptions)
        .set_batch_request_config(BatchRequestConfig::Limit(batch_limit))
        .build();
    // Any origin, any header: a dapp served from elsewhere reaches the node (anvil's default).
    let cors = cors.then(tower_http::cors::CorsLayer::permissive);
    let server = Server::builder()
        .set_config(config)
        .set_http_middleware(tower::ServiceBuilder::new().option_layer(cors))
        .build(addr)
        .await?;
    let local = server.local_addr()?;
    let handle = server.start(module);
    println!("Listening on {local}");
    tracing::info!(%local, "JSON-RPC over HTTP and WebSocket");
    tokio::select! {
        _ = handle.clone().stopped() => {}
        _ = tokio::signal::ctrl_c() => {
            tracing::info!("shutting down");
            let _ = handle.stop();
        }
    }
    Ok(())
}

fn print_accounts(chain_id: u64, embedded: bool) -> Result<(), String> {
    let dev = chain::dev_accounts()?;
    let backend = if embedded {
        "embedded LiteSVM"
    } else {
        "remote cluster"
    };
    println!("Isthmus rpc-proxy ({backend}, chain id {chain_id})");
    println!("\nAvailable Accounts\n==================");
    for (i, (a, _)) in dev.iter().enumerate() {
        println!("({i}) {} (10000 ETH)", alloy_primitives::Address::from(*a));
    }
    println!("\nPrivate Keys\n==================");
    for (i, (_, k)) in dev.iter().enumerate() {
        println!("({i}) {}", rpc::hex(k));
    }
    println!(
        "\nMnemonic: {}\nDerivation path: m/44'/60'/0'/0/<index>\n",
        chain::MNEMONIC
    );
    Ok(())
}
