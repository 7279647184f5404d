package cargo

import (
	"path"
	"sort"
	"strings"
)

// Layout maps the source files of a repository to their package, target
// and module, from the repository's manifests.
type Layout struct {
	manifests []*Manifest // packages only, deepest directory first
}

// NewLayout indexes the package manifests among ms.
func NewLayout(ms []*Manifest) *Layout {
	l := &Layout{}
	for _, m := range ms {
		if m.Package != "" {
			l.manifests = append(l.manifests, m)
		}
	}
	sort.SliceStable(l.manifests, func(i, j int) bool { return len(l.manifests[i].Dir) > len(l.manifests[j].Dir) })
	return l
}

// Location is where a source file sits in the crate structure.
type Location struct {
	Manifest *Manifest // nil when no package holds the file
	Target   *Target   // nil when no target's folder holds the file
	Modules  []string  // module names from the target root to the file
}

// Module returns the file's module path: the target's crate name, then the
// modules, e.g. router::core::payments.
func (l Location) Module() string {
	var parts []string
	if l.Target != nil {
		parts = append(parts, l.Target.Name)
	}
	return strings.Join(append(parts, l.Modules...), "::")
}

// Locate finds the package, target and module path of the source file rel
// (slash-separated, relative to the repository root) by Rust's file rules:
// a target's root file is the crate root; from the root's folder, a/b.rs
// and a/b/mod.rs are module a::b. When several targets share a folder (src/
// holds lib.rs and main.rs), the library wins, then bins, then the rest,
// each by name.
func (l *Layout) Locate(rel string) Location {
	var loc Location
	for _, m := range l.manifests {
		if m.Dir == "" || strings.HasPrefix(rel, m.Dir+"/") {
			loc.Manifest = m
			break
		}
	}
	if loc.Manifest == nil {
		return loc
	}
	best, bestDir := -1, ""
	for i := range loc.Manifest.Targets {
		t := &loc.Manifest.Targets[i]
		if t.Path == rel {
			loc.Target = t
			return loc
		}
		dir := path.Dir(t.Path)
		if !strings.HasPrefix(rel, dir+"/") {
			continue
		}
		if best < 0 || len(dir) > len(bestDir) || len(dir) == len(bestDir) && targetRank(t) < targetRank(&loc.Manifest.Targets[best]) {
			best, bestDir = i, dir
		}
	}
	if best < 0 {
		return loc
	}
	loc.Target = &loc.Manifest.Targets[best]
	loc.Modules = ModulesOf(strings.TrimPrefix(rel, bestDir+"/"))
	return loc
}

// ModulesOf returns the module names of a file path relative to its
// crate root's folder: "a/b.rs" and "a/b/mod.rs" → [a b].
func ModulesOf(rel string) []string {
	parts := strings.Split(strings.TrimSuffix(rel, ".rs"), "/")
	if parts[len(parts)-1] == "mod" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

func targetRank(t *Target) int {
	switch t.Kind {
	case "lib", "proc-macro":
		return 0
	case "bin":
		return 1
	}
	return 2
}
