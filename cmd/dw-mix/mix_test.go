package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
	"github.com/dwkit/dwkit/ndjson"
)

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

func TestBadLines(t *testing.T) {
	clitest.CheckBadLines(t, run, `{"id":"f","text":"fn a() {}","source":{"path":"src/lib.rs"}}`)
}

// write writes lines to dir/name and returns its path.
func write(t testing.TB, dir, name string, lines ...string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// records makes n records of source tag, of text sizes growing with i.
func records(tag string, n int) []string {
	out := make([]string, n)
	for i := range n {
		out[i] = fmt.Sprintf(`{"id":"%s%d","text":"%s %d %s","source":{"repo":"r","path":"src/%s/f%d.rs"},"tokens":{"count":%d,"tokenizer":"t"}}`,
			tag, i, tag, i, strings.Repeat("w", i%7), tag, i/3, 1+i%10)
	}
	return out
}

// decode reads output records.
func decode(t testing.TB, out string) []map[string]any {
	t.Helper()
	var recs []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("output line %q: %v", l, err)
		}
		recs = append(recs, m)
	}
	return recs
}

func source(r map[string]any) string { return r["mix"].(map[string]any)["source"].(string) }

func inDir(t *testing.T) string {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chdir(wd) })
	return dir
}

// TestHostile: every bad command line or input ends with a clear message
// naming the file (and line), a non-zero exit, and no output left behind.
func TestHostile(t *testing.T) {
	dir := inDir(t)
	write(t, dir, "a.jsonl", records("a", 5)...)
	write(t, dir, "b.jsonl", records("b", 5)...)
	write(t, dir, "notext.jsonl", `{"id":"x","text":"ok"}`, `{"id":"y"}`, `{"id":"z","text":""}`)
	write(t, dir, "odd:name.jsonl", records("o", 3)...)
	write(t, dir, "train.jsonl", records("t", 3)...)
	write(t, dir, "stars.jsonl", `{"id":"s1","text":"same","stars":3}`, `{"id":"s2","text":"same"}`)
	w, _ := ndjson.Create(filepath.Join(dir, "big.jsonl.zst"), nil)
	for _, l := range records("z", 20000) {
		w.Write([]byte(l + "\n"))
	}
	w.Close()
	data, _ := os.ReadFile(filepath.Join(dir, "big.jsonl.zst"))
	os.WriteFile(filepath.Join(dir, "cut.jsonl.zst"), data[:len(data)/2], 0o644)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"a.jsonl:-1"}, 2, `"a.jsonl:-1": the weight "-1" after the last colon is not a number of at least 0`},
		{[]string{"a.jsonl:abc"}, 2, `the weight "abc" after the last colon`},
		{[]string{"a.jsonl:"}, 2, `the weight "" after the last colon`},
		{[]string{"a.jsonl:0", "b.jsonl:0"}, 2, "the weights sum to 0"},
		{[]string{"a.jsonl:NaN"}, 2, "not a number"},
		{[]string{"missing.jsonl"}, 1, "open missing.jsonl: no such file"},
		{[]string{"missing.jsonl:0.5"}, 1, "open missing.jsonl: no such file"},
		{[]string{"a.jsonl", "-o", "a.jsonl"}, 2, "a.jsonl is also the input a.jsonl"},
		{[]string{"a.jsonl", "b.jsonl", "--dedup", "exact", "--dedup-report", "b.jsonl"}, 2, "is also the input"},
		{[]string{"train.jsonl", "--split", "train:1", "--out-dir", "."}, 2, "train.jsonl is also the input"},
		{[]string{"a.jsonl", "--split", "train:0.5"}, 2, "--split: the shares sum to 0.5, not 1"},
		{[]string{"a.jsonl", "--split", "train:0.5,train:0.5"}, 2, `split "train" named twice`},
		{[]string{"a.jsonl", "--split", "tr-ain:1"}, 2, "a split name is letters, digits and _"},
		{[]string{"a.jsonl", "--split", "train:1", "--split-by", "nosuch.field"}, 1, "a.jsonl:1: no field nosuch.field to split by"},
		{[]string{"a.jsonl", "--split", "train:1", "--split-by", "a..b"}, 2, "--split-by"},
		{[]string{"a.jsonl", "--out-dir", "x"}, 2, "--out-dir needs --split"},
		{[]string{"notext.jsonl"}, 1, `notext.jsonl:2: missing field "text"`},
		{[]string{"notext.jsonl"}, 1, `notext.jsonl:3: field "text" is empty`},
		{[]string{"-", "-"}, 2, "stdin (-) is given twice"},
		{[]string{"a.jsonl", "--memory", "1MiB"}, 2, "--memory 1MiB: want at least 16MiB"},
		{[]string{"a.jsonl", "--keep-max", "stars"}, 2, "--keep-max needs --dedup"},
		{[]string{"stars.jsonl", "--keep-max", "stars", "--dedup", "exact"}, 1, `stars.jsonl:2: field "stars" (--keep-max): want a number`},
		{[]string{"a.jsonl", "--decontaminate", "missing.jsonl"}, 1, "--decontaminate: open missing.jsonl"},
		{[]string{"a.jsonl", "--decontaminate", "notext.jsonl"}, 1, `notext.jsonl:2: missing field "text"`},
		{[]string{"a.jsonl", "--dedup", "near", "--threshold", "0"}, 2, "--threshold"},
		{[]string{"a.jsonl", "--dedup", "near", "--perms", "0"}, 2, "--perms"},
		{[]string{"a.jsonl", "notext.jsonl", "--by", "tokens"}, 1, `notext.jsonl:1: missing field "tokens" (--by tokens)`},
		{[]string{"cut.jsonl.zst"}, 1, "cut.jsonl.zst: unreadable after line"},
		{[]string{"a.jsonl", "--workers=-1"}, 2, "--workers -1"},
		{[]string{"a.jsonl", "--by", "bytes"}, 2, "--by"},
	}
	for _, c := range cases {
		out := filepath.Join(dir, "out.jsonl")
		args := c.args
		if !slices.Contains(args, "-o") && !slices.Contains(args, "--out-dir") {
			args = append(slices.Clone(args), "-o", out)
		}
		code, _, errs := clitest.Run(t, run, "", args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d; want %d and %q:\n%s", c.args, code, c.code, c.want, errs)
		}
		if strings.Contains(errs, "panic") {
			t.Errorf("%v: panicked:\n%s", c.args, errs)
		}
		if _, err := os.Stat(out); err == nil && code == 2 {
			t.Errorf("%v: exit 2 left %s", c.args, out)
		}
		os.Remove(out)
	}
	if got, _ := os.ReadFile("a.jsonl"); len(got) == 0 {
		t.Errorf("an input was overwritten")
	}
	// A file whose name has a colon: read whole when it exists, or with a weight.
	for _, arg := range []string{"odd:name.jsonl", "odd:name.jsonl:2"} {
		code, out, errs := clitest.Run(t, run, "", arg)
		if recs := decode(t, out); code != 0 || len(recs) != 3 || source(recs[0]) != "odd:name.jsonl" {
			t.Errorf("%s: exit %d, %d records; want 0 and 3 from odd:name.jsonl\n%s", arg, code, len(recs), errs)
		}
	}
}

// TestWorkersDoNotChangeTheOutput: the same bytes, whatever --workers.
func TestWorkersDoNotChangeTheOutput(t *testing.T) {
	dir := inDir(t)
	var lines []string
	for i := range 3000 {
		lines = append(lines, fmt.Sprintf(`{"id":"c%d","text":"fn f%d(x: u32) -> u32 { let y = x * %d; y + helper(y, %d) - other_call(%d) }","source":{"repo":"r","path":"src/m%d.rs"}}`, i, i%500, i%37, i%11, i%5, i%97))
	}
	write(t, dir, "code.jsonl", lines...)
	write(t, dir, "docs.jsonl", records("d", 800)...)
	write(t, dir, "eval.jsonl", `{"id":"e","text":"fn f3(x: u32) -> u32 { let y = x * 3; y + helper(y, 3)"}`)
	var first string
	for _, w := range []string{"1", "2", "7"} {
		code, out, errs := clitest.Run(t, run, "", "code.jsonl:0.6", "docs.jsonl:0.4", "--seed", "42", "--dedup", "near",
			"--split", "train:0.9,validation:0.1", "--decontaminate", "eval.jsonl", "--until", "all", "--workers", w, "--dedup-report", "rep"+w)
		if code != 0 {
			t.Fatalf("--workers %s: exit %d\n%s", w, code, errs)
		}
		rep, _ := os.ReadFile("rep" + w)
		out += string(rep)
		if first == "" {
			first = out
		} else if out != first {
			t.Errorf("--workers %s: the output differs from --workers 1", w)
		}
	}
	if n := strings.Count(first, `"reason":"contamination"`); n == 0 {
		t.Errorf("no record dropped as contaminated")
	}
}

// TestShuffleLargerThanMemory: an input several times a third of --memory
// is spilled to runs, comes back whole and shuffled, and leaves no run.
func TestShuffleLargerThanMemory(t *testing.T) {
	dir := inDir(t)
	tmp := t.TempDir()
	pad := strings.Repeat("x", 900)
	var lines []string
	for i := range 40000 { // about 38 MB: 10 runs of a quarter of 16 MiB
		lines = append(lines, fmt.Sprintf(`{"id":"r%d","text":"%s %d"}`, i, pad, i))
	}
	in := write(t, dir, "in.jsonl", lines...)
	code, out, errs := clitest.Run(t, run, "", in, "--memory", "16MiB", "--temp-dir", tmp, "--seed", "7")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	recs := decode(t, out)
	seen := map[string]bool{}
	inOrder := 0
	for i, r := range recs {
		id := r["id"].(string)
		seen[id] = true
		if id == fmt.Sprintf("r%d", i) {
			inOrder++
		}
	}
	if len(recs) != len(lines) || len(seen) != len(lines) || inOrder > 100 {
		t.Errorf("%d records, %d distinct, %d in their input place; want %d, %d, few", len(recs), len(seen), inOrder, len(lines), len(lines))
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the runs were left in --temp-dir: %v", left)
	}
	if code, big, _ := clitest.Run(t, run, "", in, "--memory", "1GiB", "--temp-dir", tmp, "--seed", "7"); code != 0 || big != out {
		t.Errorf("--memory 1GiB (one run) gave another order than --memory 16MiB (many)")
	}
	code, out2, _ := clitest.Run(t, run, "", in, "--memory", "16MiB", "--temp-dir", tmp, "--seed", "8")
	if code != 0 || out2 == out {
		t.Errorf("another seed gave the same order")
	}
	code, out3, _ := clitest.Run(t, run, "", in, "--no-shuffle", "--temp-dir", tmp)
	if recs := decode(t, out3); code != 0 || recs[0]["id"] != "r0" || recs[len(recs)-1]["id"] != "r39999" {
		t.Errorf("--no-shuffle: the input order is not kept")
	}
}

// TestWeights: the shares of a large stream land within 1 % of the
// weights, by records and by tokens, and --until says when to stop.
func TestWeights(t *testing.T) {
	dir := inDir(t)
	write(t, dir, "a.jsonl", records("a", 60000)...)
	write(t, dir, "b.jsonl", records("b", 90000)...)
	for _, by := range []string{"records", "tokens"} {
		code, out, errs := clitest.Run(t, run, "", "a.jsonl:0.3", "b.jsonl:0.7", "--by", by, "--seed", "42")
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, errs)
		}
		n := map[string]float64{}
		all := 0.0
		for _, r := range decode(t, out) {
			size := 1.0
			if by == "tokens" {
				size = r["tokens"].(map[string]any)["count"].(float64)
			}
			n[source(r)] += size
			all += size
		}
		if a := n["a.jsonl"] / all; math.Abs(a-0.3) > 0.003 {
			t.Errorf("--by %s: a.jsonl has %.4f of the output; want 0.3 ± 1 %%", by, a)
		}
		if !strings.Contains(errs, "stopped when b.jsonl ran out (--until first)") {
			t.Errorf("--by %s: b (90000 at 0.7) should run out first:\n%s", by, errs)
		}
	}
	code, out, _ := clitest.Run(t, run, "", "a.jsonl:0.3", "b.jsonl:0.7", "--until", "all")
	if recs := decode(t, out); code != 0 || len(recs) != 150000 {
		t.Errorf("--until all: %d records; want every one, 150000", len(recs))
	}
	// a weight of 0: read, never written
	code, out, _ = clitest.Run(t, run, "", "a.jsonl:1", "b.jsonl:0", "--until", "all")
	if recs := decode(t, out); code != 0 || len(recs) != 60000 {
		t.Errorf("b.jsonl:0: %d records; want a.jsonl's 60000", len(recs))
	}
}

// splitsOf runs dw-mix with args and returns each record's split by id.
func splitsOf(t *testing.T, args ...string) map[string]string {
	t.Helper()
	code, out, errs := clitest.Run(t, run, "", args...)
	if code != 0 {
		t.Fatalf("%v: exit %d\n%s", args, code, errs)
	}
	m := map[string]string{}
	for _, r := range decode(t, out) {
		m[r["id"].(string)] = r["split"].(string)
	}
	return m
}

// TestSplitsStayWhenDataGrows: 10 % more records (and another seed) move
// no record to another split; a group never straddles.
func TestSplitsStayWhenDataGrows(t *testing.T) {
	dir := inDir(t)
	all := records("a", 11000)
	write(t, dir, "small.jsonl", all[:10000]...)
	write(t, dir, "grown.jsonl", all...)
	before := splitsOf(t, "small.jsonl", "--split", "train:0.8,validation:0.2", "--seed", "1")
	after := splitsOf(t, "grown.jsonl", "--split", "train:0.8,validation:0.2", "--seed", "2")
	moved, val := 0, 0
	for id, s := range before {
		if after[id] != s {
			moved++
		}
		if s == "validation" {
			val++
		}
	}
	if moved != 0 || len(after) != 11000 {
		t.Errorf("%d of %d records changed split when 10 %% were added", moved, len(before))
	}
	if share := float64(val) / float64(len(before)); math.Abs(share-0.2) > 0.03 {
		t.Errorf("validation share %.3f; want about 0.2", share)
	}
	// records("a") puts three records in each file: they share a split
	byFile := map[string]string{}
	for i := range 10000 {
		f := fmt.Sprint(i / 3)
		if s, ok := byFile[f]; ok && s != before[fmt.Sprintf("a%d", i)] {
			t.Fatalf("the records of file %s straddle splits", f)
		}
		byFile[f] = before[fmt.Sprintf("a%d", i)]
	}
	// --out-dir: a file per split, each record where its field says
	code, _, errs := clitest.Run(t, run, "", "small.jsonl", "--split", "train:0.8,validation:0.2", "--out-dir", "ds", "--out-suffix", ".jsonl.zst")
	if code != 0 {
		t.Fatalf("--out-dir: exit %d\n%s", code, errs)
	}
	for _, name := range []string{"train", "validation"} {
		rc, err := ndjson.Open(filepath.Join("ds", name+".jsonl.zst"), nil)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		b.ReadFrom(rc)
		rc.Close()
		for _, r := range decode(t, b.String()) {
			if r["split"] != name {
				t.Fatalf("ds/%s.jsonl.zst holds a record of split %v", name, r["split"])
			}
		}
	}
}

// TestMixField: the source and the count a kept record stands for.
func TestMixField(t *testing.T) {
	dir := inDir(t)
	write(t, dir, "a.jsonl", `{"id":"1","text":"fn a() {}","mix":{"source":"old"}}`, `{"id":"2","text":"fn  a() {}"}`, `{}`)
	write(t, dir, "b.jsonl", `{"text":"fn a() {} // c","id":"3"}`)
	code, out, errs := clitest.Run(t, run, "", "a.jsonl", "b.jsonl", "--dedup", "exact", "--strip-comments", "--until", "all", "--no-shuffle", "--dedup-report", "rep.jsonl")
	want := `{"id":"1","text":"fn a() {}","mix":{"source":"a.jsonl","stands_for":3}}` + "\n"
	if code != 1 || out != want || !strings.Contains(errs, `a.jsonl:3: missing field "text"`) {
		t.Errorf("exit %d, output\n%s\nwant exit 1 (the empty record) and\n%s\n%s", code, out, want, errs)
	}
	rep, _ := os.ReadFile("rep.jsonl")
	wantRep := `{"id":"2","source":"a.jsonl","line":2,"reason":"exact","kept":{"id":"1","source":"a.jsonl","line":1},"similarity":1}
{"id":"3","source":"b.jsonl","line":1,"reason":"exact","kept":{"id":"1","source":"a.jsonl","line":1},"similarity":1}
`
	if string(rep) != wantRep {
		t.Errorf("report\n%s\nwant\n%s", rep, wantRep)
	}
	_ = cli.ExitOK
}

// TestInterruptRemovesTheRuns: a signal while the shuffle spills leaves
// neither runs in --temp-dir nor the output, and ends the process by it.
func TestInterruptRemovesTheRuns(t *testing.T) {
	dir := t.TempDir()
	tmp := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	f, _ := os.Create(in)
	pad := strings.Repeat("y", 2000)
	for i := range 200000 {
		fmt.Fprintf(f, `{"id":"r%d","text":"%s %d"}`+"\n", i, pad, i)
	}
	f.Close()
	out := filepath.Join(dir, "out.jsonl")
	cmd := exec.Command(tool(t, "dw-mix"), in, "--memory", "16MiB", "--temp-dir", tmp, "-o", out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		runs, _ := filepath.Glob(filepath.Join(tmp, "dw-mix-*", "run-*"))
		if len(runs) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no runs written within 30 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if err == nil || !ws.Signaled() || ws.Signal() != syscall.SIGINT {
		t.Errorf("the run ended with %v; want killed by SIGINT", err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left in --temp-dir after the signal: %v", left)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*out*")); len(left) != 0 {
		t.Errorf("left after the signal: %v", left)
	}
}

// TestClosedPipeLeavesNoRuns: dw-mix | head ends quietly and leaves nothing
// in --temp-dir.
func TestClosedPipeLeavesNoRuns(t *testing.T) {
	dir := t.TempDir()
	tmp := t.TempDir()
	in := write(t, dir, "in.jsonl", records("a", 200000)...)
	cmd := exec.Command("sh", "-c", `"$0" "$1" --temp-dir "$2" | head -1`, tool(t, "dw-mix"), in, tmp)
	out, err := cmd.CombinedOutput()
	if err != nil || strings.Count(string(out), "\n") != 1 {
		t.Errorf("dw-mix | head -1: %v\n%.500s", err, out)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left in --temp-dir: %v", left)
	}
	// and stdin with a weight, after --
	code, stdout, errs := clitest.Run(t, run, `{"id":"s","text":"from stdin"}`+"\n", "--", "-:0.5", in)
	if recs := decode(t, stdout); code != 0 || source(recs[0]) != "-" {
		t.Errorf("-- -:0.5: exit %d\n%s", code, errs)
	}
}

func TestInputFlag(t *testing.T) {
	dir := inDir(t)
	write(t, dir, "a.jsonl", records("a", 4)...)
	if code, out, errs := clitest.Run(t, run, "", "-i", "a.jsonl"); code != 0 || len(decode(t, out)) != 4 {
		t.Errorf("-i a.jsonl: exit %d\n%s", code, errs)
	}
	if code, _, errs := clitest.Run(t, run, "", "-i", "a.jsonl", "a.jsonl"); code != 2 || !strings.Contains(errs, "give one or the other") {
		t.Errorf("-i and arguments: exit %d\n%s", code, errs)
	}
	if code, _, errs := clitest.Run(t, run, "", "-i", "a.jsonl", "-o", "a.jsonl"); code != 2 || !strings.Contains(errs, "is also the input") {
		t.Errorf("-i X -o X: exit %d\n%s", code, errs)
	}
}
