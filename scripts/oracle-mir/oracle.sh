#!/usr/bin/env bash
# oracle.sh — dw-callgraph's edges against the calls rustc itself resolves.
#
# For a few crates of the Debian corpus (scripts/corpus.sh), dumps the MIR
# of the library with Debian's registry as an offline cargo source
# (RUSTC_BOOTSTRAP=1 cargo rustc --lib -- -Zunpretty=mir, unoptimized:
# -Zmir-opt-level=0, so that no call is folded away), runs
# dw-rustparse | dw-callgraph over the same sources, and compares (go run
# ./scripts/oracle-mir): per crate, the recall and precision of the
# crate-local calls written in function bodies, and the misses by class.
# Fails when a crate is under MIN_RECALL or MIN_PRECISION.
#
# Usage: scripts/oracle-mir/oracle.sh [MIN_RECALL [MIN_PRECISION]]
#        ORACLE_CRATES="base64-0.13.0 glob-0.3.0" ORACLE_MISSES=20 scripts/oracle-mir/oracle.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}
crates=${ORACLE_CRATES:-base64-0.13.0 glob-0.3.0 yaml-rust-0.4.5 regex-syntax-0.6.27 serde_json-1.0.87 smallvec-1.9.0 indexmap-1.9.2 url-2.3.1 http-0.2.7}
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo >/dev/null || { echo "oracle-mir: no cargo (scripts/agreement.sh installs Debian's)" >&2; exit 1; }
here=$PWD/scripts/oracle-mir
export CARGO_TARGET_DIR=$here/target # dependencies are built once
go build -o bin/ ./cmd/dw-rustparse ./cmd/dw-callgraph
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
args=()
for c in $crates; do
  [ -d "$corpus/$c" ] || { echo "oracle-mir: $corpus/$c missing (scripts/corpus.sh)" >&2; exit 1; }
  # A copy: cargo writes a lock file, and the .cargo/config.toml that
  # makes the Debian registry the offline source must sit above it.
  mkdir -p "$work/$c/.cargo"
  cp -r "$corpus/$c/." "$work/$c/src-crate"
  cp "$here/.cargo/config.toml" "$work/$c/.cargo/"
  rm -f "$work/$c/src-crate/Cargo.lock"
  # Dev-dependencies are not in the registry, and a library needs none.
  awk '/^\[/ { skip = /^\[dev-dependencies/ } !skip' "$corpus/$c/Cargo.toml" >"$work/$c/src-crate/Cargo.toml"
  # Spans are printed by default before rustc 1.77, on request after.
  mir() {
    (cd "$work/$c/src-crate" && RUSTC_BOOTSTRAP=1 cargo rustc --lib --quiet -- \
      --cap-lints allow -Zmir-opt-level=0 -Zunpretty=mir -Ztrim-diagnostic-paths=no "$@") >"$work/$c/mir" 2>"$work/$c/cargo.err"
  }
  mir -Zmir-include-spans=yes || mir || { cat "$work/$c/cargo.err" >&2; exit 1; }
  bin/dw-rustparse "$work/$c/src-crate" 2>/dev/null | bin/dw-callgraph >"$work/$c/graph.jsonl" 2>/dev/null
  args+=("$c" "$work/$c/src-crate" "$work/$c/mir" "$work/$c/graph.jsonl")
done
go run ./scripts/oracle-mir --min-recall "${1:-0}" --min-precision "${2:-0}" --misses "${ORACLE_MISSES:-0}" "${args[@]}"
