/*
Dw-link adds the code that chunk records cite, cut from a local checkout.

Usage:

	dw-link --repo DIR [flags] < chunks.jsonl

For each citation in "chunk.citations" (as dw-split writes them), the cited
lines are read from the checkout in --repo: at the wiki's commit
("source.commit", or the citation's own) through `git show COMMIT:PATH` when
the checkout has that commit, else from the working tree; each snippet
records which it used. Ranges that run past the end of a file are clamped,
with a warning. Cited files that do not exist are reported on stderr,
counted, and listed in the record — never skipped silently. A citation without
a line range takes the whole file.

--context N adds N lines before and after each range; ranges of one file
that overlap or touch after that are merged into one snippet.

Security: a citation can never read outside the repository. Absolute
paths, paths with "..", and files whose real path (after symlinks) leaves
the checkout are refused and reported.

The record gains "link": {"snippets": [{"path", "start", "end", "from"
("commit" or "worktree"), "commit", "clamped", "code"}], "missing":
[paths], "refused": [paths]}; everything else passes through.

Exit status: 0 when all went well, 1 after bad input lines (reported with
their line numbers; --fail-fast stops at the first), 2 for a bad command
line. Missing and refused files are warnings: the record is still written.

Examples:

	# the enhanced recipe: ## sections with the code they cite
	dw-scrape juspay/hyperswitch | dw-split --levels 2 | dw-link --repo ./hyperswitch > chunks.jsonl

	# three lines of context around each range
	dw-link --repo ./cpython --context 3 -i chunks.jsonl
*/
package main
