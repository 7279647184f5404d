package token

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pkoukk/tiktoken-go"
	loader "github.com/pkoukk/tiktoken-go-loader"
)

// benchTexts is up to 20 MB of .rs files of the Rust corpus
// (scripts/corpus.sh, or $DWKIT_CORPUS).
func benchTexts(b *testing.B) ([]string, int64) {
	dir := os.Getenv("DWKIT_CORPUS")
	if dir == "" {
		dir = "/usr/share/cargo/registry"
	}
	var texts []string
	var total int64
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || total >= 20<<20 {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".rs") {
			if src, err := os.ReadFile(p); err == nil && len(src) <= 500<<10 {
				texts = append(texts, string(src))
				total += int64(len(src))
			}
		}
		return nil
	})
	if len(texts) == 0 {
		b.Skipf("no Rust corpus at %s: run scripts/corpus.sh or set DWKIT_CORPUS", dir)
	}
	return texts, total
}

// BenchmarkCount counts the corpus's tokens with each tokenizer, starting
// every iteration from an empty cache.
func BenchmarkCount(b *testing.B) {
	texts, size := benchTexts(b)
	for _, name := range []string{"cl100k_base", "o200k_base", "qwen3"} {
		tok := tokenizers(b)[name]
		if tok == nil {
			b.Logf("%s skipped: no tokenizer.json (scripts/token-check.sh installs it)", name)
			continue
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(size)
			for b.Loop() {
				enc := tok.NewEncoder()
				for _, t := range texts {
					enc.Count(t, false)
				}
			}
		})
	}
}

// BenchmarkTiktokenGo is github.com/pkoukk/tiktoken-go on the same corpus:
// the speed dwkit's tokenizer is measured against.
func BenchmarkTiktokenGo(b *testing.B) {
	texts, size := benchTexts(b)
	tiktoken.SetBpeLoader(loader.NewOfflineLoader())
	enc, err := tiktoken.GetEncoding("cl100k_base")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("cl100k_base", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			for _, t := range texts {
				enc.EncodeOrdinary(t)
			}
		}
	})
}

// worstCases are texts that are one long pre-tokenizer piece: BPE's worst
// case, at 50k, 100k and 200k characters (issue 9).
var worstCases = []struct {
	name string
	unit string
}{{"a", "a"}, {"han", "漢"}, {"spaces", " "}}

// BenchmarkWorstCase encodes one long piece per iteration, with a new
// Encoder each time. Time per character stays about flat across the three
// sizes, as O(n log n) does; quadratic merging doubled it at each size
// (scripts/bench-token-worst.sh prints the table).
func BenchmarkWorstCase(b *testing.B) {
	for _, name := range []string{"cl100k_base", "o200k_base", "qwen3"} {
		tok := tokenizers(b)[name]
		if tok == nil {
			continue // no tokenizer.json: BenchmarkCount says so
		}
		for _, c := range worstCases {
			for _, n := range []int{50_000, 100_000, 200_000} {
				text := strings.Repeat(c.unit, n)
				b.Run(fmt.Sprintf("%s/%s/%dk", name, c.name, n/1000), func(b *testing.B) {
					b.SetBytes(int64(len(text)))
					for b.Loop() {
						tok.NewEncoder().Count(text, false)
					}
				})
			}
		}
	}
}
