// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// Calls a precompile (or any address) with `input` and logs what it answered.
contract Precompiles {
    event Result(address indexed target, bool ok, bytes output);

    function call(address target, bytes calldata input) external {
        (bool ok, bytes memory output) = target.staticcall(input);
        emit Result(target, ok, output);
    }
}
