#!/usr/bin/env bash
# docs-basic (create_dataset.py): the wiki cut at every H1-H3 heading.
. "$(dirname "$0")/common.sh"
need_pages
begin docs-basic
dw-split --levels 1-3 -i "$PAGES" -o "$DIR/data/chunks.jsonl.zst"
finish
