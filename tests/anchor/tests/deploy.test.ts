// src/deploy.ts (what scripts/deploy-local.sh runs against a validator) run in-process: the .so
// deployed through the upgradeable loader into a LiteSVM that does not have it, `initialize`
// through the deployed program, an instruction against it, upgrades by its authority and by
// another key.
import { strict as assert } from "assert";
import { BN } from "@coral-xyz/anchor";
import { Keypair, PublicKey } from "@solana/web3.js";
import * as fs from "fs";
import * as path from "path";
import { address as kitAddress, lamports as kitLamports } from "@solana/kit";
import { Harness, IDL, PROGRAM_ID, ROOT, SO, SvmChain, SvmError, accountPda, newSvm } from "../src/harness";
import { le } from "../src/evm";
import { LOADER_V3, MIN_EXTEND, PROGRAMDATA_HEADER, deployProgram, initializeIfNeeded, programDataAddress, programDataAuthority, writeChunkSize } from "../src/deploy";

const DEV_KEYPAIR = path.join(ROOT, "programs/isthmus/keys/isthmus-keypair.json");
const readKeypair = (file: string) => Keypair.fromSecretKey(Uint8Array.from(JSON.parse(fs.readFileSync(file, "utf8"))));

function fundedSvm() {
  const svm = newSvm();
  const payer = Keypair.generate();
  svm.airdrop(kitAddress(payer.publicKey.toBase58()), kitLamports(100_000_000_000n));
  return { svm, payer, chain: new SvmChain(svm) };
}

describe("deploy through the upgradeable loader (src/deploy.ts, in LiteSVM)", () => {
  const so = fs.readFileSync(SO);

  it("sizes the buffer writes to fill a 1232-byte transaction", () => {
    const n = writeChunkSize(Keypair.generate().publicKey, Keypair.generate().publicKey);
    assert.ok(n > 1000 && n < 1232, `chunk ${n}`);
  });

  it("the dev keypair is the IDL's program id", () => {
    assert.ok(readKeypair(DEV_KEYPAIR).publicKey.equals(PROGRAM_ID));
  });

  describe("under the dev keypair, into a fresh LiteSVM", () => {
    const { svm, payer, chain } = fundedSvm();
    const programKeypair = readKeypair(DEV_KEYPAIR);
    let h: Harness;

    it("deploys: Program and ProgramData owned by the loader, the payer as upgrade authority", async () => {
      assert.equal(await chain.getAccount(PROGRAM_ID), null);
      const d = await deployProgram(chain, { payer, programKeypair, so });
      assert.equal(d.action, "deployed");
      assert.ok(d.programId.equals(PROGRAM_ID));
      assert.ok(d.programData.equals(programDataAddress(PROGRAM_ID)));
      assert.ok(d.authority.equals(payer.publicKey));
      const program = (await chain.getAccount(PROGRAM_ID))!;
      assert.ok(program.owner.equals(LOADER_V3) && program.executable);
      const pd = (await chain.getAccount(d.programData))!;
      assert.ok(pd.data.subarray(PROGRAMDATA_HEADER).equals(so));
      assert.equal(await chain.getAccount(d.buffer), null, "the buffer is closed into ProgramData");
      assert.ok(d.writes > 800, `${d.writes} writes`);
    });

    it("initializes through the deployed program (the payer is the upgrade authority), once", async () => {
      const first = await initializeIfNeeded(chain, IDL, PROGRAM_ID, payer, { chainId: 4242n });
      assert.equal(first.created, true);
      h = new Harness({ svm, admin: payer });
      const config = await h.program.account.config.fetch(first.config);
      assert.equal(config.chainId.toString(), "4242");
      assert.ok(config.admin.equals(payer.publicKey));
      const again = await initializeIfNeeded(chain, IDL, PROGRAM_ID, payer);
      assert.equal(again.created, false);
    });

    it("runs deposit against it", async () => {
      const addr = Buffer.alloc(20, 7);
      await h.rpc(h.program.methods.deposit([...addr], new BN(2_000_000_000)).accounts({ depositor: h.payer.publicKey }));
      const acct = await h.program.account.ethAccount.fetch(accountPda(addr));
      assert.equal(le(acct.balance), 2_000_000_000n * 1_000_000_000n);
    });

    it("upgrades with a second deploy by the same authority, growing ProgramData when needed", async () => {
      const bigger = Buffer.concat([so, Buffer.alloc(3000)]);
      const d = await deployProgram(chain, { payer, programKeypair, so: bigger });
      assert.equal(d.action, "upgraded");
      const pd = (await chain.getAccount(d.programData))!;
      // Grown by SIMD-0431's minimum (10 KiB), the tail past the ELF zero.
      assert.equal(pd.data.length, PROGRAMDATA_HEADER + so.length + MIN_EXTEND);
      assert.ok(pd.data.subarray(PROGRAMDATA_HEADER, PROGRAMDATA_HEADER + bigger.length).equals(bigger));
      // The slot of the Upgrade (SvmChain moves one slot past each transaction).
      assert.equal(pd.data.readBigUInt64LE(4), svm.getClock().slot - 1n);
      const addr = Buffer.alloc(20, 8);
      await h.rpc(h.program.methods.deposit([...addr], new BN(1_000_000_000)).accounts({ depositor: h.payer.publicKey }));
      assert.ok(await h.program.account.ethAccount.fetch(accountPda(addr)));
    });

    it("refuses an upgrade by another key: before sending, and in the loader (IncorrectAuthority)", async () => {
      const other = Keypair.generate();
      svm.airdrop(kitAddress(other.publicKey.toBase58()), kitLamports(100_000_000_000n));
      const before = (await chain.getAccount(programDataAddress(PROGRAM_ID)))!.data;
      await assert.rejects(deployProgram(chain, { payer: other, programKeypair, so }), /upgrade authority .* refusing/);
      let err: any;
      try {
        await deployProgram(chain, { payer: other, programKeypair, so, skipAuthorityCheck: true });
      } catch (e) {
        err = e;
      }
      assert.ok(err instanceof SvmError, `${err}`);
      assert.equal(err.name_, "IncorrectAuthority", err.detail);
      const after = (await chain.getAccount(programDataAddress(PROGRAM_ID)))!.data;
      assert.ok(after.equals(before));
      assert.ok(programDataAuthority(after)!.equals(payer.publicKey));
    });
  });

  describe("under a fresh program keypair", () => {
    const { svm, payer, chain } = fundedSvm();
    const programKeypair = Keypair.generate();

    it("deploys, but Anchor 2's entrypoint refuses a program id other than declare_id! (IncorrectProgramId)", async () => {
      const d = await deployProgram(chain, { payer, programKeypair, so });
      assert.ok(d.authority.equals(payer.publicKey));
      assert.ok((await chain.getAccount(d.programData))!.data.subarray(PROGRAMDATA_HEADER).equals(so));
      let err: any;
      try {
        await initializeIfNeeded(chain, IDL, programKeypair.publicKey, payer);
      } catch (e) {
        err = e;
      }
      assert.ok(err, "initialize under a fresh program id succeeded");
      // The entrypoint compares the program id with declare_id! before decoding anything.
      assert.match(String(err.message ?? err), /IncorrectProgramId|incorrect program id/);
    });
  });
});
