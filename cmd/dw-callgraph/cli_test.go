package main

import (
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
)

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	return clitest.Run(t, run, stdin, args...)
}

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

// TestBadLines: bad lines are reported with their numbers and the rest
// is still processed.
func TestBadLines(t *testing.T) {
	in := "not json\n" + `{"id":"f","kind":"file","text":"fn a() {}","source":{"path":"src/lib.rs"},"rust":{"module":"k","crate":"k"}}` + "\n[1]\n"
	code, _, errs := runTool(t, in)
	if code != cli.ExitFailure || !strings.Contains(errs, "stdin:1: invalid JSON") || !strings.Contains(errs, "stdin:3: not a JSON object") {
		t.Errorf("exit %d: %s", code, errs)
	}
}
