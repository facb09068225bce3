// Prague and Osaka as a wallet uses them: contracts compiled by solc 0.8.37 with its default
// settings (EVM version osaka) using CLZ, and EIP-7702 set-code transactions that delegate an
// account to a batch executor and run a batch through it in the same transaction, sent with
// viem (signAuthorization, account 6) and with ethers v6 (Wallet.authorize, account 7); both
// estimate gas with the authorization list (eth_estimateGas), then read the transaction back
// (eth_getTransactionByHash: authorizationList), its receipt (type 0x4) and the delegated
// account's code (eth_getCode: 0xef0100 || executor).
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import { ethers } from "ethers";
import { createPublicClient, createWalletClient, defineChain, encodeFunctionData, http, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { ADDRESSES, CHAIN_ID, KEYS, RPC_URL, TIMEOUT } from "./lib/common.mjs";

const solc = createRequire(import.meta.url)("solc");
const opts = { timeout: TIMEOUT };

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.31;

/// What an EOA delegates to (EIP-7702): runs a batch of calls, only when the account calls
/// itself.
contract BatchExecutor {
    struct Call { address to; uint256 value; bytes data; }
    event Called(address indexed to, uint256 value);
    error OnlySelf();

    function execute(Call[] calldata calls) external payable {
        if (msg.sender != address(this)) revert OnlySelf();
        for (uint256 i = 0; i < calls.length; i++) {
            (bool ok, bytes memory ret) = calls[i].to.call{value: calls[i].value}(calls[i].data);
            if (!ok) assembly { revert(add(ret, 32), mload(ret)) }
            emit Called(calls[i].to, calls[i].value);
        }
    }
}

/// CLZ (EIP-7939), which solc emits for the osaka EVM version.
contract Bits {
    function leadingZeros(uint256 x) external pure returns (uint256 r) {
        assembly { r := clz(x) }
    }
}
`;

/** Both contracts, compiled with solc's defaults (no evmVersion: osaka in 0.8.37). */
function compile() {
  const input = {
    language: "Solidity",
    sources: { "Osaka.sol": { content: SOURCE } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "metadata"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  assert.deepEqual(errors, [], "solc errors");
  const contract = (name) => {
    const c = output.contracts["Osaka.sol"][name];
    return { abi: c.abi, bytecode: "0x" + c.evm.bytecode.object, evmVersion: JSON.parse(c.metadata).settings.evmVersion };
  };
  return { BatchExecutor: contract("BatchExecutor"), Bits: contract("Bits") };
}

const chain = defineChain({
  id: CHAIN_ID,
  name: "Isthmus dev",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [RPC_URL] } },
});

/** The EIP-7702 delegation designator of `target`, as eth_getCode answers it. */
const designator = (target) => ("0xef0100" + target.slice(2)).toLowerCase();

describe("Prague and Osaka", { timeout: 30 * TIMEOUT }, () => {
  let artifacts, publicClient, executor;
  const fresh = () => ethers.Wallet.createRandom().address;

  before(() => {
    artifacts = compile();
    publicClient = createPublicClient({ chain, transport: http(RPC_URL), pollingInterval: 250 });
  });

  it("solc 0.8.37 compiles for osaka by default; CLZ runs", opts, async () => {
    const { abi, bytecode, evmVersion } = artifacts.Bits;
    assert.equal(evmVersion, "osaka");
    const account = privateKeyToAccount(KEYS[6]);
    const wallet = createWalletClient({ chain, account, transport: http(RPC_URL) });
    const hash = await wallet.deployContract({ abi, bytecode });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 250, timeout: TIMEOUT });
    assert.equal(receipt.status, "success");
    const bits = receipt.contractAddress;
    const read = (x) => publicClient.readContract({ address: bits, abi, functionName: "leadingZeros", args: [x] });
    assert.equal(await read(1n), 255n);
    assert.equal(await read(0n), 256n);
    assert.equal(await read(1n << 200n), 55n);
    assert.equal(await read((1n << 256n) - 1n), 0n);
  });

  it("deploys the batch executor", opts, async () => {
    const { abi, bytecode } = artifacts.BatchExecutor;
    const account = privateKeyToAccount(KEYS[6]);
    const wallet = createWalletClient({ chain, account, transport: http(RPC_URL) });
    const hash = await wallet.deployContract({ abi, bytecode });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 250, timeout: TIMEOUT });
    assert.equal(receipt.status, "success");
    executor = receipt.contractAddress;
  });

  it("viem: signAuthorization, then a batch through the delegated account in one type-4 transaction", opts, async () => {
    const account = privateKeyToAccount(KEYS[6]);
    assert.equal(account.address, ADDRESSES[6]);
    const wallet = createWalletClient({ chain, account, transport: http(RPC_URL) });
    const { abi } = artifacts.BatchExecutor;
    const [a, b] = [fresh(), fresh()];
    // executor "self": the authorization's nonce is the one after this transaction's.
    const authorization = await wallet.signAuthorization({ contractAddress: executor, executor: "self" });
    const hash = await wallet.sendTransaction({
      to: account.address,
      authorizationList: [authorization],
      data: encodeFunctionData({
        abi,
        functionName: "execute",
        args: [[{ to: a, value: 1000n, data: "0x" }, { to: b, value: 2000n, data: "0x" }]],
      }),
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 250, timeout: TIMEOUT });
    assert.equal(receipt.status, "success");
    assert.equal(receipt.type, "eip7702");
    const called = parseEventLogs({ abi, logs: receipt.logs, eventName: "Called" });
    assert.deepEqual(called.map((l) => [l.address.toLowerCase(), l.args.to, l.args.value]), [
      [account.address.toLowerCase(), a, 1000n],
      [account.address.toLowerCase(), b, 2000n],
    ]);
    assert.equal(await publicClient.getBalance({ address: a }), 1000n);
    assert.equal(await publicClient.getBalance({ address: b }), 2000n);
    assert.equal((await publicClient.getCode({ address: account.address })).toLowerCase(), designator(executor));

    const tx = await publicClient.getTransaction({ hash });
    assert.equal(tx.type, "eip7702");
    assert.equal(tx.authorizationList.length, 1);
    assert.equal(tx.authorizationList[0].address.toLowerCase(), executor.toLowerCase());
    assert.equal(tx.authorizationList[0].chainId, CHAIN_ID);

    // Delegated already: an ordinary transaction now runs the executor's code, and it refuses
    // anyone but the account itself.
    const other = createWalletClient({ chain, account: privateKeyToAccount(KEYS[7]), transport: http(RPC_URL) });
    await assert.rejects(
      other.sendTransaction({
        to: account.address,
        data: encodeFunctionData({ abi, functionName: "execute", args: [[]] }),
      }),
      /OnlySelf|0x14e1ddb9|revert/i,
    );
  });

  describe("ethers v6", () => {
    let provider;
    before(() => {
      provider = new ethers.JsonRpcProvider(RPC_URL, undefined, { staticNetwork: true, pollingInterval: 250, cacheTimeout: -1 });
    });
    after(() => provider?.destroy());

    it("Wallet.authorize, then a batch through the delegated account in one type-4 transaction", opts, async () => {
      const wallet = new ethers.Wallet(KEYS[8], provider);
      assert.equal(wallet.address, ADDRESSES[8]);
      const batch = new ethers.Contract(executor, artifacts.BatchExecutor.abi, provider);
      const [a, b] = [fresh(), fresh()];
      const nonce = await provider.getTransactionCount(wallet.address, "pending");
      // Sent by the account itself: the authorization takes the nonce after the transaction's.
      const authorization = await wallet.authorize({ address: executor, nonce: nonce + 1, chainId: CHAIN_ID });
      const data = batch.interface.encodeFunctionData("execute", [[
        { to: a, value: 3000n, data: "0x" },
        { to: b, value: 4000n, data: "0x" },
      ]]);
      // Gas estimated by the node with the authorization list (eth_estimateGas).
      const sent = await wallet.sendTransaction({ type: 4, to: wallet.address, data, nonce, authorizationList: [authorization] });
      const receipt = await sent.wait();
      assert.equal(receipt.status, 1);
      assert.equal(receipt.type, 4);
      assert.equal(receipt.logs.length, 2);
      assert.equal(await provider.getBalance(a), 3000n);
      assert.equal(await provider.getBalance(b), 4000n);
      assert.equal((await provider.getCode(wallet.address)).toLowerCase(), designator(executor));
      assert.equal(await provider.getTransactionCount(wallet.address), nonce + 2);

      const tx = await provider.getTransaction(sent.hash);
      assert.equal(tx.type, 4);
      assert.equal(tx.authorizationList.length, 1);
      assert.equal(tx.authorizationList[0].address.toLowerCase(), executor.toLowerCase());

      // Clearing the delegation (an authorization to the zero address) empties the code again.
      const n = await provider.getTransactionCount(wallet.address, "pending");
      const clear = await wallet.authorize({ address: ethers.ZeroAddress, nonce: n + 1, chainId: CHAIN_ID });
      const cleared = await (await wallet.sendTransaction({ type: 4, to: wallet.address, nonce: n, authorizationList: [clear] })).wait();
      assert.equal(cleared.status, 1);
      assert.equal(await provider.getCode(wallet.address), "0x");
    });
  });
});
