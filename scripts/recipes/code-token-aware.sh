#!/usr/bin/env bash
# code-token-aware (token_aware_multi_gran.py): 2k-16k tokens: files of 4k
# tokens or more alone and smaller files of a crate batched until they reach
# 4k; module clusters of 3k-16k; whole crates of 2k-16k.
. "$(dirname "$0")/common.sh"
begin code-token-aware
dw-rustparse "$REPO" -o "$DIR/items.jsonl.zst"
dw-rustparse --kinds file "$REPO" |
  dw-tokwindow --tokenizer "$TOKENIZER" --min 4k --max 16k --group-by rust.crate -o "$DIR/data/files.jsonl.zst"
dw-group --types module -i "$DIR/items.jsonl.zst" |
  dw-tokwindow --tokenizer "$TOKENIZER" --min 3k --max 16k --drop-short -o "$DIR/data/modules.jsonl.zst"
dw-group --types crate -i "$DIR/items.jsonl.zst" |
  dw-tokwindow --tokenizer "$TOKENIZER" --min 2k --max 16k --drop-short -o "$DIR/data/crates.jsonl.zst"
rm "$DIR/items.jsonl.zst"
finish
