package mine

import (
	"fmt"
	"strings"
	"testing"
)

func TestAsyncByPurpose(t *testing.T) {
	fn := func(name, module, text string) *Item {
		return &Item{Kind: "fn", Async: true, Name: name, Module: module, Text: text}
	}
	items := []*Item{
		fn("insert_order", "shop", "db.execute(o).await"),
		fn("find_order", "shop", "pool.query(id).await"),
		fn("cache_order", "shop", "redis.set(o).await"),
		fn("call", "shop::connector", "self.x().await"),
		fn("tick", "shop", "sleep(1).await"),
		{Kind: "fn", Name: "sync_fn"},
	}
	var got []string
	for _, s := range AsyncByPurpose(items) {
		got = append(got, s.Items[0].Name+":"+s.Category)
	}
	want := "insert_order:database-write find_order:database-read cache_order:cache call:connector-call tick:other"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestConversions(t *testing.T) {
	items := []*Item{
		{Kind: "impl", Trait: "From<Vec<T>>", SelfType: "Wrapper<T>", Module: "m", Text: "impl<T> From<Vec<T>> for Wrapper<T> {}"},
		{Kind: "impl", Trait: "Display", SelfType: "W", Text: "impl Display for W {}"},
	}
	ss := Conversions(items)
	if len(ss) != 2 || ss[0].Category != "From" || ss[1].Question != "Implement `From<Vec<T>> for Wrapper<T>` in the `m` module." || ss[1].Answer != items[0].Text {
		t.Errorf("conversions %+v", ss)
	}
}

func TestMacrosAndImportant(t *testing.T) {
	items := []*Item{
		{Kind: "macro", Name: "log", Text: "macro_rules! log {}"},
		{Kind: "fn", Name: "a", Path: "k::a", Text: "fn a() { log!(1); vec![1]; }", Calls: 5, Visibility: "pub", File: "f.rs", StartLine: 3, EndLine: 3},
		{Kind: "fn", Name: "b", Path: "k::b", Text: "fn b() { log!(2); }", CalledBy: 1, File: "f.rs", StartLine: 5, EndLine: 5},
	}
	var got []string
	for _, s := range Macros(items, 5, 1) {
		got = append(got, fmt.Sprintf("%s/%d", s.Category, len(s.Items)))
	}
	if strings.Join(got, " ") != "log (2 uses)/2 vec (1 uses)/1" { // definition + 1 example; vec has no definition here
		t.Errorf("macros %v", got)
	}
	imp := Important(items, map[string]string{"f.rs": "l1\nl2\nfn a() {}\nl4\nfn b() {}\nl6\n"}, 1, 2)
	if len(imp) != 1 || imp[0].Items[0].Name != "a" || imp[0].Text != "fn a() {}\nl4\nfn b() {}\n" {
		t.Errorf("important %+v", imp)
	}
}

// TestContextAtItemEdges: the context around an important function takes
// whole neighbours only — never the tail of one (a stray "}") — and is not
// stopped by the impl that holds it.
func TestContextAtItemEdges(t *testing.T) {
	src := `struct S;
impl S {
    fn before(&self) {
        one();
        two();
    }
    fn target(&self) { self.before() }
    fn after(&self) {}
}
fn tail() {}
`
	impl := &Item{Kind: "impl", File: "s.rs", StartLine: 2, EndLine: 9}
	before := &Item{Kind: "fn", Name: "before", File: "s.rs", StartLine: 3, EndLine: 6}
	target := &Item{Kind: "fn", Name: "target", Path: "s::S::target", Visibility: "pub", Calls: 9, File: "s.rs", StartLine: 7, EndLine: 7, Text: "    fn target(&self) { self.before() }"}
	after := &Item{Kind: "fn", Name: "after", File: "s.rs", StartLine: 8, EndLine: 8}
	tail := &Item{Kind: "fn", Name: "tail", File: "s.rs", StartLine: 10, EndLine: 10}
	items := []*Item{{Kind: "struct", File: "s.rs", StartLine: 1, EndLine: 1}, impl, before, target, after, tail}
	tests := []struct {
		context int
		want    string
	}{
		{1, "    fn target(&self) { self.before() }\n    fn after(&self) {}\n"}, // before (3-6) is cut at line 6: left out
		{2, "    fn target(&self) { self.before() }\n    fn after(&self) {}\n"}, // the impl's "}" (line 9) is no edge of a whole item
		{4, "    fn before(&self) {\n        one();\n        two();\n    }\n    fn target(&self) { self.before() }\n    fn after(&self) {}\n"},
	}
	for _, tt := range tests {
		imp := Important(items, map[string]string{"s.rs": src}, 1, tt.context)
		if len(imp) != 1 || imp[0].Text != tt.want {
			t.Errorf("context %d: %q; want %q", tt.context, imp[0].Text, tt.want)
		}
	}
}
