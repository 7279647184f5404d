package callgraph

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/dwkit/dwkit/lib/cargo"
)

// Several definitions at one path are cfg'd twins (one per set of
// features or per target), or namesakes in several packages of the input
// (two versions of a crate). A call names one of them; pick chooses it
// from what is known for sure, or keeps them all as candidates.

// pkg is a package of the input: its folder and the features its default
// build turns on (nil when its manifest is unknown).
type pkg struct {
	dir      string
	features map[string]bool
}

// cfgs is what the index knows of packages and cfgs.
type cfgs struct {
	packages   []pkg              // deepest folder first
	containers map[string][]*Item // file → its impls, traits and inline mods that have a #[cfg]
	decls      map[string][]*Item // module path → its out-of-line declarations that have a #[cfg]
	modules    map[string]string  // file → its module
}

func newCfgs(items []*Item, files []*File, crates []Crate) cfgs {
	c := cfgs{containers: map[string][]*Item{}, decls: map[string][]*Item{}, modules: map[string]string{}}
	seen := map[string]bool{}
	for _, cr := range crates {
		if m := cr.Manifest; m != nil && m.Package != "" && !seen[m.Dir] {
			seen[m.Dir] = true
			c.packages = append(c.packages, pkg{m.Dir, m.DefaultFeatures()})
		}
	}
	sort.Slice(c.packages, func(i, j int) bool {
		a, b := c.packages[i].dir, c.packages[j].dir
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return a < b
	})
	for _, it := range items {
		switch {
		case it.Cfg == "":
		case it.Kind == "mod" && it.Outline:
			c.decls[it.Path] = append(c.decls[it.Path], it)
		case it.Kind == "impl" || it.Kind == "trait" || it.Kind == "mod":
			c.containers[it.File] = append(c.containers[it.File], it)
		}
	}
	for _, f := range files {
		c.modules[f.Path] = f.Module
	}
	return c
}

// pkgOf is the package a file belongs to: the deepest folder holding it.
func (c *cfgs) pkgOf(file string) *pkg {
	for i := range c.packages {
		if d := c.packages[i].dir; d == "" || strings.HasPrefix(file, d+"/") {
			return &c.packages[i]
		}
	}
	return nil
}

// truth is what the default features say of whether it is compiled: the
// conjunction of its own #[cfg], those of the impls, traits and inline
// mods around it, and those of the declarations of its file's module and
// of that module's parents. A declaration that is not known for sure (one
// of several twins the file cannot be matched to) is left out, which
// never turns a True into a False.
func (c *cfgs) truth(it *Item) cargo.Truth {
	var preds []string
	if it.Cfg != "" {
		preds = append(preds, it.Cfg)
	}
	for _, ct := range c.containers[it.File] {
		if ct != it && ct.Start <= it.Start && it.End <= ct.End {
			preds = append(preds, ct.Cfg)
		}
	}
	first := true
	for m := c.modules[it.File]; strings.Contains(m, "::"); m, first = parent(m), false {
		ds := c.decls[m]
		if len(ds) > 1 && first { // twins: the one whose #[path] names this file
			ds = matching(ds, path.Base(it.File))
		}
		if len(ds) == 1 {
			preds = append(preds, ds[0].Cfg)
		}
	}
	if len(preds) == 0 {
		return cargo.True
	}
	var features map[string]bool
	if p := c.pkgOf(it.File); p != nil {
		features = p.features
	}
	return cargo.EvalCfg("all("+strings.Join(preds, ", ")+")", features)
}

// matching keeps the declarations whose #[path] ends in the file name base.
func matching(decls []*Item, base string) []*Item {
	var out []*Item
	for _, d := range decls {
		if path.Base(d.PathAttr) == base {
			out = append(out, d)
		}
	}
	return out
}

// pick chooses the definition a call from caller names among several:
// those of the caller's own package when there are some, then those the
// default features do not rule out. One left is the callee; else the
// reason lists the candidates left. how is the how of a callee.
func (x *Index) pick(caller *Item, cands []*Item, how string) (*Item, string, string) {
	if len(cands) > 1 {
		own := x.cfgs.pkgOf(caller.File)
		cands = keep(cands, func(it *Item) bool { return x.cfgs.pkgOf(it.File) == own })
	}
	if len(cands) > 1 {
		cands = keep(cands, func(it *Item) bool { return x.cfgs.truth(it) != cargo.False })
	}
	if len(cands) == 1 {
		return cands[0], how, ""
	}
	return nil, "", x.twins(cands)
}

// keep is the items that pass, or all items when none does.
func keep(items []*Item, pass func(*Item) bool) []*Item {
	var out []*Item
	for _, it := range items {
		if pass(it) {
			out = append(out, it)
		}
	}
	if len(out) == 0 {
		return items
	}
	return out
}

// twins is the reason a call to one of several definitions of a name is
// not resolved: its candidates, when all are functions (definitions under
// different cfgs, or in several packages), else "ambiguous".
func (x *Index) twins(items []*Item) string {
	var cs []string
	where := "" // several impls of a generic type may have a method each
	for _, it := range items {
		if it.Kind != "fn" {
			return "ambiguous"
		}
		switch {
		case x.cfgs.pkgOf(it.File) != x.cfgs.pkgOf(items[0].File):
			where = " in several packages"
		case where == "" && x.cfgs.truth(it) != cargo.True:
			where = " under different cfgs"
		}
		cs = append(cs, fmt.Sprintf("%s (%s:%d)", it.Path, it.File, it.Line))
	}
	return fmt.Sprintf("one of %d definitions%s: %s", len(items), where, strings.Join(cs, ", "))
}
