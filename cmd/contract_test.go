package cmd_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/window"
)

// TestConsumersRefuseWrongFieldTypes: each consumer decodes the fields it
// reads through their lib types, so a field of the wrong type is a bad line
// (exit 1, its line named), never a zero value passed on.
func TestConsumersRefuseWrongFieldTypes(t *testing.T) {
	dir := t.TempDir()
	src := `"source":{"repo":"r","path":"src/lib.rs","start_line":1,"end_line":1,"start_byte":0,"end_byte":9}`
	cases := []struct {
		tool string
		args []string
		line string
		want string
	}{
		{"dw-callgraph", nil, `{"id":"a","kind":"fn","text":"fn a() {}",` + src + `,"rust":"oops"}`, `field "rust"`},
		{"dw-callgraph", nil, `{"id":"a","kind":"crate","text":"[package]",` + src + `,"rust":{"dependencies":"x"}}`, `field "rust"`},
		{"dw-group", nil, `{"id":"a","kind":"impl","text":"impl A {}",` + src + `,"rust":{"impl":[1]}}`, `field "rust"`},
		{"dw-mine", nil, `{"id":"a","kind":"fn","text":"fn a() {}",` + src + `,"rust":{"name":7}}`, `field "rust"`},
		{"dw-mine", nil, `{"id":"a","kind":"fn","text":"fn a() {}",` + src + `,"graph":{"counts":"many"}}`, `field "graph"`},
		{"dw-link", []string{"--repo", "."}, `{"id":"c","kind":"chunk","text":"t","chunk":{"citations":{"path":"x"}}}`, `field "chunk"`},
		{"dw-stats", nil, `{"id":"w","text":"t","tokens":{"count":"12"}}`, `field "tokens"`},
		{"dw-stats", nil, `{"id":"w","text":"t","tokens":{"count":-5}}`, `field "tokens": count -5`},
		{"dw-mix", []string{"--by", "tokens"}, `{"id":"w","text":"t","tokens":{"count":"12"}}`, `field "tokens"`},
		{"dw-mix", []string{"--by", "tokens"}, `{"id":"w","text":"t","tokens":{"count":-5}}`, `field "tokens": count -5`},
		{"dw-tokwindow", []string{"--min", "100"}, `{"id":{"a":1},"text":"short"}`, `field "id"`},
		{"dw-render", []string{"--preset", "file-tags"}, `{"id":"a","text":"","source":{"path":"p"}}`, `field "text" is empty`},
		{"dw-split", nil, `{"id":"p","kind":"page","text":"# T\n\nx","doc":["1"]}`, `field "doc"`},
		{"dw-fim", []string{"--fim-rate", "1"}, `{"id":"a","text":"abc","code":[[2,9]]}`, `field "code": range [2, 9]`},
		{"dw-fim", []string{"--fim-rate", "1"}, `{"id":"a","text":"abcdef","code":[[3,4],[1,2]]}`, `field "code": range [1, 2]`},
		{"dw-tokwindow", []string{"--max", "2"}, `{"id":"b","text":"bad bad bad bad","code":"x"}`, `field "code"`},
		{"dw-link", []string{"--repo", "."}, `{"id":"c","kind":"chunk","text":"t","source":"deepwiki","chunk":{"citations":[]}}`, `field "source"`},
	}
	for _, c := range cases {
		code, _, errs := runTool(t, dir, c.line+"\n", c.tool, c.args...)
		if code != 1 || !strings.Contains(errs, "stdin:1: "+c.want) {
			t.Errorf("%s on %s: exit %d; want 1 and stdin:1: %s\n%s", c.tool, c.line, code, c.want, errs)
		}
	}
}

// TestTokensRoundTrip: dw-stats reads the token counts dw-tokwindow wrote
// (through window.TokensField) instead of counting again.
func TestTokensRoundTrip(t *testing.T) {
	dir := t.TempDir()
	var in strings.Builder
	for i := range 30 {
		in.WriteString(`{"id":"r` + strings.Repeat("x", i) + `","text":"` + strings.Repeat("word ", 5+i*7) + `"}` + "\n")
	}
	_, windows, errs := runTool(t, dir, in.String(), "dw-tokwindow", "--max", "40", "--tokenizer", "o200k_base")
	sum := 0
	for _, line := range strings.Split(strings.TrimSpace(windows), "\n") {
		var r struct{ Tokens window.TokensField }
		if err := json.Unmarshal([]byte(line), &r); err != nil || r.Tokens.Count == 0 || r.Tokens.Tokenizer != "o200k_base" {
			t.Fatalf("dw-tokwindow wrote %q (%v): %s", line, err, errs)
		}
		sum += r.Tokens.Count
	}
	// Count with another tokenizer: a sum equal to the field's shows the field was read.
	_, out, errs := runTool(t, dir, windows, "dw-stats", "--tokenizer", "r50k_base")
	var s struct{ Tokens struct{ Total int } }
	if err := json.Unmarshal([]byte(out), &s); err != nil || s.Tokens.Total != sum {
		t.Errorf("dw-stats total %d (%v); want the sum of tokens.count, %d\n%s%s", s.Tokens.Total, err, sum, out, errs)
	}
}

// TestPageRoundTrip: dw-split reads the doc field dw-split (from a file) and
// dw-scrape write through deepwiki.PageField, and gives each chunk its page.
func TestPageRoundTrip(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "3.2-garbage-collection.md"), []byte("# Garbage Collection\n\nIntro.\n\n## Cycles\n\nText.\n"), 0o644)
	code, pages, errs := runTool(t, dir, "", "dw-split", "--levels", "1", "3.2-garbage-collection.md")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, chunks, errs := runTool(t, dir, pages, "dw-split", "--levels", "2")
	if !strings.Contains(chunks, `"page":"3.2","page_title":"Garbage Collection"`) || !strings.Contains(chunks, `"doc":{"page":"3.2","title":"Garbage Collection","slug":"garbage-collection","depth":2,"parent":"3","order":0,"via":"file"}`) {
		t.Errorf("chunks do not carry their page:\n%s%s", chunks, errs)
	}
}
