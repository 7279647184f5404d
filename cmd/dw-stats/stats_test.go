package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
)

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	return clitest.Run(t, run, stdin, args...)
}

const input = `{"kind":"fn","tokens":{"count":1500},"rust":{"crate":"a"}}
{"kind":"fn","tokens":{"count":5000},"rust":{"crate":"b"}}
{"kind":"file","tokens":{"count":12000},"rust":{"crate":"a"}}
{"kind":"file","text":"hello world"}
`

func TestSummaryJSON(t *testing.T) {
	code, out, errs := runTool(t, input, "--by", "rust.crate", "--bin", "1000")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var s struct {
		Records int                       `json:"records"`
		Kinds   map[string]int            `json:"kinds"`
		By      map[string]map[string]int `json:"by"`
		Tokens  struct {
			Total, Min, Max int
			Percentiles     map[string]int
		} `json:"tokens"`
		Histogram []struct{ From, To, Count int } `json:"histogram"`
		Buckets   []struct {
			Bucket  string
			Records int
			Share   float64
		} `json:"buckets"`
	}
	if err := json.Unmarshal([]byte(out), &s); err != nil || strings.Count(out, "\n") != 1 {
		t.Fatalf("output %q: %v", out, err)
	}
	// "hello world" has no tokens.count: cl100k_base counts it as 2.
	if s.Records != 4 || s.Kinds["fn"] != 2 || s.By["rust.crate"]["a"] != 2 || s.By["rust.crate"][""] != 1 ||
		s.Tokens.Total != 18502 || s.Tokens.Min != 2 || s.Tokens.Max != 12000 || s.Tokens.Percentiles["p50"] != 1500 {
		t.Errorf("summary %+v", s)
	}
	if len(s.Histogram) != 4 || s.Histogram[0].Count != 1 || s.Histogram[1].From != 1000 || s.Histogram[3].From != 12000 {
		t.Errorf("histogram %+v", s.Histogram)
	}
	if len(s.Buckets) != 4 || s.Buckets[0].Records != 1 || s.Buckets[1].Records != 1 || s.Buckets[2].Records != 1 || s.Buckets[3].Bucket != "other" || s.Buckets[3].Records != 1 {
		t.Errorf("buckets %+v", s.Buckets)
	}
}

func TestTableAndPlot(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"h.svg", "h.png"} {
		code, out, errs := runTool(t, input, "--format", "table", "--plot", filepath.Join(dir, name))
		if code != 0 || !strings.Contains(out, "records      4") {
			t.Fatalf("exit %d, output %q: %s", code, out, errs)
		}
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() < 500 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestBadInputAndUsage(t *testing.T) {
	code, out, errs := runTool(t, input+"oops\n"+`{"kind":"x"}`+"\n")
	if code != cli.ExitFailure || !strings.Contains(out, `"records":4`) ||
		!strings.Contains(errs, "stdin:5: invalid JSON") || !strings.Contains(errs, `stdin:6: no tokens.count and missing field "text"`) {
		t.Errorf("exit %d, out %q, stderr %s", code, out, errs)
	}
	for _, args := range [][]string{{"--plot", "x.jpg"}, {"--bin", "0"}, {"--buckets", "4k-1k"}, {"--format", "xml"}} {
		if code, _, _ := runTool(t, "", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d; want 2", args, code)
		}
	}
}

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }
