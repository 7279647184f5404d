package hfdata

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"

	"github.com/parquet-go/parquet-go"

	"github.com/dwkit/dwkit/lib/mix"
)

// ValidSplit reports whether name is a split name the Hub accepts (the
// rule is dw-mix's, which writes the split field).
var ValidSplit = mix.ValidSplitName

// Split is one split as written: its files (paths relative to the
// dataset's folder, slash-separated), rows and bytes on disk.
type Split struct {
	Name  string   `json:"split"`
	Rows  int64    `json:"rows"`
	Files []string `json:"files"` // relative to the dataset's folder
	Bytes int64    `json:"bytes"`
}

// Summary is the record dw-upload writes about the dataset it made.
type Summary struct {
	Repo     string            `json:"repo"`
	Out      string            `json:"out"`
	Splits   []Split           `json:"splits"`
	JSONText map[string]string `json:"json_text_fields,omitempty"` // columns kept as JSON text, and why
	Uploaded bool              `json:"uploaded"`
	// After an upload: the commit (the branch's head), its page or the
	// pull request's, and how many files were sent or were there already.
	Commit      string `json:"commit,omitempty"`
	CommitURL   string `json:"commit_url,omitempty"`
	PullRequest string `json:"pull_request,omitempty"`
	Sent        int    `json:"files_sent,omitempty"`
	Unchanged   int    `json:"files_unchanged,omitempty"`
	Deleted     int    `json:"files_removed,omitempty"`
}

// Writer writes the Parquet shards of a dataset into dir/data: for each
// split, shards of about ShardSize bytes made of row groups of about
// RowGroupSize bytes of input, named <split>-NNNNN-of-NNNNN.parquet when
// Close knows their number. Only the current row group of each split is
// held in memory.
type Writer struct {
	ShardSize    int64 // start a new shard once a shard reaches it
	RowGroupSize int64 // end a row group once its records' input bytes reach it

	dir    string
	schema *Schema
	ps     *parquet.Schema
	// noBounds are the writer options that leave text columns' bounds out.
	noBounds []parquet.WriterOption
	splits   map[string]*splitWriter
	made     []string // files written so far, removed by Abort
}

type splitWriter struct {
	Split
	w       *parquet.GenericWriter[any]
	f       *os.File
	cw      *countWriter
	group   int64 // input bytes in the current row group
	tmp     []string
	written int64 // rows in the current shard
}

// countWriter counts the bytes of a shard as parquet-go writes them (it
// is told not to buffer: the buffer is below the count).
type countWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// NewWriter returns a Writer of the dataset into dir, which must exist.
func NewWriter(dir string, s *Schema, shardSize, rowGroupSize int64) *Writer {
	w := &Writer{ShardSize: shardSize, RowGroupSize: rowGroupSize, dir: dir, schema: s, ps: s.Parquet(), splits: map[string]*splitWriter{}}
	// No page statistics, and no bounds of text columns in the footer: they
	// copy whole values (a 5 MB text would be kept six more times) and no
	// reader of a training set filters on them.
	for _, path := range w.ps.Columns() {
		if leaf, ok := w.ps.Lookup(path...); ok && leaf.Node.Type().Kind() == parquet.ByteArray {
			w.noBounds = append(w.noBounds, parquet.SkipPageBounds(path...))
		}
	}
	return w
}

// Write adds a row (from Schema.Row) to split; size is the record's input
// size in bytes, which measures row groups.
func (w *Writer) Write(split string, row map[string]any, size int) error {
	if !ValidSplit(split) {
		return fmt.Errorf("split %q: want letters, digits and _ (dots between)", split)
	}
	sw := w.splits[split]
	if sw == nil {
		sw = &splitWriter{Split: Split{Name: split}}
		w.splits[split] = sw
	}
	if sw.w == nil {
		if err := w.openShard(sw); err != nil {
			return err
		}
	}
	if _, err := sw.w.Write([]any{row}); err != nil {
		return err
	}
	sw.Rows++
	sw.written++
	sw.group += int64(size)
	if sw.group >= w.RowGroupSize {
		sw.group = 0
		if err := sw.w.Flush(); err != nil {
			return err
		}
		if sw.cw.n >= w.ShardSize {
			return w.closeShard(sw)
		}
	}
	return nil
}

func (w *Writer) openShard(sw *splitWriter) error {
	if err := os.MkdirAll(filepath.Join(w.dir, "data"), 0o777); err != nil {
		return err
	}
	name := filepath.Join(w.dir, "data", fmt.Sprintf(".%s-%05d.parquet.tmp", sw.Name, len(sw.tmp)))
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return err
	}
	w.made = append(w.made, name)
	sw.tmp = append(sw.tmp, name)
	sw.f, sw.cw = f, &countWriter{w: bufio.NewWriterSize(f, 1<<20)}
	opts := append([]parquet.WriterOption{w.ps, parquet.Compression(&parquet.Zstd), parquet.CreatedBy("dwkit", "", ""),
		parquet.WriteBufferSize(0), parquet.DataPageStatistics(false)}, w.noBounds...)
	sw.w = parquet.NewGenericWriter[any](sw.cw, opts...)
	sw.written, sw.group = 0, 0
	return nil
}

func (w *Writer) closeShard(sw *splitWriter) error {
	err := sw.w.Close()
	if err == nil {
		err = sw.cw.w.Flush()
	}
	if err == nil {
		err = sw.f.Sync()
	}
	if cerr := sw.f.Close(); err == nil {
		err = cerr
	}
	sw.Bytes += sw.cw.n
	sw.w, sw.f = nil, nil
	return err
}

// Close ends every shard and gives them their final names. It returns the
// splits, sorted by name.
func (w *Writer) Close() ([]Split, error) {
	var out []Split
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range w.splits {
			if !yield(k) {
				return
			}
		}
	}) {
		sw := w.splits[name]
		if sw.w != nil {
			if err := w.closeShard(sw); err != nil {
				return nil, err
			}
		}
		for i, tmp := range sw.tmp {
			final := path.Join("data", fmt.Sprintf("%s-%05d-of-%05d.parquet", name, i, len(sw.tmp)))
			if err := os.Rename(tmp, filepath.Join(w.dir, filepath.FromSlash(final))); err != nil {
				return nil, err
			}
			w.made = append(w.made, filepath.Join(w.dir, filepath.FromSlash(final)))
			sw.Files = append(sw.Files, final)
		}
		out = append(out, sw.Split)
	}
	return out, nil
}

// RemoveTemporary removes the shards a Writer into dir has not finished:
// what an interrupted run leaves. It touches nothing else.
func RemoveTemporary(dir string) {
	names, _ := filepath.Glob(filepath.Join(dir, "data", ".*.parquet.tmp"))
	for _, name := range names {
		os.Remove(name)
	}
	os.Remove(filepath.Join(dir, "data")) // only when empty
}

// Abort closes and removes every file written.
func (w *Writer) Abort() {
	for _, sw := range w.splits {
		if sw.f != nil {
			sw.f.Close()
		}
	}
	for _, name := range w.made {
		os.Remove(name)
	}
	os.Remove(filepath.Join(w.dir, "data")) // only when empty
}
