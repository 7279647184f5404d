package cargo

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Manifest is what dwkit needs from one Cargo.toml.
type Manifest struct {
	Dir         string              `json:"dir"` // slash-separated, relative to the repository root ("" = root)
	Package     string              `json:"package,omitempty"`
	Version     string              `json:"version,omitempty"`
	Edition     string              `json:"edition,omitempty"`
	Description string              `json:"description,omitempty"` // whitespace collapsed; "" when absent or inherited
	Targets     []Target            `json:"targets,omitempty"`
	Deps        []Dependency        `json:"dependencies,omitempty"`
	Features    map[string][]string `json:"features,omitzero"` // [features]: feature → the features and dependencies it turns on; {} without the table, absent when not known
	Workspace   *Workspace          `json:"workspace,omitempty"`
}

// Target is one compilation unit of a package.
type Target struct {
	Kind string `json:"kind"` // lib, proc-macro, bin, test, example, bench, build
	Name string `json:"name"` // the crate name used in paths (hyphens become underscores)
	Path string `json:"path"` // root file, relative to the repository root
}

// Dependency is one entry of [dependencies], [dev-dependencies],
// [build-dependencies] or their [target.'cfg'.*] forms.
type Dependency struct {
	Name     string `json:"name"`              // the name the code uses
	Package  string `json:"package,omitempty"` // the real package when renamed
	Kind     string `json:"kind"`              // normal, dev, build
	Source   string `json:"source"`            // path, registry, git, workspace
	Path     string `json:"path,omitempty"`    // for path dependencies, relative to the repository root
	Version  string `json:"version,omitempty"`
	Optional bool   `json:"optional,omitempty"`
	Target   string `json:"target,omitempty"` // the cfg(...) or triple of a target-specific table
	// The features it asks of the dependency, and whether it turns the
	// dependency's default features off (default-features = false).
	Features          []string `json:"features,omitempty"`
	NoDefaultFeatures bool     `json:"no_default_features,omitempty"`
}

// Workspace is a [workspace] table.
type Workspace struct {
	Members []string     `json:"members,omitempty"`
	Exclude []string     `json:"exclude,omitempty"`
	Deps    []Dependency `json:"dependencies,omitempty"` // [workspace.dependencies], which members inherit (dep.workspace = true)
}

type rawWorkspace struct {
	Members []string       `toml:"members"`
	Exclude []string       `toml:"exclude"`
	Deps    map[string]any `toml:"dependencies"`
}

// ErrTemplate reports the Cargo.toml of a project template (cargo-generate's
// `{{project-name}}` placeholders): a crate to be, not code of the repository.
var ErrTemplate = errors.New("a project template, not a crate")

// templateNameRE finds a package name that is a Liquid placeholder, as in
// cargo-generate's name = "{{project-name}}". Placeholders elsewhere do not
// count: cargo-release's replace = "{{version}}" sits in real crates.
var templateNameRE = regexp.MustCompile(`(?m)^\s*name\s*=\s*["'][^"'\n]*(\{\{|\{%)`)

// IsTemplate tells the Cargo.toml of a project template: its package name
// is a placeholder.
func IsTemplate(manifest []byte) bool { return templateNameRE.Match(manifest) }

// CrateName is how Rust code names a package or target: hyphens become
// underscores.
func CrateName(s string) string { return strings.ReplaceAll(s, "-", "_") }

type rawTarget struct {
	Name      string `toml:"name"`
	Path      string `toml:"path"`
	ProcMacro bool   `toml:"proc-macro"`
}

type rawManifest struct {
	Package *struct {
		Name      string `toml:"name"`
		Version   any    `toml:"version"`
		Edition   any    `toml:"edition"`
		Desc      any    `toml:"description"`
		Build     any    `toml:"build"`
		AutoBins  *bool  `toml:"autobins"`
		AutoTests *bool  `toml:"autotests"`
		AutoExams *bool  `toml:"autoexamples"`
		AutoBench *bool  `toml:"autobenches"`
	} `toml:"package"`
	Lib       *rawTarget                `toml:"lib"`
	Bin       []rawTarget               `toml:"bin"`
	Test      []rawTarget               `toml:"test"`
	Example   []rawTarget               `toml:"example"`
	Bench     []rawTarget               `toml:"bench"`
	Deps      map[string]any            `toml:"dependencies"`
	DevDeps   map[string]any            `toml:"dev-dependencies"`
	DevDeps2  map[string]any            `toml:"dev_dependencies"`
	BuildDeps map[string]any            `toml:"build-dependencies"`
	BuildDep2 map[string]any            `toml:"build_dependencies"`
	Target    map[string]map[string]any `toml:"target"`
	Features  map[string]any            `toml:"features"`
	Workspace *rawWorkspace             `toml:"workspace"`
}

// Parse reads a manifest's contents. dir is the manifest's folder relative
// to the repository root, exists reports whether a root-relative file
// exists (for auto-discovery), and list returns the root-relative .rs files
// and folders directly inside a root-relative folder.
func Parse(dir string, data []byte, exists func(rel string) bool, list func(rel string) (files, dirs []string)) (*Manifest, error) {
	var raw rawManifest
	if err := toml.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	join := func(rel string) string {
		if j := path.Clean(path.Join(dir, rel)); j != "." {
			return j
		}
		return "" // the repository root, as Dir names it
	}
	m := &Manifest{Dir: dir}
	if w := raw.Workspace; w != nil {
		m.Workspace = &Workspace{Members: w.Members, Exclude: w.Exclude}
		m.Workspace.Deps = deps(w.Deps, "normal", "", join)
	}
	if raw.Package == nil {
		return m, nil
	}
	p := raw.Package
	m.Package = p.Name
	m.Features = features(raw.Features)
	m.Version, _ = p.Version.(string)
	m.Edition, _ = p.Edition.(string)
	if d, ok := p.Desc.(string); ok { // description.workspace = true is a table
		m.Description = strings.Join(strings.Fields(d), " ")
	}

	// lib
	libPath := "src/lib.rs"
	if raw.Lib != nil && raw.Lib.Path != "" {
		libPath = raw.Lib.Path
	}
	if raw.Lib != nil || exists(join(libPath)) {
		name := p.Name
		kind := "lib"
		if raw.Lib != nil {
			if raw.Lib.Name != "" {
				name = raw.Lib.Name
			}
			if raw.Lib.ProcMacro {
				kind = "proc-macro"
			}
		}
		m.Targets = append(m.Targets, Target{kind, CrateName(name), join(libPath)})
	}
	// build script
	switch b := p.Build.(type) {
	case string:
		m.Targets = append(m.Targets, Target{"build", "build_script_build", join(b)})
	case bool:
		if b && exists(join("build.rs")) {
			m.Targets = append(m.Targets, Target{"build", "build_script_build", join("build.rs")})
		}
	case nil:
		if exists(join("build.rs")) {
			m.Targets = append(m.Targets, Target{"build", "build_script_build", join("build.rs")})
		}
	}
	// bins, tests, examples, benches: declared, then auto-discovered
	m.addTargets("bin", raw.Bin, p.AutoBins, "src/bin", join, exists, list)
	if len(raw.Bin) == 0 || p.AutoBins == nil || *p.AutoBins {
		if exists(join("src/main.rs")) && !m.hasTarget("bin", CrateName(p.Name)) && !m.hasPath(join("src/main.rs")) {
			m.Targets = append(m.Targets, Target{"bin", CrateName(p.Name), join("src/main.rs")})
		}
	}
	m.addTargets("test", raw.Test, p.AutoTests, "tests", join, exists, list)
	m.addTargets("example", raw.Example, p.AutoExams, "examples", join, exists, list)
	m.addTargets("bench", raw.Bench, p.AutoBench, "benches", join, exists, list)

	// dependencies
	m.addDeps(raw.Deps, "normal", "", join)
	m.addDeps(raw.DevDeps, "dev", "", join)
	m.addDeps(raw.DevDeps2, "dev", "", join)
	m.addDeps(raw.BuildDeps, "build", "", join)
	m.addDeps(raw.BuildDep2, "build", "", join)
	for _, t := range slices.Sorted(maps.Keys(raw.Target)) {
		tables := raw.Target[t]
		for _, k := range [][2]string{{"dependencies", "normal"}, {"dev-dependencies", "dev"}, {"build-dependencies", "build"}} {
			if deps, ok := tables[k[0]].(map[string]any); ok {
				m.addDeps(deps, k[1], t, join)
			}
		}
	}
	return m, nil
}

func (m *Manifest) hasTarget(kind, name string) bool {
	for _, t := range m.Targets {
		if t.Kind == kind && t.Name == name {
			return true
		}
	}
	return false
}

func (m *Manifest) hasPath(p string) bool {
	for _, t := range m.Targets {
		if t.Path == p {
			return true
		}
	}
	return false
}

// addTargets adds declared targets of one kind, then (unless auto is false)
// cargo's auto-discovered ones in dir: dir/*.rs and dir/*/main.rs.
func (m *Manifest) addTargets(kind string, declared []rawTarget, auto *bool, dir string, join func(string) string, exists func(string) bool, list func(string) ([]string, []string)) {
	for _, t := range declared {
		p := t.Path
		if p == "" {
			p = path.Join(dir, t.Name+".rs")
			if kind == "bin" && !exists(join(p)) && t.Name == m.Package {
				p = "src/main.rs"
			}
			if !exists(join(p)) && exists(join(path.Join(dir, t.Name, "main.rs"))) {
				p = path.Join(dir, t.Name, "main.rs")
			}
		}
		m.Targets = append(m.Targets, Target{kind, CrateName(t.Name), join(p)})
	}
	if auto != nil && !*auto {
		return
	}
	files, dirs := list(join(dir))
	var found []Target
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".rs")
		found = append(found, Target{kind, CrateName(name), f})
	}
	for _, d := range dirs {
		if main := path.Join(d, "main.rs"); exists(main) {
			found = append(found, Target{kind, CrateName(path.Base(d)), main})
		}
	}
	for _, t := range found {
		if !m.hasTarget(kind, t.Name) && !m.hasPath(t.Path) {
			m.Targets = append(m.Targets, t)
		}
	}
}

func (m *Manifest) addDeps(table map[string]any, kind, target string, join func(string) string) {
	m.Deps = append(m.Deps, deps(table, kind, target, join)...)
}

// deps reads a dependency table, by name.
func deps(table map[string]any, kind, target string, join func(string) string) []Dependency {
	var out []Dependency
	for _, n := range slices.Sorted(maps.Keys(table)) {
		d := Dependency{Name: n, Kind: kind, Source: "registry", Target: target}
		switch v := table[n].(type) {
		case string:
			d.Version = v
		case map[string]any:
			d.Version, _ = v["version"].(string)
			d.Optional, _ = v["optional"].(bool)
			for _, key := range []string{"default-features", "default_features"} {
				if on, ok := v[key].(bool); ok && !on {
					d.NoDefaultFeatures = true
				}
			}
			if fs, ok := v["features"].([]any); ok {
				for _, f := range fs {
					if f, ok := f.(string); ok {
						d.Features = append(d.Features, f)
					}
				}
			}
			if pkg, ok := v["package"].(string); ok {
				d.Package = pkg
			}
			switch {
			case v["path"] != nil:
				d.Source = "path"
				p, _ := v["path"].(string)
				d.Path = join(p)
			case v["git"] != nil:
				d.Source = "git"
			case v["workspace"] == true:
				d.Source = "workspace"
			}
		}
		out = append(out, d)
	}
	return out
}

// ReadDir is a convenience for callers on a real file system: it parses
// root/dir/Cargo.toml with exists and list backed by the OS.
func ReadDir(root, dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(dir), "Cargo.toml"))
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(dir), "cargo-generate.toml")); err == nil || IsTemplate(data) {
		return nil, fmt.Errorf("%s: %w", path.Join(dir, "Cargo.toml"), ErrTemplate)
	}
	exists := func(rel string) bool {
		st, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
		return err == nil && !st.IsDir()
	}
	list := func(rel string) (files, dirs []string) {
		entries, _ := os.ReadDir(filepath.Join(root, filepath.FromSlash(rel)))
		for _, e := range entries {
			switch {
			case e.IsDir():
				dirs = append(dirs, path.Join(rel, e.Name()))
			case strings.HasSuffix(e.Name(), ".rs"):
				files = append(files, path.Join(rel, e.Name()))
			}
		}
		return files, dirs
	}
	m, err := Parse(dir, data, exists, list)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path.Join(dir, "Cargo.toml"), err)
	}
	return m, nil
}

// CrateField is the "rust" field of a crate or workspace record.
type CrateField struct {
	Crate string `json:"crate,omitempty"` // the package's name as code writes it
	*Manifest
}
