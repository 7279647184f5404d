/*
Dw-mine finds patterns in the records of dw-rustparse (and dw-callgraph)
and writes natural samples of them: the real code with its context, with no
labels in the text.

Usage:

	dw-rustparse --calls REPO | dw-callgraph | dw-mine [flags]

Patterns (--patterns, all by default):

	serde        types deriving Serialize/Deserialize, with serde attributes or not
	diesel       table! schemas, whole, and enums mapped to database types
	macro        the --macros most used macros, with their definition and examples
	validation   functions that validate, check or verify
	async        async functions by purpose: database-read, database-write,
	             connector-call, cache, other
	error        functions returning Result, and error types
	conversion   impls of From, Into, TryFrom, TryInto (generic forms too)
	impls        impls grouped by trait (at least --min-impls, at most --max-impls)
	routing      connector implementations
	important    the --top functions by calls, callers, visibility and being a
	             method (dw-callgraph's counts), with --context lines around them
	instruction  tasks with real answers: "Implement `From<A> for B`" with the
	             real impl, "Write the function f" from its docs

A sample record: "id", "kind": "sample", "text", "source" (its first
item's), "mine": {"pattern", "category", "items": [ids], "path"}, and for
instruction samples "question" and "answer" (for dw-render --preset
instruction or chat). The closing summary counts the samples per pattern.

Exit status: 0 when all went well, 1 after bad input lines (reported with
their line numbers; --fail-fast stops at the first), 2 for a bad command
line.

Examples:

	# every pattern, with call counts for the ranking
	dw-rustparse --calls ./hyperswitch | dw-callgraph | dw-mine > samples.jsonl

	# instruction samples as chat
	dw-rustparse ./hyperswitch | dw-mine --patterns instruction | dw-render --preset chat
*/
package main
