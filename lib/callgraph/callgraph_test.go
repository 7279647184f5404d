package callgraph

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/rust"
)

// index builds an index of one-file modules: module path → source.
func index(t *testing.T, files map[string]string) (*Index, map[string]*rust.Calls, []*Item) {
	t.Helper()
	var items []*Item
	var cfiles []*File
	calls := map[string]*rust.Calls{}
	var mods []string
	for m := range files {
		mods = append(mods, m)
	}
	sort.Strings(mods)
	for _, m := range mods {
		src := []byte(files[m])
		f, err := rust.Extract(src, m, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, it := range f.Items {
			items = append(items, NewItem(fmt.Sprintf("%s#%d", m, i), "", m, &it))
		}
		c, err := rust.ExtractCalls(src, 0)
		if err != nil {
			t.Fatal(err)
		}
		calls[m] = c
		cfiles = append(cfiles, &File{Path: m, Module: m, Calls: c})
	}
	return NewIndex(items, cfiles, nil), calls, items
}

func TestResolve(t *testing.T) {
	x, calls, _ := index(t, resolveWorkspace)
	got := map[string][]string{}
	for file, c := range calls {
		for i := range c.Fns {
			fn := x.Enclosing(file, c.Fns[i].Start, c.Fns[i].End)
			r := x.Resolve(fn, &c.Fns[i])
			for _, call := range r.Calls {
				got[fn.Path] = append(got[fn.Path], call.Text+" -> "+call.Callee.Path+" ["+call.How+"]")
			}
			for _, u := range r.Unresolved {
				got[fn.Path] = append(got[fn.Path], u.Text+" ?? "+u.Reason)
			}
		}
	}
	want := map[string][]string{
		"k::a::caller": { // resolved calls first, then the unresolved
			"super::b::helper -> k::b::helper [path]",
			"crate::b::helper -> k::b::helper [path]",
			"twin ?? one of 2 definitions under different cfgs: k::a::twin (k::a:2), k::a::twin (k::a:3)", // candidates, not a guess
			"Self::nothing ?? Self outside an impl",
			"std::mem::drop ?? not defined in the workspace",
		},
		"k::b::user": {
			"shared -> k::b::shared [local]", // the local one shadows the glob's
			"caller -> k::a::caller [glob]",
			"closure ?? not defined in the workspace",
		},
	}
	for fn, w := range want {
		if strings.Join(got[fn], "\n") != strings.Join(w, "\n") {
			t.Errorf("%s:\n%s\nwant\n%s", fn, strings.Join(got[fn], "\n"), strings.Join(w, "\n"))
		}
	}
}
