#!/usr/bin/env bash
# Deploys (or upgrades) target/deploy/isthmus.so to a running validator through the upgradeable
# loader, as `solana program deploy` does, with the payer as upgrade authority; then calls
# `initialize` when the config does not exist yet; prints the program id, the ProgramData address
# and the upgrade authority. The deploy tool is tests/anchor/src/deploy-cli.ts (node; its code is
# the one tests/anchor/tests/deploy.test.ts runs in LiteSVM).
#
#   scripts/deploy-local.sh [--url URL] [--keypair FILE] [other deploy-cli options]
#       --url      RPC URL (default http://127.0.0.1:8899)
#       --keypair  payer and upgrade authority (default ~/.config/solana/id.json)
#       --no-build do not build the .so (scripts/build-program.sh) when it is missing
#       --help     every option (program keypair, chain id, operators, fee market)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done
command -v npm >/dev/null || { echo "deploy-local: needs node and npm (node 20 or newer)" >&2; exit 1; }
SO="${ISTHMUS_SO:-$ROOT/target/deploy/isthmus.so}"
if [ ! -f "$SO" ]; then
  if [ "$build" = 1 ] && [ -z "${ISTHMUS_SO:-}" ]; then
    "$ROOT/scripts/build-program.sh"
  else
    echo "deploy-local: $SO missing (scripts/build-program.sh builds it)" >&2; exit 1
  fi
fi
export DEPLOY_CWD="$PWD"
cd "$ROOT/tests/anchor"
[ -d node_modules/@coral-xyz/anchor ] || npm ci --no-audit --no-fund --loglevel=error
exec npx ts-node src/deploy-cli.ts --so "$SO" "${args[@]}"
