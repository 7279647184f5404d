package rust

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	sitter "github.com/smacker/go-tree-sitter"
	tsrust "github.com/smacker/go-tree-sitter/rust"
)

// corpus loads up to limit bytes of .rs files of at most 500 KiB (the
// default size window) from the Rust corpus (scripts/corpus.sh, or
// $DWKIT_CORPUS), in path order.
func corpus(b *testing.B, limit int) [][]byte {
	dir := os.Getenv("DWKIT_CORPUS")
	if dir == "" {
		dir = "/usr/share/cargo/registry"
	}
	var srcs [][]byte
	total := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || total >= limit {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".rs") {
			if src, err := os.ReadFile(p); err == nil && len(src) <= 500<<10 {
				srcs = append(srcs, src)
				total += len(src)
			}
		}
		return nil
	})
	if err != nil || len(srcs) == 0 {
		b.Skipf("no Rust corpus at %s (run scripts/corpus.sh or set DWKIT_CORPUS): %v", dir, err)
	}
	return srcs
}

func size(srcs [][]byte) int64 {
	var n int64
	for _, s := range srcs {
		n += int64(len(s))
	}
	return n
}

// BenchmarkParseOnly is tree-sitter's own parse through go-tree-sitter: the
// yardstick for the extractor's overhead.
func BenchmarkParseOnly(b *testing.B) {
	srcs := corpus(b, 20<<20)
	p := sitter.NewParser()
	p.SetLanguage(tsrust.GetLanguage())
	b.SetBytes(size(srcs))
	for b.Loop() {
		for _, src := range srcs {
			t, _ := p.ParseCtx(context.Background(), nil, src)
			t.Close()
		}
	}
}

// BenchmarkParseOnlyAllCores parses the whole corpus on one goroutine per
// CPU: the yardstick for dw-rustparse's end-to-end time (scripts/bench-rustparse.sh).
func BenchmarkParseOnlyAllCores(b *testing.B) {
	srcs := corpus(b, 1<<30)
	b.SetBytes(size(srcs))
	for b.Loop() {
		next := make(chan []byte)
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				p := sitter.NewParser()
				p.SetLanguage(tsrust.GetLanguage())
				for src := range next {
					t, _ := p.ParseCtx(context.Background(), nil, src)
					t.Close()
				}
			})
		}
		for _, src := range srcs {
			next <- src
		}
		close(next)
		wg.Wait()
	}
}

// BenchmarkParseFlat is the parse plus the flattening walk in C.
func BenchmarkParseFlat(b *testing.B) {
	srcs := corpus(b, 20<<20)
	b.SetBytes(size(srcs))
	for b.Loop() {
		for _, src := range srcs {
			if _, err := parseFlat(src, 0, false); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkExtract is the whole extraction of items from source.
func BenchmarkExtract(b *testing.B) {
	srcs := corpus(b, 20<<20)
	b.SetBytes(size(srcs))
	for b.Loop() {
		for _, src := range srcs {
			if _, err := Extract(src, "m", 0); err != nil {
				b.Fatal(err)
			}
		}
	}
}
