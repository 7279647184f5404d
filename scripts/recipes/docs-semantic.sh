#!/usr/bin/env bash
# docs-semantic (create_semantic_dataset.py): the wiki cut at --- rules,
# sections under 100 characters joined to the next.
. "$(dirname "$0")/common.sh"
need_pages
begin docs-semantic
dw-split --by rule --min-chars 100 -i "$PAGES" -o "$DIR/data/sections.jsonl.zst"
finish
