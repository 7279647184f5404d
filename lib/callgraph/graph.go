package callgraph

import (
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dwkit/dwkit/lib/cargo"
	"github.com/dwkit/dwkit/lib/rust"
)

// Graph is a resolved workspace: what each function calls, who calls it,
// and how the workspace's crates depend on and use each other.
type Graph struct {
	index   *Index
	calls   map[string]Resolved // by caller id
	callers map[string][]caller // by callee id, by caller path then line
	// referrers are the functions that pass a function as a value, as callers.
	referrers map[string][]caller
	crates    map[string]*crateNode
	cycles    [][]string
	errs      []error
	counts    Counts
}

// Counts sums up a Graph.
type Counts struct {
	Functions  int // functions whose calls were resolved
	Resolved   int // calls resolved
	References int // functions passed as values (edges of How "reference")
	Unresolved int // calls kept unresolved
	Macros     int // distinct macros per function, summed
	// Constructors are the enum variants and tuple structs built, which
	// look like calls: neither resolved nor unresolved.
	Constructors int
}

type caller struct {
	item *Item
	line int
}

type crateNode struct {
	name      string
	purpose   string
	dependsOn []string
	usedBy    []string
	uses      map[string]map[string]bool // dependency crate → callee paths
}

// Crate is a crate of the workspace: its name as code writes it and its
// manifest, whose path dependencies link it to the other crates (nil when
// unknown).
type Crate struct {
	Name     string
	Manifest *cargo.Manifest
}

// FileError is a source file that could not be parsed.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *FileError) Unwrap() error { return e.Err }

// definition says whether an item of kind is a definition the index holds
// (a macro call is not).
func definition(kind string) bool {
	switch kind {
	case "fn", "struct", "enum", "union", "trait", "impl", "mod", "macro", "const", "static", "type":
		return true
	}
	return false
}

// Build indexes a workspace and resolves the calls of all its functions.
//
// items are its definitions (items of other kinds are ignored). A file
// given with its Calls (dw-rustparse --calls) is not parsed again: its
// Calls.Uses are its use declarations and its functions' call sites are
// their items' Body, which Build drops (sets to nil) once resolved, to
// free its memory. A file without Calls is parsed from its Text (which
// Build then empties, likewise), on
// workers goroutines (0: one per CPU); the result does not depend on their
// number, and the files that fail to parse are listed by Errors. crates
// are the workspace's crates, for the crate graph; a crate's purpose is
// its manifest's description, else the Docs of its root files.
func Build(items []*Item, files []*File, crates []Crate, workers int) *Graph {
	var defs, fns []*Item
	for _, it := range items {
		if definition(it.Kind) {
			defs = append(defs, it)
			if it.Kind == "fn" {
				fns = append(fns, it)
			}
		}
	}
	var indexed, unparsed []*File
	done := map[string]bool{} // files whose calls came with the records
	docs := map[string]string{}
	for _, f := range files {
		if f.Docs != "" {
			docs[f.Path] = f.Docs
		}
		if f.Calls != nil {
			done[f.Path] = true
			indexed = append(indexed, f)
		} else {
			unparsed = append(unparsed, f)
		}
	}
	g := &Graph{calls: map[string]Resolved{}, callers: map[string][]caller{}, referrers: map[string][]caller{}}
	type result struct {
		file *File
		err  error
	}
	results := parallel(workers, unparsed, func(f *File) result {
		calls, err := rust.ExtractCalls([]byte(f.Text), 0)
		f.Text = "" // parsed: its memory serves the next files'
		return result{&File{Path: f.Path, Module: f.Module, Calls: calls}, err}
	})
	parsed := make([]*File, len(results))
	for i, r := range results {
		parsed[i] = r.file
		if r.err != nil {
			g.errs = append(g.errs, &FileError{r.file.Path, r.err})
		}
	}
	g.index = NewIndex(defs, append(indexed, parsed...), crates)
	results, unparsed = nil, nil
	// Each body is dropped once resolved, so that its memory serves the
	// next ones' results.
	t := &typer{}
	for _, fn := range fns { // functions whose calls came with the records
		if done[fn.File] && fn.Body != nil {
			g.resolve(t, fn, fn.Body)
			fn.Body = nil
		}
	}
	for i, f := range parsed {
		if f.Calls == nil {
			continue
		}
		for j := range f.Calls.Fns {
			body := &f.Calls.Fns[j]
			if fn := g.index.Enclosing(f.Path, body.Start, body.End); fn != nil {
				g.resolve(t, fn, body)
			}
		}
		parsed[i] = nil
	}
	for _, m := range []map[string][]caller{g.callers, g.referrers} {
		for id := range m {
			cs := m[id]
			sort.SliceStable(cs, func(i, j int) bool {
				if cs[i].item.Path != cs[j].item.Path {
					return cs[i].item.Path < cs[j].item.Path
				}
				return cs[i].line < cs[j].line
			})
		}
	}
	g.crateGraph(crates, docs)
	return g
}

// resolve records what fn calls and, for each callee, that fn calls it.
func (g *Graph) resolve(t *typer, fn *Item, body *rust.FnBody) {
	r := g.index.resolve(t, fn, body)
	SortCalls(r.Calls)
	g.calls[fn.ID] = r
	g.counts.Functions++
	SortCalls(r.References)
	g.counts.Resolved += len(r.Calls)
	g.counts.References += len(r.References)
	g.counts.Unresolved += len(r.Unresolved)
	g.counts.Macros += len(r.Macros)
	g.counts.Constructors += len(r.Constructors)
	for _, call := range r.Calls {
		g.callers[call.Callee.ID] = append(g.callers[call.Callee.ID], caller{fn, call.Line})
	}
	for _, ref := range r.References {
		g.referrers[ref.Callee.ID] = append(g.referrers[ref.Callee.ID], caller{fn, ref.Line})
	}
}

// crateGraph links the crates by their path dependencies, records what
// each uses of the others and what each is for (from docs, the files'
// //! docs by path), and finds the dependency cycles.
func (g *Graph) crateGraph(crates []Crate, docs map[string]string) {
	g.crates = map[string]*crateNode{}
	for _, c := range crates {
		if c.Name == "" || g.crates[c.Name] != nil {
			continue
		}
		n := &crateNode{name: c.Name, uses: map[string]map[string]bool{}}
		if m := c.Manifest; m != nil {
			var roots []string
			for _, p := range m.DocRoots() {
				roots = append(roots, docs[p])
			}
			n.purpose = cargo.Purpose(m.Description, roots...)
		}
		g.crates[c.Name] = n
	}
	for _, c := range crates {
		n := g.crates[c.Name]
		if n == nil || c.Manifest == nil {
			continue
		}
		for _, d := range c.Manifest.Deps {
			dep := d.Name
			if d.Package != "" {
				dep = d.Package
			}
			dep = cargo.CrateName(dep)
			if g.crates[dep] != nil && (d.Source == "path" || d.Source == "workspace") && !slices.Contains(n.dependsOn, dep) {
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
	// Cycles: depth-first search over depends_on, from the crates in name
	// order; each crate's dependencies are sorted when its turn comes.
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
				g.cycles = append(g.cycles, append(slices.Clone(path[i:]), d))
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

// Counts returns the functions resolved and the calls and macros found.
func (g *Graph) Counts() Counts { return g.counts }

// Cycles returns the crate dependency cycles found, each from a crate back
// to itself: [a b a] for a → b → a.
func (g *Graph) Cycles() [][]string { return g.cycles }

// Errors returns the files that could not be parsed (as *FileError), in
// the order of the files given to Build.
func (g *Graph) Errors() []error { return g.errs }

// parallel returns fn of each of in, computed on workers goroutines (0:
// one per CPU), in the order of in.
func parallel[I, O any](workers int, in []I, fn func(I) O) []O {
	out := make([]O, len(in))
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, len(in))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < len(in); i = int(next.Add(1)) - 1 {
				out[i] = fn(in[i])
			}
		}()
	}
	wg.Wait()
	return out
}
