/*
Dw-scrape fetches DeepWiki wikis and writes one page record per page.

Usage:

	dw-scrape [flags] https://deepwiki.com/OWNER/REPO [OUT_DIR]
	dw-scrape [flags] OWNER/REPO ...
	dw-scrape [flags] < repos.txt

Repositories come as arguments or one per line on stdin (OWNER/REPO, a
DeepWiki URL, or an NDJSON object with a "repo" field). The original
scraper's command line, a URL then an output folder, keeps working.

Two sources stand behind one interface: the wiki's page on deepwiki.com,
whose HTML carries every page's markdown in its Next.js flight stream (one
GET per repository; the first wiki object in the stream is used, and
another, different one is warned about), and DeepWiki's MCP server
(read_wiki_structure and read_wiki_contents over streamable HTTP; a session
the server ended, a 404 to its id, is started again). --source auto tries
the HTML first and falls back to MCP, saying so on stderr.

A page record: "id", "kind": "page", "text" (the page's markdown),
"source": {"repo", "commit" (the commit the wiki was generated from),
"url"}, "doc": {"page" (1, 1.2), "title", "slug", "depth", "parent",
"order", "generated_at", "via"}. With OUT_DIR (or --out-dir), each page is
also written to OUT_DIR/OWNER/REPO/<id>-<slug>.md: the id made a plain file
name, the slug cut to 100 bytes; a name an earlier page of the wiki has
(also in another case) gets -2, -3, ... with a warning. A file that cannot
be written is reported and counted; the records, the other files and the
next repositories go on.

Politeness: a descriptive User-Agent, one request at a time, --delay between
repositories, retries with exponential backoff and jitter on 429, 5xx and
broken transfers (honouring Retry-After, up to --max-wait), a time limit per
request, a cap on answer sizes, and robots.txt. A 403 or a bot-challenge page
(whatever its status and content type) stops the whole run with a clear
message. Every wiki is checked — every listed page present, each body
starting with its title and holding more than it — so a partial answer is
an error, never a short dataset. A page that is nothing but its title
heading is an answer cut short, from either source: asked for again (up to
--retries), then reported.

Cache: wikis are kept by repository and wiki commit (--cache). A wiki younger
than --refresh is used without asking the site, an older one is asked for
with its ETag, so re-runs fetch nothing new and an interrupted run resumes
where it stopped.

Exit status: 0 when all went well, 1 when a repository failed or a .md file
could not be written (reported, the rest go on; --fail-fast stops at the
first) or the site blocked us, 2 for a bad command line.

Examples:

	# the original command line: records on stdout, .md files in ./out
	dw-scrape https://deepwiki.com/juspay/hyperswitch ./out --verbose

	# several wikis, split into chunks
	dw-scrape juspay/hyperswitch python/cpython | dw-split --levels 2 > chunks.jsonl

	# only the MCP server
	dw-scrape --source mcp juspay/hyperswitch > pages.jsonl
*/
package main
