/*
Dw-tokwindow cuts or packs the text of records to token budgets and writes
the exact token count on every record.

Usage:

	dw-tokwindow [flags] < records.jsonl

Every record gets "tokens": {"count", "tokenizer"}, counted by the target
model's own tokenizer (--tokenizer): a built-in tiktoken encoding
(cl100k_base, o200k_base, p50k_base, p50k_edit, r50k_base), a
tokenizer.json file, or hf:OWNER/NAME from the local Hugging Face cache
(e.g. hf:Kwaipilot/KAT-Dev). Nothing is downloaded.

A record over --max tokens is cut into windows. Each cut falls after the
last blank line that keeps at least half the budget, else after the last
whole line, else between two tokens — never inside a token or a UTF-8
sequence. With --overlap N, each window after the first starts with the
last N tokens of the one before (one or two more when a token there splits
a character). No window is over --max. A window record is the source record
with a new id and text, and "window": {"source", "index", "of",
"byte_start", "byte_end", "overlap_bytes", "overlap_tokens", "token_start",
"token_end"}: the source's id, the window's place, its byte range in the
source text (of which the first overlap_bytes repeat the previous window),
and the source tokens it covers. The source's text is
text[byte_start+overlap_bytes:byte_end] over its windows, joined. A "code"
field (the byte ranges of code in the text, from dw-render) is clipped to
each window and moved into each pack, so it stays true.

With --min, records under --min tokens are packed with the records that
follow them in the same group (--group-by a field such as rust.crate or
source.path; dotted paths reach into objects), joined by --join, until the
pack reaches --min, never past --max. A pack record is its first member with
a new id and text and "window": {"packed": [member ids], "group"}. One rule
holds for every text under --min, whether a record or the last window of a
long one: it is packed. A pack under --min that cannot take the next text
whole takes its head (cut where a window would be) and leaves the rest to
start the next pack, so packs reach --min whenever there is text enough,
and with --min equal to --max every pack is full (a text of --min tokens or
more closes the pack before it, so the input order is kept); a piece packed so is
named in "packed" by the id its window record would have. What still cannot
reach --min (the end of a group or of the input) is kept, or dropped with
--drop-short; either way it is counted in the closing summary on stderr.

Special-token strings such as <|endoftext|> count as plain text unless
--specials is given.

Exit status: 0 when all went well, 1 after bad input lines (reported with
their line numbers; --fail-fast stops at the first), 2 for a bad command
line.

Examples:

	# windows of at most 16k tokens, 200 of them carried over, for Qwen3 / KAT-Dev
	dw-rustparse --kinds file ./hyperswitch | dw-tokwindow --tokenizer hf:Kwaipilot/KAT-Dev --max 16k --overlap 200

	# files of a crate packed to at least 2k tokens
	dw-rustparse --kinds file ./hyperswitch | dw-tokwindow --min 2k --max 16k --group-by rust.crate

	# just count, with o200k_base
	dw-tokwindow --tokenizer o200k_base --max 1m -i chunks.jsonl.zst
*/
package main
