#!/usr/bin/env bash
# scrape (deepwiki.py): every page of a DeepWiki wiki as page records, and
# one .md file per page.   make scrape WIKI=OWNER/REPO [WIKI_BASE=URL]
. "$(dirname "$0")/common.sh"
begin scrape
dw-scrape ${WIKI_BASE:+--base-url "$WIKI_BASE"} --out-dir "$DIR/md" -o "$DIR/data/pages.jsonl.zst" "$WIKI"
finish
