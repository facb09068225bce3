// The rest of @nomicfoundation/hardhat-network-helpers and the node's accounts, as suites use
// them: mine, setBalance, setStorageAt, setCode, setNonce, takeSnapshot, time.*, automine off
// with several transactions in one block, typed-data signing by the node.
const helpers = require("@nomicfoundation/hardhat-network-helpers");
const { time, mine, loadFixture } = helpers;
const { expect } = require("chai");
const { ethers, network } = require("hardhat");

async function deployVault() {
  const [owner, other] = await ethers.getSigners();
  const vault = await ethers.deployContract("Vault");
  await vault.waitForDeployment();
  return { vault, owner, other };
}

describe("network helpers", function () {
  it("lists the node's ten accounts as signers", async function () {
    const signers = await ethers.getSigners();
    expect(signers.length).to.equal(10);
    expect(signers[0].address).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
  });

  it("mines blocks, with an interval between them", async function () {
    const before = await time.latestBlock();
    await mine(1000);
    expect(await time.latestBlock()).to.equal(before + 1000);
    const at = await time.latest();
    await mine(10, { interval: 60 });
    expect(await time.latestBlock()).to.equal(before + 1010);
    expect(await time.latest()).to.be.gte(at + 9 * 60);
  });

  it("moves the clock that contracts read", async function () {
    const { vault } = await loadFixture(deployVault);
    const start = await time.latest();
    await time.increase(3600);
    expect(await time.latest()).to.be.gte(start + 3600);
    const target = (await time.latest()) + 86_400;
    await time.setNextBlockTimestamp(target);
    await mine();
    expect(await time.latest()).to.equal(target);
    expect(await vault.now_()).to.be.gte(BigInt(target));
  });

  it("sets balances, nonces, code and storage", async function () {
    const { vault } = await loadFixture(deployVault);
    const someone = ethers.Wallet.createRandom().address;
    await helpers.setBalance(someone, 10n ** 21n);
    expect(await ethers.provider.getBalance(someone)).to.equal(10n ** 21n);
    await helpers.setNonce(someone, 42);
    expect(await ethers.provider.getTransactionCount(someone)).to.equal(42);

    await helpers.setStorageAt(vault.target, 0, 1234);
    expect(await vault.stored()).to.equal(1234n);
    expect(await helpers.getStorageAt(vault.target, 0)).to.equal(ethers.toBeHex(1234, 32));

    // Another address given the Vault's code, and its storage: it answers as a Vault.
    const copy = ethers.Wallet.createRandom().address;
    await helpers.setCode(copy, await ethers.provider.getCode(vault.target));
    await helpers.setStorageAt(copy, 0, 7);
    const asVault = await ethers.getContractAt("Vault", copy);
    expect(await asVault.stored()).to.equal(7n);
  });

  it("takes snapshots and restores them", async function () {
    const { vault } = await loadFixture(deployVault);
    const snapshot = await helpers.takeSnapshot();
    const block = await time.latestBlock();
    await (await vault.store(99)).wait();
    await mine(5);
    expect(await vault.stored()).to.equal(99n);
    await snapshot.restore();
    expect(await vault.stored()).to.equal(0n);
    expect(await time.latestBlock()).to.equal(block);
    // restore() takes a new snapshot: the same one restores again.
    await (await vault.store(5)).wait();
    await snapshot.restore();
    expect(await vault.stored()).to.equal(0n);
  });

  it("mines several transactions into one block with automine off", async function () {
    const [a, b] = await ethers.getSigners();
    const to = ethers.Wallet.createRandom().address;
    await network.provider.send("evm_setAutomine", [false]);
    try {
      const first = await a.sendTransaction({ to, value: 1 });
      const second = await b.sendTransaction({ to, value: 2 });
      expect(await ethers.provider.getBalance(to)).to.equal(0n);
      await mine();
      const [r1, r2] = await Promise.all([first.wait(), second.wait()]);
      expect(r1.blockNumber).to.equal(r2.blockNumber);
      expect(await ethers.provider.getBalance(to)).to.equal(3n);
    } finally {
      await network.provider.send("evm_setAutomine", [true]);
    }
  });

  it("impersonates an account, a contract too", async function () {
    const { vault, owner } = await loadFixture(deployVault);
    // The vault's owner is a node account; act as the vault contract itself.
    await helpers.impersonateAccount(vault.target);
    await helpers.setBalance(vault.target, 10n ** 18n);
    const asVault = await ethers.getSigner(vault.target);
    const to = ethers.Wallet.createRandom().address;
    const receipt = await (await asVault.sendTransaction({ to, value: 5 })).wait();
    expect(receipt.from).to.equal(vault.target);
    expect(await ethers.provider.getBalance(to)).to.equal(5n);
    await helpers.stopImpersonatingAccount(vault.target);
    // An address without a key, impersonated, calls as the owner would not: refused by the contract.
    const stranger = ethers.Wallet.createRandom().address;
    await helpers.impersonateAccount(stranger);
    await helpers.setBalance(stranger, 10n ** 18n);
    await expect(vault.connect(await ethers.getSigner(stranger)).store(1)).to.be.revertedWith("not the owner");
    await helpers.stopImpersonatingAccount(stranger);
    expect(await vault.owner()).to.equal(owner.address);
  });

  it("traces a transaction (debug_traceTransaction, callTracer and struct logger)", async function () {
    const { vault } = await loadFixture(deployVault);
    const tx = await vault.store(77);
    await tx.wait();
    const calls = await network.provider.send("debug_traceTransaction", [tx.hash, { tracer: "callTracer" }]);
    expect(calls.type).to.equal("CALL");
    expect(calls.to.toLowerCase()).to.equal(vault.target.toLowerCase());
    const steps = await network.provider.send("debug_traceTransaction", [tx.hash, {}]);
    expect(steps.failed).to.equal(false);
    expect(steps.structLogs.some((s) => s.op === "SSTORE")).to.equal(true);
  });

  it("signs typed data with a node account", async function () {
    const [signer] = await ethers.getSigners();
    const domain = { name: "Isthmus", version: "1", chainId: (await ethers.provider.getNetwork()).chainId };
    const types = { Mail: [{ name: "to", type: "address" }, { name: "contents", type: "string" }] };
    const value = { to: signer.address, contents: "hello" };
    const signature = await signer.signTypedData(domain, types, value);
    expect(ethers.verifyTypedData(domain, types, value, signature)).to.equal(signer.address);
  });
});
