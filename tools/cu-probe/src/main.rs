//! `cu-probe`: runs `target/deploy/evm_cu_probe.so` (programs/evm-cu-probe) in LiteSVM and prints
//! the compute units the isthmus-evm interpreter spends per EVM opcode, its fixed cost per
//! transaction, and the heap a few workloads need.
//!
//! Usage: `cu-probe [--bls-maps] [path/to/evm_cu_probe.so]` (default:
//! `<repo>/target/deploy/evm_cu_probe.so`); `--bls-maps` measures only the BLS12-381 maps.
//!
//! Method: every workload (see `evm_cu_probe::workloads`) runs the measured opcode `n` times,
//! unrolled, and has a baseline with the same stack shuffling but without the opcode and with code
//! of the same length. CU per execution = (CU(workload) - CU(baseline)) / n, plus the CU of the POPs
//! the baseline has in place of the opcode (`pops`, POP itself is measured too). The EVM gas
//! difference is checked against the opcode's gas, which proves the opcode ran `n` times. CU are
//! those the probe program itself consumed ("Program <id> consumed N of M compute units").

use evm_cu_probe::bls_map::MapReport;
use evm_cu_probe::message::{
    status, Report, FLAG_BLS_MAP, FLAG_P256, FLAG_P256_JOB, FLAG_SKIP_EVM,
};
use evm_cu_probe::workloads::{self, Workload};
use isthmus_evm::precompiles::bls12_381_map::{G1_STAGES, G2_STAGES};
use litesvm::LiteSVM;
use solana_address::Address;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_message::Message;
use solana_signer::Signer;
use solana_transaction::Transaction;
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// The heap frame the probe program's allocator assumes (src/onchain.rs: HEAP_LEN).
const HEAP_FRAME: u32 = 256 * 1024;
const CU_LIMIT: u32 = 1_400_000;

struct Probe {
    svm: LiteSVM,
    payer: Keypair,
    program: Address,
}

/// One run of the program.
struct Run {
    /// CU the probe program consumed (its own "consumed" log line).
    cu: u64,
    report: Report,
    logs: Vec<String>,
}

impl Probe {
    fn new(so: &PathBuf) -> Result<Self, String> {
        Self::with_svm(so, LiteSVM::new())
    }

    /// A probe whose transactions have `cu` compute units (beyond Solana's 1.4M: to measure
    /// what a transaction cannot hold) and the 256 KiB heap.
    fn unlimited(so: &PathBuf, cu: u64) -> Result<Self, String> {
        let mut budget =
            solana_compute_budget::compute_budget::ComputeBudget::new_with_defaults(false);
        budget.compute_unit_limit = cu;
        budget.heap_size = HEAP_FRAME;
        // No cap on the logs: the BLS12-381 maps log the CU after each of ~2,000 pieces.
        let svm = LiteSVM::new()
            .with_compute_budget(budget)
            .with_log_bytes_limit(None);
        Self::with_svm(so, svm)
    }

    fn with_svm(so: &PathBuf, mut svm: LiteSVM) -> Result<Self, String> {
        let program = Address::new_unique();
        svm.add_program_from_file(program, so)
            .map_err(|e| format!("loading {}: {e:?}", so.display()))?;
        let payer = Keypair::new();
        svm.airdrop(&payer.pubkey(), 100_000_000_000)
            .map_err(|e| format!("airdrop: {e:?}"))?;
        Ok(Self {
            svm,
            payer,
            program,
        })
    }

    fn run(&mut self, data: &[u8]) -> Result<Run, String> {
        let (cu, return_data, logs) = self.run_data(data)?;
        let report = Report::from_bytes(&return_data).ok_or("no report in the return data")?;
        Ok(Run { cu, report, logs })
    }

    /// Runs the program: the CU it consumed, its return data and the logs.
    fn run_data(&mut self, data: &[u8]) -> Result<(u64, Vec<u8>, Vec<String>), String> {
        let instructions = [
            ComputeBudgetInstruction::set_compute_unit_limit(CU_LIMIT),
            ComputeBudgetInstruction::request_heap_frame(HEAP_FRAME),
            Instruction {
                program_id: self.program,
                accounts: vec![],
                data: data.to_vec(),
            },
        ];
        self.svm.expire_blockhash(); // identical messages must not be rejected as duplicates
        let message = Message::new(&instructions, Some(&self.payer.pubkey()));
        let tx = Transaction::new(&[&self.payer], message, self.svm.latest_blockhash());
        let meta = match self.svm.send_transaction(tx) {
            Ok(meta) => meta,
            Err(failed) => {
                return Err(format!("{:?}\n{}", failed.err, failed.meta.logs.join("\n")))
            }
        };
        let prefix = format!("Program {} consumed ", self.program);
        let cu = meta
            .logs
            .iter()
            .find_map(|line| {
                line.strip_prefix(&prefix)?
                    .split(' ')
                    .next()?
                    .parse::<u64>()
                    .ok()
            })
            .ok_or_else(|| format!("no 'consumed' line in the logs:\n{}", meta.logs.join("\n")))?;
        Ok((cu, meta.return_data.data, meta.logs))
    }
}

/// One measured row.
struct Row {
    name: &'static str,
    unit: &'static str,
    n: u16,
    /// (CU workload - CU baseline) / n.
    diff: f64,
    /// With the missing POPs added back: CU of one execution of the opcode.
    per_op: f64,
    /// EVM gas of one execution of the opcode.
    gas: i64,
    /// Total CU of the workload transaction (program only).
    total_cu: u64,
}

fn measure(probe: &mut Probe, w: &Workload) -> Result<(f64, u64), String> {
    let code = probe
        .run(&w.data())
        .map_err(|e| format!("{}: {e}", w.name))?;
    let base = probe
        .run(&w.baseline_data())
        .map_err(|e| format!("{} baseline: {e}", w.name))?;
    for (what, run) in [("workload", &code), ("baseline", &base)] {
        if run.report.status != status::SUCCESS {
            return Err(format!("{} {what}: EVM status {:?}", w.name, run.report));
        }
    }
    let gas_diff = code.report.gas_used as i64 - base.report.gas_used as i64;
    if gas_diff != w.gas * w.n as i64 {
        return Err(format!(
            "{}: gas difference {gas_diff}, expected {} x {}",
            w.name, w.gas, w.n
        ));
    }
    Ok(((code.cu as f64 - base.cu as f64) / w.n as f64, code.cu))
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cu-probe: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let only_maps = args.iter().any(|a| a == "--bls-maps");
    let so = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/deploy/evm_cu_probe.so")
        });
    if only_maps {
        return bls_maps(&mut Probe::unlimited(&so, 100_000_000)?);
    }
    // CU_PROBE_P256_ONLY=1: only the P256VERIFY tables (the opcode tables take a while).
    if std::env::var_os("CU_PROBE_P256_ONLY").is_some() {
        return p256_tables(&so);
    }
    let mut probe = Probe::new(&so)?;

    // Fixed costs.
    let skip = probe.run(&workloads::skip_evm())?;
    let empty = probe.run(&workloads::empty_transaction())?;
    if empty.report.status != status::SUCCESS || empty.report.gas_used != 21_000 {
        return Err(format!("empty transaction: {:?}", empty.report));
    }

    // Opcodes.
    let list = workloads::all();
    let mut diffs = Vec::new();
    for w in &list {
        diffs.push(measure(&mut probe, w)?);
    }
    let pop = list
        .iter()
        .zip(&diffs)
        .find(|(w, _)| w.name == "POP")
        .map(|(_, d)| d.0)
        .ok_or("no POP workload")?;
    let rows: Vec<Row> = list
        .iter()
        .zip(&diffs)
        .map(|(w, &(diff, total_cu))| {
            let pops = w.pops as i64;
            Row {
                name: w.name,
                unit: w.unit,
                n: w.n,
                diff,
                per_op: diff + w.pops as f64 * pop,
                gas: w.gas + 2 * pops,
                total_cu,
            }
        })
        .collect();

    let so = so.canonicalize().unwrap_or(so);
    println!(
        "## isthmus-evm compute units per opcode (LiteSVM 0.16.0, {})",
        so.display()
    );
    println!();
    println!(
        "Fixed costs (CU consumed by the probe program, heap frame {} KiB):",
        HEAP_FRAME / 1024
    );
    println!();
    println!("| transaction | CU |");
    println!("|---|---:|");
    println!(
        "| program only: parse the message, log, return data (no EVM) | {} |",
        skip.cu
    );
    println!(
        "| empty EVM transaction (code `STOP`, 21,000 gas) | {} |",
        empty.cu
    );
    println!(
        "| fixed interpreter cost (difference) | {} |",
        empty.cu - skip.cu
    );
    // The same, with the remaining CU logged between the phases (each log costs ~100 CU).
    let traced = probe.run(&workloads::empty_transaction_traced())?;
    let remaining = remaining_cu(&traced.logs);
    if let [decoded, world, created, started, done] = remaining[..] {
        println!("| of which: build the world (expand + keccak the code, MemoryState with 2 accounts) | {} |", decoded - world);
        println!("| of which: `Machine::new` | {} |", world - created);
        println!(
            "| of which: start (validate, buy gas, nonce, warm accounts, the first frame) | {} |",
            created - started
        );
        println!("| of which: run `STOP` and settle (refund, pay the coinbase, collect the changes) | {} |", started - done);
        println!("| (each phase above includes one compute-unit log, 100 CU) | |");
    } else {
        eprintln!("warning: expected 5 compute-unit logs, got {remaining:?}");
    }
    println!();
    println!(
        "| opcode | CU / execution | gas | CU / gas | measured difference (n) | workload CU |"
    );
    println!("|---|---:|---:|---:|---|---:|");
    for row in &rows {
        let per_gas = if row.gas > 0 {
            format!("{:.1}", row.per_op / row.gas as f64)
        } else {
            "-".into()
        };
        println!(
            "| {} | {:.1} | {} | {} | {:.1}: {} ({}) | {} |",
            row.name, row.per_op, row.gas, per_gas, row.diff, row.unit, row.n, row.total_cu
        );
    }

    // Derived: the taken jumps inside the loops.
    let cu: HashMap<&str, f64> = rows.iter().map(|r| (r.name, r.per_op)).collect();
    let get = |name: &str| cu.get(name).copied().unwrap_or(f64::NAN);
    let jumpi_taken = get("JUMPI loop iteration")
        - (get("JUMPDEST") + 2.0 * get("PUSH1") + get("SWAP1") + get("SUB") + get("DUP1"));
    let jump = get("JUMP loop iteration")
        - (get("JUMPDEST")
            + 3.0 * get("PUSH1")
            + get("SWAP1")
            + get("SUB")
            + get("DUP1")
            + get("ISZERO")
            + get("JUMPI not taken"));
    println!();
    println!("Derived (loop iteration minus its other opcodes): JUMPI taken ~{jumpi_taken:.1} CU, JUMP ~{jump:.1} CU.");

    // Heap.
    println!();
    println!("| heap workload | gas | CU | heap high-water (bump) | peak live bytes |");
    println!("|---|---:|---:|---:|---:|");
    for (name, data) in workloads::heap_workloads() {
        let run = probe.run(&data).map_err(|e| format!("{name}: {e}"))?;
        if run.report.status != status::SUCCESS {
            return Err(format!("{name}: {:?}", run.report));
        }
        println!(
            "| {name} | {} | {} | {} | {} |",
            run.report.gas_used, run.cu, run.report.heap_high_water, run.report.heap_peak_live
        );
    }

    p256_tables(&so)?;
    bls_maps(&mut Probe::unlimited(&so, 100_000_000)?)
}

/// The P256VERIFY tables: the `p256` crate's verification, and the stepped job the program
/// runs, piece by piece.
fn p256_tables(so: &PathBuf) -> Result<(), String> {
    // P256VERIFY in Rust (isthmus_evm::crypto::p256), against the same message skipping the EVM.
    println!();
    println!("| P256VERIFY in Rust (p256 crate) | valid | CU |");
    println!("|---|---|---:|");
    let mut wide = Probe::unlimited(so, 100_000_000)?;
    let stop = vec![(1, vec![workloads::op::STOP])];
    let valid = P256_VALID_INPUT;
    let mut invalid = valid;
    invalid[0] ^= 1;
    let base = wide.run(&workloads::instruction_data(
        &stop,
        1,
        &valid,
        FLAG_SKIP_EVM,
    ))?;
    for (name, input) in [("valid signature", valid), ("wrong hash", invalid)] {
        let run = wide.run(&workloads::instruction_data(&stop, 1, &input, FLAG_P256))?;
        println!(
            "| {name} | {} | {} |",
            run.report.detail == 1,
            run.cu - base.cu
        );
    }

    // P256VERIFY as the program runs it: the stepped job, CU after 0, 1, ... pieces (the
    // differences are what the job's per-piece step costs must cover, at 70 CU a step).
    println!();
    println!("| P256VERIFY job (isthmus_evm::precompiles::p256_job) | pieces | answered | CU |");
    println!("|---|---:|---|---:|");
    let job_cu = |probe: &mut Probe, input: &[u8; 160], pieces: u16| -> Result<(u64, u8), String> {
        let calldata = [input.as_slice(), &pieces.to_le_bytes()].concat();
        let run = probe.run(&workloads::instruction_data(
            &stop,
            1,
            &calldata,
            FLAG_P256_JOB,
        ))?;
        Ok((run.cu - base.cu, run.report.detail))
    };
    let mut last = 0;
    for (name, input, pieces) in [
        ("input checks", valid, 0),
        ("+ 1 inversion piece", valid, 1),
        ("+ 15 inversion pieces and setup", valid, 16),
        ("+ 1 ladder piece", valid, 17),
        ("+ 2 ladder pieces", valid, 18),
        ("+ 254 ladder pieces and the check (all)", valid, 272),
        ("all, wrong hash", invalid, 272),
    ] {
        let (cu, detail) = job_cu(&mut wide, &input, pieces)?;
        println!(
            "| {name} | {pieces} | {detail} | {cu} (+{}) |",
            cu.saturating_sub(last)
        );
        last = cu;
    }
    Ok(())
}

/// The remaining compute units of each `sol_log_compute_units` line in `logs`.
fn remaining_cu(logs: &[String]) -> Vec<u64> {
    logs.iter()
        .filter_map(|line| {
            line.strip_prefix("Program consumption: ")?
                .split(' ')
                .next()?
                .parse()
                .ok()
        })
        .collect()
}

/// EIP-2537's maps in Rust as resumable jobs (isthmus_evm::precompiles::bls12_381_map), one
/// piece at a time: CU per stage and per map, against the job's own estimate.
fn bls_maps(probe: &mut Probe) -> Result<(), String> {
    let stop = vec![(1, vec![workloads::op::STOP])];
    let mut g1 = vec![0u8; 64];
    g1[16..].copy_from_slice(&[0x0d; 48]);
    let mut g2 = vec![0u8; 128];
    g2[16..64].copy_from_slice(&[0x0d; 48]);
    g2[80..].copy_from_slice(&[0x07; 48]);
    for (name, input, stages) in [
        ("MAP_FP_TO_G1", g1, &G1_STAGES[..]),
        ("MAP_FP2_TO_G2", g2, &G2_STAGES[..]),
    ] {
        let data = workloads::instruction_data(&stop, 1, &input, FLAG_BLS_MAP);
        let (cu, bytes, logs) = probe.run_data(&data)?;
        let report = MapReport::from_bytes(&bytes).ok_or("no map report in the return data")?;
        if report.output.is_empty() {
            return Err(format!("{name}: the job failed"));
        }
        let remaining = remaining_cu(&logs);
        let pieces: u32 = report.pieces.iter().sum();
        if remaining.len() != pieces as usize + 2 {
            return Err(format!(
                "{name}: {} compute-unit logs for {pieces} pieces",
                remaining.len()
            ));
        }
        // The first two checkpoints are back to back: their difference is one checkpoint's cost.
        let overhead = remaining[0] - remaining[1];
        let mut costs = remaining[1..].windows(2).map(|w| w[0] - w[1] - overhead);
        println!();
        println!("| {name} stage | pieces | CU, costliest piece | CU, all pieces |");
        println!("|---|---:|---:|---:|");
        let mut measured = 0;
        for (stage, &n) in stages.iter().zip(&report.pieces) {
            let stage_costs: Vec<u64> = costs.by_ref().take(n as usize).collect();
            let total: u64 = stage_costs.iter().sum();
            let max = stage_costs.iter().max().copied().unwrap_or(0);
            measured += total;
            println!("| {stage} | {n} | {max} | {total} |");
            if std::env::var_os("CU_PROBE_PIECES").is_some() {
                eprintln!("{stage}: {stage_costs:?}");
            }
        }
        println!("| whole map | {pieces} | | {measured} |");
        println!(
            "{name}: the job's estimate {} steps = {} CU (x70), measured {measured} CU; program total {cu} CU (the map twice, piece by piece and in one call)",
            report.estimated_steps,
            report.estimated_steps * 70
        );
    }
    Ok(())
}

/// revm's `ok_1` P256VERIFY vector (hash, r, s, x, y).
const P256_VALID_INPUT: [u8; 160] = {
    let hex = b"4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4da73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d604aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff37618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e";
    const fn nibble(c: u8) -> u8 {
        if c <= b'9' {
            c - b'0'
        } else {
            c - b'a' + 10
        }
    }
    let mut out = [0u8; 160];
    let mut i = 0;
    while i < 160 {
        out[i] = nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]);
        i += 1;
    }
    out
};
