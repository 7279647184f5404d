package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/zstd"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/hfdata"
	"github.com/dwkit/dwkit/lib/stats"
	"github.com/dwkit/dwkit/lib/web/hfhub"
)

// builder turns records into a dataset folder: Parquet shards and a card.
// With --sample 0 every record goes to a compressed spool file while the
// columns are inferred from all of them, then the spool is written out;
// with --sample N the first N records make the columns and later records
// are written as they come.
type builder struct {
	c       *command
	env     *cli.Env
	dir     string
	start   time.Time
	summary *stats.Summary

	records      int
	repo, commit uniform
	inferrer     *hfdata.Inferrer // --sample 0
	spool        *spool           // --sample 0
	sample       []item           // --sample N, until the schema is made
	sampleSize   int
	schema       *hfdata.Schema
	w            *hfdata.Writer
	files        []*hfhub.File // the dataset's files, once finished
}

func (b *builder) build(sources []source) error {
	if b.c.Sample == 0 {
		var err error
		b.inferrer = hfdata.NewInferrer(b.c.Flatten == "json")
		if b.spool, err = newSpool(b.env); err != nil {
			return err
		}
		defer b.spool.remove()
	}
	for _, src := range sources {
		rc := src.stdin
		if rc == nil {
			var err error
			if rc, err = b.env.OpenInput(src.path); err != nil {
				return err
			}
		}
		name := src.path
		if name == "-" {
			name = "stdin"
		}
		err := cli.ReadEach(b.env, rc, name, int(b.c.MaxLine), parse(src), func(it item, _ int) error { return b.add(it) })
		rc.Close()
		if err != nil {
			return err
		}
	}
	if b.records == 0 {
		return fmt.Errorf("no records: no dataset to write")
	}
	if b.spool != nil {
		return b.writeSpool()
	}
	if b.schema == nil {
		return b.infer()
	}
	return nil
}

func (b *builder) add(it item) error {
	b.records++
	b.repo.add(it.repo)
	b.commit.add(it.commit)
	switch {
	case b.spool != nil:
		b.inferrer.Add(it.obj)
		return b.spool.write(it.split, it.raw)
	case b.schema != nil:
		return b.writeNo(it, b.records)
	}
	it.raw = nil
	b.sample = append(b.sample, it)
	b.sampleSize += it.size
	if len(b.sample) >= b.c.Sample || b.sampleSize >= maxSample {
		return b.infer()
	}
	return nil
}

// open starts the Parquet writer once the schema is known.
func (b *builder) open(where string) {
	jsonTextWarnings(b.env, b.schema, where)
	b.w = hfdata.NewWriter(b.dir, b.schema, int64(b.c.ShardSize), int64(b.c.RowGroup))
	b.env.OnInterrupt(func() { hfdata.RemoveTemporary(b.dir) })
}

// infer makes the schema from the sample and writes the sample.
func (b *builder) infer() error {
	in := hfdata.NewInferrer(b.c.Flatten == "json")
	for _, it := range b.sample {
		in.Add(it.obj)
	}
	b.schema = in.Schema()
	b.open("the sample")
	sample := b.sample
	b.sample = nil
	for i, it := range sample {
		if err := b.writeNo(it, b.records-len(sample)+i+1); err != nil {
			return err
		}
	}
	return nil
}

// writeSpool writes every spooled record with the schema of all records.
func (b *builder) writeSpool() error {
	b.schema = b.inferrer.Schema()
	b.open("the records")
	r, err := b.spool.reader()
	if err != nil {
		return err
	}
	defer r.Close()
	for no := 1; ; no++ {
		split, raw, err := r.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		it, err := decode(raw, split)
		if err != nil {
			return fmt.Errorf("spool record %d: %w", no, err)
		}
		if err := b.writeNo(it, no); err != nil {
			return err
		}
	}
}

// writeNo writes the no-th record; one that does not fit the schema is
// reported and skipped (only with --sample N: the schema of all records
// fits every record).
func (b *builder) writeNo(it item, no int) error {
	row, err := b.schema.Row(it.obj)
	var fit *hfdata.FitError
	if errors.As(err, &fit) {
		hint := "" // with --sample 0 the columns come from every record: no flag helps
		if b.c.Sample > 0 {
			hint = " (use --sample 0, or --flatten json)"
		}
		return b.env.Report.Error(fmt.Errorf("record %d (id %q): %v: skipped%s", no, it.id, err, hint))
	}
	if err != nil {
		return err
	}
	return b.w.Write(it.split, row, it.size)
}

// finish closes the shards, writes the card and lists the files.
func (b *builder) finish() (*hfdata.Summary, error) {
	splits, err := b.w.Close()
	if err != nil {
		return nil, err
	}
	if len(splits) == 0 {
		return nil, fmt.Errorf("none of the %d records could be written: no dataset to make", b.records)
	}
	c := b.c
	card := &hfdata.Card{
		Repo: c.Repo, License: c.License, Language: c.Language, TaskCategories: c.TaskCategory, Tags: c.Tag,
		SourceRepo: c.SourceRepo, SourceCommit: c.SourceCommit, Schema: b.schema, Splits: splits, Stats: b.summary,
	}
	if card.SourceRepo == "" {
		card.SourceRepo = b.repo.get()
	}
	if card.SourceCommit == "" {
		card.SourceCommit = b.commit.get()
	}
	if b.summary != nil && b.summary.Records != b.records {
		b.env.Report.Warnf("--stats %s counts %d records; the input has %d: the card's token table is of other data", c.Stats, b.summary.Records, b.records)
	}
	written, err := card.Write(b.dir)
	if err != nil {
		return nil, err
	}
	for _, name := range written {
		b.files = append(b.files, &hfhub.File{Path: name, Local: filepath.Join(b.dir, name)})
	}
	sum := &hfdata.Summary{Repo: c.Repo, Out: b.dir, JSONText: b.schema.Mixed, Splits: splits}
	var rows, bytes int64
	for _, s := range splits {
		rows += s.Rows
		bytes += s.Bytes
		for _, f := range s.Files {
			b.files = append(b.files, &hfhub.File{Path: f, Local: filepath.Join(b.dir, filepath.FromSlash(f))})
		}
	}
	secs := time.Since(b.start).Seconds()
	b.env.Report.Infof("%d rows in %d Parquet file(s), %d bytes, in %.1fs (%.0f rows/s)", rows, len(b.files)-len(written), bytes, secs, float64(rows)/secs)
	return sum, nil
}

// abort removes what was written.
func (b *builder) abort() {
	if b.w != nil {
		b.w.Abort()
	}
	os.Remove(filepath.Join(b.dir, "README.md"))
	os.Remove(filepath.Join(b.dir, hfdata.PlotFile))
}

// spool is a temporary zstd file of records: each line the record's split,
// a tab, and its JSON.
type spool struct {
	f   *os.File
	buf *bufio.Writer
	zw  *zstd.Encoder
}

func newSpool(env *cli.Env) (*spool, error) {
	f, err := os.CreateTemp("", "dw-upload-spool-*.zst")
	if err != nil {
		return nil, err
	}
	env.OnInterrupt(func() { os.Remove(f.Name()) })
	zw, err := zstd.NewWriter(f, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(1))
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &spool{f: f, zw: zw, buf: bufio.NewWriterSize(zw, 1<<20)}, nil
}

func (s *spool) write(split string, raw []byte) error {
	s.buf.WriteString(split)
	s.buf.WriteByte('\t')
	s.buf.Write(raw)
	return s.buf.WriteByte('\n')
}

// reader ends the writing and reads the spool from its start.
func (s *spool) reader() (*spoolReader, error) {
	if err := s.buf.Flush(); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	if err := s.zw.Close(); err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	zr, err := zstd.NewReader(s.f, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<27))
	if err != nil {
		return nil, err
	}
	return &spoolReader{zr: zr, r: bufio.NewReaderSize(zr, 1<<20)}, nil
}

func (s *spool) remove() {
	s.f.Close()
	os.Remove(s.f.Name())
}

type spoolReader struct {
	zr *zstd.Decoder
	r  *bufio.Reader
}

func (r *spoolReader) next() (split string, raw []byte, err error) {
	line, err := r.r.ReadBytes('\n')
	if err == io.EOF && len(line) == 0 {
		return "", nil, io.EOF
	}
	if err != nil {
		return "", nil, fmt.Errorf("spool: %w", err)
	}
	s, raw, ok := bytes.Cut(line[:len(line)-1], []byte{'\t'})
	if !ok {
		return "", nil, fmt.Errorf("spool: a line without a split")
	}
	return string(s), raw, nil
}

func (r *spoolReader) Close() { r.zr.Close() }
