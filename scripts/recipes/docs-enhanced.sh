#!/usr/bin/env bash
# docs-enhanced (create_enhanced_dataset.py): ## sections, title and intro
# kept, with the code they cite cut from REPO at the wiki's commit.
. "$(dirname "$0")/common.sh"
need_pages
begin docs-enhanced
dw-split --levels 2 -i "$PAGES" | dw-link --repo "$REPO" -o "$DIR/data/chunks.jsonl.zst"
finish
