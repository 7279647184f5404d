package ndjson

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strings"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Open opens name for reading, decompressing .gz and .zst by file name.
// The name "-" (or "") means stdin, which is read as is.
func Open(name string, stdin io.Reader) (io.ReadCloser, error) {
	if name == "" || name == "-" {
		return io.NopCloser(stdin), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.HasSuffix(name, ".gz"):
		zr, err := kgzip.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return multiCloser{zr, []io.Closer{zr, f}}, nil
	case strings.HasSuffix(name, ".zst"):
		zr, err := zstd.NewReader(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return multiCloser{zr, []io.Closer{closerFunc(func() error { zr.Close(); return nil }), f}}, nil
	}
	return f, nil
}

// Create creates name for writing, compressing .gz and .zst by file name.
// The name "-" (or "") means stdout. Close flushes the compressor and must be
// checked.
func Create(name string, stdout io.Writer) (io.WriteCloser, error) {
	if name == "" || name == "-" {
		return nopWriteCloser{stdout}, nil
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.HasSuffix(name, ".gz"):
		zw, _ := kgzip.NewWriterLevel(f, gzip.DefaultCompression)
		return multiCloser{zw, []io.Closer{zw, f}}, nil
	case strings.HasSuffix(name, ".zst"):
		zw, err := zstd.NewWriter(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		return multiCloser{zw, []io.Closer{zw, f}}, nil
	}
	return f, nil
}

// multiCloser reads or writes through its first member and closes all the
// closers in order, returning the first error.
type multiCloser struct {
	rw      any
	closers []io.Closer
}

func (m multiCloser) Read(p []byte) (int, error)  { return m.rw.(io.Reader).Read(p) }
func (m multiCloser) Write(p []byte) (int, error) { return m.rw.(io.Writer).Write(p) }
func (m multiCloser) Close() error {
	var first error
	for _, c := range m.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
