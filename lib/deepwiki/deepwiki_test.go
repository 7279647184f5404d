package deepwiki

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dwkit/dwkit/lib/web"
)

// fixture reads a file of ../shared/fixtures/deepwiki, skipping when the
// shared folder is not beside the repository.
func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "deepwiki", name))
	if err != nil {
		t.Skipf("fixture %s not available (../shared/fixtures is absent): %v", name, err)
	}
	return data
}

func TestParseHTMLCPython(t *testing.T) {
	w, err := ParseHTML(fixture(t, "cpython-page.html"))
	if err != nil {
		t.Fatal(err)
	}
	if w.Repo != "python/cpython" || w.Commit != "ea23c897" || w.GeneratedAt != "2025-04-18T05:23:15.357788" || len(w.Pages) != 24 {
		t.Fatalf("wiki %s @%s (%s), %d pages", w.Repo, w.Commit, w.GeneratedAt, len(w.Pages))
	}
	multibyte := 0
	for i, p := range w.Pages {
		if !utf8.ValidString(p.Markdown) || !strings.HasPrefix(p.Markdown, "# "+p.Title) {
			t.Errorf("page %s: invalid or mistitled body %.60q", p.ID, p.Markdown)
		}
		if len(p.Markdown) != utf8.RuneCountInString(p.Markdown) {
			multibyte++
		}
		if i == 0 && (p.ID != "1" || p.Title != "Overview") {
			t.Errorf("first page %s %q", p.ID, p.Title)
		}
	}
	if multibyte != 2 { // ORIGIN.md: two pages contain multi-byte UTF-8
		t.Errorf("%d pages with multi-byte text; want 2", multibyte)
	}
	cicd := w.Pages[17]
	if cicd.ID != "6.2" || Slug(cicd.Title) != "cicd-pipeline" || cicd.Depth() != 2 || cicd.Parent() != "6" ||
		cicd.URL("https://deepwiki.com/", w.Repo) != "https://deepwiki.com/python/cpython/6.2-cicd-pipeline" {
		t.Errorf("page 18: %s %q slug %q depth %d parent %q", cicd.ID, cicd.Title, Slug(cicd.Title), cicd.Depth(), cicd.Parent())
	}
}

func TestParseHTMLBroken(t *testing.T) {
	html := fixture(t, "cpython-page.html")
	// Cut the page inside the stream: a text row comes up short.
	cut := html[:len(html)*2/3]
	if _, err := ParseHTML(cut); err == nil {
		t.Error("a truncated page parsed")
	}
	if _, err := ParseHTML([]byte("<html>Just a moment...</html>")); err == nil || !strings.Contains(err.Error(), "no self.__next_f.push") {
		t.Errorf("challenge page: %v", err)
	}
}

func TestRows(t *testing.T) {
	// Lengths count bytes: "héllo" is 6.
	stream := []byte("0:[\"x\"]\n1a:T6,héllo2:I[1]\n:HL[\"/font\"]\n3:T0,")
	rows, err := Rows(stream)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.ID+"="+string(r.Data))
	}
	if want := []string{`0=["x"]`, "1a=héllo", "2=I[1]", "3="}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Rows = %q; want %q (in stream order)", got, want)
	}
	// Counting characters instead of bytes would leave "o" before the next
	// row's id: an error, not a silently wrong page.
	for _, bad := range []string{"1a:T5,héllo2:I[1]\n", "zz:[]\n", "1:T10,short", "1:Tzz,x", "nocolon"} {
		if _, err := Rows([]byte(bad)); err == nil {
			t.Errorf("Rows(%q) succeeded", bad)
		}
	}
}

func TestSlug(t *testing.T) {
	for title, want := range map[string]string{
		"CI/CD Pipeline": "cicd-pipeline", "Overview": "overview", "PyObject and Type System": "pyobject-and-type-system",
		"Free-Threading and Concurrency": "free-threading-and-concurrency", "Stable ABI (PEP 384)": "stable-abi-(pep-384)",
		"  Spaces   Around ": "spaces-around", "Ünïcode & co.": "ncode-co",
	} {
		if got := Slug(title); got != want {
			t.Errorf("Slug(%q) = %q; want %q", title, got, want)
		}
	}
}

func TestMCPStructure(t *testing.T) {
	var resp struct {
		Result web.ToolResult `json:"result"`
	}
	if err := json.Unmarshal(fixture(t, "mcp-read_wiki_structure-response.json"), &resp); err != nil {
		t.Fatal(err)
	}
	text, err := resp.Result.Text()
	if err != nil {
		t.Fatal(err)
	}
	pages, err := ParseStructure(text)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pages {
		got = append(got, p.ID+" "+p.Title)
	}
	if len(pages) < 10 || got[0] != "1 Overview" || got[3] != "3.1 Query Processing Loop" || pages[3].Depth() != 2 {
		t.Errorf("pages %q", got)
	}
	bad := web.ToolResult{IsError: true}
	bad.Content = append(bad.Content, struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}{"text", "Repository not found"})
	if _, err := bad.Text(); err == nil || !strings.Contains(err.Error(), "Repository not found") {
		t.Errorf("isError: %v", err)
	}
}

func TestMCPContents(t *testing.T) {
	plan := []Page{{ID: "1", Title: "Overview"}, {ID: "1.1", Title: "Setup"}}
	text := "# Page: Overview\n\n# Overview\n\nHello.\n\n# Page: Setup\n\nNo own heading.\n"
	pages, err := ParseContents(text, plan)
	if err != nil {
		t.Fatal(err)
	}
	if pages[0].Markdown != "# Overview\n\nHello." || pages[1].Markdown != "# Setup\n\nNo own heading." {
		t.Errorf("pages %q", pages)
	}
	if _, err := ParseContents("# Page: Overview\n\nx\n", plan); err == nil {
		t.Error("a partial answer was accepted")
	}
}
