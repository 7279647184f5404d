package deepwiki

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// flightPage builds a DeepWiki page whose flight stream holds rows as given.
func flightPage(stream string) []byte {
	js, _ := json.Marshal([]any{1, stream})
	return []byte("<html><body><script>self.__next_f.push(" + string(js) + ")</script></body></html>")
}

// TestHostileFlight: lengths that overflow, rows cut short and pages
// without their end give errors, never a panic; truncation is ErrTruncated.
func TestHostileFlight(t *testing.T) {
	md := "# Overview\n\nText."
	wiki := `2:{"wiki":{"metadata":{"repo_name":"a/b","commit_hash":"abc1"},"pages":[{"page_plan":{"id":"1","title":"Overview"},"content":"$1"}]}}` + "\n"
	good := fmt.Sprintf("1:T%x,%s", len(md), md) + wiki
	if w, err := ParseHTML(flightPage(good)); err != nil || len(w.Pages) != 1 {
		t.Fatalf("the good page: %v", err)
	}
	tests := []struct {
		name      string
		page      []byte
		truncated bool
	}{
		{"length 2^64-1", flightPage("1:Tffffffffffffffff," + md + wiki), true},
		{"length 2^63", flightPage("1:T8000000000000000," + md + wiki), true},
		{"length overflows the parser", flightPage("1:T1ffffffffffffffff," + md + wiki), false},
		{"text row cut", flightPage(fmt.Sprintf("1:T%x,%s", len(md)+50, md)), true},
		{"wiki row cut", flightPage(fmt.Sprintf("1:T%x,%s", len(md), md) + wiki[:60]), true},
		{"page cut before </html>", flightPage(good)[:len(flightPage(good))-20], true},
	}
	for _, tt := range tests {
		_, err := ParseHTML(tt.page)
		if err == nil || errors.Is(err, ErrTruncated) != tt.truncated {
			t.Errorf("%s: %v; want an error (truncation: %v)", tt.name, err, tt.truncated)
		}
	}
}

func TestContentsCutShort(t *testing.T) {
	plan := []Page{{ID: "1", Title: "Overview"}, {ID: "2", Title: "Details"}}
	for _, text := range []string{
		"# Page: Overview\n\n# Overview\nText.\n\n# Page: Details\n",
		"# Page: Overview\n\n# Overview\nText.\n\n# Page: Details\n\n# Details\n",
		"# Page: Overview\n\n# Overview\nText.\n",
	} {
		if _, err := ParseContents(text, plan); !errors.Is(err, ErrTruncated) {
			t.Errorf("ParseContents(%q) = %v; want ErrTruncated", text, err)
		}
	}
}

// FuzzFlight: the flight parser never panics and never returns a page
// that Check would refuse.
func FuzzFlight(f *testing.F) {
	md := "# Overview\n\nText."
	wiki := `2:{"wiki":{"metadata":{"repo_name":"a/b"},"pages":[{"page_plan":{"id":"1","title":"Overview"},"content":"$1"}]}}` + "\n"
	text := fmt.Sprintf("1:T%x,%s", len(md), md)
	for _, s := range []string{text + wiki, "1:Tffffffffffffffff,x", ":HL[\"x\"]\n0:[1]\n", "1:T,", "a:T1,",
		text + wikiRow("2", "a/b", " "), text + wikiRow("5", "a/b", "") + wikiRow("3", "c/d", ""), "1:Ta,# Overview" + wikiRow("2", "a/b", ""),
		text + `2:{"x":{"wiki":"no"},"wiki":{"metadata":{},"pages":[{"page_plan":{"id":"1","title":"Overview"},"content":"$1"}]}}` + "\n"} {
		f.Add(string(flightPage(s)))
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if rows, err := Rows([]byte(in)); err == nil {
			for _, row := range rows {
				if len(row.Data) > len(in) {
					t.Fatalf("row %s longer than the stream", row.ID)
				}
			}
		}
		w, err := ParseHTML([]byte(in))
		if err == nil && w.Check(nil) != nil {
			t.Fatalf("ParseHTML returned a wiki that fails Check: %v", w.Check(nil))
		}
	})
}

// FuzzMCP: the MCP answer parsers never panic, and a parsed contents has
// exactly the planned pages, none empty.
func FuzzMCP(f *testing.F) {
	for _, s := range []string{"- 1 Overview\n  - 1.1 Details\n", "# Page: Overview\n\nx\n# Page: Details\n", "event: message\ndata: {}\n\n", "data:\n\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		plan, err := ParseStructure(in)
		if err != nil {
			return
		}
		pages, err := ParseContents(in, plan)
		if err != nil {
			return
		}
		if len(pages) != len(plan) {
			t.Fatalf("%d pages for a plan of %d", len(pages), len(plan))
		}
		for _, p := range pages {
			if strings.TrimSpace(strings.TrimPrefix(p.Markdown, "# "+p.Title)) == "" {
				t.Fatalf("page %s is empty", p.ID)
			}
		}
	})
}

// wikiRow is a flight row holding a one-page wiki of repo whose page's
// content is row 1; sep is put around the JSON's colons and braces.
func wikiRow(id, repo, sep string) string {
	return fmt.Sprintf(`%s:["$","$L9",null,{"wiki"%s:%s{%s"metadata"%s:%s{"repo_name":%q},"pages":[{"page_plan":{"id":"1","title":"Overview"},"content":"$1"}]}}]`,
		id, sep, sep, sep, sep, sep, repo) + "\n"
}

// TestWikiInStreamOrder: of two rows holding different wikis, the first in
// the stream is used, every time, and the other is told; the row ids'
// order does not matter.
func TestWikiInStreamOrder(t *testing.T) {
	md := "# Overview\n\nText."
	page := flightPage(fmt.Sprintf("1:T%x,%s", len(md), md) + wikiRow("f", "a/first", "") + wikiRow("3", "a/second", "") + wikiRow("4", "a/first", ""))
	for range 20 {
		w, err := ParseHTML(page)
		if err != nil {
			t.Fatal(err)
		}
		if w.Repo != "a/first" {
			t.Fatalf("ParseHTML took the wiki of %s; want a/first, the first in the stream", w.Repo)
		}
		if len(w.Warnings) != 1 || !strings.Contains(w.Warnings[0], "row 3 holds another wiki (a/second") {
			t.Fatalf("warnings %q; want one about row 3 (row 4 is the same wiki again)", w.Warnings)
		}
	}
}

// TestManyWikis: a page of many different wikis gives ten warnings and a
// count, not one line each.
func TestManyWikis(t *testing.T) {
	md := "# Overview\n\nText."
	stream := fmt.Sprintf("1:T%x,%s", len(md), md)
	for i := range 1000 {
		stream += wikiRow(fmt.Sprintf("%x", i+2), fmt.Sprintf("a/b%d", i), "")
	}
	w, err := ParseHTML(flightPage(stream))
	if err != nil || w.Repo != "a/b0" || len(w.Warnings) != 11 || w.Warnings[10] != "and 989 more rows hold other wikis" {
		t.Errorf("ParseHTML: %v; warnings %q", err, w.Warnings)
	}
}

// TestWikiValues: "wiki" keys are found in document order, at any depth,
// and only when they hold an object starting with "metadata".
func TestWikiValues(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"wiki":{"metadata":1}}`, `{"metadata":1}`},
		{`{"x":{"wiki":"text"},"y":["wiki",{"wiki":{"metadata":2}}],"wiki":{"metadata":3}}`, `{"metadata":2} {"metadata":3}`},
		{`[{"a":"wiki","b":{"metadata":0}},{"wiki":{"pages":[],"metadata":4}}]`, ``},
		{`{"wiki" : { "metadata" : 5 }}`, `{ "metadata" : 5 }`},
		{`{"a":[[{"b":{}}],"c"],"wiki":{"metadata":6}}`, `{"metadata":6}`},
	}
	for _, tt := range tests {
		var got []string
		for _, raw := range wikiValues([]byte(tt.in)) {
			got = append(got, string(raw))
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("wikiValues(%s) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// TestWikiSpacing: a wiki object written with spaces (valid JSON) is found.
func TestWikiSpacing(t *testing.T) {
	md := "# Overview\n\nText."
	for _, sep := range []string{" ", "\t", "\r", " \t "} {
		w, err := ParseHTML(flightPage(fmt.Sprintf("1:T%x,%s", len(md), md) + wikiRow("2", "a/b", sep)))
		if err != nil || w.Repo != "a/b" {
			t.Errorf("spacing %q: %v", sep, err)
		}
	}
}

// TestEmptyPage: a page that is nothing but its title heading is cut short,
// from the HTML as from the MCP contents.
func TestEmptyPage(t *testing.T) {
	for _, md := range []string{"# Overview", "# Overview\n", "\n## Overview\n\n \n\t"} {
		_, err := ParseHTML(flightPage(fmt.Sprintf("1:T%x,%s", len(md), md) + wikiRow("2", "a/b", "")))
		if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), `page 1 "Overview" is empty`) {
			t.Errorf("ParseHTML of a page %q: %v; want an empty page, cut short", md, err)
		}
		w := Wiki{Pages: []Page{{ID: "1", Title: "Overview", Markdown: md}}}
		if err := w.Check(nil); !errors.Is(err, ErrTruncated) {
			t.Errorf("Check of a page %q: %v; want ErrTruncated", md, err)
		}
	}
	plan := []Page{{ID: "1", Title: "Overview"}}
	for _, text := range []string{"# Page: Overview\n\n# Overview\n", "# Page: Overview\n"} {
		if _, err := ParseContents(text, plan); !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), `page 1 "Overview" is empty`) {
			t.Errorf("ParseContents(%q) = %v; want the same error as the HTML's", text, err)
		}
	}
}

func TestFileNames(t *testing.T) {
	long := strings.Repeat("word ", 60) // a slug of 299 bytes
	tests := []struct {
		pages   []Page
		want    []string
		renamed int
	}{
		{[]Page{{ID: "1", Title: "Overview"}, {ID: "6.2", Title: "CI/CD Pipeline"}}, []string{"1-overview.md", "6.2-cicd-pipeline.md"}, 0},
		{[]Page{{ID: "1/2", Title: "Same"}, {ID: "1_2", Title: "Same"}, {ID: "1?2", Title: "Same"}}, []string{"1_2-same.md", "1_2-same-2.md", "1_2-same-3.md"}, 2},
		// A later page's own name may be an earlier one's renamed name.
		{[]Page{{ID: "1/2", Title: "Same"}, {ID: "1_2", Title: "Same"}, {ID: "1:2", Title: "Same 2"}}, []string{"1_2-same.md", "1_2-same-2.md", "1_2-same-2-2.md"}, 2},
		// Names that differ only in case clash on case-insensitive file systems.
		{[]Page{{ID: "A", Title: "x"}, {ID: "a", Title: "x"}}, []string{"A-x.md", "a-x-2.md"}, 1},
		{[]Page{{ID: "1", Title: long}}, []string{"1-" + strings.TrimSuffix(strings.Repeat("word-", 20), "-") + ".md"}, 0},
		{[]Page{{ID: "..", Title: "Up"}, {ID: strings.Repeat("9", 300), Title: "x"}}, []string{"__-up.md", strings.Repeat("9", 100) + "-x.md"}, 0},
	}
	for _, tt := range tests {
		got, renamed := FileNames(tt.pages)
		if strings.Join(got, " ") != strings.Join(tt.want, " ") || len(renamed) != tt.renamed {
			t.Errorf("FileNames(%v) = %q, %q; want %q and %d renamed", tt.pages, got, renamed, tt.want, tt.renamed)
		}
	}
	if got := fileSlug(strings.Repeat("a", 99) + "-b"); got != strings.Repeat("a", 99) {
		t.Errorf("a slug cut after a hyphen: %q", got)
	}
	if got := fileSlug(strings.Repeat("a", 99) + "éé"); got != strings.Repeat("a", 99) {
		t.Errorf("a slug cut inside a rune: %q", got)
	}
	for _, p := range []Page{{ID: strings.Repeat("é", 200), Title: strings.Repeat("x-", 300)}, {ID: "1", Title: strings.Repeat("(", 400)}} {
		if n := len(p.FileName()); n > 210 {
			t.Errorf("FileName of %.20q... has %d bytes", p.ID, n)
		}
	}
}
