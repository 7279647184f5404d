package main

import (
	"bytes"
	"strings"

	"github.com/dwkit/dwkit/lib/callgraph"
	"github.com/dwkit/dwkit/lib/cargo"
	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/rust"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Index  string `placeholder:"FILE" help:"Resolve against the records of FILE (a whole workspace); write only the input's records."`
	Format string `default:"records" enum:"records,graph" help:"records: the input, enriched; graph: the edges."`
	Dot    bool   `help:"Write the call graph as Graphviz instead."`
	Depth  int    `default:"2" help:"Levels of the text tree."`
	Fanout int    `default:"8" help:"Callees shown per function in the text tree."`
}

// rec is an input record with what dw-callgraph reads of it: its "rust"
// field as the record's kind has it.
type rec struct {
	raw    *ndjson.Record
	kind   string
	id     string
	text   string
	source ndjson.Source
	item   *rust.ItemField   // items
	file   *rust.FileField   // files
	crate  *cargo.CrateField // crates and workspaces
}

// parse reads a record; keep says whether the record itself is kept for
// writing back, which only the records of --format records need.
func parse(r *ndjson.Record, keep bool) (*rec, error) {
	x := &rec{}
	if keep {
		x.raw = r
	}
	var err error
	if x.kind, err = r.Kind(); err != nil {
		return nil, err
	}
	if x.id, err = r.ID(); err != nil {
		return nil, err
	}
	if x.source, err = r.Source(); err != nil {
		return nil, err
	}
	var field any
	switch {
	case x.kind == "file":
		x.file = &rust.FileField{}
		field = x.file
	case x.kind == "crate" || x.kind == "workspace":
		x.crate = &cargo.CrateField{}
		field = x.crate
	case rust.IsItemKind(x.kind):
		x.item = &rust.ItemField{}
		field = x.item
	default:
		return x, nil
	}
	if r.Get("rust") != nil {
		if err := r.Decode("rust", field); err != nil {
			return nil, err
		}
	}
	if x.file != nil && x.file.Uses == nil { // parsed again: its calls did not come with the records
		if x.text, err = r.Text(); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// Validate refuses a tree of negative size.
func (c *command) Validate() error { return cli.AtLeast(0, "depth", c.Depth, "fanout", c.Fanout) }

func (c *command) Run(env *cli.Env) error {
	keep := c.Format == "records" && !c.Dot
	recs, err := cli.ReadInput(env, &c.Input, func(r *ndjson.Record) (*rec, error) { return parse(r, keep) })
	if err != nil {
		return err
	}
	all := recs
	if c.Index != "" {
		f, err := env.OpenInput(c.Index)
		if err != nil {
			return err
		}
		idx, err := cli.ReadAll(env, f, c.Index, int(c.MaxLine), func(r *ndjson.Record) (*rec, error) { return parse(r, false) })
		f.Close()
		if err != nil {
			return err
		}
		all = append(append([]*rec(nil), idx...), recs...)
	}
	items, files, crates := workspace(all)
	g := callgraph.Build(items, files, crates, c.Workers)
	for _, err := range g.Errors() {
		env.Report.Warnf("%v", err)
	}
	for _, cycle := range g.Cycles() {
		env.Report.Warnf("crate dependency cycle: %s", strings.Join(cycle, " -> "))
	}
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	switch {
	case c.Dot:
		var b bytes.Buffer
		if err = g.WriteDot(&b, fns(recs)); err == nil {
			err = w.WriteLines(b.Bytes())
		}
	case c.Format == "graph":
		err = writeEdges(w, g.Edges(fns(recs)))
	default:
		err = writeRecords(w, g, recs, c.Depth, c.Fanout)
	}
	if err := finish(err); err != nil {
		return err
	}
	n := g.Counts()
	env.Report.Infof("%d functions: %d calls resolved, %d unresolved, %d macro uses, %d constructors, %d functions passed as values",
		n.Functions, n.Resolved, n.Unresolved, n.Macros, n.Constructors, n.References)
	return nil
}

// workspace maps the records to what callgraph.Build takes: each item and
// file once (a subset's records may also be in the --index), every crate.
func workspace(recs []*rec) (items []*callgraph.Item, files []*callgraph.File, crates []callgraph.Crate) {
	seen := map[string]bool{}
	for _, r := range recs {
		if r.kind == "crate" || r.kind == "workspace" { // a workspace's root: which packages it unifies
			crates = append(crates, callgraph.Crate{Name: r.crate.Crate, Manifest: r.crate.Manifest})
		}
		key := r.kind + "\x00" + r.id
		if r.id == "" || seen[key] {
			continue
		}
		seen[key] = true
		switch {
		case r.file != nil:
			f := &callgraph.File{Path: r.source.Path, Module: r.file.Module, Text: r.text, Docs: r.file.Docs}
			r.text = ""             // Build parses it once, then frees it
			if r.file.Uses != nil { // dw-rustparse --calls: not parsed again
				f.Calls, f.Text = &rust.Calls{Uses: *r.file.Uses}, ""
			}
			files = append(files, f)
		case r.item != nil && r.item.Item != nil:
			ri := r.item.Item
			ri.Kind, ri.StartByte, ri.EndByte, ri.StartLine = r.kind, r.source.StartByte, r.source.EndByte, r.source.StartLine
			it := callgraph.NewItem(r.id, r.item.Crate, r.source.Path, ri)
			if r.kind == "fn" && r.item.HasBody {
				it.Body = &rust.FnBody{Vars: r.item.Vars, Lets: r.item.Lets, Uses: r.item.Uses, Calls: r.item.Calls}
			}
			r.item = nil // read: its docs, attributes and calls need not stay (Build frees the calls once resolved)
			items = append(items, it)
		}
	}
	return items, files, crates
}

// fns lists the ids of the function records, in order.
func fns(recs []*rec) []string {
	var ids []string
	for _, r := range recs {
		if r.kind == "fn" {
			ids = append(ids, r.id)
		}
	}
	return ids
}

func writeEdges(w *ndjson.Writer, edges []callgraph.Edge) error {
	for _, e := range edges {
		if err := w.Write(e); err != nil {
			return err
		}
	}
	return nil
}

// writeRecords writes the records back, a function's and a crate's with
// their "graph" field.
func writeRecords(w *ndjson.Writer, g *callgraph.Graph, recs []*rec, depth, fanout int) error {
	for _, r := range recs {
		switch r.kind {
		case "fn":
			if err := r.raw.SetValue("graph", g.FnGraph(r.id, depth, fanout)); err != nil {
				return err
			}
		case "crate":
			if cg, ok := g.CrateGraph(r.crate.Crate); ok {
				if err := r.raw.SetValue("graph", cg); err != nil {
					return err
				}
			}
		}
		if err := w.Write(r.raw); err != nil {
			return err
		}
	}
	return nil
}
