package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dwkit/dwkit/lib/cli/clitest"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden and testdata/crate.jsonl")

// testdata/crate is a hand-built crate; testdata/crate.jsonl its records,
// from dw-rustparse --min-size 0 --repo-name shapes --calls testdata/crate |
// dw-callgraph; testdata/wiki.jsonl the chunks of a wiki page about it,
// from dw-split --levels 2 testdata/wiki/helpers.md | dw-link --repo
// testdata/crate (TestCrateRecordsAreCurrent keeps them so).

// TestGoldens: the contrastive and reasoning samples of the hand-built
// crate, exactly.
func TestGoldens(t *testing.T) {
	in, err := os.ReadFile("testdata/crate.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	wiki, err := os.ReadFile("testdata/wiki.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		golden string
		stdin  string
		args   []string
	}{
		{"contrastive", string(in), []string{"--patterns", "contrastive"}},
		{"contrastive-wiki", string(wiki) + string(in), []string{"--patterns", "contrastive"}}, // chunks first: any order will do
		{"contrastive-1", string(in), []string{"--patterns", "contrastive", "--negatives", "1"}},
		{"reasoning", string(in), []string{"--patterns", "reasoning"}},
		{"reasoning-depth1-steps2", string(in), []string{"--patterns", "reasoning", "--depth", "1", "--steps", "2", "--min-impls", "3"}},
	} {
		code, out, stderr := clitest.Run(t, run, tt.stdin, tt.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tt.args, code, stderr)
		}
		path := filepath.Join("testdata", tt.golden+".golden")
		if *update {
			if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Split(out, "\n"), strings.Split(string(want), "\n"); out != strings.Join(want, "\n") {
			for i := range min(len(got), len(want)) {
				if got[i] != want[i] {
					t.Errorf("%v: line %d differs from %s (go test -update to rewrite):\n%s\nwant\n%s", tt.args, i+1, path, got[i], want[i])
					break
				}
			}
			if len(got) != len(want) {
				t.Errorf("%v: %d lines; %s has %d", tt.args, len(got), path, len(want))
			}
		}
	}
}

// TestAllIsNaturalText: --patterns all leaves out the two kinds of
// other shapes; naming them with all adds them.
func TestAllIsNaturalText(t *testing.T) {
	in, err := os.ReadFile("testdata/crate.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	_, out, _ := clitest.Run(t, run, string(in))
	if strings.Contains(out, `"pattern":"contrastive"`) || strings.Contains(out, `"pattern":"reasoning"`) {
		t.Errorf("--patterns all mined contrastive or reasoning samples")
	}
	_, out, _ = clitest.Run(t, run, string(in), "--patterns", "all,reasoning")
	if !strings.Contains(out, `"pattern":"reasoning"`) || !strings.Contains(out, `"pattern":"instruction"`) {
		t.Errorf("--patterns all,reasoning: not both kinds")
	}
}

var (
	toolsOnce sync.Once
	toolsDir  string
	toolsErr  error
)

// tools builds dw-rustparse, dw-callgraph, dw-split and dw-link once, or
// skips.
func tools(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command to build dw-rustparse and dw-callgraph")
	}
	toolsOnce.Do(func() {
		toolsDir, toolsErr = os.MkdirTemp("", "dw-mine-tools-")
		if toolsErr != nil {
			return
		}
		out, err := exec.Command("go", "build", "-o", toolsDir+string(os.PathSeparator),
			"github.com/dwkit/dwkit/cmd/dw-rustparse", "github.com/dwkit/dwkit/cmd/dw-callgraph",
			"github.com/dwkit/dwkit/cmd/dw-split", "github.com/dwkit/dwkit/cmd/dw-link").CombinedOutput()
		if err != nil {
			toolsErr = &buildError{err, out}
		}
	})
	if toolsErr != nil {
		t.Fatal(toolsErr)
	}
	return toolsDir
}

type buildError struct {
	err error
	out []byte
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + string(e.out) }

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if toolsDir != "" {
		os.RemoveAll(toolsDir)
	}
	os.Exit(code)
}

// pipe runs the commands of dir, named with their arguments, each reading
// the one before, and returns the last one's output.
func pipe(t *testing.T, cmds ...[]string) []byte {
	dir := tools(t)
	var stderr bytes.Buffer
	var in []byte
	for _, args := range cmds {
		c := exec.Command(filepath.Join(dir, args[0]), args[1:]...)
		c.Stdin, c.Stderr = bytes.NewReader(in), &stderr
		out, err := c.Output()
		if err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr.String())
		}
		in = out
	}
	return in
}

// records runs dw-rustparse ARGS | dw-callgraph.
func records(t *testing.T, args ...string) []byte {
	return pipe(t, append([]string{"dw-rustparse"}, args...), []string{"dw-callgraph"})
}

func TestCrateRecordsAreCurrent(t *testing.T) {
	for file, got := range map[string][]byte{
		"testdata/crate.jsonl": records(t, "--min-size", "0", "--repo-name", "shapes", "--calls", "testdata/crate"),
		"testdata/wiki.jsonl":  pipe(t, []string{"dw-split", "--levels", "2", "testdata/wiki/helpers.md"}, []string{"dw-link", "--repo", "testdata/crate"}),
	} {
		if *update {
			if err := os.WriteFile(file, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what the tools make of its sources now: go test -update, then check the goldens", file)
		}
	}
}

// realCrates are corpus crates of some size with calls between their
// functions and traits with several impls; the first found is used.
var realCrates = []string{"base64-0.13.0", "glob-0.3.0", "fixedbitset-0.4.2", "crc32fast-1.3.2"}

const registry = "/usr/share/cargo/registry"

// TestRealCrate checks on a crate of the Debian corpus that no negative
// equals its positive or its anchor, that every reasoning step is what the
// input records say (read here on their own, not through lib/mine), and
// that the output is the same on 1 and 2 workers.
func TestRealCrate(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	var crate string
	for _, c := range realCrates {
		if _, err := os.Stat(filepath.Join(registry, c)); err == nil {
			crate = c
			break
		}
	}
	if crate == "" {
		t.Skipf("none of %v under %s (the Debian crate corpus: apt-get install librust-base64-dev)", realCrates, registry)
	}
	in := records(t, "--calls", filepath.Join(registry, crate))
	outs := map[string]string{}
	for _, w := range []string{"1", "2"} {
		code, out, stderr := clitest.Run(t, run, string(in), "--patterns", "contrastive,reasoning", "--workers", w)
		if code != 0 {
			t.Fatalf("--workers %s: exit %d: %s", w, code, stderr)
		}
		outs[w] = out
	}
	if outs["1"] != outs["2"] {
		t.Fatalf("%s: the output on 1 and 2 workers differs", crate)
	}
	recs := byID(t, in)
	n := map[string]int{}
	for i, line := range strings.Split(strings.TrimSuffix(outs["1"], "\n"), "\n") {
		var s sampleOut
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("sample %d: %v", i+1, err)
		}
		n[s.Mine.Pattern+" "+s.Mine.Category]++
		switch s.Mine.Pattern {
		case "contrastive":
			checkContrastive(t, s, recs)
		case "reasoning":
			n["steps"] += len(s.Mine.Steps)
			for _, st := range s.Mine.Steps {
				if msg := checkStep(st, recs); msg != "" {
					t.Errorf("%s step %s: %s", s.Question, st.N, msg)
				}
				wrong := st // the check itself: a step with another callee, doc, reason or path fails it
				switch st.Fact {
				case "call":
					wrong.Item, wrong.Doc = st.From, st.Doc+"x"
				case "unresolved":
					wrong.Reason += "x"
				default:
					wrong.Path += "x"
				}
				if checkStep(wrong, recs) == "" {
					t.Errorf("%s step %s: a wrong step passes the check", s.Question, st.N)
				}
			}
		}
	}
	if n["contrastive triplet"] == 0 || n["reasoning call-trace"] == 0 || n["reasoning trait-impls"] == 0 {
		t.Errorf("%s: too few samples to check: %v", crate, n)
	}
	t.Logf("%s: %v", crate, n)
}

// What the test reads of the records, declared here on purpose: it checks
// lib/mine against the records, not against itself.
type (
	recIn struct {
		ID     string `json:"id"`
		Kind   string `json:"kind"`
		Text   string `json:"text"`
		Source struct {
			Path      string `json:"path"`
			StartLine int    `json:"start_line"`
			EndLine   int    `json:"end_line"`
		} `json:"source"`
		Rust struct {
			Name   string                  `json:"name"`
			Path   string                  `json:"path"`
			Docs   string                  `json:"docs"`
			Impl   *struct{ Trait string } `json:"impl"`
			Parent *struct {
				Kind, Path string
			} `json:"parent"`
		} `json:"rust"`
		Graph *struct {
			Calls []struct {
				ID   string `json:"id"`
				Path string `json:"path"`
				Line int    `json:"line"`
				How  string `json:"how"`
			} `json:"calls"`
			Unresolved []struct {
				Text   string `json:"text"`
				Line   int    `json:"line"`
				Reason string `json:"reason"`
			} `json:"unresolved"`
		} `json:"graph"`
	}
	stepOut struct {
		N, Fact, From, Item, Path, File, Doc, How, Reason, Note string
		Line, StartLine, EndLine                                int
		Defines                                                 []string
	}
	sampleOut struct {
		Query     string   `json:"query"`
		Positive  string   `json:"positive"`
		Negatives []string `json:"negatives"`
		Question  string   `json:"question"`
		Mine      struct {
			Pattern, Category string
			Items             []string
			Negatives         []struct{ ID, How string }
			Steps             []stepOut
		} `json:"mine"`
	}
)

func (s *stepOut) UnmarshalJSON(b []byte) error {
	var m struct {
		N, Fact, From, Item, Path, File, Doc, How, Reason, Note string
		Line                                                    int
		StartLine                                               int `json:"start_line"`
		EndLine                                                 int `json:"end_line"`
		Defines                                                 []string
	}
	err := json.Unmarshal(b, &m)
	*s = stepOut{m.N, m.Fact, m.From, m.Item, m.Path, m.File, m.Doc, m.How, m.Reason, m.Note, m.Line, m.StartLine, m.EndLine, m.Defines}
	return err
}

func byID(t *testing.T, in []byte) map[string]*recIn {
	recs := map[string]*recIn{}
	for _, line := range bytes.Split(bytes.TrimSuffix(in, []byte("\n")), []byte("\n")) {
		r := &recIn{}
		if err := json.Unmarshal(line, r); err != nil {
			t.Fatal(err)
		}
		recs[r.ID] = r
	}
	return recs
}

func blanks(s string) string { return strings.Join(strings.Fields(s), " ") }

func checkContrastive(t *testing.T, s sampleOut, recs map[string]*recIn) {
	t.Helper()
	if len(s.Negatives) != len(s.Mine.Negatives) || len(s.Mine.Items) != 1+len(s.Negatives) {
		t.Errorf("%q: %d negatives, %d told, %d items", s.Query, len(s.Negatives), len(s.Mine.Negatives), len(s.Mine.Items))
		return
	}
	pos := recs[s.Mine.Items[0]]
	if pos == nil || !strings.Contains(blanks(pos.Text), blanks(s.Positive)) || !strings.Contains(blanks(pos.Rust.Docs), blanks(s.Query)) {
		t.Errorf("%q: the positive or the query is not its record's", s.Query)
	}
	seen := map[string]bool{blanks(s.Positive): true, blanks(s.Query): true}
	for i, neg := range s.Negatives {
		if seen[blanks(neg)] {
			t.Errorf("%q: negative %d (%s) equals the positive, the query or another negative", s.Query, i, s.Mine.Negatives[i].How)
		}
		seen[blanks(neg)] = true
		r := recs[s.Mine.Items[i+1]]
		if r == nil || r.ID != s.Mine.Negatives[i].ID || !strings.Contains(blanks(r.Text), blanks(neg)) {
			t.Errorf("%q: negative %d is not its record's code", s.Query, i)
		}
		if r != nil && blanks(r.Rust.Docs) == blanks(pos.Rust.Docs) {
			t.Errorf("%q: negative %d has the anchor's docs", s.Query, i)
		}
	}
}

func firstDocLine(docs string) string {
	for _, l := range strings.Split(docs, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// checkStep re-derives a step from the records it names; "" when it holds.
func checkStep(st stepOut, recs map[string]*recIn) string {
	from := recs[st.From]
	if from == nil {
		return "from: no record " + st.From
	}
	switch st.Fact {
	case "call":
		found := false
		for _, c := range from.Graph.Calls {
			found = found || c.ID == st.Item && c.Line == st.Line && c.Path == st.Path && c.How == st.How
		}
		if !found {
			return "no such call in the caller's graph"
		}
		callee := recs[st.Item]
		if callee == nil {
			if st.Note != "no-record" {
				return "the callee has no record, the step says otherwise"
			}
			return ""
		}
		if callee.Kind != "fn" || callee.Rust.Path != st.Path || callee.Source.Path != st.File ||
			callee.Source.StartLine != st.StartLine || callee.Source.EndLine != st.EndLine || firstDocLine(callee.Rust.Docs) != st.Doc {
			return "the callee's path, place or docs are not its record's"
		}
	case "unresolved":
		for _, u := range from.Graph.Unresolved {
			if u.Text == st.Path && u.Line == st.Line && u.Reason == st.Reason {
				return ""
			}
		}
		return "no such unresolved call in the caller's graph"
	case "impl":
		if from.Kind != "impl" || from.Rust.Impl == nil || from.Rust.Impl.Trait == "" || from.Rust.Path != st.Path ||
			from.Source.Path != st.File || from.Source.StartLine != st.StartLine {
			return "not a trait impl at that place"
		}
		var defines []string
		for _, r := range recs {
			if r.Kind == "fn" && r.Rust.Parent != nil && r.Rust.Parent.Path == from.Rust.Path && r.Source.Path == from.Source.Path &&
				r.Source.StartLine >= from.Source.StartLine && r.Source.EndLine <= from.Source.EndLine {
				defines = append(defines, r.Rust.Name)
			}
		}
		if len(defines) != len(st.Defines) {
			return "it defines " + strings.Join(defines, ",") + ", not " + strings.Join(st.Defines, ",")
		}
		for _, d := range st.Defines {
			if !strings.Contains(","+strings.Join(defines, ",")+",", ","+d+",") {
				return "it does not define " + d
			}
		}
	case "trait":
		if from.Kind != "trait" || from.Rust.Path != st.Path {
			return "not that trait"
		}
	default:
		return "unknown fact " + st.Fact
	}
	return ""
}
