package cargo

import (
	"maps"
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

// WorkspaceFeatures is the features each package of a workspace has on in
// a build of the whole workspace with its default features (cargo build
// --workspace), as cargo's resolver unifies them: a package's "default",
// and what the normal and build dependencies of the packages on it ask for
// (features = [..], unless default-features = false also "default"), and
// the pkg/feature entries of their features that are on; each feature
// turns on what its [features] entry names (features, optional
// dependencies and their implicit features; dep:x, x/y and x?/y read as
// cargo reads them). A dependency is found by its path, or, inherited from
// the workspace, by the one package of its name. By Dir; nil for a
// package whose [features] are not known.
func WorkspaceFeatures(ms []*Manifest) map[string]FeatureSet {
	type pkg struct {
		m        *Manifest
		on       FeatureSet
		deps     map[string]Truth // optional dependency → on
		optional map[string]bool  // optional dependencies
		implicit map[string]bool  // optional dependencies with an implicit feature
	}
	pkgs := map[string]*pkg{}
	byName := map[string][]string{}
	var dirs []string
	for _, m := range ms {
		if m == nil || m.Package == "" || pkgs[m.Dir] != nil {
			continue
		}
		p := &pkg{m: m, deps: map[string]Truth{}, optional: map[string]bool{}, implicit: map[string]bool{}}
		if m.Features != nil {
			p.on = FeatureSet{}
			p.on.raise("default", True)
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
		pkgs[m.Dir] = p
		dirs = append(dirs, m.Dir)
		byName[m.Package] = append(byName[m.Package], m.Dir)
	}
	sort.Strings(dirs)
	// target is the package of the input a dependency of p names.
	target := func(p *pkg, name string) *pkg {
		for _, d := range p.m.Deps {
			if d.Name != name || d.Kind == "dev" {
				continue
			}
			switch d.Source {
			case "path":
				return pkgs[d.Path]
			case "workspace":
				real := d.Name
				if d.Package != "" {
					real = d.Package
				}
				if ds := byName[real]; len(ds) == 1 {
					return pkgs[ds[0]]
				}
			}
		}
		return nil
	}
	for changed := true; changed; {
		changed = false
		raise := func(fs FeatureSet, f string, t Truth) {
			if fs.raise(f, t) {
				changed = true
			}
		}
		for _, dir := range dirs {
			p := pkgs[dir]
			if p.on == nil {
				continue
			}
			// What its features that are on turn on.
			for _, f := range slices.Sorted(maps.Keys(p.on)) {
				t := p.on[f]
				if p.implicit[f] && p.deps[f] < t {
					p.deps[f], changed = t, true
				}
				for _, v := range p.m.Features[f] {
					dep, feat, slash := strings.Cut(v, "/")
					weak := strings.HasSuffix(dep, "?")
					dep = strings.TrimSuffix(dep, "?")
					switch {
					case strings.HasPrefix(v, "dep:"):
						if d := v[4:]; p.deps[d] < t {
							p.deps[d], changed = t, true
						}
					case !slash:
						raise(p.on, v, t)
					default:
						dt := t
						if p.optional[dep] {
							if !weak {
								if p.deps[dep] < t {
									p.deps[dep], changed = t, true
								}
								if p.implicit[dep] {
									raise(p.on, dep, t)
								}
							}
							dt = min(t, p.deps[dep])
						}
						if q := target(p, dep); q != nil && dt != False {
							raise(q.on, feat, dt)
						}
					}
				}
			}
			// What its dependencies on other packages ask for.
			for _, d := range p.m.Deps {
				if d.Kind == "dev" {
					continue
				}
				q := target(p, d.Name)
				if q == nil || q.on == nil {
					continue
				}
				t := True
				if d.Optional {
					t = p.deps[d.Name]
				}
				if d.Target != "" {
					t = min(t, Unknown)
				}
				if t == False {
					continue
				}
				if !d.NoDefaultFeatures {
					raise(q.on, "default", t)
				}
				for _, f := range d.Features {
					raise(q.on, f, t)
				}
			}
		}
	}
	out := make(map[string]FeatureSet, len(pkgs))
	for dir, p := range pkgs {
		out[dir] = p.on
	}
	return out
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
