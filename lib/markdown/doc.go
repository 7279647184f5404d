// Package markdown splits DeepWiki markdown into chunks with goldmark — so a
// "#" inside a code fence is not a heading and a "---" inside a fence or
// front matter is not a section break — and describes each chunk: heading,
// breadcrumb, word and block counts, source citations in every DeepWiki
// form, and cross-page links. Chunks are contiguous byte ranges of the
// page, so a page's chunks join back into the page exactly.
package markdown
