// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {Counter} from "../src/Counter.sol";
import {CheatCodes} from "../test/Vm.sol";

/// forge script script/DeployUnlocked.s.sol --broadcast --unlocked --sender <node account>
/// --rpc-url $RPC_URL: no key in the script or on the command line; the node signs
/// (eth_sendTransaction) for the sender it holds.
contract DeployUnlocked is CheatCodes {
    function run() external returns (Counter counter) {
        vm.startBroadcast();
        counter = new Counter(7);
        counter.increment();
        vm.stopBroadcast();
        vm.assertEq(counter.number(), 8);
        vm.assertEq(counter.owner(), msg.sender);
    }
}
