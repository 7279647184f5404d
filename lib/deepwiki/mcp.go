package deepwiki

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

var structureRE = regexp.MustCompile(`^(\s*)- (\d+(?:\.\d+)*) (.+?)\s*$`)

// ParseStructure reads read_wiki_structure's page list ("- 1 Overview",
// nested by two-space indents) into pages without bodies.
func ParseStructure(text string) ([]Page, error) {
	var pages []Page
	for _, line := range strings.Split(text, "\n") {
		if m := structureRE.FindStringSubmatch(line); m != nil {
			pages = append(pages, Page{ID: m[2], Title: m[3]})
		}
	}
	if len(pages) == 0 {
		return nil, errors.New("the page list is empty")
	}
	return pages, nil
}

// ParseContents reads read_wiki_contents's text — all pages, each starting
// "# Page: <Title>" — and gives each planned page its body, in order.
func ParseContents(text string, plan []Page) ([]Page, error) {
	type part struct{ title, body string }
	var parts []part
	for _, block := range strings.Split("\n"+text, "\n# Page: ")[1:] {
		title, body, _ := strings.Cut(block, "\n")
		parts = append(parts, part{strings.TrimSpace(title), strings.TrimLeft(body, "\n")})
	}
	if len(parts) < len(plan) {
		return nil, fmt.Errorf("the page list has %d pages but the contents hold %d: %w", len(plan), len(parts), ErrTruncated)
	}
	if len(parts) != len(plan) {
		return nil, fmt.Errorf("the page list has %d pages but the contents hold %d", len(plan), len(parts))
	}
	pages := make([]Page, len(plan))
	for i, p := range plan {
		if parts[i].title != p.Title {
			return nil, fmt.Errorf("page %s: contents give %q where the list says %q", p.ID, parts[i].title, p.Title)
		}
		body := strings.TrimRight(parts[i].body, "\n")
		if rest, _ := strings.CutPrefix(body, "# "+p.Title); strings.TrimSpace(rest) == "" {
			return nil, emptyPage(p)
		}
		if !strings.HasPrefix(body, "# ") { // DeepWiki's MCP may leave out the page's own title heading
			body = "# " + p.Title + "\n\n" + body
		}
		pages[i] = Page{ID: p.ID, Title: p.Title, Markdown: body}
	}
	return pages, nil
}
