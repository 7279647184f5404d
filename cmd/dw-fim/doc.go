/*
Dw-fim turns the text of records into fill-in-the-middle samples.

Usage:

	dw-fim [flags] < records.jsonl

Of the records, --fim-rate (0.5) become FIM samples and the rest pass
through as plain text; of the samples, --spm-rate (0.5) are laid out SPM and
the rest PSM:

	PSM  [PRE]prefix[SUF]suffix[MID]middle[EOT]
	SPM  [PRE][SUF]suffix[MID]prefix middle[EOT]   (StarCoder's variant)

A record with a "code" field (from dw-render: the byte ranges of its text
that are code, not a header or documentation) gets its middle inside one of
them; a record whose code field is empty stays plain, counted apart; a
record without one is code throughout. The middle is chosen by --span: char (two random character positions, as
in Bavarian et al.; a UTF-8 sequence is never cut), line (a run of whole
lines), or ast (one whole syntax node of Rust source — a block such as a
function body, a match arm, an argument list, a struct's fields — from
tree-sitter; text without such nodes falls back to line and says so).

The sentinels come from --preset: starcoder (<fim_prefix> ...), santacoder
(<fim-prefix> ...), qwen (<|fim_prefix|> ..., also Kwaipilot/KAT-Dev),
codellama (<PRE> ...), deepseek (<｜fim▁begin｜> ...), each with its end
token. With --tokenizer, each sentinel is checked to be one special token
of the target tokenizer, with a warning when it is not.

Source text that already holds a sentinel string is skipped (--on-sentinel
skip, the default) or escaped (--on-sentinel escape: a word joiner U+2060
after the sentinel's first character); either way it is counted.

Every record is its input with a new id, the sample as "text", and "fim":
{"mode" (psm, spm or plain), "span", "node" (for ast), "prefix", "middle",
"suffix" (byte ranges [start, end] of the source text), "preset",
"source", "escaped"}. The source text is prefix + middle + suffix, so it
can be rebuilt exactly from the sample. The choice is deterministic in
--seed and the record's id: the same record gets the same sample wherever
it sits in the stream and whatever --workers is.

Exit status: 0 when all went well, 1 after bad input lines (reported with
their line numbers; --fail-fast stops at the first), 2 for a bad command
line.

Examples:

	# Qwen / KAT-Dev samples from whole files, half of them FIM
	dw-rustparse --kinds file ./hyperswitch | dw-tokwindow --max 8k | dw-fim --preset qwen > fim.jsonl

	# structure-aware: whole syntax nodes as middles, every record
	dw-rustparse --kinds fn ./hyperswitch | dw-fim --span ast --fim-rate 1 --tokenizer hf:Kwaipilot/KAT-Dev
*/
package main
