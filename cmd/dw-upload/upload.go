package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/hfdata"
	"github.com/dwkit/dwkit/lib/stats"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Repo         string   `arg:"" name:"OWNER/NAME" help:"The dataset repository on the Hub."`
	Out          string   `placeholder:"DIR" help:"Write the dataset (data/*.parquet, README.md, tokens.png) into DIR, a new or empty folder, instead of uploading it."`
	ShardSize    cli.Size `default:"500MB" placeholder:"SIZE" help:"Start a new Parquet shard of a split once one reaches SIZE on disk (default 500MiB)."`
	RowGroup     cli.Size `default:"16MiB" placeholder:"SIZE" help:"End a row group once its records reach SIZE of input JSON (default 16MiB)."`
	Sample       int      `default:"10000" placeholder:"N" help:"Infer the columns from the first N records (default 10000; at most 64MiB of them)."`
	Flatten      string   `default:"struct" enum:"struct,json" help:"Nested fields as Parquet structs and lists (struct) or as JSON text (json)."`
	License      string   `default:"other" help:"The card's license (a Hub licence id, e.g. apache-2.0)."`
	Language     []string `default:"en" placeholder:"CODE" help:"The card's languages; repeatable or comma-separated."`
	TaskCategory []string `default:"text-generation" placeholder:"NAME" help:"The card's task_categories."`
	Tag          []string `default:"code,rust" placeholder:"TAG" help:"The card's tags."`
	SourceRepo   string   `placeholder:"REPO" help:"The source repository named by the card (default: the records' source.repo when all agree)."`
	SourceCommit string   `placeholder:"SHA" help:"The source commit named by the card (default: the records' source.commit when all agree)."`
	Stats        string   `placeholder:"FILE" help:"dw-stats JSON summary of the records: its table and token histogram go into the card."`
}

// maxSample is the most input the sample holds in memory.
const maxSample = 64 << 20

var repoName = regexp.MustCompile(`^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$`)

// item is one record on its way to the writer.
type item struct {
	obj          hfdata.Object
	split, id    string
	repo, commit string
	size         int
}

// uniform tracks whether a value is the same in every record.
type uniform struct {
	value string
	seen  bool
	mixed bool
}

func (u *uniform) add(v string) {
	switch {
	case !u.seen:
		u.value, u.seen = v, true
	case v != u.value:
		u.mixed = true
	}
}

func (u *uniform) get() string {
	if u.mixed {
		return ""
	}
	return u.value
}

func (c *command) Run(env *cli.Env) error {
	if !repoName.MatchString(c.Repo) {
		return cli.Usagef("%q: want OWNER/NAME", c.Repo)
	}
	if c.Out == "" {
		return cli.Usagef("uploading to the Hub is not built yet: write the dataset with --out DIR to look at it")
	}
	if c.Sample < 1 {
		return cli.Usagef("--sample %d: want at least 1", c.Sample)
	}
	if err := cli.AtLeast(1, "shard-size", c.ShardSize, "row-group", c.RowGroup); err != nil {
		return cli.Usagef("%v", err)
	}
	var summary *stats.Summary
	if c.Stats != "" {
		data, err := env.ReadSideFile(c.Stats, 64<<20)
		if err != nil {
			return cli.Usagef("--stats: %v", err)
		}
		summary = new(stats.Summary)
		if err := json.Unmarshal(data, summary); err != nil || summary.Tokens.Percentiles == nil {
			return cli.Usagef("--stats %s: not a dw-stats JSON summary", c.Stats)
		}
	}
	if err := makeEmptyDir(c.Out); err != nil {
		return cli.Usagef("--out: %v", err)
	}
	u := &upload{c: c, env: env, start: time.Now(), summary: summary}
	fn := func(rec *ndjson.Record) (item, error) {
		raw, err := rec.MarshalJSON()
		if err != nil {
			return item{}, err
		}
		v, err := hfdata.Decode(raw)
		if err != nil {
			return item{}, err
		}
		it := item{obj: v.(hfdata.Object), split: "train", size: len(raw)}
		if s, ok := it.obj.Get("split"); ok && s != nil {
			name, isString := s.(string)
			if !isString || !hfdata.ValidSplit(name) {
				return item{}, fmt.Errorf(`field "split": want a split name of letters, digits and _`)
			}
			it.split = name
		}
		it.obj = slices.DeleteFunc(it.obj, func(m hfdata.Member) bool { return m.Key == "split" })
		it.id, _ = rec.ID()
		if src, ok := it.obj.Get("source"); ok {
			if o, ok := src.(hfdata.Object); ok {
				r, _ := o.Get("repo")
				c, _ := o.Get("commit")
				it.repo, _ = r.(string)
				it.commit, _ = c.(string)
			}
		}
		return it, nil
	}
	err := cli.Stream(env, &c.Input, fn, u.add, u.end)
	if err != nil && u.w != nil {
		u.w.Abort()
	}
	if err != nil {
		os.Remove(filepath.Join(c.Out, "README.md"))
		os.Remove(filepath.Join(c.Out, hfdata.PlotFile))
	}
	return err
}

// makeEmptyDir makes dir, or checks that it is empty: every file in it
// would be uploaded.
func makeEmptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return os.MkdirAll(dir, 0o777)
	}
	if err != nil {
		return err
	}
	if len(entries) > 0 {
		return fmt.Errorf("%s is not empty: every file in it would be part of the dataset", dir)
	}
	return nil
}

// upload is the state of one run.
type upload struct {
	c       *command
	env     *cli.Env
	start   time.Time
	sample  []item
	size    int
	records int
	schema  *hfdata.Schema
	w       *hfdata.Writer
	repo    uniform
	summary *stats.Summary
	commit  uniform
}

func (u *upload) add(it item, _ *ndjson.Writer) error {
	u.records++
	u.repo.add(it.repo)
	u.commit.add(it.commit)
	if u.schema != nil {
		return u.write(it)
	}
	u.sample = append(u.sample, it)
	u.size += it.size
	if len(u.sample) >= u.c.Sample || u.size >= maxSample {
		return u.infer()
	}
	return nil
}

// infer makes the schema from the sample and writes the sample.
func (u *upload) infer() error {
	in := hfdata.NewInferrer(u.c.Flatten == "json")
	for _, it := range u.sample {
		in.Add(it.obj)
	}
	u.schema = in.Schema()
	for _, p := range slices.Sorted(maps.Keys(u.schema.Mixed)) {
		u.env.Report.Warnf("field %q has values of several JSON types (%s) in the sample: stored as JSON text", p, u.schema.Mixed[p])
	}
	u.w = hfdata.NewWriter(u.c.Out, u.schema, int64(u.c.ShardSize), int64(u.c.RowGroup))
	u.env.OnInterrupt(func() { hfdata.RemoveTemporary(u.c.Out) })
	sample := u.sample
	u.sample = nil
	for i, it := range sample {
		if err := u.writeNo(it, u.records-len(sample)+i+1); err != nil {
			return err
		}
	}
	return nil
}

func (u *upload) write(it item) error { return u.writeNo(it, u.records) }

// writeNo writes the no-th record; one that does not fit the schema is
// reported and skipped.
func (u *upload) writeNo(it item, no int) error {
	row, err := u.schema.Row(it.obj)
	var fit *hfdata.FitError
	if errors.As(err, &fit) {
		return u.env.Report.Error(fmt.Errorf("record %d (id %q): %v: skipped (raise --sample, or --flatten json)", no, it.id, err))
	}
	if err != nil {
		return err
	}
	return u.w.Write(it.split, row, it.size)
}

func (u *upload) end(w *ndjson.Writer) error {
	if u.schema == nil {
		if len(u.sample) == 0 {
			return fmt.Errorf("no records: no dataset to write")
		}
		if err := u.infer(); err != nil {
			return err
		}
	}
	splits, err := u.w.Close()
	if err != nil {
		return err
	}
	card := &hfdata.Card{
		Repo: u.c.Repo, License: u.c.License, Language: u.c.Language, TaskCategories: u.c.TaskCategory, Tags: u.c.Tag,
		SourceRepo: u.c.SourceRepo, SourceCommit: u.c.SourceCommit, Schema: u.schema, Splits: splits,
	}
	if card.SourceRepo == "" {
		card.SourceRepo = u.repo.get()
	}
	if card.SourceCommit == "" {
		card.SourceCommit = u.commit.get()
	}
	card.Stats = u.summary
	if u.summary != nil && u.summary.Records != u.records {
		u.env.Report.Warnf("--stats %s counts %d records; the input has %d: the card's token table is of other data", u.c.Stats, u.summary.Records, u.records)
	}
	if _, err := card.Write(u.c.Out); err != nil {
		return err
	}
	var rows, files, bytes int64
	out := hfdata.Summary{Repo: u.c.Repo, Out: u.c.Out, JSONText: u.schema.Mixed, Splits: splits}
	for _, s := range splits {
		rows += s.Rows
		files += int64(len(s.Files))
		bytes += s.Bytes
	}
	secs := time.Since(u.start).Seconds()
	u.env.Report.Infof("%d rows in %d Parquet file(s), %d bytes, in %s (%.0f rows/s); card %s",
		rows, files, bytes, u.c.Out, float64(rows)/secs, filepath.Join(u.c.Out, "README.md"))
	return w.Write(out)
}
