package ndjson

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// DefaultMaxLine is the longest line a Reader accepts unless told otherwise:
// 64 MiB, far above a whole 500 KB source file in one record.
const DefaultMaxLine = 64 << 20

// LineError is a problem with one input line, modelled on encoding/csv's
// ParseError: it names the input and the 1-based line number.
type LineError struct {
	Name string // input name, e.g. a file path or "-" for stdin
	Line int    // 1-based line number
	Err  error
}

func (e *LineError) Error() string {
	name := e.Name
	if name == "" {
		name = "-"
	}
	return fmt.Sprintf("%s:%d: %v", name, e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// ErrLineTooLong reports a line longer than the Reader's maximum.
var ErrLineTooLong = errors.New("line too long")

// Reader reads NDJSON lines of any length up to Max bytes.
// Blank lines (only spaces, tabs or CR) are skipped but counted, so line
// numbers always match the input.
type Reader struct {
	Name string // used in LineErrors
	Max  int    // longest accepted line in bytes, without its newline
	br   *bufio.Reader
	line int
	buf  []byte
}

// NewReader returns a Reader over r with Max = DefaultMaxLine.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{Name: name, Max: DefaultMaxLine, br: bufio.NewReaderSize(r, 256<<10)}
}

// Line returns the number of the line last returned by Next.
func (r *Reader) Line() int { return r.line }

// Next returns the next non-blank line without its line ending. The slice is
// valid until the next call. At the end of input it returns io.EOF. A line
// over Max bytes is consumed to its end and reported as a *LineError wrapping
// ErrLineTooLong, so the caller can report it and go on.
func (r *Reader) Next() ([]byte, error) {
	for {
		r.line++
		r.buf = r.buf[:0]
		tooLong := false
		for {
			chunk, err := r.br.ReadSlice('\n')
			if !tooLong {
				if len(r.buf)+len(chunk) > r.Max+2 { // +2: room for "\r\n"
					tooLong = true
					r.buf = r.buf[:0]
				} else {
					r.buf = append(r.buf, chunk...)
				}
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil && err != io.EOF {
				return nil, &LineError{r.Name, r.line, err}
			}
			if err == io.EOF && len(chunk) == 0 && len(r.buf) == 0 && !tooLong {
				return nil, io.EOF
			}
			break
		}
		if tooLong {
			return nil, &LineError{r.Name, r.line, fmt.Errorf("%w (over %d bytes; raise --max-line)", ErrLineTooLong, r.Max)}
		}
		line := bytes.TrimRight(r.buf, "\r\n")
		if len(line) > r.Max {
			return nil, &LineError{r.Name, r.line, fmt.Errorf("%w (over %d bytes; raise --max-line)", ErrLineTooLong, r.Max)}
		}
		if len(bytes.Trim(line, " \t\r")) == 0 {
			continue
		}
		return line, nil
	}
}
