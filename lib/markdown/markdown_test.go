package markdown

import (
	"fmt"
	"strings"
	"testing"
)

func chunkTexts(src string, opt Options) []string {
	var out []string
	for _, c := range Split([]byte(src), opt) {
		out = append(out, fmt.Sprintf("%d:%s:%q", c.Level, c.Heading, src[c.Start:c.End]))
	}
	return out
}

func TestSplitHeadings(t *testing.T) {
	src := "# Title\n\nIntro.\n\n```rust\n# not a heading\n## nor this\n```\n\n## A\n\ntext a\n\n### A.1\n\ndeep\n\n## B\n---\nafter rule\n"
	got := chunkTexts(src, Options{MinLevel: 2, MaxLevel: 2})
	want := []string{
		`1:Title:"# Title\n\nIntro.\n\n` + "```rust\\n# not a heading\\n## nor this\\n```" + `\n\n"`,
		`2:A:"## A\n\ntext a\n\n### A.1\n\ndeep\n\n"`,
		`2:B:"## B\n---\nafter rule\n"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("levels 2:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := len(Split([]byte(src), Options{MinLevel: 1, MaxLevel: 3})); n != 4 {
		t.Errorf("levels 1-3: %d chunks; want 4 (title, A, A.1, B)", n)
	}
	c := Split([]byte(src), Options{MinLevel: 1, MaxLevel: 3})[2]
	if strings.Join(c.Breadcrumb, " > ") != "Title > A > A.1" {
		t.Errorf("breadcrumb %q", c.Breadcrumb)
	}
}

func TestSplitRules(t *testing.T) {
	long := strings.Repeat("word ", 30)
	src := "---\ntitle: front matter\n---\n# T\n\n" + long + "\n\n---\n\nshort\n\n---\n\n```\n---\n```\n" + long + "\n\n***\n\n" + long + "\n"
	var got []string
	for _, c := range Split([]byte(src), Options{ByRule: true, MinChars: 100}) {
		got = append(got, fmt.Sprintf("%q", strings.Fields(src[c.Start:c.End])[0]))
	}
	// Front matter and the fenced --- are no breaks; "short" joins the next section.
	if want := `"---" "short" "word"`; strings.Join(got, " ") != want {
		t.Errorf("sections start %s; want %s", strings.Join(got, " "), want)
	}
	// "Setext\n---" is a heading underline, not a rule.
	if n := len(Split([]byte("Setext\n---\n\n"+long+"\n"), Options{ByRule: true})); n != 1 {
		t.Errorf("setext heading split into %d", n)
	}
}

func TestAnalyze(t *testing.T) {
	src := "## H\n\nSee [Memory](#3.1) and [the docs](https://example.com).\n\n" +
		"Sources: [Python/ceval.c:10-20](), [Objects/obj.c:260](), [a/b.py:44, 62-64](), [Makefile]()\n\n" +
		"Sources:\n- [Python/gc.c:1-20](Python/gc.c:1-20)\n- [Doc/gc.rst](Doc/gc.rst)\n\n" +
		"**Sources:** [Python/bytecodes.c1-33](https://github.com/python/cpython/blob/ea23c897/Python/bytecodes.c#L1-L33)\n\n" +
		"```mermaid\nflowchart TD\n```\n\n```rust\nfn x() {}\n```\n\n```\n[not/a/cite.c:1]()\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- one\n  - nested\n- two\n\n### Sub\n"
	a := Analyze([]byte(src))
	want := []Citation{{"Python/ceval.c", 10, 20, ""}, {"Objects/obj.c", 260, 260, ""}, {"a/b.py", 44, 44, ""}, {"a/b.py", 62, 64, ""},
		{"Makefile", 0, 0, ""}, {"Python/gc.c", 1, 20, ""}, {"Python/bytecodes.c", 1, 33, "ea23c897"}}
	if fmt.Sprint(a.Citations) != fmt.Sprint(want) {
		t.Errorf("citations\n %v\nwant\n %v", a.Citations, want)
	}
	if fmt.Sprint(a.Links) != "[{Memory 3.1}]" {
		t.Errorf("links %v", a.Links)
	}
	s := a.Stats
	if s.Mermaid != 1 || s.CodeBlocks["rust"] != 1 || s.CodeBlocks["plain"] != 1 || s.Tables != 1 || s.Lists != 2 || s.Subsections != 1 {
		t.Errorf("stats %+v", s)
	}
}

func TestRelevantFiles(t *testing.T) {
	page := "# T\n\n<details>\n<summary>Relevant source files</summary>\n\nThe following files:\n\n- [Doc/gc.rst](Doc/gc.rst)\n- [Python/gc.c](Python/gc.c)\n\n</details>\n\nBody [x](y)\n"
	if got := RelevantFiles([]byte(page)); fmt.Sprint(got) != "[Doc/gc.rst Python/gc.c]" {
		t.Errorf("details form: %v", got)
	}
	rendered := "Overview\n========\n\nRelevant source files\n\nThe following files were used:\n\n* [Include/pycore\\_gc.h](https://github.com/python/cpython/blob/ea23c897/Include/pycore_gc.h)\n\nText.\n"
	if got := RelevantFiles([]byte(rendered)); fmt.Sprint(got) != "[Include/pycore_gc.h]" {
		t.Errorf("rendered form: %v", got)
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"# a\n## b\n", "---\nx\n---\n", "```\n# x\n```\n## y", "a\n---\n", "<details>\n# x\n</details>"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, src string, byRule bool) {
		var joined strings.Builder
		for _, c := range Split([]byte(src), Options{ByRule: byRule, MinLevel: 1, MaxLevel: 3, MinChars: 10}) {
			if c.Start < 0 || c.End > len(src) || c.Start >= c.End {
				t.Fatalf("chunk %d-%d of %d bytes", c.Start, c.End, len(src))
			}
			joined.WriteString(src[c.Start:c.End])
		}
		if joined.String() != src {
			t.Fatalf("chunks do not join back into %q", src)
		}
		Analyze([]byte(src))
	})
}
