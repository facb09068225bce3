// The deploy tool as scripts/deploy-local.sh runs it (src/deploy-cli.ts, a child process) against
// JSON-RPC: src/rpc-shim.ts answers the few RPC methods it uses from a LiteSVM, so web3.js's
// Connection path (send, confirm through the signature subscription, AnchorProvider for
// initialize) runs without a validator. A real solana-test-validator was not available here.
import { strict as assert } from "assert";
import { spawn } from "child_process";
import { Keypair, PublicKey } from "@solana/web3.js";
import { address as kitAddress, lamports as kitLamports } from "@solana/kit";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Harness, PROGRAM_ID, SO, newSvm } from "../src/harness";
import { RpcShim } from "../src/rpc-shim";
import { programDataAddress } from "../src/deploy";

function run(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((ok) => {
    const p = spawn("npx", ["ts-node", "src/deploy-cli.ts", ...args], { cwd: path.resolve(__dirname, "..") });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("close", (code) => ok({ code: code ?? -1, out }));
  });
}

describe("scripts/deploy-local.sh's tool over JSON-RPC (src/deploy-cli.ts against src/rpc-shim.ts)", () => {
  const svm = newSvm();
  const payer = Keypair.generate();
  svm.airdrop(kitAddress(payer.publicKey.toBase58()), kitLamports(100_000_000_000n));
  const shim = new RpcShim(svm);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "isthmus-deploy-"));
  const keypairFile = path.join(dir, "id.json");
  fs.writeFileSync(keypairFile, JSON.stringify([...payer.secretKey]));
  let url: string;
  before(async () => {
    url = await shim.start();
  });
  after(async () => {
    await shim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("deploys, initializes and prints the program id, ProgramData and upgrade authority", async () => {
    const r = await run(["--url", url, "--keypair", keypairFile, "--so", SO, "--chain-id", "777"]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, new RegExp(`program id:\\s+${PROGRAM_ID.toBase58()}`));
    assert.match(r.out, new RegExp(`programdata:\\s+${programDataAddress(PROGRAM_ID).toBase58()}`));
    assert.match(r.out, new RegExp(`upgrade authority:\\s+${payer.publicKey.toBase58()}`));
    assert.match(r.out, /initialized: config/);
    const h = new Harness({ svm, admin: payer });
    const config = await h.program.account.config.fetch(new PublicKey(PublicKey.findProgramAddressSync([Buffer.from("config")], PROGRAM_ID)[0]));
    assert.equal(config.chainId.toString(), "777");
    // A cluster deployment: senders pay their Solana costs, at a floor that prices rent sensibly.
    assert.equal(config.chargeSolanaCosts, 1);
    assert.equal(config.minBaseFee.toString(), "20000000000");
  });

  it("a second run upgrades and leaves the config alone", async () => {
    const r = await run(["--url", url, "--keypair", keypairFile, "--so", SO]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /upgraded in/);
    assert.match(r.out, /exists: not initialized again/);
  });

  it("refuses to upgrade with another keypair", async () => {
    const other = Keypair.generate();
    svm.airdrop(kitAddress(other.publicKey.toBase58()), kitLamports(100_000_000_000n));
    const f = path.join(dir, "other.json");
    fs.writeFileSync(f, JSON.stringify([...other.secretKey]));
    const r = await run(["--url", url, "--keypair", f, "--so", SO]);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /refusing to upgrade/);
  });
});
