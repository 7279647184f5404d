/*
Dw-mix combines record streams into one training set: weighted interleave,
shuffle larger than memory, exact and near dedup, decontamination against
evaluation texts, and train/validation splits that never straddle a
function, a file or a crate.

Usage:

	dw-mix [flags] [FILE[:WEIGHT] ...]

Sources (given together, before or after the flags). Each FILE (.gz and
.zst decompress by name; - is stdin) is one source with a WEIGHT (default
1, any number of at least 0; the weights need not sum to 1 but must not sum
to 0). With no FILE, the one source is -i FILE, or stdin. The weight is
what follows the last colon: a file whose name has a colon is read whole
when it exists as named, else give it a weight (a:b.jsonl:1); stdin with a
weight is -- -:0.5 (after --) or /dev/stdin:0.5. A source of weight 0 is
read but none of its records is written: kept first in dedup, it removes
its duplicates from the other sources (a reference set).

Interleave. --by records (the default) makes each source's share of the
records written equal its weight's share; --by tokens makes its share of
tokens (the "tokens": {"count"} of dw-tokwindow; a record without it is a
bad line) do so. At every point of the output, the source taken next is
the one furthest below its share, so the shares hold to one record all
along the stream. --until first (the default) stops when the first source
runs out, which keeps the weights; --until all goes on with the sources
left until every one has run out, writing every record once.

Shuffle. With --shuffle (the default; --no-shuffle keeps each source's
order) each source is shuffled before the interleave, so --until first
takes a random part of the larger sources. The order is a sort by a hash
of --seed, the source's place and the record's: the same input, flags and
seed give the same bytes whatever --workers and --memory are. Records are
held up to a quarter of --memory, then sorted and written as a run to a
folder under --temp-dir ($TMPDIR by default), and the runs are merged at
the end (in steps, when their read buffers would take over a quarter of
--memory or 512 files would be open), so an input many times larger than
--memory is shuffled within it. The folder is removed when dw-mix ends,
also by a signal, and as soon as the runs are open for the merge (so
dw-mix | head leaves nothing either). Every input goes through the runs
once, shuffled or not, so nothing is written before all is read. Nine
tenths of --memory, plus the dedup state below, is the Go runtime's soft
memory limit.

Dedup (--dedup exact or near; none by default). Exact: two records whose
texts are equal once every run of white space is one space (and, with
--strip-comments, once Rust comments are removed, outside string and
character literals) are duplicates. Near adds MinHash with LSH, with
BigCode's settings as defaults: shingles of --shingle 5 word tokens,
--perms 256 permutations, Jaccard similarity --threshold 0.7. Word tokens
are code-aware and need no vocabulary: identifiers, numbers and single
punctuation characters, white space between (not lib/token's BPE: the same
tokens for every target model, and many times faster). A shingle is hashed
to 32 bits and permutation i maps it to (a_i*x + b_i) >> 32 in 64-bit
arithmetic, a_i and b_i fixed by a seed (a universal family, as
datasketch's (a*x + b) mod 2^61-1 is). The LSH bands b and rows r are
chosen as BigCode's script does, minimising the mean of the false-positive
area (pairs below the threshold that share a band) and the false-negative
area (pairs above it that share none): for 256 permutations and 0.7 that
is b = 25 bands of r = 10 rows (250 permutations; the areas are 0.038 and
0.026). So a pair of similarity 0.7 shares a band half the time, one of
0.75 77 % of the time, 0.8 94 %, 0.85 99.6 %. A pair sharing a band is a
duplicate only when the similarity its full signatures estimate reaches
the threshold, which keeps precision. Records are taken in input order
(sources in the order given): the first of a group is kept, or with
--keep-max FIELD the one of highest FIELD (a number, e.g. tokens.count;
the first on a tie); every other is removed as a duplicate of a kept
record, never of a removed one (an exact copy of a removed record stands
for the same kept one, so near dedup removes every exact duplicate that
exact dedup does). The kept record's
"mix" says how many it stands for ("stands_for", itself included). With
--dedup-report FILE, each removed record is a line of FILE: {"id",
"source", "line", "reason" (exact, near or contamination), "kept": {"id",
"source", "line"}, "similarity"} (for contamination: "eval" and the
"ngram" found instead of "kept"). Dedup state is held in memory and grows
with the number of records, not their size: about 60 bytes a record for
exact, about 1.5 KB a record for near (a 512-byte signature, band groups,
and the collector's room); the record texts themselves are not held.

Decontamination. --decontaminate EVAL.jsonl (repeatable) drops every
record that shares a run of --ngram 13 word tokens with the text of any
evaluation record (an evaluation text shorter than that: the whole of it).
The records dropped are counted on stderr and listed in --dedup-report.

Splits. --split train:0.98,validation:0.02 (names of letters, digits and
_, dots between words, each once, shares summing to 1) puts each record in a split by a hash of
its group key, the values of the --split-by fields (dotted paths, comma
separated; default source.repo,source.path: every sample dw-rustparse,
dw-fim, dw-render, dw-tokwindow and dw-mine make from one file keeps its
file's source, so the FIM, plain, graph and instruction samples of one
function, and the windows of one file, land in one split). A record with
none of the fields is a bad line. The assignment depends on the key alone,
not on the seed or the other records: a record keeps its split when the
data grows. Use --split-by rust.crate,group.crate to keep whole crates
apart. The split is written as the record's "split" field (which dw-upload
reads) and, with --out-dir DIR, each split goes to DIR/NAME.jsonl (or
NAME plus --out-suffix, e.g. .jsonl.zst) instead of -o. The weights and
--until apply to the whole stream.

Output. Every record passes through unchanged, with "mix": {"source" (the
FILE it came from, as given), "stands_for" (with --dedup)} and "split"
(with --split). A record without text is a bad line. A closing summary on
stderr gives the counts: read, removed (exact, near, contamination), and
written per source and per split; -v adds the time of each step.

Exit status: 0 when all went well, 1 after bad input lines (reported with
file and line; --fail-fast stops at the first) or a failed input, 2 for a
bad command line.

Examples:

	# the original's combined set: docs and code 50/50, seed 42
	dw-mix docs.jsonl.zst:0.5 code.jsonl:0.5 --seed 42 > mixed.jsonl

	# docs and code 3:2 by tokens while both last, then the rest; near duplicates out
	dw-mix docs.jsonl:3 code.jsonl:2 --by tokens --until all --dedup near --dedup-report dups.jsonl > mixed.jsonl

	# splits in their own files, clean of an evaluation set, within 2 GiB
	dw-mix code.jsonl.zst --dedup exact --decontaminate humaneval.jsonl --split train:0.98,validation:0.02 --memory 2GiB --out-dir ds/
*/
package main
