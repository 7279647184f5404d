/*
Dw-upload publishes a record stream as a Hugging Face dataset: Parquet
shards per split and a dataset card, committed to a dataset repository on
the Hub.

Usage:

	dw-upload OWNER/NAME [flags] < records.jsonl     # make and upload
	dw-upload OWNER/NAME -i DIR [flags]               # a folder of splits
	dw-upload OWNER/NAME --out DIR [flags] < records  # make only, to look at
	dw-upload OWNER/NAME --from DIR [flags]           # upload what --out made

The dataset: data/SPLIT-NNNNN-of-NNNNN.parquet (zstd; a new shard once
one reaches --shard-size, row groups of --row-group of input), README.md
(the card) and, with --stats, tokens.png. A record's split is its "split"
field (as dw-mix writes it), else train; the split field itself is no
column. -i DIR reads a folder of splits as dw-mix --out-dir writes it:
each file NAME.jsonl (.gz, .zst) is split NAME, and a record's split
field, if any, must agree.

--out DIR (new or empty) writes exactly what would be uploaded and stops;
--dry-run does the same into ./NAME unless --out says where. Without
them the dataset is made in a temporary folder under $TMPDIR, uploaded,
and removed. --from DIR uploads a folder --out made, as it is (its
README.md, tokens.png and data/*.parquet; anything else is refused).

Columns: by default they are inferred from all records, which wait in a
zstd-compressed spool file under $TMPDIR (a tenth of the input's
size) until the schema is known; memory holds the schema and one row
group per split, whatever the input's size. --sample N infers them from
the first N records (at most 64MiB of them, held in memory) and writes
the rest as they come: a later record with a field the sample did not
have, or a value that does not fit its field's type, is then reported
with its record number and id and skipped (exit 1), never written in
part. The merge rule: a field takes the type of its values (string;
int64 when every number is written as an integer that fits 64 bits;
double for other numbers; bool); null merges with anything; objects
become Parquet structs with the union of their fields, arrays become
lists of their merged element type; any other meeting of types (a string
and an object, a number and a string, an array and an object) makes that
field JSON text (its values' JSON, strings quoted), reported on stderr
and listed in the card. So is a value nested deeper than 32 levels, an
object of more than 1,000 keys (or past 10,000 fields in all), a number
beyond a double's range and an object with an empty key; a record's
top-level fields past the first 1,000 (or an empty top-level key) have no
column: the record is reported and skipped. A field that is null in every
record, or an object always empty, is JSON text. --flatten json stores every nested
(object or array) top-level field as JSON text. Columns are sorted by
name; every column is optional.

The card's front matter has configs (the data files of each split),
dataset_info (features from the columns, rows per split), license,
language, task_categories, tags, size_categories (from the row count),
and source_repo and source_commit (--source-repo/--source-commit, or the
records' source.repo/source.commit when all records agree). Its body has
the rows per split, the columns and, with --stats (dw-stats JSON of the
same records), the dw-stats table and the token histogram.

The upload speaks the Hub's HTTP API as the official clients do. The
repository is created first (--private for a private one; one that
exists is used as it is), and --branch made from main if missing, so a
refusal comes before the dataset is made. Then one commit on top of the
branch's head: preupload, LFS (basic, or multipart for large files) for
what the Hub stores so, and the NDJSON commit, or with --pr a pull
request. Files the Hub already has with the same content are not sent
again, so running the same command after an interruption resumes it,
and running it on unchanged data commits nothing. Shards an earlier
upload left on the branch that this one does not have (data/*-NNNNN-of-
NNNNN.parquet) are removed in the same commit; other files stay. After
bad input lines or records that could not be written, nothing is uploaded. A request that fails
with 408, 429, 5xx or a broken connection is retried --retries times
with exponential backoff, waiting as long as Retry-After or the RateLimit
headers ask; a commit whose answer was lost is never sent blindly again:
the branch head is read first, and the commit counts as made when the
head moved and holds the files. A branch that moved under the upload
(412) is re-read and the commit made on top of it, once.

The token comes from HF_TOKEN, else the file HF_TOKEN_PATH names, else
HF_HOME/token (HF_HOME: $XDG_CACHE_HOME/huggingface or
~/.cache/huggingface), as huggingface-cli login writes it. It goes to the
Hub only (never to LFS storage) and appears in no output or message.
The Hub is https://huggingface.co unless --endpoint or HF_ENDPOINT says
otherwise. On a terminal a status line shows the bytes sent and the rate.

Stdout (-o) gets one JSON object: {"repo", "out", "splits": [{"split",
"rows", "files", "bytes"}], "json_text_fields", "uploaded"} and, after an
upload, "commit", "commit_url", "pull_request", "files_sent" and
"files_unchanged".

Exit status: 0 when all went well, 1 after bad input lines or records
that do not fit the schema (reported; --fail-fast stops at the first) or
a failed upload, 2 for a bad command line or no token.

Examples:

	# publish a crate's items with their token statistics
	dw-rustparse ./serde | dw-tokwindow --max 4k > items.jsonl
	dw-stats -i items.jsonl > stats.json
	dw-upload me/serde-items --stats stats.json --license mit -i items.jsonl

	# look first, then publish exactly that
	dw-upload me/serde-items --out ./serde-items --stats stats.json -i items.jsonl
	dw-upload me/serde-items --from ./serde-items

	# train and validation splits from dw-mix, as a pull request
	dw-mix code.jsonl --split train:0.98,validation:0.02 --out-dir mixed/
	dw-upload me/rust-code -i mixed/ --pr --message "Add validation split"
*/
package main
