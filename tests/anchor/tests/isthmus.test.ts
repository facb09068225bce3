// The Anchor suite of the Isthmus program: every instruction through the IDL (idl/isthmus.json)
// with Anchor's `Program` client (methods builder), in-process in LiteSVM (src/harness.ts), or
// with ISTHMUS_TARGET=validator against the program deployed on a validator (ANCHOR_PROVIDER_URL,
// ANCHOR_WALLET: the config's operator), ISTHMUS_TARGET=shim against src/rpc-shim.ts. Over RPC
// the config exists already (read, not created) and the wallet is its operator; Ethereum keys,
// addresses and holder indices are fresh per run; where a test needs what only LiteSVM can do
// (planting SlotHashes, moving the clock to a given slot, a config of its own), it has a variant
// that uses the real cluster, or is skipped with the reason printed.
import { strict as assert } from "assert";
import { BN } from "@coral-xyz/anchor";
import { Keypair, PublicKey, SystemProgram } from "@solana/web3.js";
import { getCreateAddress, keccak256 } from "ethers";
import {
  Harness,
  OVER_RPC,
  accountPda,
  blockhashesPda,
  budget,
  bytes,
  codePda,
  configPda,
  errorCode,
  feePda,
  holderPda,
  operatorEthAddress,
  programCu,
  programDataAddress,
  refused,
  reversePda,
  connectShared,
  disconnectShared,
  TARGET,
  vaultPda,
  SLOT_HASHES,
  SvmError,
  WEI_PER_LAMPORT,
} from "../src/harness";
import {
  CHAIN_ID,
  GWEI,
  ZERO,
  deployLoop,
  deposit,
  ethAccount,
  ethWallet,
  evmAccounts,
  freshAddress,
  execute,
  executeIx,
  feeMarket,
  holderHeader,
  initcode,
  le,
  loopRuntime,
  r,
  receipt,
  sign,
  storedCode,
  w,
} from "../src/evm";

const cu: [string, number][] = [];
const skipped: string[] = [];
before(async () => {
  if (OVER_RPC) await connectShared();
});
after(async () => {
  console.log("\n  compute units of the program's instructions, and the fee market (this run):");
  for (const [name, n] of cu) console.log(`    ${name.padEnd(58)} ${n.toLocaleString("en")}`);
  if (skipped.length) {
    console.log(`\n  skipped over RPC (${TARGET}):`);
    for (const s of skipped) console.log(`    - ${s}`);
  }
  await disconnectShared();
});

/** Over RPC: skips the running test, printing why (what only LiteSVM can do). */
function skipOverRpc(ctx: Mocha.Context, reason: string) {
  if (!OVER_RPC) return;
  const title = ctx.test?.fullTitle() ?? "?";
  console.log(`      skipped on ${TARGET}: ${reason}`);
  skipped.push(`${title}: ${reason}`);
  ctx.skip();
}
/** Over RPC: notes a part of a test that cannot run there (the rest of the test runs). */
function notOverRpc(ctx: Mocha.Context, reason: string) {
  console.log(`      (on ${TARGET}: ${reason})`);
  skipped.push(`${ctx.test?.fullTitle() ?? "?"} (part): ${reason}`);
}

describe("initialize", () => {
  const h = new Harness();
  const operator = Keypair.generate();

  it("refuses a signer that is not the upgrade authority (NotUpgradeAuthority)", async function () {
    const other = await h.wallet();
    const before = await h.rawAccount(configPda());
    const e = await refused(
      h,
      h.rpc(
        h.program.methods
          .initialize({
            chainId: new BN(CHAIN_ID),
            operators: [operator.publicKey],
            feeMarket: { contractComputeCap: new BN(12_000_000), minBaseFee: new BN(GWEI.toString()), baseFeeChangeDenominator: new BN(8), chargeSolanaCosts: false },
            development: false,
            // Osaka (0 Cancun, 1 Prague, 2 Osaka): what Ethereum mainnet runs.
            fork: 2,
            // EIP-170's code size limit.
            codeSizeLimit: 0,
          })
          .accounts({ admin: other.publicKey }),
        [other],
      ),
    );
    if (OVER_RPC) {
      // `init` of the config runs first: on an initialized program the system program refuses
      // (AccountAlreadyInUse) before the authority is looked at.
      notOverRpc(this, "the config exists, so the system program refuses (0) before NotUpgradeAuthority is checked");
      assert.equal(e.code, 0);
      assert.deepEqual(await h.rawAccount(configPda()), before);
      return;
    }
    assert.equal(e.code, errorCode("NotUpgradeAuthority"));
    assert.equal((await h.exists(configPda())), false);
  });

  it("refuses chain id 0 (ZeroChainId)", async function () {
    skipOverRpc(this, "needs an uninitialized program: the existing config makes `init` fail first (0)");
    const e = await refused(h, h.initialize([operator.publicKey], { chainId: 0 }));
    assert.equal(e.code, errorCode("ZeroChainId"));
  });

  it("creates the config and the vault, emits Initialized", async () => {
    if (OVER_RPC) {
      // the config scripts/deploy-local.sh created: its admin is the upgrade authority, the wallet
      // an operator, the vault there with its canonical bump
      const pd = (await h.rawAccount(programDataAddress()))!;
      const authority = new PublicKey(pd.subarray(13, 45));
      const config = await h.program.account.config.fetch(configPda());
      assert.ok(config.admin.equals(authority), "the admin is the program's upgrade authority");
      assert.equal(config.chainId.toNumber(), CHAIN_ID);
      assert.ok(CHAIN_ID > 0);
      assert.ok(config.operators.len >= 1 && config.operators.len <= 8);
      assert.ok(config.operators.data.slice(0, config.operators.len).some((o: PublicKey) => o.equals(h.rpcWallet.publicKey)));
      assert.ok(config.contractComputeCap.toNumber() > 0);
      assert.ok(config.baseFeeChangeDenominator.toNumber() > 0);
      const vault = await h.program.account.vault.fetch(vaultPda());
      assert.equal(vault.bump, PublicKey.findProgramAddressSync([Buffer.from("vault")], h.program.programId)[1]);
      return;
    }
    const sent = await h.initialize([operator.publicKey]);
    cu.push(["initialize", sent.programCu]);
    const ev = h.eventsOf(sent);
    assert.equal(ev.length, 1);
    assert.equal(ev[0].name, "initialized");
    assert.ok(ev[0].data.admin.equals(h.admin.publicKey));
    assert.equal(ev[0].data.chainId.toNumber(), CHAIN_ID);
    const config = await h.program.account.config.fetch(configPda());
    assert.ok(config.admin.equals(h.admin.publicKey));
    assert.equal(config.chainId.toNumber(), CHAIN_ID);
    assert.equal(config.operators.len, 1);
    assert.ok(config.operators.data[0].equals(operator.publicKey));
    assert.equal(config.contractComputeCap.toNumber(), 12_000_000);
    assert.equal(config.minBaseFee.toString(), GWEI.toString());
    assert.equal(config.baseFeeChangeDenominator.toNumber(), 8);
    assert.equal(config.chargeSolanaCosts, 0);
    const vault = await h.program.account.vault.fetch(vaultPda());
    assert.equal(vault.bump, PublicKey.findProgramAddressSync([Buffer.from("vault")], h.program.programId)[1]);
  });

  it("runs once only (the system program refuses to create the config again)", async () => {
    const before = await h.rawAccount(configPda());
    const e = await refused(h, h.initialize([operator.publicKey]));
    assert.equal(e.code, 0); // system program: account already in use
    assert.deepEqual(await h.rawAccount(configPda()), before);
  });
});

describe("deposit, link_wallet and withdraw", () => {
  const h = new Harness();
  const eth = ethWallet(0x11);
  const addr = bytes(eth.address);
  const wallet = Keypair.generate();
  before(async () => {
    await h.operators(1);
    await h.airdrop(wallet.publicKey, 1_000_000_000n);
  });

  it("deposit credits lamports * 10^9 wei and moves the lamports to the vault", async () => {
    const vaultBefore = (await h.lamports(vaultPda()));
    const sent = await deposit(h, addr, 5_000_000_000n);
    cu.push(["deposit (first, creates the EthAccount)", sent.programCu]);
    const ev = h.eventsOf(sent);
    assert.equal(ev[0].name, "deposited");
    assert.deepEqual(Buffer.from(ev[0].data.address), addr);
    assert.equal(ev[0].data.lamports.toString(), "5000000000");
    const account = await ethAccount(h, addr);
    assert.equal(account!.nonce, 0n);
    assert.equal(account!.balance, 5_000_000_000n * WEI_PER_LAMPORT);
    assert.equal(account!.codeHash.toString("hex"), keccak256("0x").slice(2));
    assert.equal((await h.lamports(vaultPda())) - vaultBefore, 5_000_000_000n);
    const again = await deposit(h, addr, 1_000_000_000n);
    cu.push(["deposit (existing account)", again.programCu]);
    assert.equal((await ethAccount(h, addr))!.balance, 6_000_000_000n * WEI_PER_LAMPORT);
  });

  it("refuses a deposit of zero (ZeroDeposit)", async () => {
    const e = await refused(h, deposit(h, addr, 0n));
    assert.equal(e.code, errorCode("ZeroDeposit"));
  });

  it("refuses wrong accounts: another address's account (InvalidSeeds), the config as vault (InvalidAccountData)", async () => {
    const other = bytes(ethWallet(0x13).address);
    let e = await refused(
      h,
      h.rpc(
        h.program.methods
          .deposit([...addr], new BN(1000))
          .accountsPartial({ depositor: h.payer.publicKey, account: accountPda(other) }),
      ),
    );
    assert.equal(e.name_, "InvalidSeeds");
    e = await refused(
      h,
      h.rpc(
        h.program.methods
          .deposit([...addr], new BN(1000))
          .accountsPartial({ depositor: h.payer.publicKey, vault: configPda() }),
      ),
    );
    assert.equal(e.name_, "InvalidAccountData"); // program-owned, another type: its discriminator
    assert.equal((await ethAccount(h, addr))!.balance, 6_000_000_000n * WEI_PER_LAMPORT);
  });

  it("refuses a depositor that did not sign (MissingRequiredSignature)", async () => {
    const depositor = await h.wallet();
    const ix = await h.program.methods.deposit([...addr], new BN(1000)).accounts({ depositor: depositor.publicKey }).instruction();
    ix.keys[0].isSigner = false; // the builder marks it a signer; a hostile client need not
    const e = await refused(h, () => h.send([ix]));
    assert.equal(e.name_, "MissingRequiredSignature");
    assert.equal((await ethAccount(h, addr))!.balance, 6_000_000_000n * WEI_PER_LAMPORT);
  });

  it("link_wallet records the address an EIP-191 signature proves", async () => {
    const message =
      `Isthmus: link Solana wallet ${wallet.publicKey.toBase58()} to this Ethereum address.\n` +
      `Chain id: ${CHAIN_ID}\nProgram: ${h.program.programId.toBase58()}`;
    const signature = bytes(await eth.signMessage(message));
    const sent = await h.rpc(
      h.program.methods.linkWallet([...addr], [...signature]).accounts({ wallet: wallet.publicKey }),
      [wallet],
    );
    cu.push(["link_wallet", sent.programCu]);
    const ev = h.eventsOf(sent);
    assert.equal(ev[0].name, "walletLinked");
    const entry = await h.program.account.reverseEntry.fetch(reversePda(wallet.publicKey));
    assert.ok(entry.wallet.equals(wallet.publicKey));
    assert.deepEqual(Buffer.from(entry.address), addr);
  });

  it("refuses a signature made for another wallet (BadLinkSignature)", async () => {
    const thief = await h.wallet();
    const message =
      `Isthmus: link Solana wallet ${wallet.publicKey.toBase58()} to this Ethereum address.\n` +
      `Chain id: ${CHAIN_ID}\nProgram: ${h.program.programId.toBase58()}`;
    const signature = bytes(await eth.signMessage(message));
    const e = await refused(
      h,
      h.rpc(h.program.methods.linkWallet([...addr], [...signature]).accounts({ wallet: thief.publicKey }), [thief]),
    );
    assert.equal(e.code, errorCode("BadLinkSignature"));
    assert.equal((await h.exists(reversePda(thief.publicKey))), false);
  });

  it("withdraw pays the linked wallet out of the vault", async () => {
    const before = (await h.lamports(wallet.publicKey));
    const sent = await h.rpc(
      h.program.methods.withdraw(new BN(2_000_000_000)).accounts({ wallet: wallet.publicKey, account: accountPda(addr) }),
      [wallet],
    );
    cu.push(["withdraw", sent.programCu]);
    const ev = h.eventsOf(sent);
    assert.equal(ev[0].name, "withdrawn");
    assert.equal(ev[0].data.lamports.toString(), "2000000000");
    assert.equal((await h.lamports(wallet.publicKey)) - before, 2_000_000_000n); // the provider's payer paid the fee
    assert.equal((await ethAccount(h, addr))!.balance, 4_000_000_000n * WEI_PER_LAMPORT);
  });

  it("refuses withdrawing zero, more than the balance, or from another address's account", async () => {
    const withdraw = (lamports: number, account: PublicKey) =>
      h.rpc(h.program.methods.withdraw(new BN(lamports)).accounts({ wallet: wallet.publicKey, account }), [wallet]);
    assert.equal((await refused(h, withdraw(0, accountPda(addr)))).code, errorCode("ZeroWithdraw"));
    assert.equal((await refused(h, withdraw(5_000_000_000, accountPda(addr)))).code, errorCode("InsufficientBalance"));
    const other = bytes(ethWallet(0x12).address);
    await deposit(h, other, 1_000_000_000n);
    assert.equal((await refused(h, withdraw(1, accountPda(other)))).code, errorCode("AddressMismatch"));
    // a wallet that never linked acts for its own derived address, keccak256(wallet)[12..]
    const stranger = await h.wallet();
    const asStranger = (account: PublicKey) =>
      h.rpc(h.program.methods.withdraw(new BN(1)).accounts({ wallet: stranger.publicKey, account }), [stranger]);
    assert.equal((await refused(h, asStranger(accountPda(addr)))).code, errorCode("AddressMismatch"));
    const derived = operatorEthAddress(stranger.publicKey);
    assert.equal((await refused(h, asStranger(accountPda(derived)))).code, errorCode("WalletNotLinked"));
    assert.equal((await ethAccount(h, addr))!.balance, 4_000_000_000n * WEI_PER_LAMPORT);
  });
});

describe("execute", () => {
  const h = new Harness();
  let operator: Keypair;
  const eth = ethWallet(0x21);
  const sender = bytes(eth.address);
  const TO = freshAddress(0x42);
  const to = bytes(TO);
  let coinbase: Buffer;
  let transfer: Buffer;
  before(async () => {
    [operator] = await h.operators(1);
    coinbase = operatorEthAddress(operator.publicKey);
    await deposit(h, sender, 10_000_000_000n);
  });

  it("runs a signed EIP-1559 value transfer and logs its receipt", async () => {
    transfer = await sign(eth, { nonce: 0, to: TO, value: 1_000_000_000_000n, gasLimit: 21_000 });
    // COINBASE (the operator's address) has earned from earlier runs on a persistent cluster
    const coinbaseBefore = (await ethAccount(h, coinbase))?.balance ?? 0n;
    const sent = await execute(h, operator, transfer, to, evmAccounts(operator.publicKey, sender, to));
    cu.push(["execute: value transfer (creates recipient, COINBASE, fee market)", sent.programCu]);
    const rc = receipt(h, sent);
    assert.equal(Buffer.from(rc.txHash).toString("hex"), keccak256(transfer).slice(2));
    assert.deepEqual(Buffer.from(rc.sender), sender);
    assert.equal(rc.status, 1);
    assert.equal(rc.outcome, 0);
    assert.equal(rc.gasUsed.toNumber(), 21_000);
    const price = le(rc.effectiveGasPrice);
    assert.equal(price, 2n * GWEI); // min(max fee 2 gwei, base fee 1 gwei + priority 1 gwei)
    assert.equal(rc.createdAddress, null);
    const s = await ethAccount(h, sender);
    assert.equal(s!.nonce, 1n);
    assert.equal(s!.balance, 10_000_000_000n * WEI_PER_LAMPORT - 1_000_000_000_000n - 21_000n * price);
    assert.equal((await ethAccount(h, to))!.balance, 1_000_000_000_000n);
    assert.equal((await ethAccount(h, coinbase))!.balance - coinbaseBefore, 21_000n * price); // all the gas, base fee too
    assert.ok((await h.exists(blockhashesPda())));
    const fm = await feeMarket(h, to);
    assert.equal(fm!.baseFee, GWEI);
    assert.ok(fm!.used > 0n);
  });

  it("refuses the same transaction replayed (NonceMismatch), changing nothing", async () => {
    const before = await ethAccount(h, sender);
    const e = await refused(h, execute(h, operator, transfer, to, evmAccounts(operator.publicKey, sender, to)));
    assert.equal(e.code, errorCode("NonceMismatch"));
    assert.deepEqual(await ethAccount(h, sender), before);
  });

  it("deploys a contract (legacy EIP-155 transaction) and calls it", async () => {
    const created = bytes(getCreateAddress({ from: eth.address, nonce: 1 }));
    const raw = await sign(eth, { type: 0, nonce: 1, data: initcode(loopRuntime(10)), gasLimit: 200_000 });
    const sent = await execute(h, operator, raw, null, evmAccounts(operator.publicKey, sender, null, { created }));
    cu.push(["execute: deploy a 13-byte contract", sent.programCu]);
    const rc = receipt(h, sent);
    assert.equal(rc.status, 1);
    assert.deepEqual(Buffer.from(rc.createdAddress), created);
    const stored = storedCode((await h.rawAccount(codePda(created)))!);
    assert.deepEqual(stored.code, loopRuntime(10));
    // loopRuntime's one JUMPDEST is at offset 3: bit 3 of the first word.
    assert.deepEqual(stored.jumpdests, Buffer.from([8, 0, 0, 0, 0, 0, 0, 0]));
    assert.equal((await ethAccount(h, created))!.codeHash.toString("hex"), keccak256(loopRuntime(10)).slice(2));
    const call = await sign(eth, { nonce: 2, to: "0x" + created.toString("hex") });
    const called = await execute(h, operator, call, created, evmAccounts(operator.publicKey, sender, created, { code: [created] }));
    cu.push(["execute: call it (10 iterations)", called.programCu]);
    assert.equal(receipt(h, called).status, 1);
  });

  it("refuses a signer that is not an operator (NotOperator)", async () => {
    const stranger = await h.wallet();
    const raw = await sign(eth, { nonce: 3, to: TO, value: 1n, gasLimit: 21_000 });
    const e = await refused(h, execute(h, stranger, raw, to, evmAccounts(stranger.publicKey, sender, to)));
    assert.equal(e.code, errorCode("NotOperator"));
  });

  it("refuses an operator that did not sign (MissingRequiredSignature)", async () => {
    const raw = await sign(eth, { nonce: 3, to: TO, value: 1n, gasLimit: 21_000 });
    const ixs = [...budget(), await executeIx(h, operator.publicKey, raw, to, evmAccounts(operator.publicKey, sender, to)).instruction()];
    ixs[2].keys[0].isSigner = false;
    const e = await refused(h, () => h.send(ixs));
    assert.equal(e.name_, "MissingRequiredSignature");
  });

  it("refuses another chain id (WrongChainId) and a malformed transaction (MalformedTransaction)", async () => {
    const other = await sign(eth, { chainId: 1, nonce: 3, to: TO, value: 1n, gasLimit: 21_000 });
    let e = await refused(h, execute(h, operator, other, to, evmAccounts(operator.publicKey, sender, to)));
    assert.equal(e.code, errorCode("WrongChainId"));
    const good = await sign(eth, { nonce: 3, to: TO, value: 1n, gasLimit: 21_000 });
    e = await refused(h, execute(h, operator, Buffer.concat([good, Buffer.from([0])]), to, evmAccounts(operator.publicKey, sender, to)));
    assert.equal(e.code, errorCode("MalformedTransaction"));
  });

  it("wrong accounts: missing, read-only, another fee market, another SlotHashes", async () => {
    const raw = await sign(eth, { nonce: 3, to: TO, value: 1n, gasLimit: 21_000 });
    const before = await ethAccount(h, sender);
    // the recipient's account left out: MissingAccount event, then AccountNotProvided
    let e = await refused(h, execute(h, operator, raw, to, evmAccounts(operator.publicKey, sender, null)));
    assert.equal(e.code, errorCode("AccountNotProvided"));
    const missing = [...h.events.parseLogs(e.logs)].find((x) => x.name === "missingAccount");
    assert.ok(missing, "a MissingAccount event");
    assert.deepEqual(Buffer.from(missing!.data.address), to);
    // the recipient's account read-only
    const ro = evmAccounts(operator.publicKey, sender, null).concat([r(accountPda(to))]);
    e = await refused(h, execute(h, operator, raw, to, ro));
    assert.equal(e.code, errorCode("AccountNotWritable"));
    // the fee market of another address
    e = await refused(
      h,
      h.rpc(
        h.program.methods
          .execute(raw)
          .accounts({ operator: operator.publicKey, feeMarket: feePda(sender) })
          .remainingAccounts(evmAccounts(operator.publicKey, sender, to))
          .preInstructions(budget()),
        [operator],
      ),
    );
    assert.equal(e.code, errorCode("BadFeeMarketAccount"));
    // another account as SlotHashes
    e = await refused(
      h,
      h.rpc(
        h.program.methods
          .execute(raw)
          .accountsPartial({ operator: operator.publicKey, feeMarket: feePda(to), slotHashes: configPda() })
          .remainingAccounts(evmAccounts(operator.publicKey, sender, to))
          .preInstructions(budget()),
        [operator],
      ),
    );
    assert.equal(e.code, errorCode("NotSlotHashes"));
    assert.deepEqual(await ethAccount(h, sender), before);
  });

  it("refuses a sender that cannot pay (InsufficientFunds)", async () => {
    const poor = ethWallet(0x22);
    await deposit(h, bytes(poor.address), 1n); // 10^9 wei: not 21,000 gas at 2 gwei
    const raw = await sign(poor, { nonce: 0, to: TO, value: 1n, gasLimit: 21_000 });
    const e = await refused(h, execute(h, operator, raw, to, evmAccounts(operator.publicKey, bytes(poor.address), to)));
    assert.equal(e.code, errorCode("InsufficientFunds"));
  });
});

describe("holders: holder_create, holder_write, execute_from_holder, holder_resize, holder_delete", () => {
  const h = new Harness();
  let operator: Keypair;
  let other: Keypair; // another operator in-process; over RPC a key the config does not name
  const eth = ethWallet(0x31);
  const sender = bytes(eth.address);
  const index = h.holderIndex(0n);
  let holder: PublicKey;
  before(async () => {
    [operator, other] = await h.operators(2);
    holder = holderPda(operator.publicKey, index);
    await deposit(h, sender, 10_000_000_000n);
  });

  it("creates a holder; a second create is refused (HolderExists)", async () => {
    const sent = await h.rpc(
      h.program.methods.holderCreate(new BN(index.toString()), 1024).accounts({ operator: operator.publicKey, holder }),
      [operator],
    );
    cu.push(["holder_create", sent.programCu]);
    const hdr = (await holderHeader(h, holder))!;
    assert.ok(hdr.operator.equals(operator.publicKey));
    assert.equal(hdr.status, 0);
    assert.equal(hdr.len, 1024);
    const e = await refused(
      h,
      h.rpc(h.program.methods.holderCreate(new BN(index.toString()), 1024).accounts({ operator: operator.publicKey, holder }), [operator]),
    );
    assert.equal(e.code, errorCode("HolderExists"));
  });

  it("refuses an empty holder (HolderEmpty)", async () => {
    const e = await refused(
      h,
      h.rpc(
        h.program.methods
          .executeFromHolder()
          .accounts({ operator: operator.publicKey, feeMarket: feePda(ZERO), holder })
          .preInstructions(budget()),
        [operator],
      ),
    );
    assert.equal(e.code, errorCode("HolderEmpty"));
  });

  it("writes a 2.6 KB creation in chunks and runs it with execute_from_holder", async () => {
    const created = bytes(getCreateAddress({ from: eth.address, nonce: 0 }));
    const raw = await sign(eth, { nonce: 0, data: initcode(loopRuntime(5), 2500), gasLimit: 300_000 });
    assert.ok(raw.length > 2000, "too large for one Solana transaction");
    // chunks out of order: the holder takes them in any order
    const chunks = [0, 800, 1600, 2400].reverse();
    for (const offset of chunks) {
      const sent = await h.rpc(
        h.program.methods
          .holderWrite(offset, raw.subarray(offset, offset + 800))
          .accounts({ operator: operator.publicKey, holder }),
        [operator],
      );
      cu.push([`holder_write (800 bytes at ${offset})`, sent.programCu]);
    }
    assert.equal((await holderHeader(h, holder))!.txLen, raw.length);
    // another operator may not write into it
    const e = await refused(
      h,
      h.rpc(h.program.methods.holderWrite(0, Buffer.from([1])).accounts({ operator: other.publicKey, holder }), [other]),
    );
    assert.equal(e.code, errorCode("NotHolderOperator"));
    const sent = await h.rpc(
      h.program.methods
        .executeFromHolder()
        .accounts({ operator: operator.publicKey, feeMarket: feePda(ZERO), holder })
        .remainingAccounts(evmAccounts(operator.publicKey, sender, null, { created }))
        .preInstructions(budget()),
      [operator],
    );
    cu.push([`execute_from_holder (${raw.length}-byte creation)`, sent.programCu]);
    const rc = receipt(h, sent);
    assert.equal(rc.status, 1);
    assert.equal(Buffer.from(rc.txHash).toString("hex"), keccak256(raw).slice(2));
    assert.deepEqual(Buffer.from(rc.createdAddress), created);
    assert.deepEqual(storedCode((await h.rawAccount(codePda(created)))!).code, loopRuntime(5));
    assert.equal((await holderHeader(h, holder))!.txLen, 0); // emptied for the next transaction
  });

  it("resizes and deletes the holder (its lamports back to the operator)", async () => {
    const size = (await holderHeader(h, holder))!.len + 4096;
    let sent = await h.rpc(h.program.methods.holderResize(size).accounts({ operator: operator.publicKey, holder }), [operator]);
    cu.push(["holder_resize (+4 KiB)", sent.programCu]);
    assert.equal((await holderHeader(h, holder))!.len, size);
    const rent = (await h.lamports(holder));
    const before = (await h.lamports(operator.publicKey));
    const e = await refused(h, h.rpc(h.program.methods.holderDelete().accounts({ operator: other.publicKey, holder }), [other]));
    assert.equal(e.code, errorCode("NotHolderOperator"));
    sent = await h.rpc(h.program.methods.holderDelete().accounts({ operator: operator.publicKey, holder }), [operator]);
    cu.push(["holder_delete", sent.programCu]);
    assert.equal((await h.exists(holder)), false);
    assert.equal((await h.lamports(operator.publicKey)) - before, rent);
  });
});

describe("step and cancel: iterative execution", () => {
  const h = new Harness();
  let operator: Keypair;
  let other: Keypair; // another operator in-process; over RPC a key the config does not name
  const eth = ethWallet(0x41);
  const sender = bytes(eth.address);
  const index = h.holderIndex(7n);
  let holder: PublicKey;
  let loop: Buffer;
  const ITERATIONS = 400;

  const step = (maxSteps: number, to: Uint8Array, extra = evmAccounts(operator.publicKey, sender, to, { code: [to] })) =>
    h.rpc(
      h.program.methods
        .step(new BN(maxSteps))
        .accounts({ operator: operator.publicKey, feeMarket: feePda(to), holder })
        .remainingAccounts(extra)
        .preInstructions(budget()),
      [operator],
    );
  const write = async (raw: Buffer) => {
    for (let offset = 0; offset < raw.length; offset += 800) {
      await h.rpc(
        h.program.methods.holderWrite(offset, raw.subarray(offset, offset + 800)).accounts({ operator: operator.publicKey, holder }),
        [operator],
      );
    }
  };
  after(async () => {
    // over RPC the holder would outlive the run: give its rent back
    if (OVER_RPC && holder && (await holderHeader(h, holder))?.status === 0) {
      await h.rpc(h.program.methods.holderDelete().accounts({ operator: operator.publicKey, holder }), [operator]);
    }
  });

  before(async () => {
    [operator, other] = await h.operators(2);
    holder = holderPda(operator.publicKey, index);
    await deposit(h, sender, 10_000_000_000n);
    loop = await deployLoop(h, operator, eth, ITERATIONS);
    await h.rpc(h.program.methods.holderCreate(new BN(index.toString()), 10 * 1024).accounts({ operator: operator.publicKey, holder }), [operator]);
  });

  it("steps a transaction to completion (StepProgress, then the same receipt as execute)", async () => {
    // the gas of the same call run whole by execute, from another sender
    const eth2 = ethWallet(0x42);
    await deposit(h, bytes(eth2.address), 1_000_000_000n);
    const whole = await execute(
      h,
      operator,
      await sign(eth2, { nonce: 0, to: "0x" + loop.toString("hex") }),
      loop,
      evmAccounts(operator.publicKey, bytes(eth2.address), loop, { code: [loop] }),
    );
    const expected = receipt(h, whole);
    assert.equal(expected.status, 1);

    const raw = await sign(eth, { nonce: 1, to: "0x" + loop.toString("hex") });
    await write(raw);
    const progress: any[] = [];
    let done: any = null;
    let steps = 0;
    let total = 0;
    while (!done) {
      await h.nextSlot(); // each step in a slot of its own, as on a cluster
      const sent = await step(500, loop);
      steps++;
      total += sent.programCu;
      for (const ev of h.eventsOf(sent)) {
        if (ev.name === "stepProgress") progress.push(ev.data);
        if (ev.name === "executed") done = ev.data;
      }
      if (steps === 2) {
        // a running holder refuses writes
        assert.equal((await holderHeader(h, holder))!.status, 1);
        const e = await refused(
          h,
          h.rpc(h.program.methods.holderWrite(0, Buffer.from([0])).accounts({ operator: operator.publicKey, holder }), [operator]),
        );
        assert.equal(e.code, errorCode("HolderBusy"));
      }
      assert.ok(steps < 50, "no receipt after 50 steps");
    }
    cu.push([`step x${steps} (${ITERATIONS}-iteration loop, 500 opcodes a step), all`, total]);
    assert.ok(progress.length >= 3, `paused ${progress.length} times`);
    assert.equal(progress[progress.length - 1].steps.toNumber() > progress[0].steps.toNumber(), true);
    assert.equal(done.status, 1);
    assert.equal(done.gasUsed.toString(), expected.gasUsed.toString());
    assert.equal(Buffer.from(done.txHash).toString("hex"), keccak256(raw).slice(2));
    assert.equal((await ethAccount(h, sender))!.nonce, 2n);
    const hdr = (await holderHeader(h, holder))!;
    assert.equal(hdr.status, 0);
    assert.equal(hdr.txLen, 0);
  });

  it("goes on, without restarting, when a deposit lands on its sender between steps (the deposit kept)", async () => {
    const raw = await sign(eth, { nonce: 2, to: "0x" + loop.toString("hex") });
    await write(raw);
    await h.nextSlot();
    const first = await step(500, loop);
    assert.equal(h.eventsOf(first).find((e) => e.name === "stepProgress")!.data.restarts, 0);
    // A deposit changes the sender's EthAccount, which the transaction read; but only its
    // balance, which the transaction only debits: it goes on, and the deposit is added at the end.
    await deposit(h, sender, 1_000_000_000n);
    const before = (await ethAccount(h, sender))!.balance;
    let done: any = null;
    let restarts = 0;
    for (let n = 0; !done && n < 50; n++) {
      await h.nextSlot();
      const sent = await step(500, loop);
      for (const ev of h.eventsOf(sent)) {
        if (ev.name === "stepProgress") restarts = Math.max(restarts, ev.data.restarts);
        if (ev.name === "executed") done = ev.data;
      }
    }
    assert.equal(restarts, 0);
    assert.equal(done.status, 1);
    const s = (await ethAccount(h, sender))!;
    assert.equal(s.nonce, 3n);
    const price = le(done.effectiveGasPrice);
    assert.equal(s.balance, before - BigInt(done.gasUsed.toString()) * price);
  });

  it("hostile holders: another operator's (NotHolderOperator), another account (BadHolder), running (HolderBusy)", async function () {
    const raw = await sign(eth, { nonce: 3, to: "0x" + loop.toString("hex") });
    await write(raw);
    await h.nextSlot();
    await step(300, loop);
    assert.equal((await holderHeader(h, holder))!.status, 1);
    const byOther = await refused(
      h,
      h.rpc(
        h.program.methods
          .step(new BN(300))
          .accounts({ operator: other.publicKey, feeMarket: feePda(loop), holder })
          .remainingAccounts(evmAccounts(other.publicKey, sender, loop, { code: [loop] }))
          .preInstructions(budget()),
        [other],
      ),
    );
    // (over RPC `other` is no operator: refused before its holder is looked at)
    const expected = h.isOperator(other.publicKey) ? "NotHolderOperator" : "NotOperator";
    if (expected === "NotOperator") notOverRpc(this, "the config names one operator: step/cancel by a non-operator checked (NotOperator), not by another operator (NotHolderOperator)");
    assert.equal(byOther.code, errorCode(expected));
    const cancelByOther = await refused(
      h,
      h.rpc(
        h.program.methods.cancel().accounts({ operator: other.publicKey, holder }).remainingAccounts(evmAccounts(other.publicKey, sender, null)),
        [other],
      ),
    );
    assert.equal(cancelByOther.code, errorCode(expected));
    const stepWith = (holderAccount: PublicKey) =>
      h.rpc(
        h.program.methods
          .step(new BN(300))
          .accounts({ operator: operator.publicKey, feeMarket: feePda(loop), holder: holderAccount })
          .remainingAccounts(evmAccounts(operator.publicKey, sender, loop, { code: [loop] }))
          .preInstructions(budget()),
        [operator],
      );
    // a program-owned account of another type (the vault) as the holder
    assert.equal((await refused(h, stepWith(vaultPda()))).code, errorCode("BadHolder"));
    // the sender's EthAccount, also passed writable among the EVM accounts: Anchor refuses the
    // same account twice as writable before the program runs (ConstraintDuplicateMutableAccount)
    assert.equal((await refused(h, stepWith(accountPda(sender)))).code, 2040);
    const busy = await refused(
      h,
      h.rpc(
        h.program.methods
          .executeFromHolder()
          .accounts({ operator: operator.publicKey, feeMarket: feePda(loop), holder })
          .remainingAccounts(evmAccounts(operator.publicKey, sender, loop, { code: [loop] }))
          .preInstructions(budget()),
        [operator],
      ),
    );
    assert.equal(busy.code, errorCode("HolderBusy"));
    // finish it, for the next test
    for (let n = 0; (await holderHeader(h, holder))!.status === 1 && n < 50; n++) {
      await h.nextSlot();
      await step(0, loop);
    }
    assert.equal((await ethAccount(h, sender))!.nonce, 4n);
  });

  it("cancel gives up a running transaction: nonce used, gas so far charged, outcome 3", async () => {
    const e0 = await refused(
      h,
      h.rpc(
        h.program.methods.cancel().accounts({ operator: operator.publicKey, holder }).remainingAccounts(evmAccounts(operator.publicKey, sender, null)),
        [operator],
      ),
    );
    assert.equal(e0.code, errorCode("HolderIdle"));
    const before = (await ethAccount(h, sender))!;
    const raw = await sign(eth, { nonce: 4, to: "0x" + loop.toString("hex") });
    await write(raw);
    await h.nextSlot();
    const first = await step(300, loop);
    assert.ok(h.eventsOf(first).some((e) => e.name === "stepProgress"));
    assert.equal((await holderHeader(h, holder))!.status, 1);
    const sent = await h.rpc(
      h.program.methods.cancel().accounts({ operator: operator.publicKey, holder }).remainingAccounts(evmAccounts(operator.publicKey, sender, null)),
      [operator],
    );
    cu.push(["cancel", sent.programCu]);
    const rc = receipt(h, sent);
    assert.equal(rc.status, 0);
    assert.equal(rc.outcome, 3);
    assert.ok(rc.gasUsed.toNumber() > 21_000 && rc.gasUsed.toNumber() < 100_000);
    const after = (await ethAccount(h, sender))!;
    assert.equal(after.nonce, before.nonce + 1n);
    assert.equal(before.balance - after.balance, BigInt(rc.gasUsed.toString()) * le(rc.effectiveGasPrice));
    const hdr = (await holderHeader(h, holder))!;
    assert.equal(hdr.status, 0);
    assert.equal(hdr.txLen, 0);
  });
});

describe("crank_blockhashes", () => {
  const h = new Harness();
  const cranker = Keypair.generate();
  let operator: Keypair;
  const eth = ethWallet(0x61);
  const hashOf = (slot: bigint) => bytes(keccak256(Buffer.from(slot.toString())));
  before(async () => {
    await h.airdrop(cranker.publicKey, 1_000_000_000n);
    [operator] = await h.operators(1);
    await deposit(h, bytes(eth.address), 1_000_000_000n);
  });

  /** The SlotHashes sysvar as the cluster has it now: slot -> hash (u64 count, then u64 slot +
   * 32-byte hash entries, newest first). */
  const slotHashes = async () => {
    const d = (await h.rawAccount(SLOT_HASHES))!;
    const m = new Map<bigint, Buffer>();
    const n = Number(d.readBigUInt64LE(0));
    for (let i = 0; i < n; i++) m.set(d.readBigUInt64LE(8 + i * 40), Buffer.from(d.subarray(16 + i * 40, 48 + i * 40)));
    return m;
  };
  /** Over RPC: the registry holds, for every slot of its 256-slot window, exactly what the real
   * SlotHashes holds (a slot missing from it, skipped, is not valid); returns how many. */
  const matchesSlotHashes = async (reg: any) => {
    const sysvar = await slotHashes();
    const newest = BigInt(reg.newestSlot.toString());
    const valid = (s: bigint) => (reg.valid[Number(s % 256n) >> 3] >> Number(s % 256n & 7n)) & 1;
    let n = 0;
    for (let s = newest; s > newest - 256n && s >= 0n; s--) {
      const hash = sysvar.get(s);
      assert.equal(valid(s), hash ? 1 : 0, `slot ${s}`);
      if (hash) {
        assert.deepEqual(Buffer.from(reg.hashes[Number(s % 256n)]), hash, `slot ${s}`);
        n++;
      }
    }
    return n;
  };

  it("creates the registry and records SlotHashes' newest 256 slots", async () => {
    if (OVER_RPC) {
      // the real SlotHashes (no planted one): the registry may exist already (execute refreshes it)
      const existed = await h.exists(blockhashesPda());
      const sent = await h.rpc(h.program.methods.crankBlockhashes().accounts({ payer: cranker.publicKey }), [cranker]);
      if (!existed) cu.push(["crank_blockhashes (creates the registry)", sent.programCu]);
      const reg = await h.program.account.blockhashRegistry.fetch(blockhashesPda());
      const newest = BigInt(reg.newestSlot.toString());
      assert.ok(newest < sent.slot! && newest >= sent.slot! - 32n, `newest ${newest}, landed in ${sent.slot}`);
      const n = await matchesSlotHashes(reg);
      assert.ok(n >= 1, "no slot recorded");
      return;
    }
    const slot = 1000n;
    const entries = [];
    for (let s = slot - 1n; s >= slot - 300n; s--) if (s !== 990n) entries.push({ slot: s, hash: hashOf(s) });
    h.warp(slot, entries);
    const sent = await h.rpc(h.program.methods.crankBlockhashes().accounts({ payer: cranker.publicKey }), [cranker]);
    cu.push(["crank_blockhashes (creates the registry, 256 slots)", sent.programCu]);
    const reg = await h.program.account.blockhashRegistry.fetch(blockhashesPda());
    assert.equal(reg.newestSlot.toString(), "999");
    const valid = (s: bigint) => (reg.valid[Number(s % 256n) >> 3] >> Number(s % 256n & 7n)) & 1;
    for (const s of [999n, 900n, 744n]) {
      assert.equal(valid(s), 1, `slot ${s}`);
      assert.deepEqual(Buffer.from(reg.hashes[Number(s % 256n)]), hashOf(s));
    }
    assert.equal(valid(990n), 0); // skipped
    // 743 is outside the window: its index (743 % 256) holds slot 999
  });

  it("records only new slots later; refuses another account as SlotHashes (NotSlotHashes)", async () => {
    if (OVER_RPC) {
      // slots pass for real: wait for a few, crank again
      const before = BigInt((await h.program.account.blockhashRegistry.fetch(blockhashesPda())).newestSlot.toString());
      await h.chain.waitForSlot((await h.slot()) + 4n);
      const sent = await h.rpc(h.program.methods.crankBlockhashes().accounts({ payer: cranker.publicKey }), [cranker]);
      cu.push(["crank_blockhashes (the slots since the last)", sent.programCu]);
      const reg = await h.program.account.blockhashRegistry.fetch(blockhashesPda());
      assert.ok(BigInt(reg.newestSlot.toString()) > before, `newest ${reg.newestSlot} after ${before}`);
      await matchesSlotHashes(reg);
      const e = await refused(
        h,
        h.rpc(h.program.methods.crankBlockhashes().accountsPartial({ payer: cranker.publicKey, slotHashes: vaultPda() }), [cranker]),
      );
      assert.equal(e.code, errorCode("NotSlotHashes"));
      return;
    }
    const entries = [];
    for (let s = 1049n; s >= 1049n - 511n; s--) entries.push({ slot: s, hash: hashOf(s) });
    h.warp(1050n, entries);
    const sent = await h.rpc(h.program.methods.crankBlockhashes().accounts({ payer: cranker.publicKey }), [cranker]);
    cu.push(["crank_blockhashes (50 new slots)", sent.programCu]);
    const reg = await h.program.account.blockhashRegistry.fetch(blockhashesPda());
    assert.equal(reg.newestSlot.toString(), "1049");
    assert.deepEqual(Buffer.from(reg.hashes[Number(1049n % 256n)]), hashOf(1049n));
    const e = await refused(
      h,
      h.rpc(h.program.methods.crankBlockhashes().accountsPartial({ payer: cranker.publicKey, slotHashes: vaultPda() }), [cranker]),
    );
    assert.equal(e.code, errorCode("NotSlotHashes"));
  });

  it("BLOCKHASH answers from the registry: a slot the crank recorded, gone from SlotHashes since", async function () {
    if (OVER_RPC) {
      // A real SlotHashes holds 512 slots, BLOCKHASH looks back 256: a slot within BLOCKHASH's
      // window is always still in SlotHashes (the in-process test plants a short one). What runs
      // instead: BLOCKHASH(a recent slot) answers the real SlotHashes' hash of it.
      notOverRpc(this, "a slot in BLOCKHASH's window gone from a real SlotHashes (512 slots) cannot happen: BLOCKHASH of a recent slot checked against the real SlotHashes instead");
      // runtime: BLOCKHASH(calldata[0..32]), then REVERT with it as the revert data
      const runtime = Buffer.from([0x60, 0x00, 0x35, 0x40, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xfd]);
      const created = bytes(getCreateAddress({ from: eth.address, nonce: 0 }));
      const sender = bytes(eth.address);
      const deploy = await sign(eth, { nonce: 0, data: initcode(runtime), gasLimit: 200_000 });
      assert.equal(receipt(h, await execute(h, operator, deploy, null, evmAccounts(operator.publicKey, sender, null, { created }))).status, 1);
      const recent = [...(await slotHashes()).keys()].sort((x, y) => (x < y ? 1 : -1));
      const slot = recent[Math.min(3, recent.length - 1)];
      const data = Buffer.from(slot.toString(16).padStart(64, "0"), "hex");
      const call = await sign(eth, { nonce: 1, to: "0x" + created.toString("hex"), data });
      const sent = await execute(h, operator, call, created, evmAccounts(operator.publicKey, sender, created, { code: [created] }));
      const rc = receipt(h, sent);
      assert.equal(rc.outcome, 1); // reverted, by design
      assert.ok(sent.slot! - slot <= 256n);
      assert.deepEqual(Buffer.from(rc.revertData), (await slotHashes()).get(slot), `BLOCKHASH(${slot}) in slot ${sent.slot}`);
      return;
    }
    // runtime: BLOCKHASH(900), then REVERT with it as the revert data (the receipt carries it)
    const runtime = Buffer.from([0x61, 0x03, 0x84, 0x40, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xfd]);
    const created = bytes(getCreateAddress({ from: eth.address, nonce: 0 }));
    const deploy = await sign(eth, { nonce: 0, data: initcode(runtime), gasLimit: 200_000 });
    const sender = bytes(eth.address);
    assert.equal(receipt(h, await execute(h, operator, deploy, null, evmAccounts(operator.publicKey, sender, null, { created }))).status, 1);
    // 50 slots later SlotHashes holds only the last 10 slots: 900 is not among them
    const entries = [];
    for (let s = 1099n; s >= 1090n; s--) entries.push({ slot: s, hash: hashOf(s) });
    h.warp(1100n, entries);
    const call = await sign(eth, { nonce: 1, to: "0x" + created.toString("hex") });
    const rc = receipt(h, await execute(h, operator, call, created, evmAccounts(operator.publicKey, sender, created, { code: [created] })));
    assert.equal(rc.outcome, 1); // reverted, by design
    assert.deepEqual(Buffer.from(rc.revertData), hashOf(900n));
  });
});

describe("the fee market under congestion (contract_compute_cap 250,000 CU)", () => {
  const h = new Harness();
  let operator: Keypair;
  const CAP = 250_000n;
  const users = [0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58].map(ethWallet);
  const nonces = new Map<string, number>();
  let loop: Buffer;
  let quiet: Buffer;

  const call = async (u: ReturnType<typeof ethWallet>, target: Buffer, fees: { max?: bigint; prio?: bigint } = {}) => {
    const nonce = nonces.get(u.address) ?? 0;
    const raw = await sign(u, {
      nonce,
      to: "0x" + target.toString("hex"),
      maxFeePerGas: fees.max ?? 10n * GWEI,
      maxPriorityFeePerGas: fees.prio ?? 0n,
    });
    const sent = await execute(h, operator, raw, target, evmAccounts(operator.publicKey, bytes(u.address), target, { code: [target] }));
    nonces.set(u.address, nonce + 1);
    return sent;
  };

  // Over RPC: the config's cap (12M CU as scripts/deploy-local.sh sets it), a loop contract whose
  // call takes ~1.1M CU (or cap/8), fresh users sending at once so that several calls land in one
  // slot; each call's share of the market (`used`) measured alone in a slot first.
  const rpc = { cap: 0n, target: 0n, denominator: 8n, minBaseFee: GWEI, perCall: 0n, users: [] as ReturnType<typeof ethWallet>[] };
  const callIx = async (u: ReturnType<typeof ethWallet>, target: Buffer, fees: { max?: bigint; prio?: bigint } = {}) => {
    const nonce = nonces.get(u.address) ?? 0;
    nonces.set(u.address, nonce + 1);
    const raw = await sign(u, {
      nonce,
      to: "0x" + target.toString("hex"),
      maxFeePerGas: fees.max ?? 10n * GWEI,
      maxPriorityFeePerGas: fees.prio ?? 0n,
      gasLimit: 1_000_000,
    });
    return executeIx(h, operator.publicKey, raw, target, evmAccounts(operator.publicKey, bytes(u.address), target, { code: [target] }));
  };
  const nextBaseFee = (base: bigint, used: bigint) => {
    const t = rpc.target;
    let next = base;
    if (used > t) {
      const d = (base * (used - t)) / t / rpc.denominator;
      next = base + (d > 0n ? d : 1n);
    } else if (used < t) next = base - (base * (t - used)) / t / rpc.denominator;
    return next > rpc.minBaseFee ? next : rpc.minBaseFee;
  };
  const usedAlone = async (target: Buffer, u: ReturnType<typeof ethWallet>) => {
    await h.nextSlot();
    const sent = await h.rpc(await callIx(u, target), [operator]);
    assert.equal(receipt(h, sent).status, 1);
    const fm = (await feeMarket(h, target))!;
    assert.equal(fm.lastSlot, sent.slot, "another call in the measuring slot");
    return fm.used;
  };

  before(async function () {
    if (OVER_RPC) {
      this.timeout(600_000);
      [operator] = await h.operators(1);
      const c = h.config!;
      rpc.cap = c.contractComputeCap;
      rpc.target = rpc.cap / 2n > 0n ? rpc.cap / 2n : 1n;
      rpc.denominator = c.baseFeeChangeDenominator;
      rpc.minBaseFee = c.minBaseFee;
      rpc.users = Array.from({ length: 40 }, (_, i) => ethWallet(0x80 + i));
      const deposits = rpc.users.map((u) => h.program.methods.deposit([...bytes(u.address)], new BN(1_000_000_000)).accounts({ depositor: h.payer.publicKey }));
      for (const r of await h.sendBatch(deposits, [])) if (r instanceof Error) throw r;
      // the CU of a call as a line through two loops: 1 and 200 iterations
      const first = rpc.users[0];
      quiet = await deployLoop(h, operator, first, 1);
      const probe = await deployLoop(h, operator, first, 200);
      nonces.set(first.address, 2);
      const u1 = await usedAlone(quiet, rpc.users[1]);
      const u200 = await usedAlone(probe, rpc.users[1]);
      const perIteration = (u200 - u1) / 199n;
      const want = rpc.cap / 8n < 1_100_000n ? rpc.cap / 8n : 1_100_000n;
      const iterations = Number((want - u1) / perIteration) + 1;
      loop = await deployLoop(h, operator, first, Math.min(iterations, 65535));
      nonces.set(first.address, 3);
      rpc.perCall = await usedAlone(loop, rpc.users[1]);
      cu.push([`fee market: a call of the ${iterations}-iteration loop (its market's used)`, Number(rpc.perCall)]);
      return;
    }
    [operator] = await h.operators(1, { contractComputeCap: Number(CAP) });
    for (const u of users) await deposit(h, bytes(u.address), 10_000_000_000n);
    loop = await deployLoop(h, operator, users[0], 100);
    quiet = await deployLoop(h, operator, users[0], 1);
    nonces.set(users[0].address, 2);
  });

  it("refuses what would take a contract over its cap in one slot (ContractComputeCapExceeded)", async function () {
    if (OVER_RPC) {
      // as many calls at once as take the contract over its cap in one slot, and two more
      const n = Number(rpc.cap / rpc.perCall) + 3;
      if (n > rpc.users.length - 2) return skipOverRpc(this, `the cap (${rpc.cap} CU) takes ${n} calls of ${rpc.perCall} CU`);
      await h.nextSlot();
      const calls = [];
      for (const u of rpc.users.slice(2, 2 + n)) calls.push(await callIx(u, loop));
      const results = await h.sendBatch(calls, [operator]);
      const bySlot = new Map<bigint, { ok: number; capped: number }>();
      let capped = 0;
      for (const r of results) {
        if (r instanceof Error) {
          assert.equal(r.code, errorCode("ContractComputeCapExceeded"), `${r.detail}`);
          capped++;
        } else {
          const e = bySlot.get(r.slot!) ?? { ok: 0, capped: 0 };
          e.ok++;
          bySlot.set(r.slot!, e);
        }
      }
      const slots = [...bySlot.entries()].map(([s, e]) => `${e.ok} in ${s}`).join(", ");
      for (const [, e] of bySlot) assert.ok(BigInt(e.ok) * rpc.perCall <= rpc.cap + rpc.perCall / 100n, `over the cap: ${slots}`);
      cu.push([`fee market: ${n} calls at once: ${capped} refused over the cap; landed ${slots}`, capped]);
      if (capped === 0) return skipOverRpc(this, `the cluster spread the ${n} calls over slots (${slots}): none reached the cap (${rpc.cap} CU) in one slot`);
      return;
    }
    h.warp(100n);
    let ok = 0;
    let refusal: any = null;
    for (const u of users) {
      const before = await ethAccount(h, bytes(u.address));
      try {
        await call(u, loop);
        ok++;
      } catch (e) {
        refusal = h.provider.lastError;
        assert.deepEqual(await ethAccount(h, bytes(u.address)), before, "a refusal changes nothing");
        break;
      }
    }
    assert.ok(refusal, `all ${ok} calls fitted the cap`);
    assert.equal(refusal.code, errorCode("ContractComputeCapExceeded"));
    assert.ok(ok >= 2, `${ok} calls before the cap`);
    cu.push([`fee market: calls to one contract that fit slot 100`, ok]);
    const fm = (await feeMarket(h, loop))!;
    assert.equal(fm.lastSlot, 100n);
    assert.ok(fm.used <= CAP && fm.used > CAP / 2n, `used ${fm.used}`);
    assert.equal(fm.baseFee, GWEI);
    // another contract's market is untouched: its callers pay the floor in the same slot
    const other = await call(users[7], quiet);
    assert.equal(le(receipt(h, other).effectiveGasPrice), GWEI);
  });

  it("raises the congested contract's base fee in the next slot, EIP-1559-style (FeeCapBelowBaseFee)", async function () {
    if (OVER_RPC) {
      // calls sent 50 ms apart for ~3 slots, each user once, the last few with a fee cap at the
      // minimum base fee: then for each pair of consecutive slots that both took calls, the later
      // slot's base fee (what the calls paid, priority 0) is next_base_fee(the earlier's, its use)
      await h.nextSlot();
      const pool = rpc.users.slice(2).filter((u) => (nonces.get(u.address) ?? 0) === 0);
      const lowCap = new Set(pool.slice(-4).map((u) => u.address));
      const calls = [];
      for (const u of pool) calls.push(await callIx(u, loop, lowCap.has(u.address) ? { max: rpc.minBaseFee } : {}));
      const results = await h.sendBatch(calls, [operator], 50);
      const slots = new Map<bigint, { n: number; price: bigint }>();
      const refusedLow: SvmError[] = [];
      results.forEach((r, i) => {
        if (r instanceof Error) {
          if (r.code === errorCode("FeeCapBelowBaseFee")) {
            assert.ok(lowCap.has(pool[i].address), "a 10-gwei fee cap refused");
            refusedLow.push(r);
          } else assert.equal(r.code, errorCode("ContractComputeCapExceeded"), r.detail);
          return;
        }
        const price = le(receipt(h, r).effectiveGasPrice);
        const e = slots.get(r.slot!);
        if (e) assert.equal(price, e.price, `two prices in slot ${r.slot}`);
        slots.set(r.slot!, { n: (e?.n ?? 0) + 1, price });
      });
      let checked = 0;
      let raised = 0;
      for (const [s, e] of slots) {
        const prev = slots.get(s - 1n);
        if (!prev) continue;
        const expected = nextBaseFee(prev.price, BigInt(prev.n) * rpc.perCall);
        // `used` of a slot is n calls' measured share, give or take a few CU per call
        const tolerance = prev.price / 1000n + 1n;
        const diff = e.price > expected ? e.price - expected : expected - e.price;
        assert.ok(diff <= tolerance, `slot ${s}: paid ${e.price}, expected ${expected} after ${prev.n} calls at ${prev.price}`);
        checked++;
        if (e.price > prev.price) raised++;
      }
      const summary = [...slots.entries()].map(([s, e]) => `${s}: ${e.n} at ${e.price}`).join("; ");
      cu.push([`fee market: slots (calls at base fee): ${summary}`, raised]);
      if (raised === 0) return skipOverRpc(this, `no slot took more than half the cap (${rpc.target} CU) next to another that took calls: ${summary}`);
      for (const r of refusedLow) assert.equal(r.code, errorCode("FeeCapBelowBaseFee"));
      assert.ok(checked >= 1);
      return;
    }
    const { used } = (await feeMarket(h, loop))!;
    const target = CAP / 2n;
    const step = (GWEI * (used - target)) / target / 8n;
    const expected = GWEI + (step > 0n ? step : 1n);
    h.warp(101n);
    const e = await refused(h, call(users[6], loop, { max: GWEI }));
    assert.equal(e.code, errorCode("FeeCapBelowBaseFee"));
    const sent = await call(users[6], loop, { max: 10n * GWEI, prio: 0n });
    const rc = receipt(h, sent);
    assert.equal(le(rc.effectiveGasPrice), expected);
    assert.equal((await feeMarket(h, loop))!.baseFee, expected);
    assert.equal((await feeMarket(h, quiet))!.baseFee, GWEI);
    cu.push([`fee market: slot 100 used ${used} CU of ${CAP}; base fee in slot 101 (wei)`, Number(expected)]);
  });
});
