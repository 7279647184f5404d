#!/usr/bin/env bash
# code-ast (create_enhanced_code_dataset.py): functions, structs, traits,
# impls and files with // Function: / // File: / // Module: / // Doc: comment
# headers, packed to 4k, 8k and 16k tokens (15 outputs).
. "$(dirname "$0")/common.sh"
begin code-ast
for kind in fn struct trait impl file; do
  dw-rustparse --kinds "$kind" "$REPO" | dw-render --preset comment-header -o "$DIR/$kind.jsonl.zst"
  pack_sizes "$DIR/$kind.jsonl.zst" "$kind"
done
finish
