package mix

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user and system time so far: on a machine
// shared with other work, speed per CPU second is the figure that holds.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// corpusPieces cuts the .rs files of the real corpus into pieces of about
// size bytes at line ends (a function record is about 1.2 KB), up to total
// bytes in all.
func corpusPieces(b *testing.B, size, total int) []string {
	dir := os.Getenv("DWKIT_CORPUS")
	if dir == "" {
		dir = "/usr/share/cargo/registry"
	}
	if _, err := os.Stat(dir); err != nil {
		b.Skipf("no Rust corpus at %s: run scripts/corpus.sh or set DWKIT_CORPUS", dir)
	}
	var out []string
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rs") || n >= total {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		text := string(data)
		for len(text) > 0 && n < total {
			cut := min(len(text), size)
			if i := strings.IndexByte(text[cut:], '\n'); i >= 0 {
				cut += i + 1
			} else {
				cut = len(text)
			}
			out = append(out, text[:cut])
			n += cut
			text = text[cut:]
		}
		return nil
	})
	return out
}

func bytesOf(pieces []string) int64 {
	var n int64
	for _, p := range pieces {
		n += int64(len(p))
	}
	return n
}

// BenchmarkSignature: MinHash signatures (256 permutations, 5-word
// shingles) of 1.2 KB pieces of real code, per second on one core.
func BenchmarkSignature(b *testing.B) {
	pieces := corpusPieces(b, 1200, 20<<20)
	m := NewMinHasher(DefaultShingle, DefaultPerms, 1)
	sig := make([]uint32, DefaultPerms)
	var w []uint64
	b.SetBytes(bytesOf(pieces))
	cpu := cpuTime()
	for b.Loop() {
		for _, p := range pieces {
			w = WordHashes(p, w)
			m.Signature(w, sig)
		}
	}
	cpu = cpuTime() - cpu
	b.ReportMetric(float64(b.N)*float64(len(pieces))/b.Elapsed().Seconds(), "signatures/s")
	b.ReportMetric(float64(b.N)*float64(len(pieces))/cpu.Seconds(), "signatures/cpu-s")
	b.ReportMetric(float64(b.N)*float64(bytesOf(pieces))/1e6/cpu.Seconds(), "MB/cpu-s")
}

// BenchmarkExactKey: normalising and hashing real code for exact dedup.
func BenchmarkExactKey(b *testing.B) {
	pieces := corpusPieces(b, 1200, 20<<20)
	b.SetBytes(bytesOf(pieces))
	cpu := cpuTime()
	for b.Loop() {
		for _, p := range pieces {
			ExactKey(Normalize(p, false))
		}
	}
	b.ReportMetric(float64(b.N)*float64(bytesOf(pieces))/1e6/(cpuTime()-cpu).Seconds(), "MB/cpu-s")
}

// BenchmarkNearDedup: the whole near-dedup work on one core (normalise,
// exact key, signature, bands, then Resolve) over real code.
func BenchmarkNearDedup(b *testing.B) {
	pieces := corpusPieces(b, 1200, 20<<20)
	m := NewMinHasher(DefaultShingle, DefaultPerms, 1)
	sig := make([]uint32, DefaultPerms)
	b.SetBytes(bytesOf(pieces))
	cpu := cpuTime()
	for b.Loop() {
		d := &Deduper{Exact: true, Near: true, Threshold: DefaultThreshold, Bands: 25, Rows: 10, Perms: DefaultPerms}
		var w []uint64
		for _, p := range pieces {
			n := Normalize(p, false)
			w = WordHashes(n, w)
			m.Signature(w, sig)
			d.Add(Entry{Key: ExactKey(n), Sig: Compact(sig, nil), Bands: Bands(sig, 25, 10, nil)})
		}
		d.Resolve()
	}
	b.ReportMetric(float64(b.N)*float64(bytesOf(pieces))/1e6/(cpuTime()-cpu).Seconds(), "MB/cpu-s")
}
