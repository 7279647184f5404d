package cmd_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/fim"
	"github.com/dwkit/dwkit/ndjson"
)

// TestFIMMiddlesInCode: the example's pipeline on a small crate — rendered
// with a call-graph header, cut into small windows, every record a FIM
// sample — hides only code: each middle lies inside the code ranges that
// dw-render wrote and dw-tokwindow kept true (issue 11: 63.5 % of middles
// were in the header before).
func TestFIMMiddlesInCode(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Cargo.toml"), []byte("[package]\nname = \"demo\"\nversion = \"0.1.0\"\n"), 0o644)
	var src strings.Builder
	for i := range 40 {
		fmt.Fprintf(&src, "/// Step %d of the work.\npub fn step%d(x: u32) -> u32 {\n    let y = x + %d;\n    if y > 100 { step%d(y / 2) } else { y }\n}\n\n", i, i, i, (i+1)%40)
	}
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "lib.rs"), []byte(src.String()), 0o644)

	_, items, errs := runTool(t, dir, "", "dw-rustparse", "--calls", "--repo-name", "demo", ".")
	_, graph, errs2 := runTool(t, dir, items, "dw-callgraph")
	_, rendered, errs3 := runTool(t, dir, graph, "dw-render", "--preset", "graph-augmented", "--kinds", "fn")
	_, windows, errs4 := runTool(t, dir, rendered, "dw-tokwindow", "--max", "40")
	if windows == "" {
		t.Fatalf("no windows:\n%s%s%s%s", errs, errs2, errs3, errs4)
	}
	code := map[string]ndjson.Code{} // by id
	cut := 0
	for _, line := range strings.Split(strings.TrimSpace(windows), "\n") {
		rec, err := ndjson.ParseRecord([]byte(line))
		if err != nil {
			t.Fatal(err)
		}
		id, _ := rec.ID()
		text, _ := rec.Text()
		c, ok, err := rec.Code(text)
		if !ok || err != nil {
			t.Fatalf("window %s has no code field (%v)", id, err)
		}
		code[id] = c
		if rec.Get("window") != nil {
			cut++
		}
	}
	if cut == 0 {
		t.Fatal("no record was cut into windows: the test would not check the clipping")
	}
	for _, span := range []string{"char", "line", "ast"} {
		_, samples, errs := runTool(t, dir, windows, "dw-fim", "--fim-rate", "1", "--span", span)
		n, outside := 0, 0
		for _, line := range strings.Split(strings.TrimSpace(samples), "\n") {
			var r struct {
				Fim  fim.Field
				Code json.RawMessage
			}
			if err := json.Unmarshal([]byte(line), &r); err != nil {
				t.Fatal(err)
			}
			if r.Code != nil {
				t.Fatalf("a sample kept the code field of its source")
			}
			if r.Fim.Mode == "plain" {
				continue
			}
			n++
			in := false
			for _, c := range code[r.Fim.Source] {
				in = in || c[0] <= r.Fim.Middle[0] && r.Fim.Middle[1] <= c[1]
			}
			if !in {
				outside++
			}
		}
		if n == 0 || outside != 0 {
			t.Errorf("--span %s: %d of %d middles outside the code\n%s", span, outside, n, errs)
		}
	}
}
