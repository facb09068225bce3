#!/usr/bin/env bash
# Builds Solana (SBF, SBPF v3) programs without `cargo build-sbf`: a pinned nightly Rust with
# rust-src (build-std) and sbpf-linker from crates.io. See docs/toolchain.md.
#
#   scripts/build-sbf.sh          build programs/evm-cu-probe -> target/deploy/evm_cu_probe.so
#   scripts/build-sbf.sh check    build isthmus-evm --no-default-features for the SBF target
#                                 (CI: the interpreter stays no_std and SBF-clean)
#   scripts/build-sbf.sh isthmus  build the Isthmus program -> target/deploy/isthmus.so
#                                 (what scripts/build-program.sh runs; programs/isthmus is its
#                                 own workspace, built through its manifest)
#
# Other scripts may `source` this file for its functions (ensure_toolchain, ensure_linker,
# sbf_cargo, deploy_so); it only builds when run directly.
#
# Idempotent: installs the toolchain and the linker only when missing. Environment:
#   TOOLS            where sbpf-linker is installed (default: $HOME/.cache/isthmus-tools);
#                    keep it outside the clone so CI can cache it
#   SBF_TARGET_DIR   cargo target dir of SBF builds (default: $CARGO_TARGET_DIR/sbf, else
#                    target/sbf: beside, never inside, the host build's artifacts)
# Target flags live in .cargo/config.toml ([target.bpfel-unknown-none]; cargo reads it from the
# directory it runs in, the repository root, for both workspaces); -Z build-std is passed here so
# that stable cargo (host builds) never sees an [unstable] table. Builds use the `sbf` profile
# (fat LTO, one codegen unit) that both workspaces define, so host release builds need no LTO.
set -euo pipefail

NIGHTLY=nightly-2026-10-25
LINKER_VERSION=0.2.6
TOOLS="${TOOLS:-$HOME/.cache/isthmus-tools}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SBF_TARGET_DIR="${SBF_TARGET_DIR:-${CARGO_TARGET_DIR:-$ROOT/target}/sbf}"
TARGET=bpfel-unknown-none
MODE="${1:-program}"

log() { printf '[build-sbf] %s\n' "$*" >&2; }

ensure_toolchain() {
  if ! rustup run "$NIGHTLY" rustc --version >/dev/null 2>&1; then
    log "installing $NIGHTLY with rust-src"
    rustup toolchain install "$NIGHTLY" --profile minimal -c rust-src --no-self-update
  fi
  if [ ! -d "$(rustup run "$NIGHTLY" rustc --print sysroot)/lib/rustlib/src/rust/library" ]; then
    log "adding rust-src to $NIGHTLY"
    rustup component add rust-src --toolchain "$NIGHTLY"
  fi
}

ensure_linker() {
  local bin="$TOOLS/bin/sbpf-linker"
  # (no `| grep -q`: with pipefail, grep's early exit would fail the pipe)
  if [ -x "$bin" ] && [[ "$("$bin" --version 2>/dev/null)" == *"sbpf-linker $LINKER_VERSION"* ]]; then
    return
  fi
  log "installing sbpf-linker $LINKER_VERSION into $TOOLS (takes a few minutes once)"
  cargo "+$NIGHTLY" install sbpf-linker --version "$LINKER_VERSION" --locked --root "$TOOLS"
}

sbf_cargo() {
  CARGO_TARGET_BPFEL_UNKNOWN_NONE_LINKER="$TOOLS/bin/sbpf-linker" \
    CARGO_TARGET_DIR="$SBF_TARGET_DIR" \
    cargo "+$NIGHTLY" "$@" --profile sbf --target "$TARGET" -Z build-std=core,alloc
}

# Builds package $1 (library name $2) for SBF and copies the program to target/deploy/$2.so;
# further arguments go to cargo (e.g. --manifest-path of another workspace).
deploy_so() {
  local package="$1" name="$2"
  shift 2
  log "building $package for $TARGET"
  sbf_cargo build -p "$package" "$@"
  local out="$SBF_TARGET_DIR/$TARGET/sbf/$name.so"
  [ -f "$out" ] || out="$SBF_TARGET_DIR/$TARGET/sbf/lib$name.so"
  mkdir -p "$ROOT/target/deploy"
  cp "$out" "$ROOT/target/deploy/$name.so"
  log "target/deploy/$name.so ($(wc -c <"$ROOT/target/deploy/$name.so") bytes)"
}

main() {
  ensure_toolchain
  ensure_linker
  cd "$ROOT"

  case "$MODE" in
    check)
      log "building isthmus-evm (no_std) for $TARGET"
      sbf_cargo build -p isthmus-evm --no-default-features
      log "ok: isthmus-evm builds for SBF"
      ;;
    program | "")
      deploy_so evm-cu-probe evm_cu_probe
      ;;
    isthmus)
      deploy_so isthmus isthmus --manifest-path "$ROOT/programs/isthmus/Cargo.toml"
      # Anchor's convention: the program keypair beside the .so (a development key, public in
      # this repository: deploy a production program under a key of its own).
      cp "$ROOT/programs/isthmus/keys/isthmus-keypair.json" "$ROOT/target/deploy/isthmus-keypair.json"
      ;;
    *)
      echo "usage: $0 [check|program|isthmus]" >&2
      exit 2
      ;;
  esac
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main
fi
