#!/usr/bin/env bash
# patterns-clean (clean_pattern_miner.py): natural samples, no labels: whole
# files, the important functions with 100 lines of context, and modules.
. "$(dirname "$0")/common.sh"
begin patterns-clean
dw-rustparse --calls "$REPO" | dw-callgraph -o "$DIR/items.jsonl.zst"
dw-rustparse --kinds file "$REPO" | dw-tokwindow --tokenizer "$TOKENIZER" --max 16k -o "$DIR/data/files.jsonl.zst"
dw-mine --patterns important --context 100 -i "$DIR/items.jsonl.zst" |
  dw-tokwindow --tokenizer "$TOKENIZER" --max 16k -o "$DIR/data/functions.jsonl.zst"
dw-group --types module -i "$DIR/items.jsonl.zst" |
  dw-tokwindow --tokenizer "$TOKENIZER" --max 16k -o "$DIR/data/modules.jsonl.zst"
rm "$DIR/items.jsonl.zst"
finish
