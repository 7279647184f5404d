/*
Dw-render renders records into final training text with templates.

Usage:

	dw-render --preset NAME [flags] < records.jsonl
	dw-render --template FILE [flags] < records.jsonl

The rendered text replaces the record's "text"; "render": {"preset"} says
how it was made, "code" lists the byte ranges [start, end] of the text that
are source code (the record's own code, or a doc-code record's snippets
and, with --code-blocks, the code blocks moved out of its doc; never a
header, a call graph or documentation), and every other field passes
through. Templates are Go
text/template run on the record (fields by name: {{.text}},
{{.source.path}}, {{.rust.name}}). A field the template names but the record
lacks is an error that names the record's line — never an empty string;
{{get . "rust.docs"}} reads a field that may be missing. Functions: get,
chomp (drop trailing newlines), lines, upper, label (fn → Function),
language (a file name's language), join, prose (markdown without its
fenced code, as --code-blocks has it) and codeblocks (that code:
[{"language", "code"}]).

Presets, the original recipes' formats:

	file-tags        <path> header (Repository, Crate, File, Size), then <file>...</file>
	comment-header   // Function: / // File: / // Module: / // Doc: lines, then the item
	context-header   // REPO: / // CRATE: / // CRATE_PURPOSE: / // DEPENDS_ON: /
	                 // MODULE: / // FUNCTION: / // VISIBILITY: / // IMPL: Trait for
	                 Type, then the item; the crate's purpose and workspace
	                 dependencies come from dw-callgraph ("graph": {"crate"}), and
	                 their lines are left out when it does not know them
	graph-augmented  [CALL_GRAPH] tree and [CALLED_BY] list (dw-callgraph), then the code
	doc-code         <doc>chunk</doc> then <code language=... source=...> blocks
	                 (dw-link's snippets); --layout interleaved (one record),
	                 separate (the doc and the code as two records) or pairs
	                 (the doc with each snippet, a record each); separate
	                 marks each record "render": {"part": "doc"} or
	                 {"part": "code"}, and a chunk citing no code is its
	                 doc alone; with
	                 --code-blocks, the doc's fenced code follows it in <code>
	                 blocks
	group-tags       a dw-group record in a tag of its type: <module>, <crate>,
	                 <impl_collection>, <trait_ecosystem>, <cross_crate>, <files>
	                 (a batch of small files), with name, crate and repository
	instruction      ### Instruction / ### Response, from "question" and "answer"
	chat             ChatML turns from "question" and "answer"; also sets
	                 "messages": [{"role", "content"}]

--code-blocks gives doc-code the original create_cpt_training_dataset.py's
form: the chunk's fenced code blocks (``` or ~~~, found by parsing the
markdown, so a fence quoted inside a longer one stays in its block) leave
the doc and follow </doc>, in order, as <code language="rust"> blocks (the
fence's language, "text" when it names none), before the cited snippets.
Mermaid diagrams are documentation and stay in the doc. DeepWiki's
<details> "Relevant source files" block becomes a plain list: a line
"Relevant source files:", then "- path" for each file; other HTML stays.
The blocks belong to the doc in every layout: separate writes them in the
doc's record, pairs with the doc in each pair. Their bodies are code in
"code", and "render" gains "code_blocks": true.

--kinds renders only records of the kinds listed (dw-callgraph's output
holds files, crates and items; graph-augmented wants functions) and leaves
the others out, counting them.

Exit status: 0 when all went well, 1 after bad input lines or records that
lack a field (reported with their line numbers; --fail-fast stops at the
first), 2 for a bad command line or template.

Examples:

	# the file-level CPT recipe
	dw-rustparse --kinds file ./hyperswitch | dw-render --preset file-tags > cpt.jsonl

	# graph-augmented functions
	dw-rustparse --calls --kinds fn ./hyperswitch | dw-callgraph | dw-render --preset graph-augmented

	# docs and the code they cite, as pairs
	dw-scrape juspay/hyperswitch | dw-split --levels 2 | dw-link --repo ./hyperswitch | dw-render --preset doc-code --layout pairs

	# the original CPT form: <doc> prose, then its code and the cited code in <code> blocks
	dw-render --preset doc-code --code-blocks -i linked-chunks.jsonl

	# your own format
	dw-render --template my.tmpl -i items.jsonl
*/
package main
