package mine

import (
	"slices"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/callgraph"
)

func TestCode(t *testing.T) {
	tests := []struct{ text, want string }{
		{"fn a() {}", "fn a() {}"},
		{"/// Doc.\n    /// More.\n    pub fn a() {\n        b();\n    }", "pub fn a() {\n    b();\n}"},
		{"fn a() {\n        b();\n    }", "fn a() {\n    b();\n}"}, // no docs: the first line is at its column already
		{"/** Doc\n     * more */\n    fn a() {}", "fn a() {}"},
		{"/** Doc */\n    fn a() {}", "fn a() {}"},
		{"#[doc = \"Doc.\"]\n#[inline]\n/// After the attribute.\nfn a() {}", "#[inline]\nfn a() {}"},
		{"/// Doc.\r\n    fn a() {\r\n        b();\r\n    }", "fn a() {\n    b();\n}"},
		{"//// Not a doc comment.\nfn a() {}", "//// Not a doc comment.\nfn a() {}"},
		{"\tfn a() {\n\t\tb();\n\t}", "fn a() {\n\tb();\n}"},
		{"/// Only docs.", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Code(&Item{Text: tt.text}); got != tt.want {
			t.Errorf("Code(%q) = %q; want %q", tt.text, got, tt.want)
		}
	}
}

func TestDocText(t *testing.T) {
	tests := []struct{ docs, want string }{
		{" Adds two numbers.", "Adds two numbers."},
		{"\n Adds.\n\n ```\n let x = 1;\n ```\n", "Adds.\n\n```\nlet x = 1;\n```"},
		{"", ""},
		{"\n\n", ""},
	}
	for _, tt := range tests {
		if got := DocText(&Item{Docs: tt.docs}); got != tt.want {
			t.Errorf("DocText(%q) = %q; want %q", tt.docs, got, tt.want)
		}
	}
}

// method is a method of an impl of trait (inherent when "") for self.
func method(id, name, trait, self, body, docs string) *Item {
	parent := "m::" + self
	if trait != "" {
		parent = "m::<" + self + " as " + trait + ">"
	}
	return &Item{ID: id, Kind: "fn", Name: name, Path: parent + "::" + name, Module: "m", Trait: trait, SelfType: self,
		ParentKind: "impl", ParentPath: parent, Docs: docs, Text: "fn " + name + "(&self) { " + body + " }"}
}

func TestContrastiveNegatives(t *testing.T) {
	items := []*Item{
		method("a1", "fmt", "Display", "A", "write!(f, \"a\")", " Shows an A as the letter a."),
		method("b1", "fmt", "Display", "B", "write!(f, \"b\")", " Shows a B as the letter b."),
		method("c1", "fmt", "Display", "C", "write!(f, \"a\")", " Shows a C, the same way as an A."), // A's code: never A's negative
		method("d1", "fmt", "Display<X>", "D", "write!(f, \"d\")", ""),                               // the same trait, other arguments
		method("a2", "len", "Display", "A", "1", " The same docs as another item."),                  // a sibling of a1
		method("a3", "size", "Display", "A", "2", " The same docs as another item."),
		{ID: "f1", Kind: "fn", Name: "fmt", Path: "n::fmt", Module: "n", Text: "fn fmt() {}"},                                    // the same name elsewhere
		{ID: "s1", Kind: "struct", Name: "fmt", Path: "n::fmt", Module: "n", Text: "struct fmt;", Docs: " A type of that name."}, // another class
		{ID: "t1", Kind: "fn", Name: "fmt", Path: "m::Display::fmt", Module: "m", ParentKind: "trait", ParentPath: "m::Display",
			Docs: " Formats the value with the given formatter.", Text: "fn fmt(&self, f: &mut Formatter) -> Result;"}, // declares what the impls do
	}
	got := map[string]string{}
	for s := range Contrastive(items, 4) {
		var hows []string
		for _, n := range s.Negatives {
			hows = append(hows, n.ID+":"+n.How)
		}
		got[s.Items[0].ID] = strings.TrimSpace(s.Category + " " + strings.Join(hows, " "))
	}
	want := map[string]string{
		"a1": "triplet b1:same-trait-method d1:same-trait-method a3:sibling a2:sibling",
		"b1": "triplet d1:same-trait-method a1:same-trait-method f1:same-name", // c1 has a1's code: one of them only; B's impl has no other method
		"c1": "triplet d1:same-trait-method b1:same-trait-method f1:same-name", // a1 has c1's code: never its negative
		"a2": "triplet a1:sibling",                                             // a3 has its docs; b1, c1, d1 are of other impls
		"a3": "triplet a1:sibling",
		"t1": "triplet f1:same-name", // no sibling in the trait, and the impls do what its docs say
		"s1": "pair",                 // the fns of its name are of another class
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: %q; want %q", id, got[id], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("anchors %v; want those of %v", got, want)
	}
	// The choice depends on the ids, not on the order of the input.
	rev := slices.Clone(items)
	slices.Reverse(rev)
	for s := range Contrastive(rev, 4) {
		var hows []string
		for _, n := range s.Negatives {
			hows = append(hows, n.ID+":"+n.How)
		}
		if g := strings.TrimSpace(s.Category + " " + strings.Join(hows, " ")); g != got[s.Items[0].ID] {
			t.Errorf("%s in reverse order: %q; want %q", s.Items[0].ID, g, got[s.Items[0].ID])
		}
	}
	if ss := slices.Collect(Contrastive(items, 0)); len(ss) != 7 || ss[0].Category != "pair" || len(ss[0].Negatives) != 0 {
		t.Errorf("--negatives 0: %d samples, first %+v", len(ss), ss[0])
	}
}

func fn(id, name string, calls []callgraph.CallOut, unresolved ...callgraph.Unresolved) *Item {
	return &Item{ID: id, Kind: "fn", Name: name, Path: "k::" + name, File: "k.rs", StartLine: 1, EndLine: 3, Text: "fn " + name + "() {}",
		Docs: " The " + name + " function.", Graph: &callgraph.FnGraph{Calls: calls, Unresolved: unresolved}}
}

func TestCallTraces(t *testing.T) {
	items := []*Item{
		fn("a", "a", []callgraph.CallOut{{ID: "b", Path: "k::b", Line: 5, How: "local"}, {ID: "gone", Path: "k::gone", Line: 2, How: "path"}},
			callgraph.Unresolved{Text: "x.y", Line: 3, Reason: "receiver of unknown type"}),
		fn("b", "b", []callgraph.CallOut{{ID: "a", Path: "k::a", Line: 9, How: "local"}, {ID: "c", Path: "k::c", Line: 10, How: "local"}}),
		fn("c", "c", nil, callgraph.Unresolved{Text: "z", Line: 1, Reason: "not defined in the workspace"}),
	}
	ss := slices.Collect(CallTraces(items, 5, 100))
	if len(ss) != 2 {
		t.Fatalf("%d traces; want 2 (c calls nothing resolved)", len(ss))
	}
	var got []string
	for _, st := range ss[0].Steps {
		got = append(got, st.N+" "+st.Fact+" "+st.Path+" "+st.Note)
	}
	want := []string{
		"1 call k::gone no-record", // by line: 2, 3, 5
		"2 unresolved x.y ",
		"3 call k::b ",
		"3.1 call k::a followed-above", // the cycle back to the root
		"3.2 call k::c ",
		"3.2.1 unresolved z ",
	}
	if !slices.Equal(got, want) {
		t.Errorf("steps\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, w := range []string{"its record is not in the input", "which is not resolved: receiver of unknown type", "Its calls are followed above", "```rust\nfn a() {}\n```"} {
		if !strings.Contains(ss[0].Answer, w) {
			t.Errorf("answer lacks %q:\n%s", w, ss[0].Answer)
		}
	}
	capped := slices.Collect(CallTraces(items, 5, 2))[0]
	if len(capped.Steps) != 2 || !strings.Contains(capped.Answer, "The trace stops here, after 2 steps.") {
		t.Errorf("--steps 2: %d steps\n%s", len(capped.Steps), capped.Answer)
	}
	shallow := slices.Collect(CallTraces(items, 1, 100))[0]
	if len(shallow.Steps) != 3 || shallow.Steps[2].Note != "depth-limit" || !strings.Contains(shallow.Answer, "Its 2 calls are not followed here (depth 1).") {
		t.Errorf("--depth 1: %+v\n%s", shallow.Steps, shallow.Answer)
	}
}

func TestTraitImplsDefinition(t *testing.T) {
	impl := func(id, self string, line int) *Item {
		return &Item{ID: id, Kind: "impl", Name: self, Path: "m::<" + self + " as T>", Trait: "T", SelfType: self, File: "m.rs",
			StartLine: line, EndLine: line + 5, Signature: "impl T for " + self}
	}
	items := []*Item{impl("i1", "A", 10), impl("i2", "B", 20),
		{ID: "t1", Kind: "trait", Name: "T", Path: "m::T", File: "m.rs", StartLine: 1, EndLine: 5},
		{ID: "t2", Kind: "trait", Name: "T", Path: "n::T", File: "n.rs", StartLine: 1, EndLine: 5}}
	ss := slices.Collect(TraitImpls(append(items, items[0]), 2, 10)) // a record twice is one impl
	if len(ss) != 1 || len(ss[0].Steps) != 2 || !strings.Contains(ss[0].Answer, "The definition of `T` is not in this code (or more than one trait has its name).") {
		t.Errorf("two traits named T: %+v", ss)
	}
	if ss := slices.Collect(TraitImpls(items, 3, 10)); len(ss) != 0 {
		t.Errorf("--min-impls 3 of 2 impls: %d samples", len(ss))
	}
}

// FuzzCode: any text makes code without blanks at its ends, and without
// the doc lines it started with.
func FuzzCode(f *testing.F) {
	for _, s := range []string{"fn a() {}", "/// Doc.\n    pub fn a() {\n        b();\n    }", "/** a\n */\n\tfn a() {}", "#[doc = \"x\"]\n", "\r\n\t \n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		c := Code(&Item{Text: text})
		if c != strings.TrimSpace(c) {
			t.Errorf("Code(%q) = %q: blanks at its ends", text, c)
		}
		if strings.HasPrefix(c, "///") && !strings.HasPrefix(c, "////") {
			t.Errorf("Code(%q) = %q: starts with a doc comment", text, c)
		}
		_ = DocText(&Item{Docs: text})
		_ = snippetCode(text)
		_ = WikiText(&Item{Text: text})
	})
}
