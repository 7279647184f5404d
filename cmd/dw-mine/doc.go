/*
Dw-mine finds patterns in the records of dw-rustparse (and dw-callgraph)
and writes natural samples of them: the real code with its context, with no
labels in the text. Asked for by name, it also writes contrastive samples
(a query, its code, hard negatives) and reasoning samples (a question and
an answer in steps, each a fact of the records).

Usage:

	dw-rustparse --calls REPO | dw-callgraph | dw-mine [flags]

Patterns (--patterns, all by default; contrastive and reasoning only when
named, as their samples have other shapes):

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
	contrastive  doc→code pairs and triplets for embedding and retrieval:
	             an item's docs, its code, and up to --negatives hard
	             negatives from the same code
	reasoning    step-by-step answers built from resolved facts: "What
	             happens when `f` is called?" (call-trace) and "Which types
	             implement `T`, and how do their impls differ?" (trait-impls)

A sample record: "id", "kind": "sample", "text", "source" (its first
item's), "mine": {"pattern", "category", "items": [ids], "path"}, and for
instruction and reasoning samples "question" and "answer" (for dw-render
--preset instruction or chat; "text" is the two joined by a blank line).
The closing summary counts the samples per pattern.

Contrastive samples: the anchor is a documented item's docs (at least four
words) — fn, struct, enum, union, type alias, trait, macro, const or
static — and the positive its code, without the doc comment and with the
source's indentation taken off (negatives get the same treatment, so
layout tells nothing). The negatives are items of the same class (fns
with fns, types with types, ...), chosen in this order of hardness:

	same-trait-method  for a method of a trait impl: the method of the
	                   same name in another impl of the trait (From<A> and
	                   From<B> are the same trait)
	sibling            another item of the same module and impl or trait
	same-name          an item of the same name elsewhere

In each tier the candidates are taken in the order of their ids from a
point the anchor's id chooses: stable, spread, and the same for any
--workers. A candidate whose code equals the positive's, the anchor's or
another negative's once blanks are normalised is never a negative, nor
one whose docs equal the anchor (a second positive), nor a trait's
declaration of a method and the same method in an impl of the trait (one
does what the other's docs say). At most 8 x --negatives + 32 candidates
of a tier are looked at. An item id seen twice is one anchor. The record carries
"query", "positive" and "negatives" (a list of texts: sentence-transformers'
anchor/positive/negative columns); "mine" adds "relation": "doc→code"
and per negative {"id", "path", "how" (the tier), "why" (in words)};
"items" are the positive's id then the negatives'; "category" is "pair"
when no negative was found, else "triplet". "text" is

	<query>
	DOCS
	</query>
	<positive>
	CODE
	</positive>
	<negative>
	CODE
	</negative>          (once per negative)

Wiki chunks are anchors too when their records are in the input
(dw-split | dw-link, with the cited code in "link.snippets") beside the
item records of the same checkout (dw-rustparse run on the folder dw-link
read, at the wiki's commit; paths are matched as they are): relation
"wiki→code", the chunk's text without its "Sources:" lines as the query,
one sample per cited snippet with its code (doc comments and common
indentation taken off) as the positive, "mine.cited" naming its file and
lines, "items" the chunk's id then the negatives'. The negatives are items
the chunk cites nowhere, of the class of the first item the snippet
covers:

	uncited-in-file    an item of the cited file outside every cited range
	uncited-in-module  an item of the same module in another file

A snippet of a file whose items are in the input but that covers none of
them (a mod line, a use list), or with lines that cannot be (negative,
reversed), makes no sample; a negative whose code the positive holds is
none.

Reasoning samples are built from the records alone, no language model.
A call trace is made for each fn whose graph field (dw-callgraph) has a
resolved call: one step per call of its body in source order (by line;
calls on one line in the graph's order, the resolved first) —
a resolved call names the callee's path, its file and lines and the first
line of its docs, read from the callee's own record, and is followed into
the callee's calls down to --depth levels; an unresolved call is said to
be unresolved, with the graph's reason. A callee already followed is not
followed again; one whose record is not in the input is said to be so.
At most --steps steps; the answer ends with the function's code. Samples
are written as they are made, so memory does not grow with their number. A
trait-impls sample is made for each trait (as written, without generic
arguments) with at least --min-impls impls, up to --max-impls: per impl
its header, file and lines, the methods it defines and its associated
types and consts; when the trait's definition is in the input (one trait
of that name), its required and provided methods and, per impl, the
provided methods it overrides or keeps; then the methods only some impls
define. "mine" adds "steps": per step {"n" (its number in the answer),
"fact" (call, unresolved, impl or trait), "from" (the id of the record
it is read from), "line", "item" (the callee, impl or trait id), "path",
"file", "start_line", "end_line", "doc", "how" (how the call was
resolved), "reason" (why not), "note" (no-record, followed-above,
depth-limit), "defines", "overrides", "inherits", "assoc"}, so that each
step can be checked against the records it names.

Exit status: 0 when all went well, 1 after bad input lines (reported with
their line numbers; --fail-fast stops at the first), 2 for a bad command
line.

Examples:

	# every pattern, with call counts for the ranking
	dw-rustparse --calls ./hyperswitch | dw-callgraph | dw-mine > samples.jsonl

	# instruction samples as chat
	dw-rustparse ./hyperswitch | dw-mine --patterns instruction | dw-render --preset chat

	# wiki chunks and the code they cite, with items of the same checkout
	dw-split pages.jsonl | dw-link --repo ./hyperswitch > chunks.jsonl
	{ cat chunks.jsonl; dw-rustparse ./hyperswitch; } | dw-mine --patterns contrastive

	# triplets with two hard negatives, as anchor/positive/negative columns
	dw-rustparse ./hyperswitch | dw-mine --patterns contrastive --negatives 2 |
	    jq -c 'select(.mine.category == "triplet") | {anchor: .query, positive, negative: .negatives[0]}'

	# call traces three levels deep, and trait implementors, as chat
	dw-rustparse --calls ./hyperswitch | dw-callgraph |
	    dw-mine --patterns reasoning --depth 3 --steps 40 | dw-render --preset chat
*/
package main
