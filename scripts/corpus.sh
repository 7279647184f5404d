#!/usr/bin/env bash
# corpus.sh — install a real Rust corpus from Debian's librust-*-dev packages.
#
# The crates land under /usr/share/cargo/registry, one folder per crate with its
# Cargo.toml and sources: a realistic multi-crate "workspace" for end-to-end
# runs, the agreement check and benchmarks. The same packages also serve as an
# offline cargo registry for the syn-based oracle (scripts/oracle-syn).
#
# Usage: scripts/corpus.sh        (idempotent; needs root or sudo for apt-get)
set -euo pipefail

packages=(
  tokio syn regex-syntax hyper clap serde chrono nom rayon futures-util libc
  gimli object toml-edit rustix nix openssl image h2 reqwest rustls tracing
  serde-json regex aho-corasick encoding-rs unicode-normalization url
  proc-macro2 quote
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "librust-$p-dev" >/dev/null 2>&1 || missing+=("librust-$p-dev")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "corpus: all ${#packages[@]} packages present" >&2
else
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "corpus: installing ${#missing[@]} packages" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
du -sh --apparent-size /usr/share/cargo/registry >&2
