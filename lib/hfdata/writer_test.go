package hfdata

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/hfdata/hfdatatest"
	"github.com/dwkit/dwkit/lib/stats"
	"github.com/parquet-go/parquet-go"
	"gopkg.in/yaml.v3"
)

// fromJSON decodes a JSON text for plain.
func fromJSON(t testing.TB, s string) any {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return hfdatatest.Plain(v)
}

func TestRoundTrip(t *testing.T) {
	var lines []string
	for i := range 300 {
		var extra string
		switch i % 3 {
		case 0:
			extra = `,"m":"plain text & <tags>"`
		case 1:
			extra = fmt.Sprintf(`,"m":{"k":%d,"v":[1,"x"]},"opt":{"deep":{"x":[%d.5]}}`, i, i)
		}
		lines = append(lines, fmt.Sprintf(`{"id":"r%03d","n":%d,"f":%d.25,"ok":%t,"text":%q,"rust":{"crate":"c%d","calls":[{"name":"f","line":%d}],"tags":["a","b"]},"empty":[]%s}`,
			i, i-150, i, i%2 == 0, strings.Repeat("fn x() {}\n", i%7), i%4, i, extra))
	}
	objs := objects(t, lines...)
	in := NewInferrer(false)
	for _, o := range objs[:50] {
		in.Add(o)
	}
	s := in.Schema()
	if got := describe(s); !strings.Contains(got, "mixed[m=values of several JSON types (object, string)]") || !strings.Contains(got, "n:int64") || !strings.Contains(got, "opt:struct {deep: struct {x: list of double}}") {
		t.Fatalf("schema %s", got)
	}
	dir := t.TempDir()
	w := NewWriter(dir, s, 2000, 500) // several row groups and shards
	want := map[string][]any{}
	for i, o := range objs {
		split := "train"
		if i%5 == 0 {
			split = "validation"
		}
		row, err := s.Row(o)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(split, row, len(lines[i])); err != nil {
			t.Fatal(err)
		}
		want[split] = append(want[split], fromJSON(t, lines[i]))
	}
	splits, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(splits) != 2 || splits[0].Name != "train" || splits[0].Rows != 240 || splits[1].Rows != 60 || len(splits[0].Files) < 3 {
		t.Fatalf("splits %+v", splits)
	}
	for _, sp := range splits {
		var got []any
		for i, name := range sp.Files {
			if wantName := fmt.Sprintf("data/%s-%05d-of-%05d.parquet", sp.Name, i, len(sp.Files)); name != wantName {
				t.Errorf("file %s; want %s", name, wantName)
			}
			for _, row := range hfdatatest.ReadParquet(t, filepath.Join(dir, name)) {
				v, err := s.Value(row)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, hfdatatest.Plain(v))
			}
		}
		if len(got) != len(want[sp.Name]) {
			t.Fatalf("%s: %d rows read back; want %d", sp.Name, len(got), len(want[sp.Name]))
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], want[sp.Name][i]) {
				t.Errorf("%s row %d:\n got %v\nwant %v", sp.Name, i, got[i], want[sp.Name][i])
			}
		}
	}
	f, err := os.Open(filepath.Join(dir, splits[0].Files[0]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil || len(pf.RowGroups()) < 2 || st.Size() < 2000 {
		t.Errorf("first shard: %d bytes, %d row groups (%v); want row groups of 500 bytes of input, shards from 2000 bytes", st.Size(), len(pf.RowGroups()), err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, "data", ".*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestCard(t *testing.T) {
	s := infer(t, false, `{"id":"a","n":1,"rust":{"calls":[{"name":"f"}],"tags":["x"]},"m":"s","l":[[1]]}`, `{"m":{"a":1}}`)
	dir := t.TempDir()
	w := NewWriter(dir, s, 1<<20, 1<<20)
	for range 1500 {
		row, _ := s.Row(objects(t, `{"id":"a","n":1}`)[0])
		if err := w.Write("train", row, 10); err != nil {
			t.Fatal(err)
		}
	}
	row, _ := s.Row(objects(t, `{"id":"b"}`)[0])
	w.Write("test", row, 10)
	splits, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	sum := stats.Summary{Records: 1501, Kinds: map[string]int{"fn": 1501},
		Tokens:    stats.TokenStats{Total: 4321, Min: 1, Max: 99, Mean: 2.9, Percentiles: map[string]int{"p50": 3}},
		Histogram: []stats.Bin{{From: 0, To: 100, Count: 1501}}}
	card := &Card{Repo: "me/ds", License: "mit", Language: []string{"en"}, TaskCategories: []string{"text-generation"},
		Tags: []string{"code", "rust"}, SourceRepo: "o/r", SourceCommit: "abc123", Schema: s, Splits: splits, Stats: &sum}
	written, err := card.Write(dir)
	if err != nil || !slices.Equal(written, []string{"README.md", PlotFile}) {
		t.Fatalf("Write = %v, %v", written, err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, "README.md"))
	front, body, ok := strings.Cut(strings.TrimPrefix(string(md), "---\n"), "\n---\n")
	if !strings.HasPrefix(string(md), "---\n") || !ok {
		t.Fatalf("no front matter:\n%s", md)
	}
	var meta Meta
	if err := yaml.Unmarshal([]byte(front), &meta); err != nil {
		t.Fatalf("front matter: %v\n%s", err, front)
	}
	if meta.License != "mit" || meta.SizeCategories[0] != "1K<n<10K" || meta.SourceCommit != "abc123" || meta.PrettyName != "ds" {
		t.Errorf("meta %+v", meta)
	}
	// configs name exactly the Parquet files on disk, split by split
	files, _ := filepath.Glob(filepath.Join(dir, "data", "*.parquet"))
	var listed []string
	if len(meta.Configs) != 1 || meta.Configs[0].Name != "default" {
		t.Fatalf("configs %+v", meta.Configs)
	}
	for _, df := range meta.Configs[0].DataFiles {
		for _, p := range df.Path {
			if !strings.HasPrefix(p, "data/"+df.Split+"-") {
				t.Errorf("split %s lists %s", df.Split, p)
			}
			listed = append(listed, filepath.Join(dir, filepath.FromSlash(p)))
		}
	}
	slices.Sort(listed)
	if !slices.Equal(listed, files) {
		t.Errorf("configs list %v; on disk %v", listed, files)
	}
	if got := meta.DatasetInfo.Splits; len(got) != 2 || got[0] != (SplitInfo{"test", 1}) || got[1] != (SplitInfo{"train", 1500}) {
		t.Errorf("dataset_info.splits %+v", got)
	}
	// features, as the datasets library spells them
	var raw struct {
		DatasetInfo struct {
			Features []map[string]any `yaml:"features"`
		} `yaml:"dataset_info"`
	}
	yaml.Unmarshal([]byte(front), &raw)
	feats, _ := json.Marshal(raw.DatasetInfo.Features)
	wantFeats := `[{"dtype":"string","name":"id"},{"list":{"list":"int64"},"name":"l"},{"dtype":"string","name":"m"},{"dtype":"int64","name":"n"},` +
		`{"name":"rust","struct":[{"list":[{"dtype":"string","name":"name"}],"name":"calls"},{"list":"string","name":"tags"}]}]`
	if string(feats) != wantFeats {
		t.Errorf("features\n got %s\nwant %s", feats, wantFeats)
	}
	for _, want := range []string{"| train | 1500 |", "records      1501", "![Token histogram](tokens.png)", "- `m` (values of several JSON types (object, string))", "from `o/r` at commit `abc123`"} {
		if !strings.Contains(body, want) {
			t.Errorf("body lacks %q:\n%s", want, body)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, PlotFile)); err != nil || st.Size() < 500 {
		t.Errorf("plot: %v", err)
	}
}
