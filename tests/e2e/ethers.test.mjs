// ethers v6 against rpc-proxy ($RPC_URL, default http://127.0.0.1:8545): deploy the OpenZeppelin
// ERC-20 of tests/contracts, transfer, wait for the receipt, read balances, and decode reverts
// from eth_call (a custom error, and Error(string)). Run by scripts/test-e2e.sh.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ethers } from "ethers";

const url = process.env.RPC_URL ?? "http://127.0.0.1:8545";
const build = new URL("../contracts/build/", import.meta.url);
const artifact = (name) => ({
  abi: JSON.parse(readFileSync(new URL(`${name}.abi.json`, build))),
  bytecode: "0x" + readFileSync(new URL(`${name}.bin`, build), "utf8").trim(),
});

// The first two development accounts of `test test ... junk` (anvil's and Hardhat's).
const KEY0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ADDR1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

const step = (what) => console.log(`ok - ${what}`);

const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true, cacheTimeout: -1 });
const network = await provider.getNetwork();
assert.equal(network.chainId, 1337n);
step("chain id 1337");

const wallet = new ethers.Wallet(KEY0, provider);
const ether = await provider.getBalance(wallet.address);
assert.equal(ether, ethers.parseEther("10000"));
step(`${wallet.address} holds 10000 ETH`);

// Deploy the ERC-20 (through a holder: its initcode does not fit one Solana transaction).
const supply = ethers.parseUnits("1000000", 18);
const { abi, bytecode } = artifact("Token");
const factory = new ethers.ContractFactory(abi, bytecode, wallet);
const token = await factory.deploy("Isthmus Token", "IST", supply);
const deployReceipt = await token.deploymentTransaction().wait();
assert.equal(deployReceipt.status, 1);
const tokenAddress = await token.getAddress();
assert.equal(deployReceipt.contractAddress, tokenAddress);
assert.notEqual(await provider.getCode(tokenAddress), "0x");
step(`ERC-20 deployed at ${tokenAddress} (gas ${deployReceipt.gasUsed})`);

assert.equal(await token.name(), "Isthmus Token");
assert.equal(await token.totalSupply(), supply);
assert.equal(await token.balanceOf(wallet.address), supply);
step("name, totalSupply, balanceOf by eth_call");

// Transfer, wait for the receipt, read balances.
const amount = ethers.parseUnits("1234.5", 18);
const tx = await token.transfer(ADDR1, amount);
const receipt = await tx.wait();
assert.equal(receipt.status, 1);
assert.equal(receipt.hash, tx.hash);
const transfers = receipt.logs.map((l) => token.interface.parseLog(l)).filter((e) => e?.name === "Transfer");
assert.equal(transfers.length, 1);
assert.equal(transfers[0].args.from, wallet.address);
assert.equal(transfers[0].args.to, ADDR1);
assert.equal(transfers[0].args.value, amount);
step(`transfer mined in block ${receipt.blockNumber}, Transfer event decoded (gas ${receipt.gasUsed})`);

assert.equal(await token.balanceOf(ADDR1), amount);
assert.equal(await token.balanceOf(wallet.address), supply - amount);
assert.equal(await provider.getTransactionCount(wallet.address), 2);
assert.ok((await provider.getBalance(wallet.address)) < ether);
step("balances and nonce after the transfer; gas paid in ETH");

// A revert from eth_call: ERC20InsufficientBalance(sender, balance, needed), a custom error.
const poor = ethers.Wallet.createRandom().address;
await assert.rejects(
  token.connect(provider).transfer.staticCall(ADDR1, 1n, { from: poor }),
  (e) => {
    assert.equal(e.code, "CALL_EXCEPTION");
    assert.equal(e.revert?.name, "ERC20InsufficientBalance");
    assert.deepEqual([...e.revert.args], [poor, 0n, 1n]);
    return true;
  },
);
step("eth_call revert decoded: ERC20InsufficientBalance(sender, 0, 1)");

// And an Error(string) revert, straight from JSON-RPC: code 3, "execution reverted: ...", data.
const rev = artifact("Reverter");
const reverter = await new ethers.ContractFactory(rev.abi, rev.bytecode, wallet).deploy();
await reverter.waitForDeployment();
await assert.rejects(reverter.message.staticCall(), (e) => {
  assert.equal(e.code, "CALL_EXCEPTION");
  assert.equal(e.reason, "isthmus: message");
  return true;
});
const raw = await fetch(url, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({
    jsonrpc: "2.0",
    id: 1,
    method: "eth_call",
    params: [{ to: await reverter.getAddress(), data: reverter.interface.encodeFunctionData("message") }, "latest"],
  }),
}).then((r) => r.json());
assert.equal(raw.error.code, 3);
assert.equal(raw.error.message, "execution reverted: isthmus: message");
assert.match(raw.error.data, /^0x08c379a0/);
step(`Error(string) revert: ${JSON.stringify(raw.error.message)}`);

const unknown = await fetch(url, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "eth_noSuchMethod", params: [] }),
}).then((r) => r.json());
assert.equal(unknown.error.code, -32601);
step("unknown method: -32601");
console.log("all e2e checks passed");
