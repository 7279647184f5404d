package main

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
	"github.com/dwkit/dwkit/lib/fim"
	"github.com/dwkit/dwkit/lib/rust"
)

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	return clitest.Run(t, run, stdin, args...)
}

// corpus is n Rust functions of varied shape as records.
func corpus(n int) (string, map[string]string) {
	var in strings.Builder
	texts := map[string]string{}
	for i := range n {
		text := fmt.Sprintf("/// Doc %d, ünïcode 🦀.\nfn f%d(a: u32, b: &str) -> u32 {\n    match a {\n        0 => g(%d, b.len()),\n        _ => {\n            let x = a * %d;\n            x + 1\n        }\n    }\n}\n", i, i, i, i%7)
		id := fmt.Sprintf("r%d", i)
		texts[id] = text
		line, _ := json.Marshal(map[string]string{"id": id, "text": text})
		in.Write(line)
		in.WriteByte('\n')
	}
	return in.String(), texts
}

type sample struct {
	ID   string
	Text string
	Fim  fim.Field
}

func decode(t *testing.T, out string) []sample {
	var ss []sample
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var s sample
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		ss = append(ss, s)
	}
	return ss
}

// TestRebuildAndRates: every sample gives back its source text byte for
// byte; ast middles are whole syntax nodes; the shares land within 2 %.
func TestRebuildAndRates(t *testing.T) {
	in, texts := corpus(4000)
	for _, span := range []string{"char", "line", "ast"} {
		code, out, errs := runTool(t, in, "--span", span, "--fim-rate", "0.3", "--spm-rate", "0.7", "--seed", "7")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", span, code, errs)
		}
		modes := map[string]int{}
		for _, s := range decode(t, out) {
			modes[s.Fim.Mode]++
			src := texts[s.Fim.Source]
			if s.Fim.Mode == "plain" {
				if s.Text != src {
					t.Fatalf("%s: plain record changed", s.Fim.Source)
				}
				continue
			}
			p := fim.Presets["qwen"]
			pre, mid, suf, err := fim.Parse(s.Text, s.Fim.Mode == "spm", s.Fim.Prefix[1], p)
			if err != nil || pre+mid+suf != src || src[s.Fim.Middle[0]:s.Fim.Middle[1]] != mid || src[:s.Fim.Prefix[1]] != pre {
				t.Fatalf("%s %s %s: does not rebuild its source (%v)", span, s.Fim.Source, s.Fim.Mode, err)
			}
			if span == "ast" {
				spans, _ := rust.NodeSpans([]byte(src), rust.FIMNodes, 0)
				if !slices.ContainsFunc(spans, func(n rust.Span) bool {
					return n.Start == s.Fim.Middle[0] && n.End == s.Fim.Middle[1] && n.Type == s.Fim.Node
				}) {
					t.Fatalf("%s: middle %v is not a whole %s node", s.Fim.Source, s.Fim.Middle, s.Fim.Node)
				}
			}
		}
		fimShare := float64(modes["psm"]+modes["spm"]) / 4000
		spmShare := float64(modes["spm"]) / float64(modes["psm"]+modes["spm"])
		if math.Abs(fimShare-0.3) > 0.02 || math.Abs(spmShare-0.7) > 0.02 {
			t.Errorf("%s: FIM share %.3f (asked 0.3), SPM share %.3f (asked 0.7)", span, fimShare, spmShare)
		}
	}
}

// TestDeterministic: a record gets the same sample alone, among others, and
// whatever --workers is.
func TestDeterministic(t *testing.T) {
	in, _ := corpus(300)
	_, all, _ := runTool(t, in, "--workers", "1")
	_, all4, _ := runTool(t, in, "--workers", "4")
	if all != all4 {
		t.Fatal("--workers changes the output")
	}
	lines := strings.Split(in, "\n")
	_, alone, _ := runTool(t, lines[123]+"\n")
	if !strings.Contains(all, strings.TrimSpace(alone)) {
		t.Error("record 123 alone gets another sample than in the stream")
	}
}

func TestSentinelsInSource(t *testing.T) {
	in := `{"id":"a","text":"let s = \"<|fim_prefix|>\";"}` + "\n" + `{"id":"b","text":"plain"}` + "\n"
	code, out, errs := runTool(t, in, "--fim-rate", "1")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(errs, "a: skipped: its text holds a qwen sentinel") || !strings.Contains(errs, "1 skipped, 0 escaped") {
		t.Errorf("skip: exit %d, out %q, %s", code, out, errs)
	}
	_, out, errs = runTool(t, in, "--fim-rate", "1", "--on-sentinel", "escape")
	ss := decode(t, out)
	if len(ss) != 2 || ss[0].Fim.Escaped != 1 || strings.Count(ss[0].Text, "<|fim_prefix|>") != 1 || !strings.Contains(errs, "0 skipped, 1 escaped") {
		t.Errorf("escape: %+v, %s", ss, errs)
	}
}

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

func TestBadLinesAndUsage(t *testing.T) {
	clitest.CheckBadLines(t, run, `{"id":"x","text":"fn a() {}"}`)
	for _, args := range [][]string{{"--fim-rate", "1.5"}, {"--span", "word"}, {"--preset", "gpt"}} {
		if code, _, _ := runTool(t, "", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d; want 2", args, code)
		}
	}
}
