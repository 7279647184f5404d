package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dwkit/dwkit/lib/callgraph"
	"github.com/dwkit/dwkit/ndjson"
)

func (g *graph) writeRecords(w *ndjson.Writer, recs []*rec, depth, fanout int) error {
	for _, r := range recs {
		switch {
		case r.kind == "fn":
			if err := r.raw.SetValue("graph", g.fnGraph(r.id, depth, fanout)); err != nil {
				return err
			}
		case r.kind == "crate" && g.crates[r.crate.Crate] != nil:
			n := g.crates[r.crate.Crate]
			cg := callgraph.CrateGraph{DependsOn: orEmpty(n.dependsOn), UsedBy: orEmpty(n.usedBy), Uses: map[string][]string{}}
			for dep, paths := range n.uses {
				for p := range paths {
					cg.Uses[dep] = append(cg.Uses[dep], p)
				}
				sort.Strings(cg.Uses[dep])
			}
			if err := r.raw.SetValue("graph", cg); err != nil {
				return err
			}
		}
		if err := w.Write(r.raw); err != nil {
			return err
		}
	}
	return nil
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (g *graph) fnGraph(id string, depth, fanout int) callgraph.FnGraph {
	r := g.calls[id]
	fg := callgraph.FnGraph{Calls: []callgraph.CallOut{}, CalledBy: []callgraph.CallerOut{}, Unresolved: r.Unresolved, Macros: r.Macros}
	if fg.Unresolved == nil {
		fg.Unresolved = []callgraph.Unresolved{}
	}
	if fg.Macros == nil {
		fg.Macros = []string{}
	}
	for _, c := range r.Calls {
		fg.Calls = append(fg.Calls, callgraph.CallOut{ID: c.Callee.ID, Path: c.Callee.Path, Line: c.Line, How: c.How})
	}
	for _, c := range g.callers[id] {
		fg.CalledBy = append(fg.CalledBy, callgraph.CallerOut{ID: c.item.ID, Path: c.item.Path, File: c.item.File, Line: c.line})
	}
	fg.Counts = map[string]int{"calls": len(fg.Calls), "called_by": len(fg.CalledBy), "unresolved": len(fg.Unresolved), "macros": len(fg.Macros)}
	fg.Tree = g.tree(id, depth, fanout)
	fg.Flow = g.flow(id)
	return fg
}

// tree renders what a function calls, depth levels deep and at most
// fanout callees wide, e.g.
//
//	payments::pay
//	├─→ db::insert (crates/db/src/lib.rs:12)
//	└─→ audit::log (crates/audit/src/lib.rs:3)
func (g *graph) tree(id string, depth, fanout int) string {
	fn := g.index.Item(id)
	if fn == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(fn.Path)
	seen := map[string]bool{id: true}
	var walk func(id, indent string, level int)
	walk = func(id, indent string, level int) {
		calls := distinctCallees(g.calls[id].Calls)
		shown := calls
		if len(shown) > fanout {
			shown = shown[:fanout]
		}
		for i, c := range shown {
			last := i == len(shown)-1 && len(calls) <= fanout
			branch, next := "├─→ ", "│   "
			if last {
				branch, next = "└─→ ", "    "
			}
			fmt.Fprintf(&b, "\n%s%s%s (%s:%d)", indent, branch, c.Path, c.File, c.Line)
			if level < depth && !seen[c.ID] {
				seen[c.ID] = true
				walk(c.ID, indent+next, level+1)
				delete(seen, c.ID)
			}
		}
		if len(calls) > fanout {
			fmt.Fprintf(&b, "\n%s└─→ … %d more", indent, len(calls)-fanout)
		}
	}
	walk(id, "", 1)
	return b.String()
}

// distinctCallees lists each callee once, in order of first call.
func distinctCallees(calls []callgraph.Call) []*callgraph.Item {
	var out []*callgraph.Item
	seen := map[string]bool{}
	for _, c := range calls {
		if !seen[c.Callee.ID] {
			seen[c.Callee.ID] = true
			out = append(out, c.Callee)
		}
	}
	return out
}

// flow describes a function's place in the graph in one paragraph.
func (g *graph) flow(id string) string {
	fn := g.index.Item(id)
	if fn == nil {
		return ""
	}
	r := g.calls[id]
	var s strings.Builder
	fmt.Fprintf(&s, "`%s` (in %s)", fn.Name, fn.Module)
	callees := distinctCallees(r.Calls)
	switch len(callees) {
	case 0:
		s.WriteString(" calls no function of the workspace")
	default:
		fmt.Fprintf(&s, " calls %s: %s", plural(len(callees), "function"), names(callees, 6))
	}
	if n := len(r.Unresolved); n > 0 {
		fmt.Fprintf(&s, ", plus %s outside the workspace or of unknown receiver", plural(n, "call"))
	}
	if len(r.Macros) > 0 {
		fmt.Fprintf(&s, ", and uses %s (%s)", plural(len(r.Macros), "macro"), strings.Join(r.Macros, ", "))
	}
	callers := g.callers[id]
	if len(callers) == 0 {
		s.WriteString(". Nothing in the workspace calls it.")
	} else {
		var items []*callgraph.Item
		seen := map[string]bool{}
		for _, c := range callers {
			if !seen[c.item.ID] {
				seen[c.item.ID] = true
				items = append(items, c.item)
			}
		}
		fmt.Fprintf(&s, ". It is called by %s: %s.", plural(len(items), "function"), names(items, 6))
	}
	return s.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// names lists up to max items' names: "a, b and c", "a, b and 4 more".
func names(items []*callgraph.Item, max int) string {
	var ns []string
	for i, it := range items {
		if i == max {
			return strings.Join(ns, ", ") + fmt.Sprintf(" and %d more", len(items)-max)
		}
		ns = append(ns, "`"+it.Name+"`")
	}
	if len(ns) == 1 {
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

type edge struct {
	From     string `json:"from"`
	To       string `json:"to"`
	FromPath string `json:"from_path"`
	ToPath   string `json:"to_path"`
	Line     int    `json:"line"`
	How      string `json:"how"`
}

// edges lists the calls of the given records' functions, in their order.
func (g *graph) edges(recs []*rec) []edge {
	var out []edge
	for _, r := range recs {
		if r.kind != "fn" {
			continue
		}
		for _, c := range g.calls[r.id].Calls {
			out = append(out, edge{r.id, c.Callee.ID, r.item.Path, c.Callee.Path, c.Line, c.How})
		}
	}
	return out
}

func (g *graph) writeEdges(w *ndjson.Writer, recs []*rec) error {
	for _, e := range g.edges(recs) {
		if err := w.Write(e); err != nil {
			return err
		}
	}
	return nil
}

func (g *graph) writeDot(w *ndjson.Writer, recs []*rec) error {
	var b strings.Builder
	b.WriteString("digraph calls {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n")
	for _, e := range g.edges(recs) {
		fmt.Fprintf(&b, "  %q -> %q;\n", e.FromPath, e.ToPath)
	}
	b.WriteString("}\n")
	return w.WriteLines([]byte(b.String()))
}
