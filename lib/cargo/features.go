package cargo

import (
	"maps"
	"path"
	"slices"
	"sort"
	"strings"
)

// FeatureSet is what is known of a package's features in a build: True,
// on; Unknown, maybe (asked for only on some targets, or by a dependency
// that may be off); a feature the set does not hold is off. A nil
// FeatureSet knows nothing (the manifest's [features] are not known).
type FeatureSet map[string]Truth

// raise records that feature f is at least t; it says whether that is new.
func (fs FeatureSet) raise(f string, t Truth) bool {
	if fs == nil || t == False || fs[f] == True || fs[f] == t {
		return false
	}
	fs[f] = t
	return true
}

// WorkspaceFeatures is the features each package has on in a build of its
// workspace with default features (cargo build --workspace), as cargo's
// resolver unifies them: a package's "default", what its workspace's
// normal dependencies on it ask for (features = [..], unless
// default-features = false also "default"), and the pkg/feature entries
// of their features that are on; each feature turns on what its
// [features] entry names (features, optional dependencies and their
// implicit features; dep:x, x/y and x?/y read as cargo reads them). What
// is asked only for another target, by a dev- or build-dependency, by a
// proc-macro, from another workspace (a fuzz/ folder with its own) or by
// a registry dependency of a package's name (which a [patch] may send to
// it) is Unknown: on in some builds, off in others. A dependency is found
// by its path, or, inherited from the workspace, by the path of its
// [workspace.dependencies] entry; a path dependency of a member under the
// root is a member. By Dir; nil for a package whose [features] are not
// known.
func WorkspaceFeatures(ms []*Manifest) map[string]FeatureSet {
	w := newWorkspaces(ms)
	for changed := true; changed; {
		changed = false
		raise := func(fs FeatureSet, f string, t Truth) {
			if fs.raise(f, t) {
				changed = true
			}
		}
		enable := func(p *pkg, dep string, t Truth) {
			if p.deps[dep] < t {
				p.deps[dep], changed = t, true
			}
		}
		for _, dir := range w.dirs {
			p := w.pkgs[dir]
			if p.on == nil {
				continue
			}
			// What its features that are on turn on.
			for _, f := range slices.Sorted(maps.Keys(p.on)) {
				t := p.on[f]
				if p.implicit[f] {
					enable(p, f, t)
				}
				for _, v := range p.m.Features[f] {
					dep, feat, slash := strings.Cut(v, "/")
					weak := strings.HasSuffix(dep, "?")
					dep = strings.TrimSuffix(dep, "?")
					switch {
					case strings.HasPrefix(v, "dep:"):
						enable(p, v[4:], t)
					case !slash:
						raise(p.on, v, t)
					default:
						if !weak {
							if p.optional[dep] {
								enable(p, dep, t)
							}
							if _, ok := p.m.Features[dep]; ok || p.implicit[dep] {
								raise(p.on, dep, t) // dep/feat turns on a feature named dep too
							}
						}
						for _, d := range p.m.Deps {
							if d.Name != dep {
								continue
							}
							on := t
							if d.Optional {
								on = min(t, p.deps[dep])
							}
							if q := w.target(p, d); q != nil {
								raise(q.on, feat, min(on, w.reach(p, d, q)))
							}
						}
					}
				}
			}
			// What its dependencies on other packages ask for.
			for _, d := range p.m.Deps {
				q := w.target(p, d)
				if q == nil || q.on == nil {
					continue
				}
				t := True
				if d.Optional {
					t = p.deps[d.Name]
				}
				if t = min(t, w.reach(p, d, q)); t == False {
					continue
				}
				feats, noDefault := d.Features, d.NoDefaultFeatures
				if e := w.inherited(p, d); e != nil {
					feats, noDefault = append(slices.Clone(e.Features), feats...), noDefault && e.NoDefaultFeatures
				}
				if !noDefault {
					raise(q.on, "default", t)
				}
				for _, f := range feats {
					raise(q.on, f, t)
				}
			}
		}
	}
	out := make(map[string]FeatureSet, len(w.pkgs))
	for dir, p := range w.pkgs {
		out[dir] = p.on
	}
	return out
}

// pkg is a package of the input, as WorkspaceFeatures follows it.
type pkg struct {
	m        *Manifest
	on       FeatureSet
	deps     map[string]Truth // optional dependency → on
	optional map[string]bool  // optional dependencies
	implicit map[string]bool  // optional dependencies with an implicit feature
	root     string           // the folder of its workspace's root manifest; "?" when not known
}

// workspaces is the packages of an input by folder, and the workspace
// roots.
type workspaces struct {
	pkgs   map[string]*pkg
	roots  map[string]*Manifest // folder → a manifest with a [workspace]
	dirs   []string             // the packages', in order
	byName map[string][]string  // package name → folders
}

func newWorkspaces(ms []*Manifest) *workspaces {
	w := &workspaces{pkgs: map[string]*pkg{}, roots: map[string]*Manifest{}, byName: map[string][]string{}}
	for _, m := range ms {
		if m != nil && m.Workspace != nil {
			w.roots[m.Dir] = m
		}
	}
	for _, m := range ms {
		if m == nil || m.Package == "" || w.pkgs[m.Dir] != nil {
			continue
		}
		p := &pkg{m: m, deps: map[string]Truth{}, optional: map[string]bool{}, implicit: map[string]bool{}, root: w.rootOf(m.Dir)}
		if m.Features != nil {
			p.on = FeatureSet{}
			p.on.raise("default", True) // a member is built with its defaults
		}
		explicit := map[string]bool{}
		for _, vs := range m.Features {
			for _, v := range vs {
				if d, ok := strings.CutPrefix(v, "dep:"); ok {
					explicit[d] = true
				}
			}
		}
		for _, d := range m.Deps {
			if d.Optional {
				p.optional[d.Name] = true
				p.implicit[d.Name] = !explicit[d.Name]
			}
		}
		w.pkgs[m.Dir] = p
		w.dirs = append(w.dirs, m.Dir)
		w.byName[m.Package] = append(w.byName[m.Package], m.Dir)
	}
	sort.Strings(w.dirs)
	// A path dependency of a member under its root is a member too.
	for changed := true; changed; {
		changed = false
		for _, dir := range w.dirs {
			p := w.pkgs[dir]
			if p.root == "?" {
				continue
			}
			for _, d := range p.m.Deps {
				if d.Source != "path" && d.Source != "workspace" {
					continue
				}
				if q := w.target(p, d); q != nil && q.root == "?" && (p.root == "" || strings.HasPrefix(q.m.Dir, p.root+"/")) {
					q.root, changed = p.root, true
				}
			}
		}
	}
	return w
}

// rootOf is the folder of the workspace root of the package in dir: the
// nearest manifest with a [workspace] at or above it that takes it in
// (its own, or one whose members match it and whose exclude does not);
// dir itself when there is none (a package on its own); "?" when the
// nearest root does not list it (a path dependency, or not of it).
func (w *workspaces) rootOf(dir string) string {
	for up := dir; ; up = parentDir(up) {
		if r := w.roots[up]; r != nil {
			if up == dir {
				return up
			}
			rel := strings.TrimPrefix(strings.TrimPrefix(dir, up), "/")
			for _, x := range r.Workspace.Exclude {
				if x = path.Clean(x); rel == x || strings.HasPrefix(rel, x+"/") {
					return dir
				}
			}
			for _, pat := range r.Workspace.Members {
				if ok, _ := path.Match(path.Clean(pat), rel); ok {
					return up
				}
			}
			return "?"
		}
		if up == "" {
			return dir
		}
	}
}

func parentDir(dir string) string {
	if i := strings.LastIndexByte(dir, '/'); i >= 0 {
		return dir[:i]
	}
	return ""
}

// inherited is the [workspace.dependencies] entry that dependency d of p
// inherits (workspace = true), or nil.
func (w *workspaces) inherited(p *pkg, d Dependency) *Dependency {
	if d.Source != "workspace" || p.root == "?" {
		return nil
	}
	r := w.roots[p.root]
	if r == nil {
		return nil
	}
	for i := range r.Workspace.Deps {
		if e := &r.Workspace.Deps[i]; e.Name == d.Name {
			return e
		}
	}
	return nil
}

// target is the package of the input that dependency d of p names: by
// its path, by its [workspace.dependencies] entry's, or, from a registry
// or git, the one package of its name (a [patch] may put it there).
func (w *workspaces) target(p *pkg, d Dependency) *pkg {
	switch d.Source {
	case "path":
		return w.pkgs[d.Path]
	case "workspace":
		if e := w.inherited(p, d); e != nil && e.Source == "path" {
			return w.pkgs[e.Path]
		}
		return nil
	}
	name := d.Name
	if d.Package != "" {
		name = d.Package
	}
	if ds := w.byName[name]; len(ds) == 1 {
		return w.pkgs[ds[0]]
	}
	return nil
}

// reach is how surely what dependency d of p asks of q is on in q's
// builds: True for a normal dependency within one workspace; Unknown
// for a dev- or build-dependency, a target-specific one, one of a
// proc-macro, one across workspaces, or one from a registry that a
// [patch] may send to q.
func (w *workspaces) reach(p *pkg, d Dependency, q *pkg) Truth {
	switch {
	case d.Kind != "normal" || d.Target != "" || p.procMacro() || p.root == "?" || p.root != q.root,
		d.Source != "path" && d.Source != "workspace": // patched to it, or not
		return Unknown
	}
	return True
}

// procMacro says whether the package is a proc-macro (built for the host).
func (p *pkg) procMacro() bool {
	for _, t := range p.m.Targets {
		if t.Kind == "proc-macro" {
			return true
		}
	}
	return false
}

// features reads a [features] table: feature → what it turns on (empty,
// not nil, without the table). Entries that are not lists of strings
// (which cargo refuses) are left out.
func features(raw map[string]any) map[string][]string {
	fs := make(map[string][]string, len(raw))
	for _, n := range slices.Sorted(maps.Keys(raw)) {
		list, ok := raw[n].([]any)
		if !ok {
			continue
		}
		vs := []string{}
		for _, v := range list {
			if s, ok := v.(string); ok {
				vs = append(vs, s)
			}
		}
		fs[n] = vs
	}
	return fs
}

// Truth is what a cfg predicate is known to be.
type Truth int8

const (
	False   Truth = iota
	Unknown       // it hangs on what is not known (the target, test, a flag)
	True
)

// maxCfgDepth bounds the nesting of all/any/not a predicate may have: a
// deeper one is Unknown.
const maxCfgDepth = 32

// EvalCfg evaluates the predicate of a #[cfg(...)], the text inside its
// parentheses, knowing only the features: feature = "x" is what features
// says of x (Unknown when features is nil), every other option (unix,
// test, target_os = "linux", ...) is Unknown, and all, any and not
// combine them in three-valued logic. A predicate that does not parse is
// Unknown.
func EvalCfg(pred string, features FeatureSet) Truth {
	p := &cfgParser{s: pred, features: features}
	t, ok := p.pred(0)
	p.space()
	if !ok || p.i != len(p.s) {
		return Unknown
	}
	return t
}

type cfgParser struct {
	s        string
	i        int
	features FeatureSet
}

func (p *cfgParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// next consumes c when it comes next.
func (p *cfgParser) next(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *cfgParser) ident() string {
	p.space()
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == '_' || p.s[p.i] >= 'a' && p.s[p.i] <= 'z' || p.s[p.i] >= 'A' && p.s[p.i] <= 'Z' || p.i > start && p.s[p.i] >= '0' && p.s[p.i] <= '9') {
		p.i++
	}
	return p.s[start:p.i]
}

// str reads a string literal without escapes (feature names have none).
func (p *cfgParser) str() (string, bool) {
	if !p.next('"') {
		return "", false
	}
	end := strings.IndexAny(p.s[p.i:], `"\`)
	if end < 0 || p.s[p.i+end] != '"' {
		return "", false
	}
	s := p.s[p.i : p.i+end]
	p.i += end + 1
	return s, true
}

// pred reads one predicate: name, name = "value", or all/any/not(...).
func (p *cfgParser) pred(depth int) (Truth, bool) {
	name := p.ident()
	if name == "" || depth > maxCfgDepth {
		return Unknown, false
	}
	if p.next('=') {
		value, ok := p.str()
		if !ok {
			return Unknown, false
		}
		if name == "feature" && p.features != nil {
			return p.features[value], true // False when it does not hold it
		}
		return Unknown, true
	}
	if name != "all" && name != "any" && name != "not" {
		return Unknown, true
	}
	if !p.next('(') {
		return Unknown, false
	}
	var args []Truth
	for !p.next(')') {
		if len(args) > 0 && !p.next(',') {
			return Unknown, false
		}
		if p.next(')') { // a trailing comma
			break
		}
		t, ok := p.pred(depth + 1)
		if !ok {
			return Unknown, false
		}
		args = append(args, t)
	}
	switch name {
	case "not":
		if len(args) != 1 {
			return Unknown, false
		}
		return [...]Truth{False: True, Unknown: Unknown, True: False}[args[0]], true
	case "all":
		return combine(args, False, True), true
	}
	return combine(args, True, False), true
}

// combine is all (decisive False, empty True) or any (decisive True,
// empty False) of args.
func combine(args []Truth, decisive, empty Truth) Truth {
	out := empty
	for _, a := range args {
		switch a {
		case decisive:
			return decisive
		case Unknown:
			out = Unknown
		}
	}
	return out
}
