package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// ErrFailFast is returned by Reporter.Error under --fail-fast: the command
// should stop and return it.
var ErrFailFast = errors.New("stopped by --fail-fast")

// Reporter writes "dw-x: ..." lines to stderr and counts errors. An error
// is bad input the command skipped: it makes the exit status 1 at the end.
// A warning is worth saying but changes nothing. Safe for concurrent use.
type Reporter struct {
	name     string
	w        io.Writer
	failFast bool

	mu     sync.Mutex
	errors int
}

// Error reports err and counts it. It returns ErrFailFast when the command
// must stop, nil when it should go on.
func (r *Reporter) Error(err error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors++
	fmt.Fprintf(r.w, "%s: error: %s\n", r.name, printable(err.Error()))
	if r.failFast {
		return ErrFailFast
	}
	return nil
}

// Warnf reports something worth knowing that does not fail the run.
func (r *Reporter) Warnf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.w, "%s: warning: %s\n", r.name, printable(fmt.Sprintf(format, args...)))
}

// Infof writes a plain line, such as the closing summary.
func (r *Reporter) Infof(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(r.w, "%s: %s\n", r.name, printable(fmt.Sprintf(format, args...)))
}

// Errors returns the number of errors reported so far.
func (r *Reporter) Errors() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.errors
}

// printable escapes control characters other than line breaks: a name
// from a file or the network can hold a terminal's escape sequences.
func printable(s string) string {
	if !strings.ContainsFunc(s, isControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) && r != '\n' {
			fmt.Fprintf(&b, "\\x%02x", r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isControl(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0
}
