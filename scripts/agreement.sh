#!/usr/bin/env bash
# agreement.sh — how well dw-rustparse agrees with syn, a rustc-grade Rust
# parser, on a large real corpus (Debian's crate sources, ~70 MB of Rust).
#
# Installs the corpus (scripts/corpus.sh), builds the oracle in
# scripts/oracle-syn offline from the same Debian crates, runs
# dw-rustparse over the corpus and prints, per field (kind + name, span,
# visibility, async/unsafe/const, docs, attribute names, impl trait and self
# type), the share of items on which both agree. Fails under --min (99.5 %).
#
# Usage: scripts/agreement.sh [MIN_PERCENT]
set -euo pipefail
cd "$(dirname "$0")/.."
min=${1:-99.5}
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}

scripts/corpus.sh
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null; then
  echo "agreement: installing Debian's cargo" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends cargo >/dev/null
fi
# Cargo reads scripts/oracle-syn/.cargo/config.toml (the offline Debian
# registry) only from inside that folder.
(cd scripts/oracle-syn && cargo build --release --quiet)

go build -o bin/ ./cmd/dw-rustparse
# Every file, whatever its size: the file records give the oracle the sources.
bin/dw-rustparse --kinds file,fn,struct,enum,union,trait,impl,mod,macro,const,static,type --min-size 0 --max-size 8MiB "$corpus" |
  scripts/oracle-syn/target/release/oracle-syn --root "$corpus" --min "$min"
