#!/usr/bin/env bash
# Builds the Isthmus program (programs/isthmus, Anchor 2) to target/deploy/isthmus.so, from a clean
# clone: installs the pinned nightly (with rust-src) and sbpf-linker when missing, then builds for
# SBF (SBPF v3). The how and why: scripts/build-sbf.sh and docs/toolchain.md.
# Environment: TOOLS, SBF_TARGET_DIR (see scripts/build-sbf.sh).
set -euo pipefail
exec "$(dirname "${BASH_SOURCE[0]}")/build-sbf.sh" isthmus
