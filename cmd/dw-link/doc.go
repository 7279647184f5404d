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

DeepWiki also cites partial paths: "api/database.rs" for
src/api/database.rs, a bare "engine.rs". A cited path that is no file (at
the commit used, or in the working tree) is resolved: first to the one file
of the page's relevant source files ("chunk.relevant_files") that is it or
ends with "/" and it; else to the one file of the checkout whose path ends
so (whole path segments: "base.rs" never finds database.rs), from the
commit's tree or from the working tree as git would track it (ignored
files, nested repositories, symlinks and .git/ left out). The snippet's
"path" is then the file found and "cited" the path as the wiki wrote it.
When several files end with it and the relevant files do not name one, the
citation is ambiguous: reported with its candidates, counted, and listed in
"ambiguous". When none does, it is missing. A path that would be refused is
never resolved. Exact paths are read as before.

--context N adds N lines before and after each range; ranges of one file
that overlap or touch after that are merged into one snippet.

--items FILE names dw-callgraph's records of the same checkout (the
token-aware recipe's "cited code with its call graph"): each snippet gets
"functions": [{"id", "path", "start_line", "end_line", "graph": {"calls",
"called_by", "tree", "flow", ...}}], the functions whose lines the
snippet's lines meet, in line order. The functions are held in memory.

Security: a citation can never read outside the repository. Absolute
paths, paths with "..", and files whose real path (after symlinks) leaves
the checkout are refused and reported.

The record gains "link": {"snippets": [{"path", "cited", "start", "end",
"from" ("commit" or "worktree"), "commit", "clamped", "code"}], "missing":
[paths], "refused": [paths], "ambiguous": [paths]}; everything else passes
through. The closing summary on stderr counts snippets, missing and refused
files, ranges changed to fit, and partial paths found by relevant files, by
suffix, and ambiguous.

Exit status: 0 when all went well, 1 after bad input lines (reported with
their line numbers; --fail-fast stops at the first), 2 for a bad command
line. Missing, refused and ambiguous files are warnings: the record is
still written.

Examples:

	# the enhanced recipe: ## sections with the code they cite
	dw-scrape juspay/hyperswitch | dw-split --levels 2 | dw-link --repo ./hyperswitch > chunks.jsonl

	# the cited functions with their call graph
	dw-rustparse --calls ./hyperswitch | dw-callgraph > items.jsonl
	dw-link --repo ./hyperswitch --items items.jsonl -i chunks.jsonl

	# three lines of context around each range
	dw-link --repo ./cpython --context 3 -i chunks.jsonl
*/
package main
