package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
	"github.com/dwkit/dwkit/lib/deepwiki"
)

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	return clitest.Run(t, run, stdin, args...)
}

// cpythonPages are the 24 pages of the saved cpython DeepWiki page, as page
// records (skipped when ../shared/fixtures is absent).
func cpythonPages(t *testing.T) ([]deepwiki.Page, string) {
	html, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "deepwiki", "cpython-page.html"))
	if err != nil {
		t.Skipf("fixture not available (../shared/fixtures is absent): %v", err)
	}
	w, err := deepwiki.ParseHTML(html)
	if err != nil {
		t.Fatal(err)
	}
	var in strings.Builder
	for _, p := range w.Pages {
		line, _ := json.Marshal(map[string]any{"id": "page-" + p.ID, "kind": "page", "text": p.Markdown,
			"source": map[string]string{"repo": w.Repo, "commit": w.Commit}, "doc": map[string]string{"page": p.ID, "title": p.Title}})
		in.Write(line)
		in.WriteByte('\n')
	}
	return w.Pages, in.String()
}

type chunkRec struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Text  string `json:"text"`
	Doc   struct{ Page string }
	Chunk struct {
		Index, Level int
		Heading      string
		Page         string
		Citations    []struct{ Path string }
		Links        []struct{ Page string }
	} `json:"chunk"`
}

// Plain, independent counts over the markdown lines (fence-aware), to
// check the goldmark-based splitter against.
var (
	fenceRE   = regexp.MustCompile("^(```|~~~)")
	headingRE = regexp.MustCompile(`^(#{1,6}) `)
	citeRE    = regexp.MustCompile(`\[[\w\-./]+(:[\d\-, ]+)?\]\(\)|\[([\w\-./]+:[\d\-, ]+)\]\(([\w\-./]+:[\d\-, ]+)\)`)
)

func plainCounts(md string, lo, hi int) (headings, citations int) {
	fenced := false
	for _, line := range strings.Split(md, "\n") {
		if fenceRE.MatchString(line) {
			fenced = !fenced
			continue
		}
		if fenced {
			continue
		}
		if m := headingRE.FindStringSubmatch(line); m != nil && len(m[1]) >= lo && len(m[1]) <= hi {
			headings++
		}
		for _, c := range citeRE.FindAllString(line, -1) {
			citations += 1 + strings.Count(c[:strings.Index(c, "]")], ",")
		}
	}
	return
}

func TestCPythonPages(t *testing.T) {
	pages, in := cpythonPages(t)
	for _, mode := range []struct {
		args   []string
		lo, hi int
		want   int // chunks over the 24 pages, checked against plainCounts below
	}{
		{[]string{"--levels", "1-3"}, 1, 3, 0},
		{[]string{"--levels", "2"}, 2, 2, 0},
	} {
		code, out, errs := runTool(t, in, mode.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", mode.args, code, errs)
		}
		var recs []chunkRec
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var r chunkRec
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatal(err)
			}
			recs = append(recs, r)
		}
		byPage := map[string][]chunkRec{}
		for _, r := range recs {
			byPage[r.Chunk.Page] = append(byPage[r.Chunk.Page], r)
		}
		wantChunks, wantCites, gotCites := 0, 0, 0
		for _, p := range pages {
			h, c := plainCounts(p.Markdown, mode.lo, mode.hi)
			if mode.lo > 1 {
				h++ // the title and intro before the first ## are a chunk of their own
			}
			wantChunks += h
			wantCites += c
			var joined strings.Builder
			for i, r := range byPage[p.ID] {
				joined.WriteString(r.Text)
				gotCites += len(r.Chunk.Citations)
				if r.Chunk.Index != i || r.Kind != "chunk" || r.Doc.Page != p.ID {
					t.Errorf("%v page %s chunk %d: index %d kind %s doc.page %s", mode.args, p.ID, i, r.Chunk.Index, r.Kind, r.Doc.Page)
				}
			}
			if joined.String() != p.Markdown {
				t.Errorf("%v page %s: chunks do not join back into the page", mode.args, p.ID)
			}
		}
		if len(recs) != wantChunks || gotCites != wantCites {
			t.Errorf("%v: %d chunks, %d citations; the plain count says %d and %d", mode.args, len(recs), gotCites, wantChunks, wantCites)
		}
		t.Logf("%v: %d chunks, %d citations", mode.args, len(recs), gotCites)
	}
	// --by rule: one chunk per page, and one more per rule.
	rules := 0
	for _, p := range pages {
		rules += plainRules(p.Markdown)
	}
	_, out, _ := runTool(t, in, "--by", "rule", "--min-chars", "0")
	if n := strings.Count(out, "\n"); n != 24+rules || rules == 0 {
		t.Errorf("--by rule: %d chunks; want 24 pages + %d rules", n, rules)
	}
}

var ruleRE = regexp.MustCompile(`^ {0,3}(?:(?:- *){3,}|(?:\* *){3,}|(?:_ *){3,})$`)

// plainRules counts thematic breaks: rule lines outside fences after a
// blank line (after text, "---" underlines a heading instead).
func plainRules(md string) int {
	n, fenced, prev := 0, false, ""
	for _, line := range strings.Split(md, "\n") {
		if fenceRE.MatchString(line) {
			fenced = !fenced
		} else if !fenced && ruleRE.MatchString(line) && strings.TrimSpace(prev) == "" {
			n++
		}
		prev = line
	}
	return n
}

func TestFilesAndBadInput(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "3.2-garbage-collection.md")
	os.WriteFile(good, []byte("# Garbage Collection\n\nIntro.\n\n## Part\n\nSee [Overview](#1).\n"), 0o644)
	code, out, errs := runTool(t, "", "--levels", "2", good, filepath.Join(dir, "missing.md"))
	if code != cli.ExitFailure || !strings.Contains(errs, "missing.md: no such file") {
		t.Errorf("exit %d, stderr %s", code, errs)
	}
	if !strings.Contains(out, `"page":"3.2","page_title":"Garbage Collection"`) || strings.Count(out, "\n") != 2 || !strings.Contains(out, `"links":[{"text":"Overview","page":"1"}]`) {
		t.Errorf("output %s", out)
	}
	code, _, errs = runTool(t, `{"id":"x"}`+"\nnope\n")
	if code != cli.ExitFailure || !strings.Contains(errs, `stdin:1: missing field "text"`) || !strings.Contains(errs, "stdin:2: invalid JSON") {
		t.Errorf("exit %d, stderr %s", code, errs)
	}
	for _, bad := range []string{"0-2", "3-1", "x", "2-9"} {
		if code, _, _ := runTool(t, "", "--levels", bad); code != cli.ExitUsage {
			t.Errorf("--levels %s: exit %d; want 2", bad, code)
		}
	}
}

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

// TestRenderedForm: the same wiki's Overview after another scraper turned
// the rendered HTML into markdown (setext title, GitHub links as citations).
func TestRenderedForm(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "fixtures", "deepwiki", "cpython-rendered-html-converted.md")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("fixture not available (../shared/fixtures is absent): %v", err)
	}
	code, out, errs := runTool(t, "", "--levels", "2", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := len(regexp.MustCompile(`\]\(https://github\.com/[^)]*#L\d+`).FindAll(src, -1))
	got, chunks := 0, 0
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var r struct {
			Chunk struct {
				Heading       string
				Citations     []struct{ Path, Commit string }
				RelevantFiles []string `json:"relevant_files"`
			}
		}
		json.Unmarshal([]byte(line), &r)
		for _, c := range r.Chunk.Citations {
			if c.Commit != "ea23c897" || strings.Contains(c.Path, `\`) {
				t.Errorf("citation %+v", c)
			}
		}
		got += len(r.Chunk.Citations)
		if chunks == 0 && (r.Chunk.Heading != "Overview" || len(r.Chunk.RelevantFiles) < 50) {
			t.Errorf("first chunk: %q, %d relevant files", r.Chunk.Heading, len(r.Chunk.RelevantFiles))
		}
		chunks++
	}
	if got != want || want == 0 {
		t.Errorf("%d citations; the file has %d GitHub line links", got, want)
	}
}
