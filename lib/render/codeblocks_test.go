package render

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

const details = "<details>\n<summary>Relevant source files</summary>\n\nThe following files were used as context for generating this wiki page:\n\n" +
	"- [src/lib.rs](src/lib.rs)\n- [crates/a/b.rs](https://github.com/o/r/blob/abc123/crates/a/b.rs)\n\n</details>\n"

var splitCodeCases = []struct {
	name, doc, prose string
	blocks           []CodeBlock
}{
	{"no code", "# T\n\nText.\n", "# T\n\nText.\n", nil},
	{"one fence", "A:\n\n```rust\nfn a() {}\n```\n\nB.\n", "A:\n\nB.\n", []CodeBlock{{"rust", "fn a() {}\n"}}},
	{"tildes, no language, no blank lines", "A:\n~~~\nx\n~~~\nB.\n", "A:\nB.\n", []CodeBlock{{"text", "x\n"}}},
	{"a fence quoted in a longer one", "````md\n```rust\nfn q() {}\n```\n````\n\nAfter.\n", "After.\n",
		[]CodeBlock{{"md", "```rust\nfn q() {}\n```\n"}}},
	{"rustdoc attributes, a language to sanitise", "```rust,ignore\na\n```\n\n```\"><x\nb\n```\n", "",
		[]CodeBlock{{"rust", "a\n"}, {"text", "b\n"}}},
	{"mermaid stays", "```mermaid\ngraph TD\n```\n\n```sh\nls\n```\n", "```mermaid\ngraph TD\n```\n", []CodeBlock{{"sh", "ls\n"}}},
	{"in a list item, indented", "- step:\n\n  ```toml\n  [a]\n    b = 1\n  ```\n- next\n", "- step:\n\n- next\n", []CodeBlock{{"toml", "[a]\n  b = 1\n"}}},
	{"on a list marker's line", "- ```sh\n  ls\n  ```\n- next\n", "- \n- next\n", []CodeBlock{{"sh", "ls\n"}}},
	{"in a quote", "> ```go\n> x := 1\n> ```\n\nEnd.\n", "End.\n", []CodeBlock{{"go", "x := 1\n"}}},
	{"left open: to the end", "Text.\n\n```rust\nfn a() {\n", "Text.\n", []CodeBlock{{"rust", "fn a() {\n"}}},
	{"left open in a list: to the item's end", "- ```\n  a\nb\n", "- \nb\n", []CodeBlock{{"text", "a\n"}}},
	{"left open in a list, then a fence of its own", "- ```\n  a\n```\nb\n```\n", "- \n", []CodeBlock{{"text", "a\n"}, {"text", "b\n"}}},
	{"empty fences go", "A.\n\n```rust\n```\n\nB.\n", "A.\n\nB.\n", nil},
	{"inline backticks are no fence", "Use ```x``` here.\n", "Use ```x``` here.\n", nil},
	{"relevant source files", "# Page\n\n" + details + "\nIntro.\n", "# Page\n\nRelevant source files:\n\n- src/lib.rs\n- crates/a/b.rs\n\nIntro.\n", nil},
	{"relevant source files listing none", "# Page\n\n<details>\n<summary>Relevant source files</summary>\n\n</details>\n\nIntro.\n", "# Page\n\nIntro.\n", nil},
	{"other details stay", "<details>\n<summary>More</summary>\n\nHidden.\n\n</details>\n", "<details>\n<summary>More</summary>\n\nHidden.\n\n</details>\n", nil},
	{"unclosed details stay", "<details>\n<summary>Relevant source files</summary>\n\n- [a](a)\n", "<details>\n<summary>Relevant source files</summary>\n\n- [a](a)\n", nil},
	{"nested too deep: left whole", strings.Repeat("> ", 33) + "```\nx\n```\n", strings.Repeat("> ", 33) + "```\nx\n```\n", nil},
	{"nested deep", strings.Repeat(">", 32) + " ```\n" + strings.Repeat(">", 32) + " x\n", "", []CodeBlock{{"text", "x\n"}}},
	{"code in an HTML block is no fence", "<div>\n```\nx\n```\n</div>\n", "<div>\n```\nx\n```\n</div>\n", nil},
}

func TestSplitCode(t *testing.T) {
	for _, c := range splitCodeCases {
		prose, blocks := SplitCode(c.doc)
		if prose != c.prose || !reflect.DeepEqual(blocks, c.blocks) {
			t.Errorf("%s: SplitCode(%q) =\n%q, %q\nwant\n%q, %q", c.name, c.doc, prose, blocks, c.prose, c.blocks)
		}
	}
}

// TestCodeBlocksLayouts: with the doc's code moved out, every layout's
// "code" ranges hold exactly the moved blocks and the snippets, never the
// doc (whose mermaid diagram and inline code are not code).
func TestCodeBlocksLayouts(t *testing.T) {
	tmpl, err := Parse("doc-code", DocCodeBlocks)
	if err != nil {
		t.Fatal(err)
	}
	rec := map[string]any{
		"text": "# P\n\n" + details + "\nUse `let x = 1;`:\n\n```rust\nlet x = 1;\n```\n\n```mermaid\ngraph TD\n```\n\n```\nplain\n```\n",
		"link": map[string]any{"snippets": []any{
			map[string]any{"path": "src/lib.rs", "code": "let x = 1;\n"},
			map[string]any{"path": "Makefile", "code": "all:\n\ttrue\n"},
		}},
	}
	code := func(r Rendered) []string {
		var out []string
		for _, c := range r.Code {
			out = append(out, r.Text[c[0]:c[1]])
		}
		return out
	}
	for layout, want := range map[string][][]string{
		"interleaved": {{"let x = 1;", "plain", "let x = 1;", "all:\n\ttrue"}},
		"separate":    {{"let x = 1;", "plain"}, {"let x = 1;", "all:\n\ttrue"}},
		"pairs":       {{"let x = 1;", "plain", "let x = 1;"}, {"let x = 1;", "plain", "all:\n\ttrue"}},
	} {
		out, err := RenderLayout(tmpl, rec, layout, true)
		if err != nil {
			t.Fatalf("%s: %v", layout, err)
		}
		var got [][]string
		for _, r := range out {
			got = append(got, code(r))
			if doc, _, _ := strings.Cut(r.Text, "</doc>"); strings.Contains(r.Text, "</doc>") {
				for _, c := range r.Code {
					if c[0] < len(doc) {
						t.Errorf("%s: code range %v inside the doc:\n%s", layout, c, r.Text)
					}
				}
				if strings.Contains(doc, "<details>") || strings.Contains(doc, "```rust") || !strings.Contains(doc, "```mermaid") {
					t.Errorf("%s: doc keeps HTML or code, or lost its diagram:\n%s", layout, doc)
				}
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: code = %q; want %q", layout, got, want)
		}
	}
	// Without moving, the same record's fences stay in the doc, not code.
	plain, _ := Parse("doc-code", Presets["doc-code"])
	out, _ := RenderLayout(plain, rec, "interleaved", false)
	if got := code(out[0]); !reflect.DeepEqual(got, []string{"let x = 1;", "all:\n\ttrue"}) || out[0].Code[0][0] < strings.Index(out[0].Text, "</doc>") {
		t.Errorf("doc-code: code = %q at %v", got, out[0].Code)
	}
}

func FuzzSplitCode(f *testing.F) {
	for _, c := range splitCodeCases {
		f.Add(c.doc)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		prose, blocks := SplitCode(doc)
		for _, b := range blocks {
			if b.Code == "" || !strings.HasSuffix(b.Code, "\n") || b.Language == "" {
				t.Errorf("SplitCode(%q): block %q", doc, b)
			}
		}
		if utf8.ValidString(doc) && !utf8.ValidString(prose) {
			t.Errorf("SplitCode(%q): prose %q is not UTF-8", doc, prose)
		}
		if !strings.Contains(doc, "```") && !strings.Contains(doc, "~~~") && !strings.Contains(strings.ToLower(doc), "<details") && (prose != doc || blocks != nil) {
			t.Errorf("SplitCode(%q) = %q, %q: changed a doc with no code", doc, prose, blocks)
		}
	})
}
