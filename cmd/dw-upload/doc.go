/*
Dw-upload makes a Hugging Face dataset of a record stream: Parquet shards
per split and a dataset card. Uploading to the Hub is not built yet: --out
DIR writes exactly what would be uploaded, to look at; without --out the
command says so and exits 2.

Usage:

	dw-upload OWNER/NAME --out DIR [flags] < records.jsonl

DIR (new or empty) gets data/SPLIT-NNNNN-of-NNNNN.parquet (zstd; a new
shard once one reaches --shard-size, row groups of --row-group of input),
README.md (the card) and, with --stats, tokens.png. A record's split is its
"split" field (as dw-mix writes it), else train; the split field itself is
no column. Stdout (-o) gets one JSON object: {"repo", "out", "splits":
[{"split", "rows", "files", "bytes"}], "json_text_fields", "uploaded"}.

Columns are inferred from the first --sample records, in one pass. The
merge rule: a field takes the type of its values (string; int64 when every
number is written as an integer that fits 64 bits; double for other
numbers; bool); null merges with anything; objects become Parquet structs
with the union of their fields, arrays become lists of their merged
element type; any other meeting of types (a string and an object, a number
and a string, an array and an object) makes that field JSON text (its
values' JSON, strings quoted), reported on stderr and listed in the card.
A field null, or an object empty, in the whole sample is JSON text.
--flatten json stores every nested (object or array) top-level field as
JSON text. Columns are sorted by name; every column is optional.

After the sample the schema is fixed: a record with a field the sample did
not have, or a value that does not fit its field's type, is reported with
its record number and id and skipped, never written in part (exit 1);
raise --sample or use --flatten json. Memory holds the sample (at most
--sample records and 64MiB of input) and the current row group of each split.

The card's front matter has configs (the data files of each split),
dataset_info (features from the columns, rows per split), license,
language, task_categories, tags, size_categories (from the row count),
and source_repo and source_commit (--source-repo/--source-commit, or the
records' source.repo/source.commit when all records agree). Its body has
the rows per split, the columns and, with --stats (dw-stats JSON of the
same records), the dw-stats table and the token histogram.

Exit status: 0 when all went well, 1 after bad input lines or records
that do not fit the schema (reported; --fail-fast stops at the first), 2
for a bad command line, including one without --out.

Examples:

	# a dataset of a crate's items, with its token statistics, to look at
	dw-rustparse ./serde | dw-tokwindow --max 4k > items.jsonl
	dw-stats -i items.jsonl > stats.json
	dw-upload me/serde-items --out ./serde-items --stats stats.json --license mit -i items.jsonl

	# every tenth record to a validation split, nested fields as JSON text
	jq -c 'if input_line_number % 10 == 0 then .split = "validation" end' fim.jsonl |
		dw-upload me/fim --out ./fim --flatten json --tag code,rust,fim
*/
package main
