package cargo

import (
	"path"
	"sort"
	"strings"
)

// PathDecl is a `#[path = "..."] mod name;` declaration found in a file,
// or a plain `mod name;` (Path "") of such a file.
type PathDecl struct {
	File   string   // the declaring file, relative to the repository root
	Name   string   // the module's name
	Path   string   // the #[path] value, relative to the declaring file's folder
	Inline []string // the inline modules the declaration sits in, outermost first
}

// PathModules applies #[path] attributes: it returns the module path of
// each file that one redirects, by file. known holds the repository's
// files; a declaration pointing elsewhere is ignored, and so is one
// pointing at the file a plain declaration loads from its own place
// (#[cfg(feature = "raw")] mod raw { #[path = "mod.rs"] mod inner; } beside
// #[cfg(not(feature = "raw"))] mod raw;): the file keeps that place.
// Chains of redirections are followed; a cycle falls back to the file's
// own place.
func (l *Layout) PathModules(decls []PathDecl, known map[string]bool) map[string]string {
	base := func(d PathDecl) string {
		b := path.Dir(d.File)
		if len(d.Inline) > 0 || d.Path == "" {
			// A non-mod-rs file's folder gains its own name.
			if name := strings.TrimSuffix(path.Base(d.File), ".rs"); name != "mod" && name != "lib" && name != "main" && l.Locate(d.File).Modules != nil {
				b = path.Join(b, name)
			}
			b = path.Join(append([]string{b}, d.Inline...)...)
		}
		return b
	}
	plain := map[string]bool{} // the files plain declarations load
	for _, d := range decls {
		if d.Path == "" {
			plain[path.Join(base(d), d.Name+".rs")] = true
			plain[path.Join(base(d), d.Name, "mod.rs")] = true
		}
	}
	byTarget := map[string]PathDecl{}
	for _, d := range decls {
		if d.Path == "" {
			continue
		}
		if target := path.Clean(path.Join(base(d), d.Path)); known[target] && !plain[target] {
			byTarget[target] = d
		}
	}
	modules := map[string]string{}
	var resolve func(rel string, depth int) string
	resolve = func(rel string, depth int) string {
		if m, ok := modules[rel]; ok {
			return m
		}
		d, ok := byTarget[rel]
		if !ok || depth > 64 { // not redirected, or a cycle of #[path]s
			return l.Locate(rel).Module()
		}
		parts := append([]string{resolve(d.File, depth+1)}, d.Inline...)
		m := strings.Join(append(parts, d.Name), "::")
		modules[rel] = m
		return m
	}
	targets := make([]string, 0, len(byTarget))
	for t := range byTarget {
		targets = append(targets, t)
	}
	sort.Strings(targets)
	for _, t := range targets {
		resolve(t, 0)
	}
	return modules
}
