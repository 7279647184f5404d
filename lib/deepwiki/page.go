package deepwiki

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Wiki is one repository's generated wiki.
type Wiki struct {
	Repo        string // owner/name
	Commit      string // the commit the wiki was generated from
	GeneratedAt string
	Pages       []Page // in the wiki's order

	// Warnings tell what the parser left out (another wiki in the same
	// page, say); they are not kept in the cache.
	Warnings []string `json:"-"`
}

// Page is one wiki page.
type Page struct {
	ID       string // "1", "2.3"
	Title    string
	Markdown string
}

// Depth is the page's level: "1" is 1, "2.3" is 2.
func (p Page) Depth() int { return strings.Count(p.ID, ".") + 1 }

// Parent is the id of the enclosing page ("2" for "2.3"), "" at the top.
func (p Page) Parent() string {
	if i := strings.LastIndexByte(p.ID, '.'); i >= 0 {
		return p.ID[:i]
	}
	return ""
}

// Slug is DeepWiki's URL slug of a title: lowercased, keeping letters a-z,
// digits, parentheses, spaces and hyphens, with runs of whitespace as one
// hyphen ("CI/CD Pipeline" → "cicd-pipeline").
func Slug(title string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(title) {
		switch {
		case unicode.IsSpace(r):
			space = true
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '(', r == ')', r == '-':
			if space && b.Len() > 0 {
				b.WriteByte('-')
			}
			space = false
			b.WriteRune(r)
		}
	}
	return b.String()
}

// URL is the page's address under base (https://deepwiki.com).
func (p Page) URL(base, repo string) string {
	return strings.TrimSuffix(base, "/") + "/" + repo + "/" + p.ID + "-" + Slug(p.Title)
}

// Longest parts of a file name, in bytes: with "-", a "-N" for a clash
// and ".md", a name stays far under the 255 bytes file systems allow.
const (
	maxFileID   = 100
	maxFileSlug = 100
)

// FileName is the page's file name, <id>-<slug>.md, safe to join to a
// folder whatever the server sent. The id keeps ASCII letters, digits, "."
// "_" and "-" (others become "_"), is never a name of dots, and has at most
// 100 bytes; the slug is cut to at most 100 bytes at a rune boundary and
// never ends in "-".
func (p Page) FileName() string {
	return fileID(p.ID) + "-" + fileSlug(Slug(p.Title)) + ".md"
}

// fileID makes a page id a plain file name.
func fileID(id string) string {
	b := []byte(id[:min(len(id), maxFileID)])
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	if strings.Trim(string(b), ".") == "" { // "", "." and ".." climb or vanish
		return strings.Repeat("_", max(len(b), 1))
	}
	return string(b)
}

// fileSlug cuts a slug to maxFileSlug bytes at a rune boundary, without
// a trailing "-".
func fileSlug(slug string) string {
	if len(slug) > maxFileSlug {
		n := maxFileSlug
		for n > 0 && !utf8.RuneStart(slug[n]) {
			n--
		}
		slug = strings.TrimRight(slug[:n], "-")
	}
	return slug
}

// FileNames gives the pages' file names (FileName), unique within the
// wiki: a name already taken by an earlier page — or one that differs only
// in case, as case-insensitive file systems see it — gets "-2", "-3", ...
// before ".md". renamed tells each such page.
func FileNames(pages []Page) (names, renamed []string) {
	taken := map[string]string{} // lowercased name -> the page id that has it
	next := map[string]int{}     // lowercased stem -> the next suffix to try
	for _, p := range pages {
		name := p.FileName()
		if by, clash := taken[strings.ToLower(name)]; clash {
			stem := strings.TrimSuffix(name, ".md")
			key := strings.ToLower(stem)
			n := max(next[key], 2)
			alt := fmt.Sprintf("%s-%d.md", stem, n)
			for _, used := taken[strings.ToLower(alt)]; used; _, used = taken[strings.ToLower(alt)] {
				n++
				alt = fmt.Sprintf("%s-%d.md", stem, n)
			}
			next[key] = n + 1
			renamed = append(renamed, fmt.Sprintf("page %q: file name %s is taken by page %q; writing %s", p.ID, name, by, alt))
			name = alt
		}
		taken[strings.ToLower(name)] = p.ID
		names = append(names, name)
	}
	return names, renamed
}

// Snapshot is a wiki as fetched, with what is needed to ask whether it
// changed (the HTTP validators): the form dw-scrape keeps in its cache.
type Snapshot struct {
	FetchedAt    time.Time `json:"fetched_at"`
	Source       string    `json:"source"` // html or mcp
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Wiki         Wiki      `json:"wiki"`
}
