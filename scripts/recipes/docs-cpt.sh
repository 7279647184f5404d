#!/usr/bin/env bash
# docs-cpt (create_cpt_training_dataset.py): <doc>…</doc> then <code …> blocks
# (the doc's fenced code, then the cited code), in its three layouts:
# interleaved, separate (doc and code records, marked render.part) and
# pairs; samples over 8,192 tokens are cut into windows, never dropped.
. "$(dirname "$0")/common.sh"
need_pages
begin docs-cpt
dw-split --levels 2 -i "$PAGES" | dw-link --repo "$REPO" -o "$DIR/linked.jsonl.zst"
for layout in interleaved separate pairs; do
  dw-render --preset doc-code --code-blocks --layout "$layout" -i "$DIR/linked.jsonl.zst" |
    dw-tokwindow --tokenizer "$TOKENIZER" --max 8192 -o "$DIR/data/$layout.jsonl.zst"
done
rm "$DIR/linked.jsonl.zst"
finish
