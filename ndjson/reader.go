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
	return fmt.Sprintf("%s:%d: %v", orStdin(e.Name), e.Line, e.Err)
}

func (e *LineError) Unwrap() error { return e.Err }

// ReadError is a failure of the input itself (a truncated or corrupt
// compressed stream, an I/O error). It ends that input: nothing after it can
// be trusted, so a Reader returns it again on every later call.
type ReadError struct {
	Name  string // input name
	After int    // the last line read whole before the failure
	Err   error
}

func (e *ReadError) Error() string {
	return fmt.Sprintf("%s: unreadable after line %d: %v", orStdin(e.Name), e.After, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

func orStdin(name string) string {
	if name == "" || name == "-" {
		return "stdin"
	}
	return name
}

// ErrLineTooLong reports a line longer than the Reader's maximum.
var ErrLineTooLong = errors.New("line too long")

// bom is the UTF-8 byte order mark some editors put before the first line.
var bom = []byte("\xef\xbb\xbf")

// Reader reads NDJSON lines of any length up to Max bytes.
// Blank lines (only spaces, tabs or CR) are skipped but counted, so line
// numbers always match the input. A byte order mark before the first line is
// skipped. Invalid UTF-8 and lone surrogate escapes are replaced by U+FFFD
// (see ValidUTF8); Replaced tells how many were in the line last returned.
type Reader struct {
	Name string // used in LineErrors
	Max  int    // longest accepted line in bytes, without its newline

	br       *bufio.Reader
	line     int
	buf      []byte
	replaced int
	err      *ReadError // sticky: the input failed
}

// NewReader returns a Reader over r with Max = DefaultMaxLine.
func NewReader(r io.Reader, name string) *Reader {
	return &Reader{Name: name, Max: DefaultMaxLine, br: bufio.NewReaderSize(r, 256<<10)}
}

// Line returns the number of the line last returned by Next.
func (r *Reader) Line() int { return r.line }

// Replaced returns how many invalid sequences ValidUTF8 replaced in the line
// last returned by Next.
func (r *Reader) Replaced() int { return r.replaced }

// Next returns the next non-blank line without its line ending. The slice is
// valid until the next call. At the end of input it returns io.EOF.
//
// A line over Max bytes is consumed to its end without being kept and
// reported as a *LineError wrapping ErrLineTooLong, so the caller can report
// it and go on. A failure to read the input is a *ReadError, returned from
// then on: the caller must stop reading this input.
func (r *Reader) Next() ([]byte, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		r.line++
		r.buf = r.buf[:0]
		r.replaced = 0
		tooLong := false
		for {
			chunk, err := r.br.ReadSlice('\n')
			if !tooLong {
				if len(r.buf)+len(chunk) > r.Max+2 { // +2: room for "\r\n"
					tooLong = true
					r.buf = nil // let the refused line's bytes go
				} else {
					r.buf = appendBounded(r.buf, chunk, r.Max+2)
				}
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil && err != io.EOF {
				r.err = &ReadError{r.Name, r.line - 1, err}
				return nil, r.err
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
		if r.line == 1 {
			line = bytes.TrimPrefix(line, bom)
		}
		if len(line) > r.Max {
			return nil, &LineError{r.Name, r.line, fmt.Errorf("%w (over %d bytes; raise --max-line)", ErrLineTooLong, r.Max)}
		}
		if len(bytes.Trim(line, " \t\r")) == 0 {
			continue
		}
		line, r.replaced = ValidUTF8(line)
		return line, nil
	}
}

// appendBounded appends chunk to buf, growing it by doubling but never past
// limit, so that a line near the limit does not take twice the memory.
func appendBounded(buf, chunk []byte, limit int) []byte {
	if need := len(buf) + len(chunk); need > cap(buf) {
		grown := make([]byte, len(buf), min(max(2*cap(buf), need), max(limit, need)))
		copy(grown, buf)
		buf = grown
	}
	return append(buf, chunk...)
}
