package deepwiki

import (
	"strings"
	"time"
	"unicode"
)

// Wiki is one repository's generated wiki.
type Wiki struct {
	Repo        string // owner/name
	Commit      string // the commit the wiki was generated from
	GeneratedAt string
	Pages       []Page // in the wiki's order
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

// Snapshot is a wiki as fetched, with what is needed to ask whether it
// changed (the HTTP validators): the form dw-scrape keeps in its cache.
type Snapshot struct {
	FetchedAt    time.Time `json:"fetched_at"`
	Source       string    `json:"source"` // html or mcp
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	Wiki         Wiki      `json:"wiki"`
}
