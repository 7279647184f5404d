package cargo

import (
	"path"
	"sort"
	"strings"
)

// PathDecl is a `#[path = "..."] mod name;` declaration found in a file.
type PathDecl struct {
	File   string   // the declaring file, relative to the repository root
	Name   string   // the module's name
	Path   string   // the #[path] value, relative to the declaring file's folder
	Inline []string // the inline modules the declaration sits in, outermost first
}

// PathModules applies #[path] attributes: it returns the module path of
// each file that one redirects, by file. known holds the repository's
// files; a declaration pointing elsewhere is ignored. Chains of
// redirections are followed; a cycle falls back to the file's own place.
func (l *Layout) PathModules(decls []PathDecl, known map[string]bool) map[string]string {
	byTarget := map[string]PathDecl{}
	for _, d := range decls {
		base := path.Dir(d.File)
		if len(d.Inline) > 0 {
			// Inside inline modules, a non-mod-rs file's folder gains its own name.
			if name := strings.TrimSuffix(path.Base(d.File), ".rs"); name != "mod" && name != "lib" && name != "main" && l.Locate(d.File).Modules != nil {
				base = path.Join(base, name)
			}
			base = path.Join(append([]string{base}, d.Inline...)...)
		}
		if target := path.Clean(path.Join(base, d.Path)); known[target] {
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
