package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/deepwiki"
	"github.com/dwkit/dwkit/lib/markdown"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Files    []string `arg:"" optional:"" name:"PAGE.md" help:"Markdown files to split instead of page records."`
	By       string   `default:"heading" enum:"heading,rule" help:"Split at headings or at --- rules."`
	Levels   string   `default:"1-3" placeholder:"RANGE" help:"Heading levels that start a chunk: 1-3, 2, 2-3 ..."`
	MinChars int      `default:"100" placeholder:"N" help:"With --by rule, a shorter section joins the next one."`
}

func (c *command) Run(env *cli.Env) error {
	opt := markdown.Options{ByRule: c.By == "rule", MinChars: c.MinChars}
	lo, hi, ok := strings.Cut(c.Levels, "-")
	if !ok {
		hi = lo
	}
	var err1, err2 error
	opt.MinLevel, err1 = strconv.Atoi(lo)
	opt.MaxLevel, err2 = strconv.Atoi(hi)
	if err1 != nil || err2 != nil || opt.MinLevel < 1 || opt.MaxLevel > 6 || opt.MinLevel > opt.MaxLevel {
		return cli.Usagef("--levels %q: want a range of heading levels such as 1-3 or 2", c.Levels)
	}
	split := func(rec *ndjson.Record) ([]*ndjson.Record, error) { return splitPage(rec, opt) }
	if len(c.Files) == 0 {
		return cli.Filter(env, &c.Input, split)
	}
	for _, f := range c.Files {
		env.NoteInputFile(f)
	}
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	return finish(c.splitFiles(env, w, split))
}

// splitFiles writes the chunks of each markdown file of the command line.
func (c *command) splitFiles(env *cli.Env, w *ndjson.Writer, split func(*ndjson.Record) ([]*ndjson.Record, error)) error {
	for _, f := range c.Files {
		rec, n, err := fileRecord(f, int64(c.MaxLine))
		if n > 0 {
			env.Report.Warnf("%s: %d invalid UTF-8 sequence(s) replaced by U+FFFD", f, n)
		}
		var recs []*ndjson.Record
		if err == nil {
			recs, err = split(rec)
		}
		if err != nil {
			if err := env.Report.Error(fmt.Errorf("%s: %w", f, err)); err != nil {
				return err
			}
			continue
		}
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// pageIDRE reads a page id from a file name such as 3.2-garbage-collection.md.
var pageIDRE = regexp.MustCompile(`^(\d+(?:\.\d+)*)[-_ ]`)

// readPage reads a markdown file (.gz and .zst decompressed by name) of at
// most max bytes: a FIFO, a device or a larger file is refused, not read.
func readPage(path string, max int64) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, errors.Unwrap(err) // the caller names the file
	}
	if !st.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	rc, err := ndjson.Open(path, nil)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, max+1))
	if err == nil && int64(len(data)) > max {
		err = fmt.Errorf("over --max-line %d bytes", max)
	}
	return data, err
}

// fileRecord makes a page record of a markdown file. It also returns how
// many invalid UTF-8 sequences it replaced.
func fileRecord(path string, max int64) (*ndjson.Record, int, error) {
	data, err := readPage(path, max)
	if err != nil {
		return nil, 0, err
	}
	data, replaced := ndjson.ValidText(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	page := deepwiki.Page{}
	if m := pageIDRE.FindStringSubmatch(filepath.Base(path)); m != nil {
		page.ID = m[1]
	}
	for _, line := range strings.Split(string(data), "\n") {
		if t, ok := strings.CutPrefix(line, "# "); ok {
			page.Title = strings.TrimSpace(t)
			break
		}
	}
	rec := &ndjson.Record{}
	return rec, replaced, errors.Join(
		rec.SetValue("id", path),
		rec.SetValue("kind", "page"),
		rec.SetValue("text", string(data)),
		rec.SetValue("source", ndjson.Source{Path: path, StartLine: 1, EndLine: 1 + bytes.Count(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")), EndByte: len(data)}),
		rec.SetValue("doc", page.Field(0, "", "file")),
	)
}

// splitPage makes the chunk records of one page record.
func splitPage(rec *ndjson.Record, opt markdown.Options) ([]*ndjson.Record, error) {
	text, err := rec.Text()
	if err != nil {
		return nil, err
	}
	parent, err := rec.ID()
	if err != nil {
		return nil, err
	}
	src := []byte(text)
	var doc deepwiki.PageField
	if rec.Get("doc") != nil {
		if err := rec.Decode("doc", &doc); err != nil {
			return nil, err
		}
	}
	chunks := markdown.Split(src, opt)
	if len(chunks) == 0 {
		return nil, errors.New("the page has no text to split (only white space)")
	}
	out := make([]*ndjson.Record, 0, len(chunks))
	for i, cf := range markdown.ChunkFields(src, chunks, doc.Page, doc.Title) {
		body := src[cf.StartByte:cf.EndByte]
		cr := rec.Clone()
		err := errors.Join(
			cr.SetValue("id", chunkID(parent, i, body)),
			cr.SetValue("kind", "chunk"),
			cr.SetValue("text", string(body)),
			cr.SetValue("chunk", cf),
		)
		if err != nil {
			return nil, err
		}
		out = append(out, cr)
	}
	return out, nil
}

// chunkID is stable: the page's id, the chunk's place and its text.
func chunkID(page string, index int, body []byte) string {
	return ndjson.NewID("dc-", page, strconv.Itoa(index), string(body))
}
