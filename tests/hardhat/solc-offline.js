// Hardhat's compiler downloader cannot reach its server here: the build Hardhat asks for is
// answered with the soljson.js that npm installed (solc-js, pinned in package.json). Shared by
// the Hardhat projects in tests/; `req` is the calling project's `require`, so that hardhat and
// solc resolve from its own node_modules.
module.exports = function answerSolcFromNpm(subtask, req, version) {
  const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = req("hardhat/builtin-tasks/task-names");
  subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args) => {
    const solc = req("solc");
    if (args.solcVersion !== version || !solc.version().startsWith(version + "+")) {
      throw new Error(`only solc ${version} (npm solc ${solc.version()}) is available offline`);
    }
    return {
      compilerPath: req.resolve("solc/soljson.js"),
      isSolcJs: true,
      version,
      longVersion: solc.version().replace(/\.Emscripten\.clang$/, ""),
    };
  });
};
