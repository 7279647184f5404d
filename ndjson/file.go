package ndjson

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	kgzip "github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Open opens name for reading, decompressing .gz and .zst by file name.
// The name "-" (or "") means stdin, which is read as is. A corrupt or
// truncated compressed stream shows as a read error, which Reader turns into
// a *ReadError that ends the input.
func Open(name string, stdin io.Reader) (io.ReadCloser, error) {
	if name == "" || name == "-" {
		return io.NopCloser(stdin), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a folder, not a file of records", name)
	}
	rc, err := Decompress(f, name)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return rc, nil
}

// Decompress reads r through the decompressor its name asks for (.gz,
// .zst), or as it is. Closing the result closes r too when r is a Closer.
func Decompress(r io.Reader, name string) (io.ReadCloser, error) {
	closers := []io.Closer{}
	if c, ok := r.(io.Closer); ok {
		closers = append(closers, c)
	}
	switch {
	case strings.HasSuffix(name, ".gz"):
		zr, err := kgzip.NewReader(r)
		if err != nil {
			return nil, err
		}
		return multiCloser{zr, append([]io.Closer{zr}, closers...)}, nil
	case strings.HasSuffix(name, ".zst"):
		zr, err := zstd.NewReader(r)
		if err != nil {
			return nil, err
		}
		return multiCloser{zr, append([]io.Closer{closerFunc(func() error { zr.Close(); return nil })}, closers...)}, nil
	}
	return multiCloser{r, closers}, nil
}

// umask is the process's file mode creation mask, read once: a new output
// gets the mode a shell redirect would give it.
var umask = func() fs.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return fs.FileMode(m)
}()

// viaDevOrProc tells whether name is, or links through, /dev or /proc
// (/dev/stdout, /proc/self/fd/1): a file of the process's, not a path to
// replace.
func viaDevOrProc(name string) bool {
	for range 40 { // symlink hops, as the kernel allows
		abs, err := filepath.Abs(name)
		if err != nil {
			return false
		}
		if strings.HasPrefix(abs, "/dev/") || strings.HasPrefix(abs, "/proc/") {
			return true
		}
		target, err := os.Readlink(abs)
		if err != nil {
			return false // not a link
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(abs), target)
		}
		name = target
	}
	return false
}

// Output is a file being written. A regular file is written under a
// temporary name in the same folder and renamed into place by Close, so an
// interrupted or failed run never leaves a half file that looks complete;
// Abort removes it instead. Stdout, devices and FIFOs are written directly.
type Output struct {
	w       io.Writer
	closers []io.Closer // compressor, then the file
	tmp     string      // the temporary file, "" when writing directly
	final   string
}

// Create creates name for writing, compressing .gz and .zst by file name.
// The name "-" (or "") means stdout. Close must be checked; Abort after a
// failure.
func Create(name string, stdout io.Writer) (*Output, error) {
	if name == "" || name == "-" {
		return &Output{w: stdout}, nil
	}
	o := &Output{final: name}
	var f *os.File
	st, err := os.Stat(name) // through symlinks: the file written is the link's target
	switch {
	case err == nil && st.IsDir():
		return nil, fmt.Errorf("%s is a folder", name)
	case err == nil && (!st.Mode().IsRegular() || viaDevOrProc(name)):
		// A device, a FIFO, or /dev/stdout however redirected: written in
		// place, appending (a `>> file` redirect must keep what it holds).
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_APPEND, 0)
	case err == nil || errors.Is(err, fs.ErrNotExist):
		mode := 0o666 &^ umask
		if st != nil {
			mode = st.Mode().Perm()
			if real, rerr := filepath.EvalSymlinks(name); rerr == nil {
				o.final = real // replace the target, keep the link
			}
		} else if lst, lerr := os.Lstat(name); lerr == nil && lst.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("%s is a symlink to nothing", name)
		}
		f, err = os.CreateTemp(filepath.Dir(o.final), "."+filepath.Base(o.final)+".tmp-*")
		if err == nil {
			o.tmp = f.Name()
			temps.add(o.tmp)
			err = f.Chmod(mode)
		}
	}
	if err != nil {
		if f != nil {
			f.Close()
			os.Remove(o.tmp)
		}
		return nil, err
	}
	o.w, o.closers = f, []io.Closer{f}
	switch {
	case strings.HasSuffix(name, ".gz"):
		zw, _ := kgzip.NewWriterLevel(f, gzip.DefaultCompression)
		o.w, o.closers = zw, []io.Closer{zw, f}
	case strings.HasSuffix(name, ".zst"):
		zw, err := zstd.NewWriter(f)
		if err != nil {
			o.Abort()
			return nil, err
		}
		o.w, o.closers = zw, []io.Closer{zw, f}
	}
	return o, nil
}

func (o *Output) Write(p []byte) (int, error) { return o.w.Write(p) }

// Close flushes the compressor, closes the file and moves it into place.
// On any failure the temporary file is removed.
func (o *Output) Close() error {
	var first error
	for _, c := range o.closers {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	o.closers = nil
	if o.tmp == "" {
		return first
	}
	if first == nil {
		first = temps.rename(o.tmp, o.final)
	} else {
		os.Remove(o.tmp)
		temps.remove(o.tmp)
	}
	o.tmp = ""
	return first
}

// Abort closes the output and removes what was written, when it was written
// under a temporary name. Calling it after Close does nothing.
func (o *Output) Abort() {
	for _, c := range o.closers {
		c.Close()
	}
	o.closers = nil
	if o.tmp != "" {
		os.Remove(o.tmp)
		temps.remove(o.tmp)
		o.tmp = ""
	}
}

// AbandonTemps removes the temporary files of the outputs still being
// written, for a process about to end by a signal, and keeps any from being
// renamed into place afterwards: an output is then either whole or absent.
func AbandonTemps() {
	temps.mu.Lock() // held: no rename after this
	for name := range temps.names {
		os.Remove(name)
	}
}

// temps are the temporary files of open Outputs.
var temps = tempFiles{names: map[string]bool{}}

type tempFiles struct {
	mu    sync.Mutex
	names map[string]bool
}

func (t *tempFiles) add(name string) {
	t.mu.Lock()
	t.names[name] = true
	t.mu.Unlock()
}

// rename moves a finished temporary file into place, never after
// AbandonTemps.
func (t *tempFiles) rename(tmp, final string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.names, tmp)
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

func (t *tempFiles) remove(name string) {
	t.mu.Lock()
	delete(t.names, name)
	t.mu.Unlock()
}

// multiCloser reads through its first member and closes all the closers in
// order, returning the first error.
type multiCloser struct {
	r       io.Reader
	closers []io.Closer
}

func (m multiCloser) Read(p []byte) (int, error) { return m.r.Read(p) }

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
