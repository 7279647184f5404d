package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/dwkit/dwkit/lib/cli"
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

// chunkField is a chunk record's "chunk" field.
type chunkField struct {
	Index         int                 `json:"index"`
	Of            int                 `json:"of"`
	Heading       string              `json:"heading"`
	Level         int                 `json:"level"`
	Breadcrumb    []string            `json:"breadcrumb"`
	Page          string              `json:"page,omitempty"`
	PageTitle     string              `json:"page_title,omitempty"`
	StartByte     int                 `json:"start_byte"`
	EndByte       int                 `json:"end_byte"`
	StartLine     int                 `json:"start_line"`
	EndLine       int                 `json:"end_line"`
	Stats         markdown.Stats      `json:"stats"`
	Citations     []markdown.Citation `json:"citations"`
	Links         []markdown.Link     `json:"links"`
	RelevantFiles []string            `json:"relevant_files,omitempty"`
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
		rec, n, err := fileRecord(f)
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

// fileRecord makes a page record of a markdown file. It also returns how
// many invalid UTF-8 sequences it replaced.
func fileRecord(path string) (*ndjson.Record, int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	data, replaced := ndjson.ValidText(data)
	doc := map[string]string{}
	if m := pageIDRE.FindStringSubmatch(filepath.Base(path)); m != nil {
		doc["page"] = m[1]
	}
	for _, line := range strings.Split(string(data), "\n") {
		if t, ok := strings.CutPrefix(line, "# "); ok {
			doc["title"] = strings.TrimSpace(t)
			break
		}
	}
	rec := &ndjson.Record{}
	return rec, replaced, errors.Join(
		rec.SetValue("id", path),
		rec.SetValue("kind", "page"),
		rec.SetValue("text", string(data)),
		rec.SetValue("source", map[string]string{"path": path}),
		rec.SetValue("doc", doc),
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
	pageID, pageTitle := rec.LookupText("doc.page"), rec.LookupText("doc.title")
	relevant := markdown.RelevantFiles(src)
	chunks := markdown.Split(src, opt)
	if len(chunks) == 0 {
		return nil, errors.New("the page has no text to split (only white space)")
	}
	out := make([]*ndjson.Record, 0, len(chunks))
	for i, ch := range chunks {
		body := src[ch.Start:ch.End]
		a := markdown.Analyze(body)
		cf := chunkField{
			Index: i, Of: len(chunks), Heading: ch.Heading, Level: ch.Level, Breadcrumb: ch.Breadcrumb,
			Page: pageID, PageTitle: pageTitle, StartByte: ch.Start, EndByte: ch.End,
			StartLine: 1 + bytes.Count(src[:ch.Start], []byte("\n")),
			EndLine:   1 + bytes.Count(src[:ch.End], []byte("\n")) - boolInt(bytes.HasSuffix(body, []byte("\n"))),
			Stats:     a.Stats, Citations: a.Citations, Links: a.Links, RelevantFiles: relevant,
		}
		if cf.Citations == nil {
			cf.Citations = []markdown.Citation{}
		}
		if cf.Links == nil {
			cf.Links = []markdown.Link{}
		}
		cr := &ndjson.Record{Fields: append([]ndjson.Field(nil), rec.Fields...)}
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

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// chunkID is stable: the page's id, the chunk's place and its text.
func chunkID(page string, index int, body []byte) string {
	return ndjson.NewID("dc-", page, strconv.Itoa(index), string(body))
}
