// Deploys (or upgrades) target/deploy/isthmus.so to a running validator through the upgradeable
// loader, initializes the config when it does not exist, and prints the program id, the
// ProgramData address and the upgrade authority. Run by scripts/deploy-local.sh; directly:
//
//   npx ts-node src/deploy-cli.ts [--url URL] [--keypair FILE] [--so FILE] [--program-keypair FILE]
//       [--chain-id N] [--operator PUBKEY]... [--contract-compute-cap N] [--min-base-fee WEI]
//       [--base-fee-change-denominator N] [--operator-pays-solana-costs] [--max-len BYTES]
//       [--no-initialize] [--no-deploy]
import { Connection, Keypair, PublicKey } from "@solana/web3.js";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RpcChain, deployProgram, initializeIfNeeded, InitOptions, programDataAddress, programDataAuthority } from "./deploy";

const ROOT = path.resolve(__dirname, "../../..");
const USAGE = `usage: deploy-cli [--url URL] [--keypair FILE] [--so FILE] [--program-keypair FILE]
  [--chain-id N] [--operator PUBKEY]... [--contract-compute-cap N] [--min-base-fee WEI]
  [--base-fee-change-denominator N] [--operator-pays-solana-costs] [--max-len BYTES]
  [--no-initialize] [--no-deploy]
  --url              RPC URL (default http://127.0.0.1:8899)
  --keypair          payer and upgrade authority (default ~/.config/solana/id.json)
  --so               the program (default target/deploy/isthmus.so)
  --program-keypair  the program's keypair (default target/deploy/isthmus-keypair.json, else
                     programs/isthmus/keys/isthmus-keypair.json)
  initialize (only when the config does not exist yet): --chain-id (1337), --operator (repeat;
  default: the payer), --contract-compute-cap (12000000), --min-base-fee (20000000000 wei when
  senders pay the Solana costs, else 1000000000),
  --base-fee-change-denominator (8); senders pay their transactions' Solana costs (rent of the
  accounts they create, the signature) as gas unless --operator-pays-solana-costs
  --no-initialize    deploy only
  --no-deploy        only initialize a program already deployed (e.g. by
                     solana-test-validator --upgradeable-program ID SO AUTHORITY)`;

function readKeypair(file: string): Keypair {
  // Relative to where scripts/deploy-local.sh was run (it changes directory to tests/anchor).
  const expanded = path.resolve(process.env.DEPLOY_CWD ?? process.cwd(), file.replace(/^~(?=\/|$)/, os.homedir()));
  return Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(expanded, "utf8"))));
}

async function main() {
  const args = process.argv.slice(2);
  const opt: Record<string, string> = {};
  const operators: PublicKey[] = [];
  let initialize = true;
  let deploy = true;
  let operatorPays = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "-h" || a === "--help") {
      console.log(USAGE);
      return;
    }
    if (a === "--no-deploy") {
      deploy = false;
      continue;
    }
    if (a === "--operator-pays-solana-costs") {
      operatorPays = true;
      continue;
    }
    if (a === "--no-initialize") {
      initialize = false;
      continue;
    }
    const known = [
      "--url",
      "--keypair",
      "--so",
      "--program-keypair",
      "--chain-id",
      "--operator",
      "--contract-compute-cap",
      "--min-base-fee",
      "--base-fee-change-denominator",
      "--max-len",
    ];
    if (!known.includes(a) || i + 1 >= args.length) throw new Error(`bad argument ${a}\n${USAGE}`);
    const v = args[++i];
    if (a === "--operator") operators.push(new PublicKey(v));
    else opt[a.slice(2)] = v;
  }
  const url = opt["url"] ?? "http://127.0.0.1:8899";
  const payer = readKeypair(opt["keypair"] ?? "~/.config/solana/id.json");
  const soPath = path.resolve(process.env.DEPLOY_CWD ?? process.cwd(), opt["so"] ?? process.env.ISTHMUS_SO ?? path.join(ROOT, "target/deploy/isthmus.so"));
  const programKeypairPath =
    opt["program-keypair"] ??
    [path.join(ROOT, "target/deploy/isthmus-keypair.json"), path.join(ROOT, "programs/isthmus/keys/isthmus-keypair.json")].find((f) =>
      fs.existsSync(f),
    )!;
  const programKeypair = readKeypair(programKeypairPath);
  const so = fs.readFileSync(soPath);
  const idl = JSON.parse(fs.readFileSync(path.join(ROOT, "idl/isthmus.json"), "utf8"));
  if (idl.address !== programKeypair.publicKey.toBase58()) {
    console.error(
      `warning: the program keypair is ${programKeypair.publicKey.toBase58()}, but the program declares ${idl.address}: ` +
        `Anchor 2's entrypoint will refuse every instruction (IncorrectProgramId)`,
    );
  }

  const connection = new Connection(url, "confirmed");
  const chain = new RpcChain(connection);
  const balance = await connection.getBalance(payer.publicKey, "confirmed");
  console.log(`cluster ${url}, payer ${payer.publicKey.toBase58()} (${balance / 1e9} SOL), ${soPath} (${so.length} bytes)`);
  let d: { programId: PublicKey; programData: PublicKey; authority: PublicKey };
  if (deploy) {
    const started = Date.now();
    const done = await deployProgram(chain, {
      payer,
      programKeypair,
      so,
      maxDataLen: opt["max-len"] ? Number(opt["max-len"]) : undefined,
      log: (l) => console.log(l),
    });
    console.log(`${done.action} in ${((Date.now() - started) / 1000).toFixed(1)} s (${done.writes} buffer writes)`);
    d = done;
  } else {
    const programId = programKeypair.publicKey;
    const programData = programDataAddress(programId);
    const pd = await chain.getAccount(programData);
    if (!pd) throw new Error(`--no-deploy: ${programId.toBase58()} is not deployed (no ProgramData ${programData.toBase58()})`);
    const authority = programDataAuthority(pd.data);
    if (!authority) throw new Error("--no-deploy: the program has no upgrade authority, so nobody can initialize it");
    d = { programId, programData, authority };
  }

  if (initialize) {
    const init: InitOptions = {
      chainId: opt["chain-id"] ? BigInt(opt["chain-id"]) : undefined,
      operators: operators.length ? operators : undefined,
      contractComputeCap: opt["contract-compute-cap"] ? BigInt(opt["contract-compute-cap"]) : undefined,
      minBaseFee: opt["min-base-fee"] ? BigInt(opt["min-base-fee"]) : undefined,
      baseFeeChangeDenominator: opt["base-fee-change-denominator"] ? BigInt(opt["base-fee-change-denominator"]) : undefined,
      chargeSolanaCosts: !operatorPays,
    };
    const r = await initializeIfNeeded(chain, idl, d.programId, payer, init);
    console.log(r.created ? `initialized: config ${r.config.toBase58()} (${r.signature})` : `config ${r.config.toBase58()} exists: not initialized again`);
  }
  console.log(`program id:        ${d.programId.toBase58()}`);
  console.log(`programdata:       ${d.programData.toBase58()}`);
  console.log(`upgrade authority: ${d.authority.toBase58()}`);
}

main().catch((e) => {
  console.error(`deploy failed: ${e?.stack ?? e}`);
  if (e?.logs) console.error(e.logs.join("\n"));
  process.exit(1);
});
