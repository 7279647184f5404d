package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/dwkit/dwkit/lib/cli/clitest"
	"github.com/dwkit/dwkit/lib/mix"
)

// corpusDir is the real Rust corpus installed by scripts/corpus.sh, or the
// folder named by $DWKIT_CORPUS.
func corpusDir(tb testing.TB) string {
	dir := os.Getenv("DWKIT_CORPUS")
	if dir == "" {
		dir = "/usr/share/cargo/registry"
	}
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("no Rust corpus at %s: run scripts/corpus.sh or set DWKIT_CORPUS", dir)
	}
	return dir
}

// tools are the other dw-* binaries the pipeline tests run, built once.
var tools struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if tools.dir != "" {
		os.RemoveAll(tools.dir)
	}
	os.Exit(code)
}

// tool returns the path of a built dw-* binary.
func tool(t testing.TB, name string) string {
	t.Helper()
	tools.once.Do(func() {
		if tools.dir, tools.err = os.MkdirTemp("", "dw-mix-tools-"); tools.err != nil {
			return
		}
		var pkgs []string
		for _, n := range []string{"dw-mix", "dw-rustparse", "dw-callgraph", "dw-fim", "dw-render", "dw-tokwindow"} {
			pkgs = append(pkgs, "github.com/dwkit/dwkit/cmd/"+n)
		}
		out, err := exec.Command("go", append([]string{"build", "-o", tools.dir + string(os.PathSeparator)}, pkgs...)...).CombinedOutput()
		if err != nil {
			tools.err = fmt.Errorf("building the tools: %v\n%s", err, out)
		}
	})
	if tools.err != nil {
		t.Fatal(tools.err)
	}
	return filepath.Join(tools.dir, name)
}

// pipe runs a built tool with stdin and returns its stdout.
func pipe(t testing.TB, stdin []byte, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(tool(t, name), args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%.2000s", name, args, err, errb.String())
	}
	return out.Bytes()
}

// crates returns every step-th crate folder of the corpus.
func crates(t testing.TB, step int) []string {
	dir := corpusDir(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, e := range entries {
		if e.IsDir() && i%step == 0 {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out
}

// parse runs dw-rustparse on the crates with args and joins the records.
func parse(t testing.TB, crates []string, args ...string) []byte {
	var all []byte
	for _, c := range crates {
		all = append(all, pipe(t, nil, "dw-rustparse", append(slices.Clone(args), c)...)...)
	}
	return all
}

type rec struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Split  string `json:"split"`
	Source struct {
		Repo      string `json:"repo"`
		Path      string `json:"path"`
		StartLine int    `json:"start_line"`
		EndLine   int    `json:"end_line"`
	} `json:"source"`
	Fim *struct {
		Mode string `json:"mode"`
	} `json:"fim"`
	Mix struct {
		Source    string `json:"source"`
		StandsFor int    `json:"stands_for"`
	} `json:"mix"`
}

func decodeRecs(t testing.TB, data []byte) []rec {
	t.Helper()
	var out []rec
	for l := range bytes.SplitSeq(bytes.TrimSpace(data), []byte("\n")) {
		var r rec
		if err := json.Unmarshal(l, &r); err != nil {
			t.Fatalf("%v: %.200s", err, l)
		}
		out = append(out, r)
	}
	return out
}

// TestExactDedupOnCorpus: after --dedup exact, no two records of real
// functions and impls have the same text up to white space, and the copies
// were there before.
func TestExactDedupOnCorpus(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "items.jsonl")
	os.WriteFile(in, parse(t, crates(t, 3), "--kinds", "fn,impl"), 0o644)
	code, out, errs := clitest.Run(t, run, "", in, "--dedup", "exact")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	before, _ := os.ReadFile(in)
	count := func(recs []rec) (n, distinct int) {
		seen := map[string]bool{}
		for _, r := range recs {
			seen[strings.Join(strings.Fields(r.Text), " ")] = true
		}
		return len(recs), len(seen)
	}
	n0, d0 := count(decodeRecs(t, before))
	after := decodeRecs(t, []byte(out))
	n1, d1 := count(after)
	stands := 0
	for _, r := range after {
		stands += r.Mix.StandsFor
	}
	t.Logf("%d records, %d distinct texts; after --dedup exact %d records, %d distinct", n0, d0, n1, d1)
	if n1 != d1 || d1 != d0 || n0 == d0 || stands != n0 {
		t.Errorf("before: %d records, %d distinct texts; after: %d, %d, standing for %d; want %d distinct records after, standing for all %d", n0, d0, n1, d1, stands, d0, n0)
	}
}

var ident = regexp.MustCompile(`\b[a-z_][a-z0-9_]{2,}\b`)

var keywords = map[string]bool{"fn": true, "let": true, "mut": true, "self": true, "impl": true, "for": true, "pub": true,
	"use": true, "mod": true, "match": true, "if": true, "else": true, "return": true, "struct": true, "enum": true,
	"trait": true, "where": true, "type": true, "const": true, "static": true, "crate": true, "super": true, "while": true,
	"loop": true, "break": true, "continue": true, "ref": true, "move": true, "async": true, "await": true, "dyn": true,
	"unsafe": true, "extern": true, "true": true, "false": true, "as": true, "in": true}

// plant makes a near duplicate of a function's text: one kind of change of
// the issue (0: rename an identifier, 1: reformat, 2: change a few lines,
// 3: all three).
func plant(text string, kind int, rng *rand.Rand) string {
	if kind == 0 || kind == 3 {
		counts := map[string]int{}
		for _, w := range ident.FindAllString(text, -1) {
			counts[w]++
		}
		var names []string
		for w, n := range counts {
			if !keywords[w] && n <= 3 {
				names = append(names, w)
			}
		}
		slices.Sort(names)
		if len(names) > 0 {
			name := names[rng.IntN(len(names))]
			text = regexp.MustCompile(`\b`+name+`\b`).ReplaceAllString(text, "renamed_"+name)
		}
	}
	if kind == 1 || kind == 3 {
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			trimmed := strings.TrimLeft(l, " ")
			lines[i] = strings.Repeat("\t", (len(l)-len(trimmed))/4) + strings.ReplaceAll(strings.ReplaceAll(trimmed, ", ", ","), " = ", "=")
		}
		text = strings.Join(lines, "\n")
	}
	if kind == 2 || kind == 3 {
		lines := strings.Split(text, "\n")
		for range 2 {
			i := 1 + rng.IntN(len(lines)-2)
			if rng.IntN(2) == 0 {
				lines[i] = "        let changed_value = compute_something(42);"
			} else {
				lines = slices.Delete(lines, i, i+1)
			}
		}
		text = strings.Join(lines, "\n")
	}
	return text
}

// jaccard is the exact Jaccard similarity of two texts' sets of 5-word
// shingles.
func jaccard(a, b string) float64 {
	set := func(s string) map[string]bool {
		var w []string
		mix.Words(s, func(i, j int) { w = append(w, s[i:j]) })
		m := map[string]bool{}
		for i := 0; i+5 <= len(w); i++ {
			m[strings.Join(w[i:i+5], "\x00")] = true
		}
		if len(w) < 5 {
			m[strings.Join(w, "\x00")] = true
		}
		return m
	}
	sa, sb := set(a), set(b)
	inter := 0
	for k := range sa {
		if sb[k] {
			inter++
		}
	}
	return float64(inter) / float64(len(sa)+len(sb)-inter)
}

// TestNearDedupFindsPlantedCopies: near duplicates planted among real
// functions (renamed identifiers, reformatting, a few changed lines) are
// found with recall and precision of at least 0.95.
func TestNearDedupFindsPlantedCopies(t *testing.T) {
	dir := t.TempDir()
	fns := decodeRecs(t, parse(t, crates(t, 4), "--kinds", "fn"))
	rng := rand.New(rand.NewPCG(13, 1))
	var lines []string
	planted := map[string]string{} // planted id → original text
	for i, f := range fns {
		b, _ := json.Marshal(map[string]string{"id": f.ID, "text": f.Text})
		lines = append(lines, string(b))
		if n := strings.Count(f.Text, "\n"); n >= 25 && n <= 300 && i%2 == 0 {
			id := fmt.Sprintf("planted-%d", i)
			v := plant(f.Text, len(planted)%4, rng)
			planted[id] = f.Text
			b, _ := json.Marshal(map[string]string{"id": id, "text": v})
			lines = append(lines, string(b))
		}
	}
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	report := filepath.Join(dir, "dups.jsonl")
	code, _, errs := clitest.Run(t, run, "", in, "--dedup", "near", "--dedup-report", report)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	texts := map[string]string{}
	for _, l := range lines {
		var r rec
		json.Unmarshal([]byte(l), &r)
		texts[r.ID] = r.Text
	}
	data, _ := os.ReadFile(report)
	found, correct, removed := 0, 0, 0
	var wrong []string
	for l := range bytes.SplitSeq(bytes.TrimSpace(data), []byte("\n")) {
		var r struct {
			ID   string `json:"id"`
			Kept struct {
				ID string `json:"id"`
			} `json:"kept"`
			Similarity float64 `json:"similarity"`
		}
		json.Unmarshal(l, &r)
		removed++
		if _, ok := planted[r.ID]; ok {
			found++
		}
		if j := jaccard(texts[r.ID], texts[r.Kept.ID]); j >= mix.DefaultThreshold {
			correct++
		} else {
			wrong = append(wrong, fmt.Sprintf("%s ~ %s: estimated %.2f, exact %.3f", r.ID, r.Kept.ID, r.Similarity, j))
		}
	}
	removedIDs := map[string]bool{}
	for l := range bytes.SplitSeq(bytes.TrimSpace(data), []byte("\n")) {
		var r struct{ ID string }
		json.Unmarshal(l, &r)
		removedIDs[r.ID] = true
	}
	missed := 0
	hist := map[string][2]int{}
	for id, orig := range planted {
		j := jaccard(orig, texts[id])
		if j < 0.75 {
			missed++ // counted: a planted copy so changed is still one the test wants found
		}
		b := fmt.Sprintf("%.1f", j)
		h := hist[b]
		h[0]++
		if removedIDs[id] {
			h[1]++
		}
		hist[b] = h
	}
	t.Logf("planted copies by exact Jaccard similarity to their original, [planted, found]: %v", hist)
	recall := float64(found) / float64(len(planted))
	precision := float64(correct) / float64(removed)
	t.Logf("%d real functions, %d planted near duplicates (%d of them under Jaccard 0.75); %d removed: recall %.3f, precision %.3f (exact Jaccard >= 0.7 with the kept twin)",
		len(fns), len(planted), missed, removed, recall, precision)
	if len(planted) < 500 || recall < 0.95 || precision < 0.95 {
		t.Errorf("recall %.3f, precision %.3f over %d planted; want both >= 0.95; wrong:\n%s", recall, precision, len(planted), strings.Join(wrong[:min(len(wrong), 20)], "\n"))
	}
}

// TestSamplesOfOneFunctionShareASplit: the FIM and plain samples (dw-fim),
// the context-header and graph-augmented renderings (dw-render) and the
// windows (dw-tokwindow) of one function land in one split with the
// default --split-by.
func TestSamplesOfOneFunctionShareASplit(t *testing.T) {
	dir := t.TempDir()
	fns := parse(t, crates(t, 20), "--kinds", "fn", "--calls")
	files := map[string][]byte{
		"fim.jsonl":    pipe(t, fns, "dw-fim", "--fim-rate", "0.5"),
		"plain.jsonl":  pipe(t, fns, "dw-render", "--preset", "context-header"),
		"graph.jsonl":  pipe(t, pipe(t, fns, "dw-callgraph"), "dw-render", "--preset", "graph-augmented"),
		"window.jsonl": pipe(t, fns, "dw-tokwindow", "--max", "64"),
	}
	var args []string
	for name, data := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, data, 0o644)
		args = append(args, p)
	}
	slices.Sort(args)
	code, out, errs := clitest.Run(t, run, "", append(args, "--split", "train:0.5,validation:0.5", "--until", "all")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	type fn struct {
		repo, path string
		start, end int
	}
	splits := map[fn]map[string]bool{}
	sources := map[fn]map[string]bool{}
	modes := map[string]int{}
	for _, r := range decodeRecs(t, []byte(out)) {
		k := fn{r.Source.Repo, r.Source.Path, r.Source.StartLine, r.Source.EndLine}
		if splits[k] == nil {
			splits[k], sources[k] = map[string]bool{}, map[string]bool{}
		}
		splits[k][r.Split] = true
		sources[k][filepath.Base(r.Mix.Source)] = true
		if r.Fim != nil {
			modes[r.Fim.Mode]++
		}
	}
	straddle, whole, per := 0, 0, map[string]int{}
	for k, s := range splits {
		for name := range s {
			per[name]++
		}
		if len(s) > 1 {
			straddle++
		}
		if len(sources[k]) == 4 {
			whole++
		}
	}
	t.Logf("%d functions (%d with samples from all four files), by split %v; FIM modes %v", len(splits), whole, per, modes)
	if straddle > 0 || whole < 100 || per["train"] < 50 || per["validation"] < 50 || modes["plain"] == 0 || modes["psm"]+modes["spm"] == 0 {
		t.Errorf("%d of %d functions straddle splits; want none (with both splits and both FIM and plain samples used)", straddle, len(splits))
	}
}
