package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/dwkit/dwkit/ndjson"
)

// Input holds the input flags of commands that read records. Embed it beside
// Common in a filter's flag struct.
type Input struct {
	Input   string `short:"i" default:"-" placeholder:"FILE" help:"Read records from FILE; .gz and .zst decompress by name (default: stdin)."`
	MaxLine Size   `default:"64MiB" placeholder:"SIZE" help:"Longest input line accepted; longer lines are reported and skipped."`
}

// Output opens the command's output (-o) as a record writer. The returned
// close function flushes and closes it; its error must be checked.
func (e *Env) Output() (*ndjson.Writer, func() error, error) {
	f, err := ndjson.Create(e.Common.Output, e.Out)
	if err != nil {
		return nil, nil, err
	}
	w := ndjson.NewWriter(f)
	return w, func() error {
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}, nil
}

// Open opens the input (-i) and returns it with the name errors use.
func (in *Input) Open(env *Env) (io.ReadCloser, string, error) {
	rc, err := ndjson.Open(in.Input, env.In)
	name := in.Input
	if name == "" || name == "-" {
		name = "stdin"
	}
	return rc, name, err
}

// line is one input line on its way to the workers.
type line struct {
	no  int
	raw []byte
	err error
}

type result[T any] struct {
	no  int
	val T
	err error
}

// lines yields r's lines (copied: the workers keep them) with their
// numbers; a line error travels with its line, a read error ends the
// sequence and is left in *readErr.
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
			if !yield(line{r.Line(), append([]byte(nil), raw...), err}) {
				return
			}
		}
	}
}

// convert parses a line and applies fn, turning any failure into a
// LineError naming the input and the line.
func convert[T any](name string, fn func(*ndjson.Record) (T, error)) func(line) result[T] {
	return func(l line) result[T] {
		var zero T
		if l.err != nil {
			return result[T]{l.no, zero, l.err}
		}
		rec, err := ndjson.ParseRecord(l.raw)
		if err == nil {
			var v T
			if v, err = fn(rec); err == nil {
				return result[T]{l.no, v, nil}
			}
		}
		return result[T]{l.no, zero, &ndjson.LineError{Name: name, Line: l.no, Err: err}}
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
func Stream[T any](env *Env, in *Input, fn func(*ndjson.Record) (T, error), sink func(T, *ndjson.Writer) error, end func(*ndjson.Writer) error) error {
	rc, name, err := in.Open(env)
	if err != nil {
		return err
	}
	defer rc.Close()
	w, closeOut, err := env.Output()
	if err != nil {
		return err
	}
	r := ndjson.NewReader(rc, name)
	r.Max = int(in.MaxLine)
	var readErr error
	err = ndjson.Ordered(env.Workers, lines(r, &readErr), convert(name, fn), func(res result[T]) error {
		if res.err != nil {
			return env.Report.Error(res.err)
		}
		return sink(res.val, w)
	})
	if err == nil && end != nil {
		err = end(w)
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err == nil && readErr != nil {
		err = fmt.Errorf("reading %s: %w", name, readErr)
	}
	return err
}

// ReadAll reads every record of r (named name in errors), converting each
// with parse on env.Workers workers, and returns them in input order. Bad
// lines are reported and skipped, or stop the run under --fail-fast.
func ReadAll[T any](env *Env, r io.Reader, name string, maxLine int, parse func(*ndjson.Record) (T, error)) ([]T, error) {
	rd := ndjson.NewReader(r, name)
	rd.Max = maxLine
	var readErr error
	var out []T
	err := ndjson.Ordered(env.Workers, lines(rd, &readErr), convert(name, parse), func(res result[T]) error {
		if res.err != nil {
			return env.Report.Error(res.err)
		}
		out = append(out, res.val)
		return nil
	})
	if err == nil && readErr != nil {
		err = fmt.Errorf("reading %s: %w", name, readErr)
	}
	return out, err
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
