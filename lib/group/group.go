package group

import (
	"fmt"
	"path"
	"sort"
	"strings"
)

// Member is a file or item that can join a group.
type Member struct {
	ID       string
	Kind     string // file, impl, trait, ...
	Path     string // the file's path (for items, their file's)
	Crate    string
	Name     string // items: the name; traits: the trait's name
	Text     string
	Trait    string   // impls: the trait, generics dropped ("" for inherent impls)
	SelfType string   // impls: the self type, generics dropped
	Supers   []string // traits: the supertraits' names
	Uses     []string // files: the crates their use declarations name
}

// Group is one unit.
type Group struct {
	Type    string // module, crate, dir, impl-collection, trait-ecosystem, cross-crate
	Key     string // what it groups: a folder, a crate, a type, a trait
	Crate   string
	Members []Member
	Text    string
}

// Bytes is the size of the group's members.
func (g Group) Bytes() int {
	n := 0
	for _, m := range g.Members {
		n += len(m.Text)
	}
	return n
}

// Options are the thresholds, with the original recipe's defaults.
type Options struct {
	ModuleMinFiles int // a module needs at least this many files (2)
	ModuleMax      int // and at most this many bytes (1 MB)
	CrateMax       int // a crate group holds at most this many bytes (2 MB)
	SmallFile      int // dir: files under this size are batched (5 KB)
	DirMax         int // dir: a batch holds at most this many bytes (64 KB)
	MinImpls       int // impl-collection: at least this many impls (2)
	MinEcosystem   int // trait-ecosystem: trait and implementors, at least (2)
}

// Defaults are the original recipe's thresholds.
var Defaults = Options{ModuleMinFiles: 2, ModuleMax: 1 << 20, CrateMax: 2 << 20, SmallFile: 5 << 10, DirMax: 64 << 10, MinImpls: 2, MinEcosystem: 2}

// joinFiles writes members one after another, each under a header line.
func joinFiles(ms []Member) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "// File: %s\n%s", m.Path, m.Text)
		if !strings.HasSuffix(m.Text, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// joinItems writes items one after another, each under its file.
func joinItems(ms []Member) string {
	var b strings.Builder
	for i, m := range ms {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "// %s\n%s\n", m.Path, strings.TrimRight(m.Text, "\n"))
	}
	return b.String()
}

func byPath(ms []Member) {
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Path < ms[j].Path })
}

// Modules: the files of each folder (a module and its child modules'
// files), when there are enough of them and not too many bytes.
func Modules(files []Member, o Options) []Group {
	byDir := map[string][]Member{}
	for _, f := range files {
		byDir[path.Dir(f.Path)] = append(byDir[path.Dir(f.Path)], f)
	}
	var out []Group
	for _, dir := range sortedKeys(byDir) {
		ms := byDir[dir]
		byPath(ms)
		g := Group{Type: "module", Key: dir, Crate: ms[0].Crate, Members: ms}
		if len(ms) >= o.ModuleMinFiles && g.Bytes() <= o.ModuleMax {
			g.Text = joinFiles(ms)
			out = append(out, g)
		}
	}
	return out
}

// Crates: every file of a crate, when the crate is small enough.
func Crates(files []Member, o Options) []Group {
	by := map[string][]Member{}
	for _, f := range files {
		if f.Crate != "" {
			by[f.Crate] = append(by[f.Crate], f)
		}
	}
	var out []Group
	for _, c := range sortedKeys(by) {
		ms := by[c]
		byPath(ms)
		g := Group{Type: "crate", Key: c, Crate: c, Members: ms}
		if g.Bytes() <= o.CrateMax {
			g.Text = joinFiles(ms)
			out = append(out, g)
		}
	}
	return out
}

// Dirs: the small files of each folder, in batches of at most DirMax
// bytes; a batch needs two files at least.
func Dirs(files []Member, o Options) []Group {
	byDir := map[string][]Member{}
	for _, f := range files {
		if len(f.Text) < o.SmallFile {
			byDir[path.Dir(f.Path)] = append(byDir[path.Dir(f.Path)], f)
		}
	}
	var out []Group
	for _, dir := range sortedKeys(byDir) {
		ms := byDir[dir]
		byPath(ms)
		var batch []Member
		size := 0
		flush := func() {
			if len(batch) >= 2 {
				out = append(out, Group{Type: "dir", Key: dir, Crate: batch[0].Crate, Members: batch, Text: joinFiles(batch)})
			}
			batch, size = nil, 0
		}
		for _, m := range ms {
			if size+len(m.Text) > o.DirMax {
				flush()
			}
			batch = append(batch, m)
			size += len(m.Text)
		}
		flush()
	}
	return out
}

// ImplCollections: all impls of one type of a crate, inherent and trait.
func ImplCollections(impls []Member, o Options) []Group {
	by := map[string][]Member{}
	for _, m := range impls {
		by[m.Crate+"\x00"+m.SelfType] = append(by[m.Crate+"\x00"+m.SelfType], m)
	}
	var out []Group
	for _, k := range sortedKeys(by) {
		ms := by[k]
		if len(ms) < o.MinImpls {
			continue
		}
		sort.SliceStable(ms, func(i, j int) bool {
			if ms[i].Trait != ms[j].Trait {
				return ms[i].Trait < ms[j].Trait // inherent ("") first
			}
			return ms[i].Path < ms[j].Path
		})
		out = append(out, Group{Type: "impl-collection", Key: ms[0].SelfType, Crate: ms[0].Crate, Members: ms, Text: joinItems(ms)})
	}
	return out
}

// TraitEcosystems: a trait, the traits it builds on, and every impl of it
// in the workspace.
func TraitEcosystems(traits, impls []Member, o Options) []Group {
	byName := map[string][]Member{}
	for _, t := range traits {
		byName[t.Name] = append(byName[t.Name], t)
	}
	implsOf := map[string][]Member{}
	for _, m := range impls {
		if m.Trait != "" {
			implsOf[m.Trait] = append(implsOf[m.Trait], m)
		}
	}
	var out []Group
	for _, name := range sortedKeys(byName) {
		if len(byName[name]) != 1 {
			continue // several traits of that name: which impl is whose is unknown
		}
		t := byName[name][0]
		ms := []Member{t}
		for _, s := range t.Supers {
			if sup := byName[s]; len(sup) == 1 {
				ms = append(ms, sup[0])
			}
		}
		is := implsOf[name]
		sort.SliceStable(is, func(i, j int) bool { return is[i].Path+is[i].SelfType < is[j].Path+is[j].SelfType })
		ms = append(ms, is...)
		if len(is) == 0 || 1+len(is) < o.MinEcosystem {
			continue
		}
		out = append(out, Group{Type: "trait-ecosystem", Key: name, Crate: t.Crate, Members: ms, Text: joinItems(ms)})
	}
	return out
}

// CrossCrate: for each crate, the workspace crates its files use and
// where, with up to examples of the using files for each.
func CrossCrate(files []Member, crates map[string]bool, examples int) []Group {
	by := map[string][]Member{}
	deps := map[string]map[string][]string{} // crate → dep → files
	for _, f := range files {
		for _, d := range f.Uses {
			if d == f.Crate || !crates[d] {
				continue
			}
			if deps[f.Crate] == nil {
				deps[f.Crate] = map[string][]string{}
			}
			if !contains(deps[f.Crate][d], f.Path) {
				deps[f.Crate][d] = append(deps[f.Crate][d], f.Path)
				if len(deps[f.Crate][d]) <= examples {
					by[f.Crate] = appendOnce(by[f.Crate], f)
				}
			}
		}
	}
	var out []Group
	for _, c := range sortedKeys(deps) {
		var b strings.Builder
		fmt.Fprintf(&b, "// Crate %s uses:\n", c)
		for _, d := range sortedKeys(deps[c]) {
			fs := deps[c][d]
			sort.Strings(fs)
			fmt.Fprintf(&b, "// - %s, in %s\n", d, strings.Join(fs, ", "))
		}
		ms := by[c]
		byPath(ms)
		b.WriteString("\n")
		b.WriteString(joinFiles(ms))
		out = append(out, Group{Type: "cross-crate", Key: c, Crate: c, Members: ms, Text: b.String()})
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func appendOnce(ms []Member, m Member) []Member {
	for _, x := range ms {
		if x.ID == m.ID {
			return ms
		}
	}
	return append(ms, m)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
