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

// pkg is a package of the input: its folder and the features a build of
// the whole input with default features turns on (nil when not known).
type pkg struct {
	dir      string
	features cargo.FeatureSet
}

// cfgs is what the index knows of packages and cfgs.
type cfgs struct {
	packages   []pkg              // deepest folder first
	containers map[string][]*Item // file → its impls, traits and inline mods that have a #[cfg]
	decls      map[string][]*Item // module path → its out-of-line declarations
	modules    map[string]string  // file → its module
}

func newCfgs(items []*Item, files []*File, crates []Crate) cfgs {
	c := cfgs{containers: map[string][]*Item{}, decls: map[string][]*Item{}, modules: map[string]string{}}
	var ms []*cargo.Manifest
	for _, cr := range crates {
		ms = append(ms, cr.Manifest)
	}
	for dir, fs := range cargo.WorkspaceFeatures(ms) {
		c.packages = append(c.packages, pkg{dir, fs})
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
		case it.Kind == "mod" && it.Outline:
			c.decls[it.Path] = append(c.decls[it.Path], it)
		case it.Cfg == "":
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
// mods around it, and those of the declarations of its file's module (the
// one that loads its file) and of that module's parents (when declared
// once). A declaration that is not known for sure is left out, which
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
	for m, own := c.modules[it.File], true; strings.Contains(m, "::"); m, own = parent(m), false {
		var d *Item
		switch ds := c.decls[m]; {
		case own: // of several, the one whose file this is
			for _, x := range ds {
				if c.declares(x, it.File) {
					if d != nil {
						d = nil
						break
					}
					d = x
				}
			}
		default: // a parent module: declared once in the file's package
			var mine []*Item
			for _, x := range ds {
				if c.pkgOf(x.File) == c.pkgOf(it.File) {
					mine = append(mine, x)
				}
			}
			if len(mine) == 1 {
				d = mine[0]
			}
		}
		if d != nil && d.Cfg != "" {
			preds = append(preds, d.Cfg)
		}
	}
	if len(preds) == 0 {
		return cargo.True
	}
	var features cargo.FeatureSet
	if p := c.pkgOf(it.File); p != nil {
		features = p.features
	}
	return cargo.EvalCfg("all("+strings.Join(preds, ", ")+")", features)
}

// declares says whether the out-of-line declaration d (mod m;) loads
// file: its #[path] from the declaring file's folder, else m.rs or
// m/mod.rs beside a crate root or a mod.rs, under the declaring file's
// own folder otherwise. A declaration inside an inline module is not
// worked out.
func (c *cfgs) declares(d *Item, file string) bool {
	module, ok := c.modules[d.File]
	if !ok || module != d.Module {
		return false
	}
	dir := path.Dir(d.File)
	if d.PathAttr != "" {
		return path.Join(dir, d.PathAttr) == file
	}
	if path.Base(d.File) != "mod.rs" && strings.Contains(module, "::") {
		dir = path.Join(dir, strings.TrimSuffix(path.Base(d.File), ".rs"))
	}
	return file == path.Join(dir, d.Name+".rs") || file == path.Join(dir, d.Name, "mod.rs")
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
