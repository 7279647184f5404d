package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
	"github.com/dwkit/dwkit/lib/hfdata"
	"github.com/dwkit/dwkit/lib/hfdata/hfdatatest"
	"gopkg.in/yaml.v3"
)

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	return clitest.Run(t, run, stdin, args...)
}

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

func TestUsage(t *testing.T) {
	full := filepath.Join(t.TempDir(), "full")
	os.MkdirAll(full, 0o777)
	os.WriteFile(filepath.Join(full, "x"), nil, 0o666)
	for _, args := range [][]string{
		{"noslash", "--out", t.TempDir()},
		{"me/ds", "--out", full},
		{"me/ds", "--out", t.TempDir(), "--sample", "-1"},
		{"me/ds", "--from", t.TempDir()},
		{"me/ds", "--from", full, "--out", t.TempDir()},
		{"me/ds", "--dry-run", "--retries", "-1"},
		{"me/ds", "--endpoint", "ftp://x"},
		{"me/ds", "--branch", "a..b"},
		{"me/ds", "--out", t.TempDir(), "--flatten", "xml"},
		{"me/ds", "--out", t.TempDir(), "--stats", filepath.Join(full, "x")},
	} {
		if code, _, errs := runTool(t, "", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d; want 2 (%s)", args, code, errs)
		}
	}
}

// TestLateFieldsAreReported: after the sample a record with a new field or
// a value of another type is reported and skipped, never written in part.
func TestLateFieldsAreReported(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ds")
	in := `{"id":"a","n":1}` + "\n" + `{"id":"b","n":2}` + "\n" + `{"id":"c","n":"3"}` + "\n" + `{"id":"d","new":1}` + "\n" + `{"id":"e","n":null}` + "\n" + "oops\n"
	code, out, errs := runTool(t, in, "me/ds", "--out", dir, "--sample", "2")
	if code != cli.ExitFailure || !strings.Contains(errs, `record 3 (id "c"): field "n" is a JSON string, but the schema inferred from the sample has int64`) ||
		!strings.Contains(errs, `record 4 (id "d"): field "new" has no column`) || !strings.Contains(errs, "stdin:6: invalid JSON") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var sum struct {
		Splits []struct{ Rows int } `json:"splits"`
	}
	if json.Unmarshal([]byte(out), &sum); len(sum.Splits) != 1 || sum.Splits[0].Rows != 3 {
		t.Errorf("summary %s", out)
	}
	// the default, columns from all records: nothing skipped but the bad line
	dir2 := filepath.Join(t.TempDir(), "ds")
	if code, out, errs := runTool(t, in, "me/ds", "--out", dir2); code != cli.ExitFailure || !strings.Contains(out, `"rows":5`) ||
		!strings.Contains(errs, `field "n" is stored as JSON text: values of several JSON types (number, string) in the records`) || strings.Contains(errs, "skipped") {
		t.Errorf("exit %d, out %s: %s", code, out, errs)
	}
}

func TestSplitsAndEmptyInput(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ds")
	in := `{"id":"a","split":"test"}` + "\n" + `{"id":"b","split":3}` + "\n" + `{"id":"c","split":"a/b"}` + "\n" + `{"id":"d","split":null}` + "\n"
	code, out, errs := runTool(t, in, "me/ds", "--out", dir)
	if code != cli.ExitFailure || strings.Count(errs, `: want a split name (letters, digits and _, dots between words)`) != 2 || !strings.Contains(errs, `field "split" is "a/b"`) ||
		!strings.Contains(out, `"split":"test","rows":1,"files":["data/test-00000-of-00001.parquet"]`) || !strings.Contains(out, `"split":"train","rows":1`) {
		t.Errorf("exit %d, out %s: %s", code, out, errs)
	}
	code, _, errs = runTool(t, "", "me/ds", "--out", filepath.Join(t.TempDir(), "ds"))
	if code != cli.ExitFailure || !strings.Contains(errs, "no records") {
		t.Errorf("empty input: exit %d: %s", code, errs)
	}
}

// crate is a small Rust crate for dw-rustparse.
var crate = map[string]string{
	"Cargo.toml": "[package]\nname = \"tiny\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
	"src/lib.rs": `//! A tiny crate.
pub mod shapes;

/// Adds two numbers & more <ok>.
pub fn add(a: i64, b: i64) -> i64 { a + b }

#[derive(Debug, Clone)]
pub struct Point { pub x: f64, pub y: f64 }

impl Point {
    pub fn norm(&self) -> f64 { (self.x * self.x + self.y * self.y).sqrt() }
}

pub trait Area { fn area(&self) -> f64; }
`,
	"src/shapes.rs": `use crate::Area;

pub enum Shape { Circle(f64), Square(f64) }

impl Area for Shape {
    fn area(&self) -> f64 {
        match self { Shape::Circle(r) => 3.14 * r * r, Shape::Square(s) => s * s }
    }
}

pub const UNIT: f64 = 1.0;
`,
}

// toolsDir builds the tools the test pipes records from.
func toolsDir(t *testing.T) string {
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", dir+string(os.PathSeparator), "github.com/dwkit/dwkit/cmd/dw-rustparse", "github.com/dwkit/dwkit/cmd/dw-stats")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the tools: %v\n%s", err, out)
	}
	return dir
}

// dataset makes a real dataset: dw-rustparse over the crate, every third
// record in a validation split, dw-stats of it, and dw-upload --out.
func dataset(t *testing.T, flatten string, more ...string) (records []string, out string, card []byte) {
	tools := toolsDir(t)
	src := t.TempDir()
	for name, text := range crate {
		os.MkdirAll(filepath.Dir(filepath.Join(src, name)), 0o777)
		if err := os.WriteFile(filepath.Join(src, name), []byte(text), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	parsed, err := exec.Command(filepath.Join(tools, "dw-rustparse"), src).Output()
	if err != nil {
		t.Fatalf("dw-rustparse: %v", err)
	}
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(string(parsed)), "\n") {
		if i%3 == 2 {
			line = `{"split":"validation",` + line[1:]
		}
		records = append(records, line)
		b.WriteString(line + "\n")
	}
	if len(records) < 8 {
		t.Fatalf("dw-rustparse made %d records", len(records))
	}
	// one made by jq in between, with zero values that must not become null
	var first struct {
		Source struct{ Repo string } `json:"source"`
	}
	json.Unmarshal([]byte(records[0]), &first)
	extra := fmt.Sprintf(`{"id":"jq-1","kind":"fn","text":"fn jq() {}","doc":"","source":{"repo":%q,"start_line":0},"rust":{"has_body":false,"items":0,"targets":[]},"note":"é & <x>"}`, first.Source.Repo)
	records = append(records, extra)
	b.WriteString(extra + "\n")
	work := t.TempDir()
	input := filepath.Join(work, "records.jsonl")
	os.WriteFile(input, []byte(b.String()), 0o666)
	statsFile := filepath.Join(work, "stats.json")
	st, err := exec.Command(filepath.Join(tools, "dw-stats"), "-i", input).Output()
	if err != nil {
		t.Fatalf("dw-stats: %v", err)
	}
	os.WriteFile(statsFile, st, 0o666)
	out = filepath.Join(work, "ds")
	code, summary, errs := runTool(t, "", append([]string{"me/tiny", "--out", out, "--stats", statsFile, "-i", input, "--flatten", flatten, "--license", "mit"}, more...)...)
	if code != 0 || !strings.Contains(summary, `"uploaded":false`) {
		t.Fatalf("exit %d, out %s: %s", code, summary, errs)
	}
	card, err = os.ReadFile(filepath.Join(out, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	return records, out, card
}

func decodeJSON(t *testing.T, s string) map[string]any {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v map[string]any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

// expected returns the records by split, as plain values without "split".
func expected(t *testing.T, records []string) map[string][]any {
	want := map[string][]any{}
	for _, r := range records {
		v := decodeJSON(t, r)
		split := "train"
		if s, ok := v["split"].(string); ok {
			split = s
		}
		delete(v, "split")
		want[split] = append(want[split], hfdatatest.Plain(v))
	}
	return want
}

// schemaOf infers the schema the command inferred (the sample is all).
func schemaOf(t *testing.T, records []string, flatten bool) *hfdata.Schema {
	in := hfdata.NewInferrer(flatten)
	for _, r := range records {
		v, err := hfdata.Decode([]byte(r))
		if err != nil {
			t.Fatal(err)
		}
		obj := v.(hfdata.Object)
		for i, m := range obj {
			if m.Key == "split" {
				obj = append(obj[:i:i], obj[i+1:]...)
				break
			}
		}
		in.Add(obj)
	}
	return in.Schema()
}

// cardFiles reads the data files of each split from the card.
func cardFiles(t *testing.T, card []byte) map[string][]string {
	front, _, ok := strings.Cut(strings.TrimPrefix(string(card), "---\n"), "\n---\n")
	if !ok {
		t.Fatalf("no front matter:\n%s", card)
	}
	var meta hfdata.Meta
	if err := yaml.Unmarshal([]byte(front), &meta); err != nil {
		t.Fatal(err)
	}
	files := map[string][]string{}
	for _, df := range meta.Configs[0].DataFiles {
		files[df.Split] = df.Path
	}
	return files
}

func compare(t *testing.T, who, split string, s *hfdata.Schema, rows []map[string]any, want []any) {
	t.Helper()
	if len(rows) != len(want) {
		t.Fatalf("%s, %s: %d rows; want %d", who, split, len(rows), len(want))
	}
	for i, row := range rows {
		v, err := s.Value(row)
		if err != nil {
			t.Fatalf("%s, %s row %d: %v", who, split, i, err)
		}
		if got := hfdatatest.Plain(v); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%s, %s row %d:\n got %v\nwant %v", who, split, i, got, want[i])
		}
	}
}

// TestRealDatasetRoundTrip: a dataset made by the tools reads back, with
// parquet-go, as the records written, nested fields included.
func TestRealDatasetRoundTrip(t *testing.T) {
	for _, flatten := range []string{"struct", "json"} {
		var more []string
		if flatten == "json" { // small shards and row groups
			more = []string{"--shard-size", "1KiB", "--row-group", "512B"}
		}
		records, out, card := dataset(t, flatten, more...)
		s := schemaOf(t, records, flatten == "json")
		if flatten == "struct" && !strings.Contains(string(card), "struct:") {
			t.Errorf("no nested features in the card:\n%s", card)
		}
		want := expected(t, records)
		files := cardFiles(t, card)
		if len(files) != 2 || flatten == "json" && len(files["train"]) < 3 {
			t.Fatalf("card splits %v", files)
		}
		if on, _ := filepath.Glob(filepath.Join(out, "data", "*")); len(on) != len(files["train"])+len(files["validation"]) {
			t.Errorf("data/ holds %v; the card lists %v", on, files)
		}
		for split, names := range files {
			var rows []map[string]any
			for _, name := range names {
				rows = append(rows, hfdatatest.ReadParquet(t, filepath.Join(out, name))...)
			}
			compare(t, "parquet-go "+flatten, split, s, rows, want[split])
		}
		for _, want := range []string{"source_repo:", "![Token histogram](tokens.png)", "| train |", "records "} {
			if flatten == "struct" && !strings.Contains(string(card), want) {
				t.Errorf("card lacks %q", want)
			}
		}
		if _, err := os.Stat(filepath.Join(out, hfdata.PlotFile)); err != nil {
			t.Error(err)
		}
	}
}

// TestIndependentReaders: hyparquet and DuckDB (installed by
// scripts/install-readers.sh) read the dataset as the records written.
func TestIndependentReaders(t *testing.T) {
	readers, _ := filepath.Abs("../../scripts/readers")
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node on PATH: the independent Parquet readers are not run")
	}
	if _, err := os.Stat(filepath.Join(readers, "node_modules", "hyparquet")); err != nil {
		t.Skip("scripts/readers not installed: run scripts/install-readers.sh")
	}
	records, out, card := dataset(t, "struct")
	s := schemaOf(t, records, false)
	want := expected(t, records)
	for split, names := range cardFiles(t, card) {
		var paths []string
		for _, n := range names {
			paths = append(paths, filepath.Join(out, n))
		}
		for _, reader := range []string{"hyparquet", "duckdb"} {
			cmd := exec.Command("node", append([]string{filepath.Join(readers, "read.mjs"), reader}, paths...)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			got, err := cmd.Output()
			if err != nil {
				t.Fatalf("%s: %v\n%s", reader, err, stderr.Bytes())
			}
			var rows []map[string]any
			sc := bufio.NewScanner(bytes.NewReader(got))
			sc.Buffer(nil, 1<<26)
			for sc.Scan() {
				rows = append(rows, decodeJSON(t, sc.Text()))
			}
			compare(t, reader, split, s, rows, want[split])
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	var in strings.Builder
	const n = 20000
	for i := range n {
		fmt.Fprintf(&in, `{"id":"r%d","kind":"fn","text":%q,"source":{"repo":"o/r","path":"src/lib.rs","start_line":%d},"rust":{"crate":"c","calls":[{"name":"f","line":%d}]},"tokens":{"count":%d}}`+"\n",
			i, strings.Repeat("fn x() { y(); }\n", i%40+1), i, i, i%900)
	}
	b.SetBytes(int64(in.Len()))
	for b.Loop() {
		dir := filepath.Join(b.TempDir(), "ds")
		code, _, errs := clitest.Run(b, run, in.String(), "me/bench", "--out", dir)
		if code != 0 {
			b.Fatal(errs)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
