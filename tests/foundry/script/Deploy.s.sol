// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Counter} from "../src/Counter.sol";
import {CheatCodes} from "../test/Vm.sol";

/// forge script script/Deploy.s.sol --broadcast --rpc-url $RPC_URL
/// Deploys a Counter(7) with PRIVATE_KEY (default: the first anvil/Hardhat dev key), then sends
/// increment() and setNumber(100) as separate transactions.
contract Deploy is CheatCodes {
    uint256 constant DEV_KEY0 = 0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80;

    function run() external returns (Counter counter) {
        uint256 key = vm.envOr("PRIVATE_KEY", DEV_KEY0);
        vm.startBroadcast(key);
        counter = new Counter(7);
        counter.increment();
        counter.setNumber(100);
        vm.stopBroadcast();
        vm.assertEq(counter.number(), 100);
        vm.assertEq(counter.owner(), vm.addr(key));
    }
}
