/*
Dw-stats reads any record stream and writes a summary of it: record counts
by kind and by the fields asked for, token totals, min, max, mean and
percentiles (25, 50, 75, 90, 95, 99), a token histogram, and the shares of
size buckets.

Usage:

	dw-stats [flags] < records.jsonl

A record's tokens are its "tokens.count" (written by dw-tokwindow); records
without one are counted with --tokenizer. The summary is one JSON object
(--format json, the default): {"records", "kinds", "by": {field: {value:
count}}, "tokens": {"total", "min", "max", "mean", "percentiles"},
"histogram": [{"from", "to", "count"}], "buckets": [{"bucket", "records",
"share", "token_share"}]}, shares in percent. --format table prints it for
people. --plot FILE.svg or FILE.png draws the histogram.

Exit status: 0 when all went well, 1 after bad input lines (reported with
their line numbers; --fail-fast stops at the first), 2 for a bad command
line.

Examples:

	# the token distribution of a windowed dataset, as the original's token_distribution.json
	dw-stats --bin 100 -i windows.jsonl > token_distribution.json

	# counts per crate and kind, for people, with a plot
	dw-rustparse ./hyperswitch | dw-stats --by rust.crate --format table --plot tokens.png
*/
package main
