package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
	"github.com/dwkit/dwkit/lib/render"
)

var update = flag.Bool("update", false, "rewrite testdata/golden")

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	return clitest.Run(t, run, stdin, args...)
}

// records returns the test records whose ids are given, as NDJSON.
func records(t *testing.T, ids ...string) string {
	data, err := os.ReadFile("testdata/records.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		for _, id := range ids {
			if strings.HasPrefix(line, `{"id":"`+id+`"`) {
				out.WriteString(line + "\n")
			}
		}
	}
	return out.String()
}

// TestPresets renders each preset and compares with its golden file
// (go test -update rewrites them for review).
func TestPresets(t *testing.T) {
	cases := []struct {
		golden string
		args   []string
		ids    []string
	}{
		{"file-tags", []string{"--preset", "file-tags"}, []string{"file-1"}},
		{"comment-header", []string{"--preset", "comment-header"}, []string{"fn-1", "fn-2"}},
		{"context-header", []string{"--preset", "context-header"}, []string{"fn-1", "fn-2"}},
		{"graph-augmented", []string{"--preset", "graph-augmented"}, []string{"fn-1", "fn-2"}},
		{"doc-code-interleaved", []string{"--preset", "doc-code"}, []string{"chunk-1"}},
		{"doc-code-separate", []string{"--preset", "doc-code", "--layout", "separate"}, []string{"chunk-1"}},
		{"doc-code-pairs", []string{"--preset", "doc-code", "--layout", "pairs"}, []string{"chunk-1"}},
		{"doc-code-blocks", []string{"--preset", "doc-code", "--code-blocks"}, []string{"chunk-1", "chunk-2"}},
		{"doc-code-blocks-separate", []string{"--preset", "doc-code", "--code-blocks", "--layout", "separate"}, []string{"chunk-2"}},
		{"doc-code-blocks-pairs", []string{"--preset", "doc-code", "--code-blocks", "--layout", "pairs"}, []string{"chunk-2"}},
		{"instruction", []string{"--preset", "instruction"}, []string{"qa-1"}},
		{"chat", []string{"--preset", "chat"}, []string{"qa-1"}},
		{"group-tags", []string{"--preset", "group-tags"}, []string{"group-1"}},
	}
	for _, c := range cases {
		code, out, errs := runTool(t, records(t, c.ids...), c.args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", c.golden, code, errs)
		}
		var got strings.Builder
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var r struct {
				Text     string
				Messages []render.Message
				Render   render.Field
			}
			json.Unmarshal([]byte(line), &r)
			if r.Render.Part != "" {
				got.WriteString("[part " + r.Render.Part + "]\n")
			}
			got.WriteString(r.Text)
			for _, m := range r.Messages {
				got.WriteString("[" + m.Role + "] " + m.Content + "\n")
			}
			got.WriteString("~~~~\n")
		}
		path := filepath.Join("testdata", "golden", c.golden+".txt")
		if *update {
			os.WriteFile(path, []byte(got.String()), 0o644)
		}
		want, _ := os.ReadFile(path)
		if got.String() != string(want) {
			t.Errorf("%s:\n%s\nwant (%s):\n%s", c.golden, got.String(), path, want)
		}
	}
}

func TestMissingFieldAndUsage(t *testing.T) {
	code, out, errs := runTool(t, records(t, "file-1", "qa-1"), "--preset", "instruction")
	if code != cli.ExitFailure || strings.Count(out, "\n") != 1 || !strings.Contains(errs, `stdin:1: template: instruction`) || !strings.Contains(errs, `no entry for key "question"`) {
		t.Errorf("missing field: exit %d, %d records, %s", code, strings.Count(out, "\n"), errs)
	}
	tmpl := filepath.Join(t.TempDir(), "t.tmpl")
	os.WriteFile(tmpl, []byte("{{.kind}}: {{get . \"rust.name\"}}|"), 0o644)
	if _, out, _ := runTool(t, records(t, "fn-1", "qa-1"), "--template", tmpl); !strings.Contains(out, `"text":"fn: add|"`) || !strings.Contains(out, `"text":"qa: |"`) {
		t.Errorf("own template: %s", out)
	}
	for _, args := range [][]string{{}, {"--preset", "nope"}, {"--preset", "chat", "--layout", "pairs"}, {"--preset", "chat", "--template", tmpl}, {"--preset", "chat", "--code-blocks"}} {
		if code, _, _ := runTool(t, "", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d; want 2", args, code)
		}
	}
	code, out, errs = runTool(t, records(t, "file-1", "fn-1", "qa-1"), "--preset", "comment-header", "--kinds", "fn")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(errs, "2 records of other kinds left out (--kinds fn)") {
		t.Errorf("--kinds: exit %d, %d records, %s", code, strings.Count(out, "\n"), errs)
	}
	bad := filepath.Join(t.TempDir(), "bad.tmpl")
	os.WriteFile(bad, []byte("{{.x"), 0o644)
	if code, _, _ := runTool(t, "", "--template", bad); code != cli.ExitUsage {
		t.Errorf("broken template: exit %d; want 2", code)
	}
}

// TestCodeBlocksAreCode: with --code-blocks, the "code" ranges of every
// layout are exactly the fenced code moved out of the doc and the cited
// snippets, in order.
func TestCodeBlocksAreCode(t *testing.T) {
	moved := []string{"let s = Store::new();", "```rust\nfn quoted() {}\n```"}
	snippet := "pub struct Store;\nimpl Store { pub fn new() -> Self { Store } }"
	for layout, want := range map[string][][]string{
		"interleaved": {append(moved, snippet)},
		"separate":    {moved, {snippet}},
		"pairs":       {append(moved, snippet)},
	} {
		code, out, errs := runTool(t, records(t, "chunk-2"), "--preset", "doc-code", "--code-blocks", "--layout", layout)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", layout, code, errs)
		}
		var got [][]string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var r struct {
				Text   string
				Code   [][2]int
				Render render.Field
			}
			json.Unmarshal([]byte(line), &r)
			var pieces []string
			for _, c := range r.Code {
				pieces = append(pieces, r.Text[c[0]:c[1]])
			}
			got = append(got, pieces)
			if !r.Render.CodeBlocks {
				t.Errorf("%s: render = %+v; want code_blocks", layout, r.Render)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: code = %q; want %q", layout, got, want)
		}
	}
}

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }
