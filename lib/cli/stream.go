package cli

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/dwkit/dwkit/lib/repo"
	"github.com/dwkit/dwkit/ndjson"
)

// Input holds the input flags of commands that read records. Embed it beside
// Common in a filter's flag struct.
type Input struct {
	Input   string `short:"i" default:"-" placeholder:"FILE" help:"Read records from FILE; .gz and .zst decompress by name (default: stdin)."`
	MaxLine Size   `default:"64MiB" placeholder:"SIZE" help:"Longest input line accepted; longer lines are reported and skipped."`
}

// OpenOutput opens the command's output (-o) as a record writer. It refuses
// a file that is also one of the command's inputs. The returned finish must
// be called with the run's error: on nil it flushes the records and moves
// the file into place, returning any error in doing so; on an error it
// removes the half-written file and returns that error.
func (e *Env) OpenOutput() (*ndjson.Writer, func(error) error, error) {
	name := e.Common.Output
	if err := e.checkNotInput(name); err != nil {
		return nil, nil, err
	}
	f, err := ndjson.Create(name, e.Out)
	if err != nil {
		return nil, nil, err
	}
	w := ndjson.NewWriter(f)
	return w, func(runErr error) error {
		if runErr != nil {
			w.Flush() // stdout then ends after a whole record; a temporary file goes anyway
			f.Abort()
			return runErr
		}
		if err := w.Flush(); err != nil {
			f.Abort()
			return err
		}
		return f.Close()
	}, nil
}

// OpenInput opens a file of records (or stdin for "-") and remembers it, so
// that OpenOutput refuses to write over it.
func (e *Env) OpenInput(name string) (io.ReadCloser, error) {
	if name == "" || name == "-" {
		e.noteInput(e.In)
	} else if st, err := os.Stat(name); err == nil {
		e.inputs = append(e.inputs, input{name, st})
	}
	return ndjson.Open(name, e.In)
}

// ReadSideFile reads a file the command needs besides its records (a
// template, a list): a regular file of at most max bytes, remembered as an
// input so that no output of the run replaces it.
func (e *Env) ReadSideFile(name string, max int64) ([]byte, error) {
	e.NoteInputFile(name)
	return repo.ReadSmall(name, max)
}

// CheckNotInput refuses a file the command is about to write (besides -o)
// when it is one of its inputs.
func (e *Env) CheckNotInput(name string) error { return e.checkNotInput(name) }

// NoteInputFile remembers a file the command reads by other means than
// OpenInput, so that OpenOutput refuses to write over it.
func (e *Env) NoteInputFile(name string) {
	if st, err := os.Stat(name); err == nil {
		e.inputs = append(e.inputs, input{name, st})
	}
}

// input is a file the command reads.
type input struct {
	name string
	info fs.FileInfo
}

// statter is what *os.File offers to tell which file a stream is.
type statter interface{ Stat() (fs.FileInfo, error) }

// noteInput remembers stdin when it is a file.
func (e *Env) noteInput(r io.Reader) {
	if f, ok := r.(statter); ok {
		if st, err := f.Stat(); err == nil {
			e.inputs = append(e.inputs, input{"stdin", st})
		}
	}
}

// checkNotInput refuses an output (a file name, or stdout when "-") that is
// the same regular file as an input: writing it would destroy the input
// before it is read.
func (e *Env) checkNotInput(name string) error {
	var out fs.FileInfo
	if name == "" || name == "-" {
		if f, ok := e.Out.(statter); ok {
			out, _ = f.Stat()
		}
		name = "stdout"
	} else {
		out, _ = os.Stat(name)
	}
	if out == nil || !out.Mode().IsRegular() {
		return nil
	}
	for _, in := range e.inputs {
		if in.info.Mode().IsRegular() && os.SameFile(in.info, out) {
			return Usagef("%s is also the input %s: write to another file", name, in.name)
		}
	}
	return nil
}

// CheckSideOutput refuses a file a command writes besides its records (a
// report, given by flag): it must be neither an input nor the records'
// output (-o, or the file stdout goes to).
func (e *Env) CheckSideOutput(flag, name string) error {
	if err := e.checkNotInput(name); err != nil {
		return err
	}
	var out fs.FileInfo
	if o := e.Common.Output; o != "" && o != "-" {
		if filepath.Clean(o) == filepath.Clean(name) {
			return Usagef("--%s %s is also the output: write it to another file", flag, name)
		}
		out, _ = os.Stat(o)
	} else if f, ok := e.Out.(statter); ok {
		out, _ = f.Stat()
	}
	if st, err := os.Stat(name); err == nil && out != nil && out.Mode().IsRegular() && os.SameFile(st, out) {
		return Usagef("--%s %s is also the output: write it to another file", flag, name)
	}
	return nil
}

// Open opens the input (-i) and returns it with the name errors use.
func (in *Input) Open(env *Env) (io.ReadCloser, string, error) {
	if in.MaxLine < 1 {
		return nil, "", Usagef("--max-line %d: want at least one byte", in.MaxLine)
	}
	rc, err := env.OpenInput(in.Input)
	name := in.Input
	if name == "" || name == "-" {
		name = "stdin"
	}
	return rc, name, err
}

// line is one input line on its way to the workers.
type line struct {
	no       int
	raw      []byte
	replaced int // invalid UTF-8 replaced in it (ndjson.ValidUTF8)
	err      error
}

type result[T any] struct {
	no       int
	val      T
	replaced int
	err      error
}

// take reports a result's problems in input order: a bad line as an error
// (nil, or ErrFailFast under --fail-fast), replaced text as a warning. ok
// tells whether the value is good to use.
func take[T any](env *Env, name string, res result[T]) (ok bool, err error) {
	if res.replaced > 0 {
		env.Report.Warnf("%s:%d: %d invalid UTF-8 sequence(s) or lone surrogate escape(s) replaced by U+FFFD", name, res.no, res.replaced)
	}
	if res.err != nil {
		return false, env.Report.Error(res.err)
	}
	return true, nil
}

// lines yields r's lines (copied: the workers keep them) with their
// numbers; a line error travels with its line, a read error (a corrupt or
// truncated input) ends the sequence and is left in *readErr.
func lines(r *ndjson.Reader, readErr *error) func(yield func(line) bool) {
	return func(yield func(line) bool) {
		for {
			raw, err := r.Next()
			if err == io.EOF {
				return
			}
			var le *ndjson.LineError
			if err != nil && !errors.As(err, &le) {
				*readErr = err
				return
			}
			if !yield(line{r.Line(), append([]byte(nil), raw...), r.Replaced(), err}) {
				return
			}
		}
	}
}

// convert parses a line and applies fn, turning any failure into a
// LineError naming the input and the line.
func convert[T any](name string, fn func(*ndjson.Record) (T, error)) func(line) result[T] {
	return func(l line) result[T] {
		res := result[T]{no: l.no, replaced: l.replaced, err: l.err}
		if l.err != nil {
			return res
		}
		rec, err := ndjson.ParseOwnedRecord(l.raw) // lines copied it for the workers already
		if err == nil {
			if res.val, err = fn(rec); err == nil {
				return res
			}
		}
		var zero T
		res.val, res.err = zero, &ndjson.LineError{Name: name, Line: l.no, Err: err}
		return res
	}
}

// Filter runs fn over every record of the input on env.Workers workers and
// writes what fn returns, in input order. A line that is not a JSON object,
// is too long, or for which fn fails is reported with its line number and
// skipped (the run then exits 1), or stops the run under --fail-fast.
func Filter(env *Env, in *Input, fn func(*ndjson.Record) ([]*ndjson.Record, error)) error {
	return Stream(env, in, fn, func(recs []*ndjson.Record, w *ndjson.Writer) error {
		for _, rec := range recs {
			if err := w.Write(rec); err != nil {
				return err
			}
		}
		return nil
	}, nil)
}

// Stream is Filter for commands whose output needs state across records:
// fn runs on the workers, sink gets fn's results one by one in input order
// (on one goroutine), and end, if not nil, writes what is left at the end.
// A corrupt or truncated input ends the run with an error naming the input
// and its last good line, and no output file is left behind.
func Stream[T any](env *Env, in *Input, fn func(*ndjson.Record) (T, error), sink func(T, *ndjson.Writer) error, end func(*ndjson.Writer) error) error {
	rc, name, err := in.Open(env)
	if err != nil {
		return err
	}
	defer rc.Close()
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	r := ndjson.NewReader(rc, name)
	r.Max = int(in.MaxLine)
	var readErr error
	err = ndjson.Ordered(env.Workers, lines(r, &readErr), convert(name, fn), func(res result[T]) error {
		if ok, err := take(env, name, res); !ok {
			return err
		}
		return sink(res.val, w)
	})
	if err == nil {
		err = readErr
	}
	if err == nil && end != nil {
		err = end(w)
	}
	return finish(err)
}

// ReadAll reads every record of r (named name in errors), converting each
// with parse on env.Workers workers, and returns them in input order. Bad
// lines are reported and skipped, or stop the run under --fail-fast; a
// corrupt or truncated input is an error.
func ReadAll[T any](env *Env, r io.Reader, name string, maxLine int, parse func(*ndjson.Record) (T, error)) ([]T, error) {
	var out []T
	err := ReadEach(env, r, name, maxLine, parse, func(v T, _ int) error {
		out = append(out, v)
		return nil
	})
	return out, err
}

// ReadEach is ReadAll for inputs too large to hold: each converted record
// goes to sink, in input order with its line number, on one goroutine, and
// a sink error ends the reading.
func ReadEach[T any](env *Env, r io.Reader, name string, maxLine int, parse func(*ndjson.Record) (T, error), sink func(v T, line int) error) error {
	rd := ndjson.NewReader(r, name)
	rd.Max = maxLine
	var readErr error
	err := ndjson.Ordered(env.Workers, lines(rd, &readErr), convert(name, parse), func(res result[T]) error {
		if ok, err := take(env, name, res); !ok {
			return err
		}
		return sink(res.val, res.no)
	})
	if err == nil {
		err = readErr
	}
	return err
}

// ReadInput reads every record of the input (-i) with ReadAll.
func ReadInput[T any](env *Env, in *Input, parse func(*ndjson.Record) (T, error)) ([]T, error) {
	rc, name, err := in.Open(env)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return ReadAll(env, rc, name, int(in.MaxLine), parse)
}
