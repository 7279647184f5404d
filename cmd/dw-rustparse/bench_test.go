package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/repo"
)

// corpusDir is the real Rust corpus installed by scripts/corpus.sh, or the
// folder named by $DWKIT_CORPUS.
func corpusDir(tb testing.TB) string {
	dir := os.Getenv("DWKIT_CORPUS")
	if dir == "" {
		dir = "/usr/share/cargo/registry"
	}
	if _, err := os.Stat(dir); err != nil {
		tb.Skipf("no Rust corpus at %s: run scripts/corpus.sh or set DWKIT_CORPUS", dir)
	}
	return dir
}

// BenchmarkCorpus runs the whole tool (walk, parse, extract, encode, write)
// over the corpus; b.SetBytes makes `go test -bench` report MB/s.
func BenchmarkCorpus(b *testing.B) {
	dir := corpusDir(b)
	var errb bytes.Buffer
	for b.Loop() {
		errb.Reset()
		if code := run([]string{dir}, cli.Stdio{In: nil, Out: io.Discard, Err: &errb}); code != 0 {
			b.Fatalf("exit %d: %s", code, errb.String())
		}
	}
	b.SetBytes(corpusBytes(b, dir))
}

// corpusBytes is the size of the .rs files the default walk keeps.
func corpusBytes(b *testing.B, dir string) int64 {
	files, _, err := repo.Walk(dir, repo.Options{
		Match:   func(rel string) bool { return strings.HasSuffix(rel, ".rs") },
		MinSize: 100, MaxSize: 500 << 10,
	})
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for _, f := range files {
		n += f.Size
	}
	return n
}
