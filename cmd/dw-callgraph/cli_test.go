package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
)

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, cli.Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func TestHelpIsTheManual(t *testing.T) {
	_, out, _ := runTool(t, "", "--help")
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if !strings.Contains(squash(out), squash(cli.Doc(doc))) {
		t.Errorf("--help does not show doc.go's manual as written")
	}
}

// TestBadLines: bad lines are reported with their numbers and the rest
// is still processed.
func TestBadLines(t *testing.T) {
	in := "not json\n" + `{"id":"f","kind":"file","text":"fn a() {}","source":{"path":"src/lib.rs"},"rust":{"module":"k","crate":"k"}}` + "\n[1]\n"
	code, _, errs := runTool(t, in)
	if code != cli.ExitFailure || !strings.Contains(errs, "stdin:1: invalid JSON") || !strings.Contains(errs, "stdin:3: not a JSON object") {
		t.Errorf("exit %d: %s", code, errs)
	}
}
