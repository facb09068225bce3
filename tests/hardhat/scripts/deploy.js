// npx hardhat run scripts/deploy.js --network isthmus
// Deploys the Token (1,000,000 ITT) and a Counter(7), sends a transfer and an increment, checks
// the receipts and the state they leave, and prints the addresses.
const assert = require("node:assert/strict");
const hre = require("hardhat");
const { ethers } = hre;

async function main() {
  const [deployer, alice] = await ethers.getSigners();
  const { chainId } = await ethers.provider.getNetwork();
  console.log(`network ${hre.network.name}, chain id ${chainId}, deployer ${deployer.address}`);
  assert.equal(chainId, 1337n);

  const supply = ethers.parseUnits("1000000", 18);
  const token = await ethers.deployContract("Token", [supply]);
  await token.waitForDeployment();
  const deployTx = token.deploymentTransaction();
  const deployReceipt = await deployTx.wait();
  assert.equal(deployReceipt.status, 1);
  assert.equal(deployReceipt.contractAddress, await token.getAddress());
  console.log(`Token   ${await token.getAddress()} (tx ${deployTx.hash}, gas ${deployReceipt.gasUsed})`);

  const counter = await ethers.deployContract("Counter", [7]);
  await counter.waitForDeployment();
  console.log(`Counter ${await counter.getAddress()}`);

  const amount = ethers.parseUnits("100", 18);
  const transfer = await (await token.transfer(alice.address, amount)).wait();
  assert.equal(transfer.status, 1);
  assert.equal(await token.balanceOf(alice.address), amount);
  console.log(`transfer 100 ITT to ${alice.address}: block ${transfer.blockNumber}, gas ${transfer.gasUsed}`);

  const inc = await (await counter.connect(alice).increment()).wait();
  assert.equal(inc.status, 1);
  assert.equal(await counter.number(), 8n);
  console.log(`increment: number ${await counter.number()}`);
  console.log("deploy: ok");
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
