package main

import (
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
)

// TestHelpIsTheManual: --help shows doc.go's text, word for word (kong
// reflows paragraphs, so whitespace is compared loosely).
func TestHelpIsTheManual(t *testing.T) {
	code, out, _ := runTool(t, "--help")
	if code != 0 {
		t.Fatalf("--help exit code %d", code)
	}
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	manual, help := squash(cli.Doc(doc)), squash(out)
	if !strings.Contains(help, manual) {
		for _, w := range strings.Fields(manual) {
			if !strings.Contains(help, w) {
				t.Errorf("--help lost %q from doc.go", w)
			}
		}
		t.Fatalf("--help does not show doc.go's manual as written")
	}
}
