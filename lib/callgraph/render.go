package callgraph

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
)

// FnGraph returns the "graph" field of the function id: its calls and
// callers, what stayed unresolved, its macros, and the Tree (depth levels
// deep, fanout callees wide) and Flow renderings.
func (g *Graph) FnGraph(id string, depth, fanout int) FnGraph {
	r := g.calls[id]
	fg := FnGraph{Calls: []CallOut{}, CalledBy: []CallerOut{}, Unresolved: r.Unresolved, Constructors: r.Constructors, Macros: r.Macros}
	if fg.Unresolved == nil {
		fg.Unresolved = []Unresolved{}
	}
	if fg.Macros == nil {
		fg.Macros = []string{}
	}
	for _, c := range r.Calls {
		fg.Calls = append(fg.Calls, CallOut{ID: c.Callee.ID, Path: c.Callee.Path, Line: c.Line, How: c.How})
	}
	fg.CalledBy = perCaller(fg.CalledBy, g.callers[id])
	for _, c := range r.References {
		fg.References = append(fg.References, CallOut{ID: c.Callee.ID, Path: c.Callee.Path, Line: c.Line, How: c.How})
	}
	fg.ReferencedBy = perCaller(nil, g.referrers[id])
	fg.Counts = map[string]int{"calls": len(fg.Calls), "called_by": len(fg.CalledBy), "unresolved": len(fg.Unresolved), "macros": len(fg.Macros)}
	for k, n := range map[string]int{"constructors": len(fg.Constructors), "references": len(fg.References), "referenced_by": len(fg.ReferencedBy)} {
		if n > 0 {
			fg.Counts[k] = n
		}
	}
	fg.Tree = g.Tree(id, depth, fanout)
	fg.Flow = g.Flow(id)
	fg.Crate = g.fnCrate(id)
	return fg
}

// perCaller appends cs (sorted by caller, then line) to out, one entry per
// caller at the line of its first call, with its number of calls.
func perCaller(out []CallerOut, cs []caller) []CallerOut {
	for _, c := range cs {
		if n := len(out); n > 0 && out[n-1].ID == c.item.ID {
			out[n-1].Calls++
			continue
		}
		out = append(out, CallerOut{ID: c.item.ID, Path: c.item.Path, File: c.item.File, Line: c.line, Calls: 1})
	}
	return out
}

// fnCrate tells the crate of the function id, or nil when the workspace's
// crates say nothing of it (no crate record, no purpose, no dependency).
func (g *Graph) fnCrate(id string) *FnCrate {
	fn := g.index.Item(id)
	if fn == nil {
		return nil
	}
	name := fn.Crate
	if name == "" {
		name, _, _ = strings.Cut(fn.Module, "::")
	}
	n := g.crates[name]
	if n == nil || n.purpose == "" && len(n.dependsOn) == 0 {
		return nil
	}
	return &FnCrate{Name: name, Purpose: n.purpose, DependsOn: slices.Clone(n.dependsOn)}
}

// CrateGraph returns the "graph" field of the crate name, and whether
// the workspace has that crate.
func (g *Graph) CrateGraph(name string) (CrateGraph, bool) {
	n := g.crates[name]
	if n == nil {
		return CrateGraph{}, false
	}
	cg := CrateGraph{DependsOn: orEmpty(n.dependsOn), UsedBy: orEmpty(n.usedBy), Uses: map[string][]string{}, Purpose: n.purpose}
	for dep, paths := range n.uses {
		for p := range paths {
			cg.Uses[dep] = append(cg.Uses[dep], p)
		}
		sort.Strings(cg.Uses[dep])
	}
	return cg, true
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Tree renders what a function calls, depth levels deep and at most
// fanout callees wide, e.g.
//
//	payments::pay
//	├─→ db::insert (crates/db/src/lib.rs:12)
//	└─→ audit::log (crates/audit/src/lib.rs:3)
//
// A callee already expanded in the tree is listed, not expanded again, so
// the tree has at most fanout lines per function it reaches, however the
// functions call each other. It is "" for an id the graph does not hold.
func (g *Graph) Tree(id string, depth, fanout int) string {
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
				seen[c.ID] = true // expanded once per tree: a graph of mutual calls would grow it exponentially
				walk(c.ID, indent+next, level+1)
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
func distinctCallees(calls []Call) []*Item {
	var out []*Item
	seen := map[string]bool{}
	for _, c := range calls {
		if !seen[c.Callee.ID] {
			seen[c.Callee.ID] = true
			out = append(out, c.Callee)
		}
	}
	return out
}

// Flow describes a function's place in the graph in one paragraph: what
// it calls, inside the workspace and out, its macros, and its callers. It
// is "" for an id the graph does not hold.
func (g *Graph) Flow(id string) string {
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
	if refs := g.referrers[id]; len(callers) == 0 && len(refs) > 0 {
		var items []*Item
		for _, c := range perCaller(nil, refs) {
			items = append(items, g.index.Item(c.ID))
		}
		fmt.Fprintf(&s, ". Nothing in the workspace calls it directly; %s %s it as a value: %s.", plural(len(items), "function"),
			map[bool]string{true: "passes", false: "pass"}[len(items) == 1], names(items, 6))
	} else if len(callers) == 0 {
		s.WriteString(". Nothing in the workspace calls it.")
	} else {
		var items []*Item
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
// Items of the same name are told apart by as much of their paths as it
// takes: "`Stripe::load` and `Adyen::load`", never "`load` and `load`".
func names(items []*Item, max int) string {
	shown := distinctNames(items)
	var ns []string
	for i := range items {
		if i == max {
			return strings.Join(ns, ", ") + fmt.Sprintf(" and %d more", len(items)-max)
		}
		ns = append(ns, "`"+shown[i]+"`")
	}
	if len(ns) == 1 {
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

// distinctNames names each item by its name, or by the shortest tail of
// its path that no other item of the list shares.
func distinctNames(items []*Item) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Name
		segs := strings.Split(it.Path, "::")
		for n := 1; n <= len(segs); n++ {
			tail := strings.Join(segs[len(segs)-n:], "::")
			if n == 1 {
				tail = it.Name
			}
			clash := false
			for j, other := range items {
				if j != i && (other.Path == tail || strings.HasSuffix(other.Path, "::"+tail) || n == 1 && other.Name == it.Name) {
					clash = true
					break
				}
			}
			out[i] = tail
			if !clash {
				break
			}
		}
	}
	return out
}

// Edge is one resolved call: a line of dw-callgraph --format graph.
type Edge struct {
	From     string `json:"from"` // the caller's id
	To       string `json:"to"`   // the callee's id
	FromPath string `json:"from_path"`
	ToPath   string `json:"to_path"`
	Line     int    `json:"line"` // the line of the call
	How      string `json:"how"`  // how it was resolved (see Call.How)
}

// Edges returns the calls of the functions ids, in that order, each
// function's by line.
func (g *Graph) Edges(ids []string) []Edge {
	var out []Edge
	for _, id := range ids {
		r := g.calls[id]
		if len(r.Calls)+len(r.References) == 0 {
			continue
		}
		from := g.index.Item(id)
		calls := r.Calls
		if len(r.References) > 0 { // by line, a reference after the calls of its line
			calls = append(slices.Clone(r.Calls), r.References...)
			sort.SliceStable(calls, func(i, j int) bool { return calls[i].Line < calls[j].Line })
		}
		for _, c := range calls {
			out = append(out, Edge{id, c.Callee.ID, from.Path, c.Callee.Path, c.Line, c.How})
		}
	}
	return out
}

// WriteDot writes the Edges of the functions ids to w as a Graphviz
// digraph of their paths.
func (g *Graph) WriteDot(w io.Writer, ids []string) error {
	b := bufio.NewWriter(w)
	b.WriteString("digraph calls {\n  rankdir=LR;\n  node [shape=box, fontname=\"monospace\"];\n")
	for _, e := range g.Edges(ids) {
		fmt.Fprintf(b, "  %q -> %q;\n", e.FromPath, e.ToPath)
	}
	b.WriteString("}\n")
	return b.Flush()
}
