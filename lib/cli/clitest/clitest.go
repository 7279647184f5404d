// Package clitest runs a dw-* command in its tests: with given arguments and
// standard input, collecting the exit code and both outputs, and checking
// that --help shows the command's manual.
package clitest

import (
	"bytes"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
)

// Run calls a command's run function as main would.
func Run(t testing.TB, run func([]string, cli.Stdio) int, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, cli.Stdio{In: strings.NewReader(stdin), Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

// CheckManual fails unless --help shows doc, the manual of the command's
// doc.go, word for word (kong reflows paragraphs, so whitespace is compared
// loosely).
func CheckManual(t testing.TB, run func([]string, cli.Stdio) int, doc string) {
	t.Helper()
	code, out, _ := Run(t, run, "", "--help")
	squash := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if code != 0 || !strings.Contains(squash(out), squash(cli.Doc(doc))) {
		var lost []string
		for _, w := range strings.Fields(cli.Doc(doc)) {
			if !strings.Contains(out, w) {
				lost = append(lost, w)
			}
		}
		t.Errorf("--help (exit %d) does not show doc.go's manual as written; words lost: %q", code, lost)
	}
}

// CheckBadLines feeds a command a bad line, good, then a line that is JSON
// but not an object, and checks that both bad lines are reported by number
// and the run exits 1.
func CheckBadLines(t testing.TB, run func([]string, cli.Stdio) int, good string) {
	t.Helper()
	code, _, errs := Run(t, run, "not json\n"+good+"\n[1]\n")
	if code != cli.ExitFailure || !strings.Contains(errs, "stdin:1: invalid JSON") || !strings.Contains(errs, "stdin:3: not a JSON object") {
		t.Errorf("exit %d; want 1, with lines 1 and 3 reported:\n%s", code, errs)
	}
}
