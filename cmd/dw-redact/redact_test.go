package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
	"github.com/dwkit/dwkit/lib/redact"
)

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	return clitest.Run(t, run, stdin, args...)
}

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

func TestBadLines(t *testing.T) { clitest.CheckBadLines(t, run, `{"id":"a","text":"x"}`) }

const (
	stripe = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
	github = "ghp_R2d2C3poBb8Luke5Leia7Han9Chewie00001"
)

var input = `{"id":"a","text":"let k = \"` + stripe + `\"; let g = \"` + github + `\"; let k2 = \"` + stripe + `\";","fim":{"mode":"psm","prefix":[0,3]},"tokens":{"count":40}}
{"id":"b","text":"fn main() {}","rust":{"docs":"token: ` + github + `","crate":"x"}}
{"id":"c","text":"no secrets here"}
`

func TestRedact(t *testing.T) {
	report := filepath.Join(t.TempDir(), "report.json")
	code, out, errs := runTool(t, input, "--fields", "text,rust.docs", "--report", report)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want := `{"id":"a","text":"let k = \"<SECRET:stripe-access-token>\"; let g = \"<SECRET:github-pat>\"; let k2 = \"<SECRET:stripe-access-token>\";","fim":{"mode":"psm","prefix":[0,3]},"tokens":{"count":40},"redacted":{"findings":3,"rules":{"github-pat":1,"stripe-access-token":2},"stale":["fim","tokens"]}}
{"id":"b","text":"fn main() {}","rust":{"docs":"token: <SECRET:github-pat>","crate":"x"},"redacted":{"findings":1,"rules":{"github-pat":1}}}
{"id":"c","text":"no secrets here"}
`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	data, _ := os.ReadFile(report)
	var rep redact.Report
	if err := json.Unmarshal(data, &rep); err != nil || rep.Records != 3 || rep.Changed != 2 || rep.Findings["github-pat"] != 2 || rep.Findings["stripe-access-token"] != 2 || rep.InRecs["github-pat"] != 2 {
		t.Errorf("report %s", data)
	}
	if !strings.Contains(errs, "3 records, 2 changed: github-pat 2, stripe-access-token 2") {
		t.Errorf("stderr %s", errs)
	}
	for _, secret := range []string{stripe, github, "4eC39", "R2d2"} {
		if strings.Contains(errs+string(data), secret) {
			t.Errorf("a secret value shows on stderr or in the report")
		}
	}
	// the same bytes on one worker
	if _, out1, _ := runTool(t, input, "--fields", "text,rust.docs", "--workers", "1"); out1 != out {
		t.Error("output differs with --workers 1")
	}
}

func TestCheck(t *testing.T) {
	code, out, errs := runTool(t, input, "--check")
	if code != cli.ExitFailure || out != "" || !strings.Contains(errs, `stdin:1 (id "a"): github-pat 1, stripe-access-token 2`) ||
		strings.Contains(errs, `stdin:2`) || !strings.Contains(errs, "1 of 3 records hold secrets") || strings.Contains(errs, stripe) {
		t.Errorf("exit %d, out %q: %s", code, out, errs)
	}
	if code, _, errs := runTool(t, `{"id":"c","text":"clean"}`+"\n", "--check"); code != 0 {
		t.Errorf("clean input: exit %d: %s", code, errs)
	}
}

func TestUsage(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.jsonl")
	os.WriteFile(in, []byte(input), 0o666)
	for _, args := range [][]string{
		{"--entropy", "9"},
		{"--fields", "a..b"},
		{"--fields", ""},
		{"--min-literal", "0"},
		{"--check", "-o", filepath.Join(t.TempDir(), "x")},
		{"-i", in, "-o", in},
		{"-i", in, "--report", in},
	} {
		if code, _, errs := runTool(t, "", args...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d, want 2: %s", args, code, errs)
		}
	}
	if data, _ := os.ReadFile(in); string(data) != input {
		t.Error("the input was written over")
	}
}

// TestArraysAndAgain: --fields reaches through arrays (chat messages, a
// list of texts); a path no record has is said; a record redacted again
// adds to its mark.
func TestArraysAndAgain(t *testing.T) {
	in := `{"id":"m","messages":[{"role":"user","content":"my token ` + github + `"},{"role":"assistant","content":"ok"}],"text":["a ` + stripe + `","b"]}` + "\n"
	code, out, errs := runTool(t, in, "--fields", "text,messages.content,nowhere")
	want := `{"id":"m","messages":[{"role":"user","content":"my token <SECRET:github-pat>"},{"role":"assistant","content":"ok"}],"text":["a <SECRET:stripe-access-token>","b"],"redacted":{"findings":2,"rules":{"github-pat":1,"stripe-access-token":1}}}` + "\n"
	if code != 0 || out != want || !strings.Contains(errs, "--fields nowhere: no record has a string there") {
		t.Errorf("exit %d\n%s\nwant\n%s%s", code, out, want, errs)
	}
	again := strings.Replace(out, `"b"]`, `"b ghp_Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"]`, 1)
	_, out2, _ := runTool(t, again, "--fields", "text")
	if !strings.Contains(out2, `"b <SECRET:github-pat>"`) || !strings.Contains(out2, `"redacted":{"findings":3,"rules":{"github-pat":2,"stripe-access-token":1}}`) {
		t.Errorf("again: %s", out2)
	}
	dir := t.TempDir()
	same := filepath.Join(dir, "o.jsonl")
	if code, _, errs := runTool(t, in, "--report", same, "-o", same); code != cli.ExitUsage {
		t.Errorf("--report = -o: exit %d: %s", code, errs)
	}
}
