package main

import (
	"fmt"
	"sync"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/markdown"
	"github.com/dwkit/dwkit/lib/repo"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Repo    string `required:"" placeholder:"DIR" help:"The local checkout the citations point into."`
	Context int    `default:"0" placeholder:"N" help:"Lines of context before and after each cited range."`
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
