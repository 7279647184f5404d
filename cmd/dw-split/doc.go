/*
Dw-split splits DeepWiki pages into chunk records.

Usage:

	dw-split [flags] < pages.jsonl
	dw-split [flags] PAGE.md ...

It reads page records (as dw-scrape writes them: the markdown in "text",
the page id and title in "doc.page" and "doc.title") or markdown files,
whose page id comes from a name like 3.2-garbage-collection.md and whose
title from the first "# " heading.

Markdown is parsed with goldmark, so a "#" inside a code fence is not a
heading and a "---" inside a fence or front matter is not a section break.

	--by heading --levels 1-3   a chunk per heading of levels 1 to 3
	--by heading --levels 2     a chunk per "##" section; the title and the
	                            intro before the first "##" are a chunk too
	--by rule                   sections between "---" rules; a section under
	                            --min-chars joins the next one

A page's chunks are contiguous: joined in order they give back the page
byte for byte. A chunk record is its page record with a new id, kind
"chunk", the chunk's text, and "chunk": {"index", "of", "heading",
"level", "breadcrumb", "page", "page_title", "start_byte", "end_byte",
"start_line", "end_line", "stats": {"words", "subsections",
"code_blocks": {language: count}, "mermaid", "tables", "lists"},
"citations": [{"path", "start", "end", "commit"}], "links": [{"text",
"page"}], "relevant_files"}. Citations are read in every DeepWiki form —
[p:10-20](), [p:260](), [p:44, 62](), [p]() (start and end 0: the whole
file) and the rendered [p10-20](https://github.com/o/r/blob/<commit>/p#L10-L20)
— and links [Title](#1.2) are resolved to page ids.

Exit status: 0 when all went well, 1 after bad input (reported with the
file or line; --fail-fast stops at the first), 2 for a bad command line.

Examples:

	# the basic recipe: chunks per heading of levels 1-3
	dw-scrape python/cpython | dw-split --levels 1-3 > chunks.jsonl

	# the enhanced recipe: "##" sections, intro kept
	dw-split --levels 2 -i pages.jsonl

	# the semantic recipe, from saved markdown files
	dw-split --by rule --min-chars 100 out/*.md
*/
package main
