#!/usr/bin/env bash
# code-rich (gen_data.py): functions as CLM with the context header, as FIM,
# graph-augmented; crate, module and trait overviews; instruction samples;
# contrastive pairs and reasoning traces.
. "$(dirname "$0")/common.sh"
begin code-rich
dw-rustparse --calls "$REPO" | dw-callgraph -o "$DIR/items.jsonl.zst"
win() { dw-tokwindow --tokenizer "$TOKENIZER" --max 16k -o "$DIR/data/$1.jsonl.zst"; }
dw-render --preset context-header --kinds fn -i "$DIR/items.jsonl.zst" | win clm
dw-render --preset context-header --kinds fn -i "$DIR/items.jsonl.zst" | dw-fim --preset qwen --fim-rate 1 | win fim
dw-render --preset graph-augmented --kinds fn -i "$DIR/items.jsonl.zst" | win graph
dw-group --types crate,module,trait-ecosystem -i "$DIR/items.jsonl.zst" | dw-render --preset group-tags | win overview
dw-mine --patterns instruction -i "$DIR/items.jsonl.zst" | dw-render --preset instruction | win instruction
dw-mine --patterns contrastive -i "$DIR/items.jsonl.zst" | win contrastive
dw-mine --patterns reasoning -i "$DIR/items.jsonl.zst" | win reasoning
rm "$DIR/items.jsonl.zst"
finish
