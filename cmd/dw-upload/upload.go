package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/hfdata"
	"github.com/dwkit/dwkit/lib/stats"
	"github.com/dwkit/dwkit/lib/web/hfhub"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Repo         string   `arg:"" name:"OWNER/NAME" help:"The dataset repository on the Hub."`
	Out          string   `placeholder:"DIR" help:"Write the dataset into DIR, a new or empty folder, and stop: nothing is uploaded."`
	DryRun       bool     `help:"Make the dataset in --out DIR (default: ./NAME) and stop: nothing is uploaded."`
	From         string   `placeholder:"DIR" help:"Upload DIR, a dataset made before with --out, as it is; no records are read."`
	ShardSize    cli.Size `default:"500MB" placeholder:"SIZE" help:"Start a new Parquet shard of a split once one reaches SIZE on disk (default 500MiB)."`
	RowGroup     cli.Size `default:"16MiB" placeholder:"SIZE" help:"End a row group once its records reach SIZE of input JSON (default 16MiB)."`
	Sample       int      `default:"0" placeholder:"N" help:"Infer the columns from the first N records (at most 64MiB of them) instead of from all (0, the default)."`
	Flatten      string   `default:"struct" enum:"struct,json" help:"Nested fields as Parquet structs and lists (struct) or as JSON text (json)."`
	License      string   `default:"other" help:"The card's license (a Hub licence id, e.g. apache-2.0)."`
	Language     []string `default:"en" placeholder:"CODE" help:"The card's languages; repeatable or comma-separated (default en)."`
	TaskCategory []string `default:"text-generation" placeholder:"NAME" help:"The card's task_categories (default text-generation)."`
	Tag          []string `default:"code,rust" placeholder:"TAG" help:"The card's tags (default code,rust)."`
	SourceRepo   string   `placeholder:"REPO" help:"The source repository named by the card (default: the records' source.repo when all agree)."`
	SourceCommit string   `placeholder:"SHA" help:"The source commit named by the card (default: the records' source.commit when all agree)."`
	Stats        string   `placeholder:"FILE" help:"dw-stats JSON summary of the records: its table and token histogram go into the card."`
	Private      bool     `help:"Create the repository private (one that exists keeps its visibility)."`
	Branch       string   `default:"main" placeholder:"NAME" help:"Commit to branch NAME, made from main if it does not exist (default main)."`
	PR           bool     `name:"pr" help:"Open a pull request against --branch instead of committing to it."`
	Message      string   `placeholder:"TEXT" help:"The commit message (default: Upload N rows with dw-upload)."`
	Endpoint     string   `env:"HF_ENDPOINT" default:"https://huggingface.co" placeholder:"URL" help:"The Hub to upload to (default https://huggingface.co)."`
	Retries      int      `default:"8" placeholder:"N" help:"Retries of a failed request (408, 429, 5xx, a broken connection) before giving up (default 8)."`
}

// maxSample is the most input a --sample holds in memory.
const maxSample = 64 << 20

// splitFile is a file of a folder of splits: NAME.jsonl, .jsonl.gz or
// .jsonl.zst, as dw-mix --out-dir writes them.
var splitFile = regexp.MustCompile(`^(.+?)\.jsonl(\.gz|\.zst)?$`)

// source is one input: a file or stdin (opened early, so that -o cannot
// name it), and the split its file name gives (in a folder of splits) or "".
type source struct {
	path, split string
	stdin       io.ReadCloser
}

func (c *command) Run(env *cli.Env) error {
	if err := hfhub.CheckRepoID(c.Repo); err != nil {
		return cli.Usagef("%v", err)
	}
	if !licence.MatchString(c.License) {
		return cli.Usagef("--license %q: want a Hub licence id such as apache-2.0, mit or other", c.License)
	}
	if c.Sample < 0 {
		return cli.Usagef("--sample %d: want 0 (all records) or more", c.Sample)
	}
	if err := cli.AtLeast(1, "shard-size", c.ShardSize, "row-group", c.RowGroup); err != nil {
		return cli.Usagef("%v", err)
	}
	if err := cli.AtLeast(0, "retries", c.Retries); err != nil {
		return cli.Usagef("%v", err)
	}
	if c.DryRun && c.Out == "" {
		_, c.Out, _ = strings.Cut(c.Repo, "/")
	}
	if c.From != "" && (c.Out != "" || c.Input.Input != "-") {
		return cli.Usagef("--from uploads a dataset made before: no --out, --dry-run or -i with it")
	}
	upload := c.Out == ""
	if c.From != "" {
		files, err := datasetFiles(c.From)
		if err != nil {
			return cli.Usagef("--from: %v", err)
		}
		pub, err := newPublisher(c, env)
		if err != nil {
			return err
		}
		w, finish, err := env.OpenOutput()
		if err != nil {
			return err
		}
		sum := hfdata.Summary{Repo: c.Repo, Out: c.From, Splits: []hfdata.Split{}}
		return finish(pub.publish(files, &sum, w))
	}
	sources, err := c.sources(env)
	if err != nil {
		return err
	}
	for i, src := range sources { // -o must not name one
		if src.path != "-" {
			env.NoteInputFile(src.path)
		} else if sources[i].stdin, err = env.OpenInput("-"); err != nil {
			return err
		}
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
	var pub *publisher
	if upload {
		if pub, err = newPublisher(c, env); err != nil {
			return err
		}
	}
	dir, made := c.Out, false
	if upload {
		if dir, err = os.MkdirTemp("", "dw-upload-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		env.OnInterrupt(func() { os.RemoveAll(dir) })
	} else if inside(dir, c.Output) {
		return cli.Usagef("-o %s is inside --out %s: it would become part of the dataset", c.Output, dir)
	} else if made, err = makeEmptyDir(dir); err != nil {
		return cli.Usagef("--out: %v", err)
	}
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	b := &builder{c: c, env: env, dir: dir, start: time.Now(), summary: summary}
	err = b.build(sources)
	var sum *hfdata.Summary
	if err == nil {
		sum, err = b.finish()
	}
	if err != nil {
		b.abort()
		if made {
			os.Remove(dir) // only when empty
		}
		return finish(err)
	}
	if !upload {
		return finish(w.Write(sum))
	}
	if n := env.Report.Errors(); n > 0 {
		return finish(fmt.Errorf("%d input error(s) reported: nothing uploaded, so that the dataset holds every record; mend the input (or look with --out DIR)", n))
	}
	sum.Out = ""
	return finish(pub.publish(b.files, sum, w))
}

// inside tells whether file (not stdout) lies in folder dir.
func inside(dir, file string) bool {
	if file == "" || file == "-" {
		return false
	}
	d, err1 := filepath.Abs(dir)
	f, err2 := filepath.Abs(file)
	rel, err3 := filepath.Rel(d, f)
	return err1 == nil && err2 == nil && err3 == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// licence is a Hub licence id.
var licence = regexp.MustCompile(`^[a-z0-9][a-z0-9.+_-]{0,63}$`)

// sources are the inputs: -i FILE or stdin, or every split file of the
// folder -i names.
func (c *command) sources(env *cli.Env) ([]source, error) {
	if c.MaxLine < 1 {
		return nil, cli.Usagef("--max-line %d: want at least one byte", c.MaxLine)
	}
	st, err := os.Stat(c.Input.Input)
	if c.Input.Input == "-" || err != nil || !st.IsDir() {
		return []source{{path: c.Input.Input}}, nil
	}
	entries, err := os.ReadDir(c.Input.Input)
	if err != nil {
		return nil, err
	}
	var out []source
	seen := map[string]string{}
	for _, e := range entries {
		p := filepath.Join(c.Input.Input, e.Name())
		st, err := os.Stat(p) // links followed
		m := splitFile.FindStringSubmatch(e.Name())
		switch {
		case err != nil:
			env.Report.Warnf("-i %s: %s left out: %v", c.Input.Input, e.Name(), err)
			continue
		case st.IsDir():
			continue
		case m == nil || !st.Mode().IsRegular():
			env.Report.Warnf("-i %s: %s left out: not a split file (NAME.jsonl, .jsonl.gz or .jsonl.zst)", c.Input.Input, e.Name())
			continue
		case !hfdata.ValidSplit(m[1]):
			return nil, cli.Usagef("-i %s: %s: %q is not a split name (letters, digits and _, dots between words)", c.Input.Input, e.Name(), m[1])
		}
		low := strings.ToLower(m[1])
		if other := seen[low]; other != "" {
			return nil, cli.Usagef("-i %s: %s and %s name the same split (letter case aside)", c.Input.Input, other, e.Name())
		}
		seen[low] = e.Name()
		out = append(out, source{path: p, split: m[1]})
	}
	if len(out) == 0 {
		return nil, cli.Usagef("-i %s: a folder with no split files (NAME.jsonl, .jsonl.gz or .jsonl.zst)", c.Input.Input)
	}
	return out, nil
}

// makeEmptyDir makes dir, or checks that it is empty: every file in it
// would be uploaded. made tells whether it made it.
func makeEmptyDir(dir string) (made bool, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return true, os.MkdirAll(dir, 0o777)
	}
	if err != nil {
		return false, err
	}
	if len(entries) > 0 {
		return false, fmt.Errorf("%s is not empty: every file in it would be part of the dataset", dir)
	}
	return false, nil
}

// datasetFiles lists the files of a dataset folder made by --out, with
// their paths in the repository: README.md, the data and the plot. A
// folder without a card and Parquet data, or with links or other files,
// is refused: everything in it would be published.
func datasetFiles(dir string) ([]*hfhub.File, error) {
	var files []*hfhub.File
	parquet := 0
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			if rel != "." && rel != "data" {
				return fmt.Errorf("%s: a folder dw-upload does not make", p)
			}
			return nil
		case !d.Type().IsRegular():
			return fmt.Errorf("%s: not a regular file", p)
		case rel == "README.md" || rel == hfdata.PlotFile:
		case strings.HasPrefix(rel, "data/") && strings.HasSuffix(rel, ".parquet") && !strings.HasPrefix(path.Base(rel), "."):
			parquet++
		default:
			return fmt.Errorf("%s: a file dw-upload does not make", p)
		}
		files = append(files, &hfhub.File{Path: rel, Local: p})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if parquet == 0 || !slices.ContainsFunc(files, func(f *hfhub.File) bool { return f.Path == "README.md" }) {
		return nil, fmt.Errorf("%s has no README.md and data/*.parquet: not a dataset made by dw-upload --out", dir)
	}
	return files, nil
}

// item is one record on its way to the writer.
type item struct {
	obj          hfdata.Object
	raw          []byte // the record's JSON, kept only while spooling
	split, id    string
	repo, commit string
	size         int
}

// parse makes an item of a record of a source.
func parse(src source) func(*ndjson.Record) (item, error) {
	return func(rec *ndjson.Record) (item, error) {
		raw, err := rec.MarshalJSON()
		if err != nil {
			return item{}, err
		}
		return decode(raw, src.split)
	}
}

// decode makes an item of a record's JSON. fileSplit, if not "", is the
// split the record's file names; a split field must agree with it.
func decode(raw []byte, fileSplit string) (item, error) {
	v, err := hfdata.Decode(raw)
	if err != nil {
		return item{}, err
	}
	it := item{obj: v.(hfdata.Object), split: "train", raw: raw, size: len(raw)}
	if fileSplit != "" {
		it.split = fileSplit
	}
	if s, ok := it.obj.Get("split"); ok && s != nil {
		name, isString := s.(string)
		if !isString || !hfdata.ValidSplit(name) {
			return item{}, fmt.Errorf(`field "split" is %s: want a split name (letters, digits and _, dots between words)`, short(hfdata.AppendJSON(nil, s)))
		}
		if fileSplit != "" && name != fileSplit {
			return item{}, fmt.Errorf(`field "split" is %q in the file of split %q`, name, fileSplit)
		}
		it.split = name
	}
	it.obj = slices.DeleteFunc(it.obj, func(m hfdata.Member) bool { return m.Key == "split" })
	if id, ok := it.obj.Get("id"); ok {
		it.id, _ = id.(string)
	}
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

// short is JSON text cut to 60 bytes, marked when cut.
func short(b []byte) string {
	if len(b) <= 60 {
		return string(b)
	}
	return strings.ToValidUTF8(string(b[:60]), "") + "…"
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

// jsonTextWarnings reports the fields kept as JSON text.
func jsonTextWarnings(env *cli.Env, s *hfdata.Schema, where string) {
	for _, p := range slices.Sorted(maps.Keys(s.Mixed)) {
		env.Report.Warnf("field %q is stored as JSON text: %s in %s", p, s.Mixed[p], where)
	}
}
