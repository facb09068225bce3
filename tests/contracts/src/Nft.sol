// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/// OpenZeppelin's ERC-721 with an open mint.
contract Nft is ERC721 {
    constructor() ERC721("Isthmus NFT", "INFT") {}

    function mint(address to, uint256 tokenId) external {
        _mint(to, tokenId);
    }
}
