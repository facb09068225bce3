// An OpenZeppelin ERC-20 on the `isthmus` network: supply, transfers with Transfer events,
// OZ custom errors, allowances, token balance changes, and a nonce check.
const { expect } = require("chai");
const { ethers } = require("hardhat");

const SUPPLY = ethers.parseUnits("1000000", 18);

describe("Token (OpenZeppelin ERC20)", function () {
  let token, owner, alice, bob;

  before(async function () {
    [owner, alice, bob] = await ethers.getSigners();
    token = await ethers.deployContract("Token", [SUPPLY]);
    await token.waitForDeployment();
  });

  it("has name, symbol, decimals and the supply at the deployer", async function () {
    expect(await token.name()).to.equal("Isthmus Test Token");
    expect(await token.symbol()).to.equal("ITT");
    expect(await token.decimals()).to.equal(18n);
    expect(await token.totalSupply()).to.equal(SUPPLY);
    expect(await token.balanceOf(owner.address)).to.equal(SUPPLY);
  });

  it("transfer() emits Transfer and moves balances", async function () {
    const amount = ethers.parseUnits("250", 18);
    const nonce = await ethers.provider.getTransactionCount(owner.address);
    const tx = await token.transfer(alice.address, amount);
    await expect(tx).to.emit(token, "Transfer").withArgs(owner.address, alice.address, amount);
    expect((await tx.wait()).status).to.equal(1);
    expect(tx.nonce).to.equal(nonce);
    expect(await ethers.provider.getTransactionCount(owner.address)).to.equal(nonce + 1);
    expect(await token.balanceOf(alice.address)).to.equal(amount);
    expect(await token.balanceOf(owner.address)).to.equal(SUPPLY - amount);
  });

  it("transfer() over the balance reverts with ERC20InsufficientBalance", async function () {
    const have = await token.balanceOf(alice.address);
    await expect(token.connect(alice).transfer(bob.address, have + 1n))
      .to.be.revertedWithCustomError(token, "ERC20InsufficientBalance")
      .withArgs(alice.address, have, have + 1n);
  });

  it("transfer() to the zero address reverts with ERC20InvalidReceiver", async function () {
    await expect(token.transfer(ethers.ZeroAddress, 1n))
      .to.be.revertedWithCustomError(token, "ERC20InvalidReceiver")
      .withArgs(ethers.ZeroAddress);
  });

  it("approve() + transferFrom() spend the allowance", async function () {
    const amount = ethers.parseUnits("10", 18);
    await expect(token.connect(alice).approve(bob.address, amount))
      .to.emit(token, "Approval")
      .withArgs(alice.address, bob.address, amount);
    expect(await token.allowance(alice.address, bob.address)).to.equal(amount);
    await expect(token.connect(bob).transferFrom(alice.address, bob.address, amount + 1n))
      .to.be.revertedWithCustomError(token, "ERC20InsufficientAllowance")
      .withArgs(bob.address, amount, amount + 1n);
    await (await token.connect(bob).transferFrom(alice.address, bob.address, amount)).wait();
    expect(await token.allowance(alice.address, bob.address)).to.equal(0n);
    expect(await token.balanceOf(bob.address)).to.equal(amount);
  });

  it("changeTokenBalances on a transfer (historical balanceOf by block)", async function () {
    const amount = ethers.parseUnits("3", 18);
    await expect(token.transfer(bob.address, amount)).to.changeTokenBalances(
      token,
      [owner, bob],
      [-amount, amount],
    );
  });

  it("queryFilter finds the Transfer events (eth_getLogs)", async function () {
    const events = await token.queryFilter(token.filters.Transfer(owner.address), 0, "latest");
    // mint (from zero, not matched), to alice, to bob: two transfers from the owner
    expect(events.map((e) => e.args.to)).to.deep.equal([alice.address, bob.address]);
  });
});
