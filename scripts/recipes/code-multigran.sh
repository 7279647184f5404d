#!/usr/bin/env bash
# code-multigran (multi_granularity_cpt.py): files of 5 KB or more, modules,
# crates, impl collections, trait ecosystems and cross-crate use, each in
# its tag (<module>, <crate>, <impl_collection>, <trait_ecosystem>,
# <cross_crate>), an output each.
. "$(dirname "$0")/common.sh"
begin code-multigran
dw-rustparse --kinds file --min-size 5KB "$REPO" | dw-render --preset file-tags |
  dw-tokwindow --tokenizer "$TOKENIZER" -o "$DIR/data/file.jsonl.zst"
dw-rustparse --calls "$REPO" -o "$DIR/items.jsonl.zst"
for type in module crate impl-collection trait-ecosystem cross-crate; do
  dw-group --types "$type" -i "$DIR/items.jsonl.zst" | dw-render --preset group-tags |
    dw-tokwindow --tokenizer "$TOKENIZER" -o "$DIR/data/${type//-/_}.jsonl.zst"
done
rm "$DIR/items.jsonl.zst"
finish
