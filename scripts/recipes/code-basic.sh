#!/usr/bin/env bash
# code-basic (create_code_dataset.py): files, modules, functions, and structs
# with impls, each packed greedily to 4k, 8k and 16k tokens (12 outputs);
# longer items cut into windows at line ends.
. "$(dirname "$0")/common.sh"
begin code-basic
dw-rustparse "$REPO" -o "$DIR/items.jsonl.zst"
dw-rustparse --kinds file "$REPO" -o "$DIR/file.jsonl.zst"
dw-group --types module -i "$DIR/items.jsonl.zst" -o "$DIR/module.jsonl.zst"
dw-rustparse --kinds fn "$REPO" -o "$DIR/function.jsonl.zst"
dw-rustparse --kinds struct,impl "$REPO" -o "$DIR/struct_impl.jsonl.zst"
for g in file module function struct_impl; do
  pack_sizes "$DIR/$g.jsonl.zst" "$g"
done
rm "$DIR/items.jsonl.zst"
finish
