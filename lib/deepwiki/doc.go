// Package deepwiki reads DeepWiki's formats: the Next.js flight stream in a
// wiki page's HTML (every page's markdown, the wiki's commit and page list),
// and the answers of its MCP tools read_wiki_structure and
// read_wiki_contents. It turns them into pages keyed by repository, wiki
// commit and page id, and checks them (every listed page present, each body
// starting with its title and holding more than it), so that a partial
// answer is an error rather than a short dataset; and it names a wiki's
// pages as files. It does no I/O.
package deepwiki
