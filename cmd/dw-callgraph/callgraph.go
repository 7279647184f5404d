package main

import (
	"slices"
	"sort"
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
		if x.text, err = r.Text(); err != nil { // only files' text is parsed again
			return nil, err
		}
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
	if r.Get("rust") == nil {
		return x, nil
	}
	return x, r.Decode("rust", field)
}

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
	g := build(env, all, c.Workers)
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	switch {
	case c.Dot:
		err = g.writeDot(w, recs)
	case c.Format == "graph":
		err = g.writeEdges(w, recs)
	default:
		err = g.writeRecords(w, recs, c.Depth, c.Fanout)
	}
	if err := finish(err); err != nil {
		return err
	}
	env.Report.Infof("%d functions: %d calls resolved, %d unresolved, %d macro uses", g.fns, g.resolved, g.unresolved, g.macros)
	return nil
}

// graph is the resolved workspace.
type graph struct {
	index                             *callgraph.Index
	calls                             map[string]callgraph.Resolved // by caller id
	callers                           map[string][]caller           // by callee id
	crates                            map[string]*crateNode
	fns, resolved, unresolved, macros int
}

type caller struct {
	item *callgraph.Item
	line int
}

type crateNode struct {
	name      string
	dependsOn []string
	usedBy    []string
	uses      map[string]map[string]bool // dependency crate → callee paths
}

// build indexes the records, extracts the calls of every file (in
// parallel) and resolves them.
func build(env *cli.Env, recs []*rec, workers int) *graph {
	var items []*callgraph.Item
	var files []*rec
	done := map[string]bool{} // files whose calls dw-rustparse --calls wrote
	var precomputed []*callgraph.File
	type fnRec struct {
		item *callgraph.Item
		r    *rec
	}
	var fns []fnRec
	seen := map[string]bool{} // a subset's records may also be in the --index
	for _, r := range recs {
		key := r.kind + "\x00" + r.id
		if r.id == "" || seen[key] {
			continue
		}
		seen[key] = true
		switch r.kind {
		case "file":
			if r.file.Uses != nil {
				done[r.source.Path] = true
				precomputed = append(precomputed, &callgraph.File{Path: r.source.Path, Module: r.file.Module, Calls: &rust.Calls{Uses: *r.file.Uses}})
			} else {
				files = append(files, r)
			}
		case "fn", "struct", "enum", "union", "trait", "impl", "mod", "macro", "const", "static", "type":
			if r.item.Item == nil {
				continue // an item record without its "rust" field
			}
			it := &callgraph.Item{ID: r.id, Kind: r.kind, Name: r.item.Name, Path: r.item.Path,
				Module: r.item.Module, Parent: r.item.Parent, Impl: r.item.Impl, File: r.source.Path,
				Start: r.source.StartByte, End: r.source.EndByte, Line: r.source.StartLine}
			items = append(items, it)
			if r.kind == "fn" {
				fns = append(fns, fnRec{it, r})
			}
		}
	}
	type extracted struct {
		file  *callgraph.File
		calls *rust.Calls
	}
	var parsed []extracted
	ndjson.Ordered(workers, slices.Values(files), func(f *rec) extracted {
		calls, err := rust.ExtractCalls([]byte(f.text), 0)
		if err != nil {
			env.Report.Warnf("%s: %v", f.source.Path, err)
		}
		return extracted{&callgraph.File{Path: f.source.Path, Module: f.file.Module, Calls: calls}, calls}
	}, func(e extracted) error { parsed = append(parsed, e); return nil })
	cfiles := precomputed
	for _, e := range parsed {
		cfiles = append(cfiles, e.file)
	}
	g := &graph{index: callgraph.NewIndex(items, cfiles), calls: map[string]callgraph.Resolved{}, callers: map[string][]caller{}}
	resolve := func(fn *callgraph.Item, body *rust.FnBody) {
		r := g.index.Resolve(fn, body)
		callgraph.SortCalls(r.Calls)
		g.calls[fn.ID] = r
		g.fns++
		g.resolved += len(r.Calls)
		g.unresolved += len(r.Unresolved)
		g.macros += len(r.Macros)
		for _, call := range r.Calls {
			g.callers[call.Callee.ID] = append(g.callers[call.Callee.ID], caller{fn, call.Line})
		}
	}
	for _, f := range fns { // functions whose calls came with the records
		if done[f.item.File] && f.r.item.HasBody {
			resolve(f.item, &rust.FnBody{Vars: f.r.item.Vars, Calls: f.r.item.Calls})
		}
	}
	for _, e := range parsed {
		if e.calls == nil {
			continue
		}
		for i := range e.calls.Fns {
			body := &e.calls.Fns[i]
			if fn := g.index.Enclosing(e.file.Path, body.Start, body.End); fn != nil {
				resolve(fn, body)
			}
		}
	}
	for id := range g.callers {
		cs := g.callers[id]
		sort.SliceStable(cs, func(i, j int) bool {
			if cs[i].item.Path != cs[j].item.Path {
				return cs[i].item.Path < cs[j].item.Path
			}
			return cs[i].line < cs[j].line
		})
	}
	g.crateGraph(env, recs)
	return g
}

// crateGraph links the workspace's crates by their path dependencies and
// records what each uses of the others, reporting cycles.
func (g *graph) crateGraph(env *cli.Env, recs []*rec) {
	g.crates = map[string]*crateNode{}
	for _, r := range recs {
		if r.kind == "crate" && r.crate.Crate != "" {
			g.crates[r.crate.Crate] = &crateNode{name: r.crate.Crate, uses: map[string]map[string]bool{}}
		}
	}
	for _, r := range recs {
		if r.kind != "crate" || g.crates[r.crate.Crate] == nil || r.crate.Manifest == nil {
			continue
		}
		n := g.crates[r.crate.Crate]
		for _, d := range r.crate.Deps {
			dep := d.Name
			if d.Package != "" {
				dep = d.Package
			}
			dep = strings.ReplaceAll(dep, "-", "_")
			if g.crates[dep] != nil && d.Source == "path" && !slices.Contains(n.dependsOn, dep) {
				n.dependsOn = append(n.dependsOn, dep)
				g.crates[dep].usedBy = append(g.crates[dep].usedBy, n.name)
			}
		}
	}
	for id, r := range g.calls {
		from := g.index.Item(id)
		for _, c := range r.Calls {
			a, _, _ := strings.Cut(from.Module, "::")
			b, _, _ := strings.Cut(c.Callee.Module, "::")
			if a != b && g.crates[a] != nil {
				if g.crates[a].uses[b] == nil {
					g.crates[a].uses[b] = map[string]bool{}
				}
				g.crates[a].uses[b][c.Callee.Path] = true
			}
		}
	}
	// Cycles: depth-first search over depends_on.
	state := map[string]int{} // 1 visiting, 2 done
	var path []string
	var visit func(n string)
	visit = func(n string) {
		state[n] = 1
		path = append(path, n)
		for _, d := range g.crates[n].dependsOn {
			switch state[d] {
			case 1:
				i := slices.Index(path, d)
				env.Report.Warnf("crate dependency cycle: %s -> %s", strings.Join(path[i:], " -> "), d)
			case 0:
				visit(d)
			}
		}
		path = path[:len(path)-1]
		state[n] = 2
	}
	names := make([]string, 0, len(g.crates))
	for n := range g.crates {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sort.Strings(g.crates[n].dependsOn)
		sort.Strings(g.crates[n].usedBy)
		if state[n] == 0 {
			visit(n)
		}
	}
}
