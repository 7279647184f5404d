package cli

import (
	"fmt"
	"io"
	"os"
	"time"
)

// Progress redraws one status line on stderr at most five times a second,
// and only when stderr is a terminal; otherwise it does nothing, so logs and
// pipes never see it.
type Progress struct {
	name string
	w    io.Writer // nil when disabled
	last time.Time
}

func newProgress(name string, stderr io.Writer) *Progress {
	p := &Progress{name: name}
	if isTerminal(stderr) {
		p.w = stderr
	}
	return p
}

// Update shows the status line if enough time has passed since the last one.
func (p *Progress) Update(format string, args ...any) {
	if p.w == nil || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\033[K%s: "+format, append([]any{p.name}, args...)...)
}

// Done clears the status line.
func (p *Progress) Done() {
	if p.w != nil && !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
