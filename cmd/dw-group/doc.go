/*
Dw-group gathers the file and item records of dw-rustparse into larger
units, one record per group.

Usage:

	dw-rustparse [--calls] REPO | dw-group [flags]

Groups (--types, all by default):

	module           the files of one folder: a module and its child modules'
	                 files (at least --module-min-files, at most --module-max)
	crate            every file of a crate (at most --crate-max)
	dir              the small files of a folder (under --small) in batches
	                 of at most --dir-max, two files at least
	impl-collection  every impl of one type in a crate, inherent first
	                 (at least --min-impls)
	trait-ecosystem  a trait, the traits it builds on, and every impl of it
	                 (at least --min-ecosystem in all)
	cross-crate      per crate, the workspace crates it uses and where, with
	                 up to --examples using files per crate used; needs the
	                 use declarations of dw-rustparse --calls

The defaults are the original recipe's: modules of 2 files or more and up
to 1 MiB, crates up to 2 MiB, files under 5 KiB batched, impl collections and
trait ecosystems of 2 or more.

A group record: "id", "kind": "group", "text" (the members, each under a
"// File: path" or "// path" line), "source": {"repo"}, "group": {"type",
"key", "crate", "members": [{"id", "kind", "path", "bytes"}], "bytes"}.
Members come in path order (impls: inherent first, then by trait), so the
same input gives the same groups.

Exit status: 0 when all went well, 1 after bad input lines (reported with
their line numbers; --fail-fast stops at the first), 2 for a bad command
line.

Examples:

	# every kind of group
	dw-rustparse --calls ./hyperswitch | dw-group > groups.jsonl

	# impl collections and trait ecosystems only, token-counted
	dw-rustparse ./hyperswitch | dw-group --types impl-collection,trait-ecosystem | dw-tokwindow --max 16k
*/
package main
