package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/stats"
	"github.com/dwkit/dwkit/lib/token"
	"github.com/dwkit/dwkit/lib/window"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	By        []string `placeholder:"FIELD" help:"Count records by the values of FIELD (dotted path, e.g. rust.crate); repeatable."`
	Bin       int      `default:"100" placeholder:"N" help:"Histogram bin width in tokens."`
	Buckets   string   `default:"1k-4k,4k-10k,10k-16k" placeholder:"LIST" help:"Size buckets whose shares are reported (k = 1,000)."`
	Format    string   `default:"json" enum:"json,table" help:"Output: json or table."`
	Plot      string   `placeholder:"FILE" help:"Draw the token histogram into FILE.svg or FILE.png."`
	Tokenizer string   `default:"cl100k_base" placeholder:"NAME" help:"Tokenizer for records without tokens.count."`
}

// row is what one record contributes.
type row struct {
	kind   string
	values []string
	tokens int
}

func (c *command) Run(env *cli.Env) error {
	if c.Bin <= 0 {
		return cli.Usagef("--bin must be positive")
	}
	buckets, err := stats.ParseBuckets(c.Buckets)
	if err != nil {
		return cli.Usagef("--buckets: %v", err)
	}
	if ext := strings.ToLower(filepath.Ext(c.Plot)); c.Plot != "" && ext != ".svg" && ext != ".png" {
		return cli.Usagef("--plot %s: want a .svg or .png file", c.Plot)
	}
	if c.Plot != "" && c.Plot == c.Output {
		return cli.Usagef("--plot and -o are both %s", c.Plot)
	}
	env.NoteInputFile(c.Tokenizer) // when it is a file: no output may replace it
	tok, err := token.Open(c.Tokenizer)
	if err != nil {
		return cli.Usagef("--tokenizer: %v", err)
	}
	encoders := sync.Pool{New: func() any { return tok.NewEncoder() }}
	fn := func(rec *ndjson.Record) (row, error) {
		r := row{values: make([]string, len(c.By))}
		var err error
		if r.kind, err = rec.Kind(); err != nil {
			return r, err
		}
		for i, f := range c.By {
			r.values[i] = rec.LookupText(f)
		}
		if rec.Get("tokens") != nil { // counted already, by dw-tokwindow
			var t window.TokensField
			if err := rec.Decode("tokens", &t); err != nil {
				return r, err
			}
			if t.Count < 0 || t.Count > 1<<40 {
				return r, fmt.Errorf(`field "tokens": count %d is no token count`, t.Count)
			}
			r.tokens = t.Count
			return r, nil
		}
		text, err := rec.Text()
		if err != nil {
			return r, fmt.Errorf("no tokens.count and %v", err)
		}
		enc := encoders.Get().(*token.Encoder)
		r.tokens = enc.Count(text, false)
		encoders.Put(enc)
		return r, nil
	}
	col := stats.NewCollector(c.By, c.Bin, buckets)
	sink := func(r row, _ *ndjson.Writer) error {
		col.Add(r.kind, r.values, r.tokens)
		return nil
	}
	end := func(w *ndjson.Writer) error {
		s := col.Summary()
		if c.Plot != "" {
			if err := env.CheckNotInput(c.Plot); err != nil {
				return err
			}
			if err := c.plot(s); err != nil {
				return err
			}
		}
		if c.Format == "table" {
			var b bytes.Buffer
			stats.WriteTable(&b, s)
			return w.WriteLines(b.Bytes())
		}
		return w.Write(s)
	}
	return cli.Stream(env, &c.Input, fn, sink, end)
}

func (c *command) plot(s stats.Summary) error {
	f, err := ndjson.Create(c.Plot, nil) // a temporary file, renamed when whole
	if err != nil {
		return err
	}
	title := fmt.Sprintf("tokens per record: %d records, bins of %d", s.Records, c.Bin)
	if strings.EqualFold(filepath.Ext(c.Plot), ".png") {
		err = stats.WritePNG(f, s, title)
	} else {
		err = stats.WriteSVG(f, s, title)
	}
	if err != nil {
		f.Abort()
		return err
	}
	return f.Close()
}
