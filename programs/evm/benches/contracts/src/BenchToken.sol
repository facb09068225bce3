// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// OpenZeppelin's ERC-20, unchanged; the deployer receives the whole supply.
contract BenchToken is ERC20 {
    constructor() ERC20("Bench Token", "BENCH") {
        _mint(msg.sender, 1_000_000_000 * 10 ** 18);
    }
}
