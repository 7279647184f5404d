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
	imp := Important(items, map[string]string{"f.rs": "l1\nl2\nfn a() {}\nl4\nfn b() {}\nl6\n"}, 1, 1)
	if len(imp) != 1 || imp[0].Items[0].Name != "a" || imp[0].Text != "l2\nfn a() {}\nl4\n" {
		t.Errorf("important %+v", imp)
	}
}
