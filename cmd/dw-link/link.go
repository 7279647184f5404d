package main

import (
	"fmt"
	"sort"
	"sync"

	"github.com/dwkit/dwkit/lib/callgraph"
	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/markdown"
	"github.com/dwkit/dwkit/lib/repo"
	"github.com/dwkit/dwkit/lib/rust"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Repo    string `required:"" placeholder:"DIR" help:"The local checkout the citations point into."`
	Context int    `default:"0" placeholder:"N" help:"Lines of context before and after each cited range."`
	Items   string `placeholder:"FILE" help:"dw-callgraph records of the same checkout: each snippet lists the functions it overlaps, with their call graph."`
}

func (c *command) Run(env *cli.Env) error {
	if c.Context < 0 {
		return cli.Usagef("--context must not be negative")
	}
	r, err := repo.OpenCheckout(c.Repo)
	if err != nil {
		return fmt.Errorf("--repo: %w", err)
	}
	if c.Output != "" && c.Output != "-" && r.Holds(c.Output) {
		return cli.Usagef("-o %s is inside --repo %s: it could replace a file the citations read", c.Output, c.Repo)
	}
	var fns *functions
	if c.Items != "" {
		if fns, err = readFunctions(env, c.Items, int(c.MaxLine)); err != nil {
			return err
		}
	}
	var mu sync.Mutex
	var snippets, missing, refused, ambiguous int
	var stats repo.LinkStats
	err = cli.Filter(env, &c.Input, func(rec *ndjson.Record) ([]*ndjson.Record, error) {
		var chunk markdown.ChunkField
		if err := rec.Decode("chunk", &chunk); err != nil {
			return nil, err
		}
		cites := make([]repo.Cite, len(chunk.Citations))
		for i, ct := range chunk.Citations {
			cites[i] = repo.Cite{Path: ct.Path, Start: ct.Start, End: ct.End, Commit: ct.Commit}
		}
		src, err := rec.Source()
		if err != nil {
			return nil, err
		}
		id, err := rec.ID()
		if err != nil {
			return nil, err
		}
		lf, warnings, st := r.Link(src.Commit, cites, chunk.RelevantFiles, c.Context)
		if fns != nil {
			for i := range lf.Snippets {
				lf.Snippets[i].Functions = fns.overlapping(lf.Snippets[i].Path, lf.Snippets[i].Start, lf.Snippets[i].End)
			}
		}
		for _, w := range warnings {
			env.Report.Warnf("%s: %s", id, w)
		}
		mu.Lock()
		snippets += len(lf.Snippets)
		missing += len(lf.Missing)
		refused += len(lf.Refused)
		ambiguous += len(lf.Ambiguous)
		stats.Changed += st.Changed
		stats.ByRelevant += st.ByRelevant
		stats.BySuffix += st.BySuffix
		mu.Unlock()
		return []*ndjson.Record{rec}, rec.SetValue("link", lf)
	})
	if err != nil {
		return err
	}
	env.Report.Infof("%d snippets; %d cited files missing, %d refused; %d cited ranges changed to fit; partial paths: %d found by relevant files, %d by suffix, %d ambiguous",
		snippets, missing, refused, stats.Changed, stats.ByRelevant, stats.BySuffix, ambiguous)
	return nil
}

// functions are the function records of --items, by file.
type functions struct {
	byPath map[string][]repo.Function
}

// readFunctions reads the functions of dw-callgraph's records (other kinds
// are passed over; a function without a "graph" field is listed without
// one).
func readFunctions(env *cli.Env, name string, maxLine int) (*functions, error) {
	if err := env.CheckNotInput(name); err != nil {
		return nil, err
	}
	rc, err := env.OpenInput(name)
	if err != nil {
		return nil, fmt.Errorf("--items: %w", err)
	}
	defer rc.Close()
	fns := &functions{byPath: map[string][]repo.Function{}}
	type fn struct {
		path string
		f    repo.Function
	}
	err = cli.ReadEach(env, rc, name, maxLine, func(rec *ndjson.Record) (*fn, error) {
		if kind, err := rec.Kind(); err != nil || kind != "fn" {
			return nil, err
		}
		src, err := rec.Source()
		if err != nil {
			return nil, err
		}
		id, err := rec.ID()
		if err != nil {
			return nil, err
		}
		var item rust.ItemField
		if err := rec.Decode("rust", &item); err != nil {
			return nil, err
		}
		out := &fn{path: src.Path, f: repo.Function{ID: id, StartLine: src.StartLine, EndLine: src.EndLine}}
		if item.Item != nil {
			out.f.Path = item.Path
		}
		if rec.Get("graph") != nil {
			out.f.Graph = new(callgraph.FnGraph)
			if err := rec.Decode("graph", out.f.Graph); err != nil {
				return nil, err
			}
		}
		return out, nil
	}, func(f *fn, _ int) error {
		if f != nil {
			fns.byPath[f.path] = append(fns.byPath[f.path], f.f)
		}
		return nil
	})
	for _, list := range fns.byPath {
		sort.SliceStable(list, func(i, j int) bool { return list[i].StartLine < list[j].StartLine })
	}
	return fns, err
}

// overlapping are the functions of path whose lines meet [start, end], in
// line order.
func (fs *functions) overlapping(path string, start, end int) []repo.Function {
	var out []repo.Function
	for _, f := range fs.byPath[path] {
		if f.StartLine <= end && start <= f.EndLine {
			out = append(out, f)
		}
	}
	return out
}
