#!/usr/bin/env bash
# code-files (file_level_cpt.py): one sample per file of 100 B to 500 KB,
# a <path> header (Repository, Crate, File, Size) then <file>…</file>.
. "$(dirname "$0")/common.sh"
begin code-files
dw-rustparse --kinds file --min-size 100 --max-size 500KB "$REPO" |
  dw-render --preset file-tags |
  dw-tokwindow --tokenizer "$TOKENIZER" -o "$DIR/data/files.jsonl.zst"
finish
