package mine

import (
	"fmt"
	"iter"
	"sort"
	"strings"

	"github.com/dwkit/dwkit/lib/callgraph"
	"github.com/dwkit/dwkit/lib/rust"
)

// event is one call of a function's body, resolved or not.
type event struct {
	line int
	call *callgraph.CallOut
	miss *callgraph.Unresolved
}

// events are a function's calls in source order (by line; at one line the
// resolved first, each kind in the graph's order).
func events(g *callgraph.FnGraph) []event {
	var ev []event
	for i := range g.Calls {
		ev = append(ev, event{line: g.Calls[i].Line, call: &g.Calls[i]})
	}
	for i := range g.Unresolved {
		ev = append(ev, event{line: g.Unresolved[i].Line, miss: &g.Unresolved[i]})
	}
	sort.SliceStable(ev, func(i, j int) bool {
		if ev[i].line != ev[j].line {
			return ev[i].line < ev[j].line
		}
		return ev[i].call != nil && ev[j].call == nil
	})
	return ev
}

func lines(it *Item) string { return fmt.Sprintf("%s:%d-%d", it.File, it.StartLine, it.EndLine) }

// CallTraces answers "what happens when f is called" for each function
// with at least one resolved call (dw-callgraph's graph field): one step
// per call of its body in source order — a resolved call names the callee,
// where it is defined and the first line of its docs, read from the
// callee's own record, and is followed into the callee's calls down to
// depth levels; an unresolved call is said to be unresolved, with the
// graph's reason. A callee already followed is not followed again, nor
// one whose record is not among items. At most steps steps; the answer
// ends with the function's code. Every step's fields name the records
// it is read from.
func CallTraces(items []*Item, depth, steps int) iter.Seq[Sample] {
	return func(yield func(Sample) bool) { callTraces(items, depth, steps, yield) }
}

func callTraces(items []*Item, depth, steps int, yield func(Sample) bool) {
	byID := map[string]*Item{}
	for _, it := range items {
		if it.ID != "" && byID[it.ID] == nil {
			byID[it.ID] = it
		}
	}
	evs := map[*Item][]event{}
	eventsOf := func(fn *Item) []event { // sorted once a function
		ev, ok := evs[fn]
		if !ok {
			ev = events(fn.Graph)
			evs[fn] = ev
		}
		return ev
	}
	for _, root := range items {
		if root.Kind != "fn" || root.Graph == nil || len(root.Graph.Calls) == 0 || byID[root.ID] != root {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "`%s` is defined in %s.", root.Path, lines(root))
		if d := firstLine(root.Docs); d != "" {
			fmt.Fprintf(&b, " Its docs begin: \"%s\".", d)
		}
		b.WriteString("\n\nWhat it calls, in source order:\n")
		var st []Step
		followed := map[string]bool{root.ID: true}
		stopped := false
		var walk func(fn *Item, level int, prefix string)
		walk = func(fn *Item, level int, prefix string) {
			for k, ev := range eventsOf(fn) {
				if len(st) >= steps {
					stopped = true
					return
				}
				n := fmt.Sprintf("%s%d", prefix, k+1)
				indent := strings.Repeat("   ", level)
				if ev.miss != nil {
					st = append(st, Step{N: n, Fact: "unresolved", From: fn.ID, Line: ev.line, Path: ev.miss.Text, Reason: ev.miss.Reason})
					fmt.Fprintf(&b, "%s%s. Line %d of `%s` calls `%s`, which is not resolved: %s.\n", indent, n, ev.line, fn.Name, normal(ev.miss.Text), ev.miss.Reason)
					continue
				}
				c := ev.call
				s := Step{N: n, Fact: "call", From: fn.ID, Line: ev.line, Item: c.ID, Path: c.Path, How: c.How}
				callee := byID[c.ID]
				if callee == nil {
					s.Note = "no-record"
					st = append(st, s)
					fmt.Fprintf(&b, "%s%s. Line %d of `%s` calls `%s` (resolved by %s); its record is not in the input.\n", indent, n, ev.line, fn.Name, c.Path, c.How)
					continue
				}
				s.File, s.StartLine, s.EndLine, s.Doc = callee.File, callee.StartLine, callee.EndLine, firstLine(callee.Docs)
				fmt.Fprintf(&b, "%s%s. Line %d of `%s` calls `%s` (%s, resolved by %s).", indent, n, ev.line, fn.Name, c.Path, lines(callee), c.How)
				if s.Doc != "" {
					fmt.Fprintf(&b, " Its docs begin: \"%s\".", s.Doc)
				} else {
					b.WriteString(" It has no docs.")
				}
				inner := callee.Graph != nil && len(callee.Graph.Calls)+len(callee.Graph.Unresolved) > 0
				switch {
				case !inner:
				case followed[callee.ID]:
					s.Note = "followed-above"
					b.WriteString(" Its calls are followed above.")
				case level+1 >= depth:
					s.Note = "depth-limit"
					n := len(callee.Graph.Calls) + len(callee.Graph.Unresolved)
					fmt.Fprintf(&b, " Its %d %s not followed here (depth %d).", n, plural(n, "call is", "calls are"), depth)
				}
				b.WriteString("\n")
				st = append(st, s)
				if inner && s.Note == "" {
					followed[callee.ID] = true
					walk(callee, level+1, n+".")
					if stopped {
						return
					}
				}
			}
		}
		walk(root, 0, "")
		if stopped {
			fmt.Fprintf(&b, "The trace stops here, after %d steps.\n", steps)
		}
		fmt.Fprintf(&b, "\nThe code of `%s`:\n\n```rust\n%s\n```", root.Name, Code(root))
		ids := []*Item{root}
		seen := map[string]bool{root.ID: true}
		for _, s := range st {
			if it := byID[s.Item]; it != nil && !seen[it.ID] {
				seen[it.ID] = true
				ids = append(ids, it)
			}
		}
		if !yield(Sample{Pattern: "reasoning", Category: "call-trace", Items: ids, Steps: st,
			Question: fmt.Sprintf("What happens when `%s` is called?", root.Path), Answer: strings.TrimRight(b.String(), "\n")}) {
			return
		}
	}
}

// names lists names as `a`, `b` and `c`.
func names(ns []string) string {
	q := make([]string, len(ns))
	for i, n := range ns {
		q[i] = "`" + n + "`"
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// within says whether child sits in the impl or trait parent: the same
// file, its lines inside, and its parent path the parent's.
func within(child, parent *Item) bool {
	return child.File == parent.File && child.ParentPath == parent.Path &&
		child.StartLine >= parent.StartLine && child.EndLine <= parent.EndLine
}

// TraitImpls answers "which types implement trait T and how do they
// differ" for each trait (as written, without generic arguments) with at
// least least impls, up to most of them: per impl its header, where it is,
// the methods it defines and its associated types and consts; when the
// trait's definition is among items (one trait of that name), its required
// and provided methods and, per impl, the provided ones it overrides or
// inherits; then which methods only some impls define.
func TraitImpls(items []*Item, least, most int) iter.Seq[Sample] {
	return func(yield func(Sample) bool) { traitImpls(items, least, most, yield) }
}

func traitImpls(items []*Item, least, most int, yield func(Sample) bool) {
	by := map[string][]*Item{}
	seenImpl := map[string]bool{}
	children := map[string][]*Item{} // file, parent path → items
	traits := map[string][]*Item{}   // name → trait definitions
	for _, it := range items {
		switch {
		case it.Kind == "impl" && it.Trait != "" && it.ID != "" && !seenImpl[it.ID]:
			seenImpl[it.ID] = true
			by[traitKey(it.Trait)] = append(by[traitKey(it.Trait)], it)
		case it.Kind == "trait":
			traits[it.Name] = append(traits[it.Name], it)
		case it.ParentKind == "impl" || it.ParentKind == "trait":
			k := it.File + "\x00" + it.ParentPath
			children[k] = append(children[k], it)
		}
	}
	keys := make([]string, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		impls := by[key]
		if len(impls) < least {
			continue
		}
		impls = impls[:min(len(impls), most)]
		var def *Item
		if ds := traits[rust.BaseName(key)]; len(ds) == 1 {
			def = ds[0]
		}
		var b strings.Builder
		var st []Step
		fmt.Fprintf(&b, "%d impls of `%s` are in this code:\n", len(impls), key)
		var required, provided []string
		if def != nil {
			for _, c := range children[def.File+"\x00"+def.Path] {
				if c.Kind == "fn" && within(c, def) {
					if c.HasBody {
						provided = append(provided, c.Name)
					} else {
						required = append(required, c.Name)
					}
				}
			}
		}
		definedBy := map[string][]string{}
		var order []string
		for k, im := range impls {
			s := Step{N: fmt.Sprint(k + 1), Fact: "impl", From: im.ID, Item: im.ID, Path: im.Path, File: im.File,
				StartLine: im.StartLine, EndLine: im.EndLine, Doc: firstLine(im.Docs)}
			for _, c := range children[im.File+"\x00"+im.Path] {
				if !within(c, im) {
					continue
				}
				switch c.Kind {
				case "fn":
					s.Defines = append(s.Defines, c.Name)
					if len(definedBy[c.Name]) == 0 {
						order = append(order, c.Name)
					}
					definedBy[c.Name] = append(definedBy[c.Name], im.SelfType)
				case "type", "const":
					s.Assoc = append(s.Assoc, normal(Code(c)))
				}
			}
			for _, p := range provided {
				if contains(s.Defines, p) {
					s.Overrides = append(s.Overrides, p)
				} else {
					s.Inherits = append(s.Inherits, p)
				}
			}
			st = append(st, s)
			header := normal(im.Signature)
			if header == "" {
				header = "impl " + im.Trait + " for " + im.SelfType
			}
			fmt.Fprintf(&b, "%s. `%s` (%s)", s.N, header, lines(im))
			if len(s.Defines) > 0 {
				fmt.Fprintf(&b, " defines %s", names(s.Defines))
			} else {
				b.WriteString(" defines no method")
			}
			if len(s.Assoc) > 0 {
				fmt.Fprintf(&b, "; associated items: %s", names(s.Assoc))
			}
			if len(s.Overrides) > 0 {
				fmt.Fprintf(&b, "; it overrides the provided %s", names(s.Overrides))
			}
			if len(s.Inherits) > 0 {
				fmt.Fprintf(&b, "; it keeps the default %s", names(s.Inherits))
			}
			b.WriteString(".")
			if s.Doc != "" {
				fmt.Fprintf(&b, " Its docs begin: \"%s\".", s.Doc)
			}
			b.WriteString("\n")
		}
		its := append([]*Item{}, impls...)
		if def != nil {
			its = append(its, def)
			st = append(st, Step{N: "trait", Fact: "trait", From: def.ID, Item: def.ID, Path: def.Path, File: def.File,
				StartLine: def.StartLine, EndLine: def.EndLine, Doc: firstLine(def.Docs), Defines: required, Inherits: provided})
			fmt.Fprintf(&b, "\nThe trait is `%s` (%s)", def.Path, lines(def))
			if len(required) > 0 {
				fmt.Fprintf(&b, "; required methods: %s", names(required))
			}
			if len(provided) > 0 {
				fmt.Fprintf(&b, "; provided methods: %s", names(provided))
			}
			b.WriteString(".\n")
		} else {
			fmt.Fprintf(&b, "\nThe definition of `%s` is not in this code (or more than one trait has its name).\n", key)
		}
		var diff []string
		for _, m := range order {
			if n := len(definedBy[m]); n < len(impls) {
				diff = append(diff, fmt.Sprintf("`%s` is defined by %d of the %d (for %s)", m, n, len(impls), names(definedBy[m])))
			}
		}
		if len(diff) == 0 {
			b.WriteString("Each defines the same methods.")
		} else {
			fmt.Fprintf(&b, "How they differ: %s.", strings.Join(diff, "; "))
		}
		if !yield(Sample{Pattern: "reasoning", Category: "trait-impls", Items: its, Steps: st,
			Question: fmt.Sprintf("Which types implement `%s`, and how do their impls differ?", key), Answer: b.String()}) {
			return
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func plural(n int, one, more string) string {
	if n == 1 {
		return one
	}
	return more
}
