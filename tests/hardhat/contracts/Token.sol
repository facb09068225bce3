// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// An OpenZeppelin 5 ERC-20: the whole supply to the deployer, errors are OZ's custom errors
/// (ERC20InsufficientBalance, ERC20InsufficientAllowance, ...).
contract Token is ERC20 {
    constructor(uint256 supply) ERC20("Isthmus Test Token", "ITT") {
        _mint(msg.sender, supply);
    }
}
