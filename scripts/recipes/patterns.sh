#!/usr/bin/env bash
# patterns (pattern_miner.py): the nine miners (serde, diesel, macros,
# validation, async, errors, conversions, impls by trait, routing) and the
# top 1,000 functions, whole, as plain samples and as FIM samples.
. "$(dirname "$0")/common.sh"
begin patterns
dw-rustparse --calls "$REPO" | dw-callgraph |
  dw-mine --patterns serde,diesel,macro,validation,async,error,conversion,impls,routing,important --top 1000 \
    -o "$DIR/mined.jsonl.zst"
dw-tokwindow --tokenizer "$TOKENIZER" -i "$DIR/mined.jsonl.zst" -o "$DIR/data/clm.jsonl.zst"
dw-fim --preset qwen --fim-rate 1 -i "$DIR/mined.jsonl.zst" | dw-tokwindow --tokenizer "$TOKENIZER" -o "$DIR/data/fim.jsonl.zst"
rm "$DIR/mined.jsonl.zst"
finish
