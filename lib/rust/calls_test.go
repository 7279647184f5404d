package rust

import (
	"fmt"
	"strings"
	"testing"
)

func TestExtractCalls(t *testing.T) {
	src := `use crate::a::{b as c, d::*, self as whole};
pub use super::x;
mod inner {
    use std::collections::HashMap;
}
fn f(p: &mut Foo<u8>, q: crate::m::Bar) {
    foo();
    crate::a::b();
    Self::new();
    p.bar(1);
    self.baz();
    let v = Foo::new();
    let w: Vec<u8> = Vec::new();
    let s = Thing { x: 1 };
    v.qux();
    Vec::<u8>::with_capacity(3);
    println!("x");
    fn nested() { inside(); }
    assert_eq!(self.get(), crate::util::zero(), "{}", vec![a(1)].len());
}
`
	c, err := ExtractCalls([]byte(src), 0)
	if err != nil {
		t.Fatal(err)
	}
	var uses []string
	for _, u := range c.Uses {
		uses = append(uses, fmt.Sprintf("%s=%s%s%v", u.Alias, strings.Join(u.Path, "::"), map[bool]string{true: " pub", false: ""}[u.Public], u.Inline))
	}
	wantUses := "c=crate::a::b[] *=crate::a::d[] whole=crate::a[] x=super::x pub[] HashMap=std::collections::HashMap[inner]"
	if strings.Join(uses, " ") != wantUses {
		t.Errorf("uses\n %s\nwant\n %s", strings.Join(uses, " "), wantUses)
	}
	if len(c.Fns) != 1 { // the nested fn is part of f
		t.Fatalf("%d functions", len(c.Fns))
	}
	var calls []string
	for _, s := range c.Fns[0].Calls {
		calls = append(calls, fmt.Sprintf("%s:%s:%s@%d", s.Kind, strings.Join(s.Path, "::"), s.Receiver, s.Line))
	}
	want := "call:foo:@7 call:crate::a::b:@8 call:Self::new:@9 method:bar:p@10 method:baz:self@11 call:Foo::new:@12 call:Vec::new:@13 " +
		"method:qux:v@15 call:Vec::with_capacity:@16 macro:println:@17 call:inside:@18 macro:assert_eq:@19 method:get:self@19 call:crate::util::zero:@19 method:len:vec![a(1)]@19 macro:vec:@19 call:a:@19"
	if strings.Join(calls, " ") != want {
		t.Errorf("calls\n %s\nwant\n %s", strings.Join(calls, " "), want)
	}
	vars := fmt.Sprint(c.Fns[0].Vars)
	if vars != "map[p:&mut Foo<u8> q:crate::m::Bar]" {
		t.Errorf("vars %s", vars)
	}
	var lets []string
	for _, l := range c.Fns[0].Lets {
		lets = append(lets, l.Name+":"+l.Type+"="+l.Expr)
	}
	if got, want := strings.Join(lets, " "), "v:=#253 w:Vec<u8>= s:Thing="; got != want {
		t.Errorf("lets %s; want %s", got, want)
	}
}

func TestNodeSpans(t *testing.T) {
	src := "fn f(a: u8) -> u8 {\n    match a {\n        0 => g(1, 2),\n        _ => a,\n    }\n}\n"
	spans, err := NodeSpans([]byte(src), FIMNodes, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range spans {
		got = append(got, s.Type+":"+src[s.Start:s.End])
	}
	want := []string{"block:{\n    match a {\n        0 => g(1, 2),\n        _ => a,\n    }\n}", "match_arm:0 => g(1, 2),", "arguments:(1, 2)", "match_arm:_ => a,"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("spans\n %q\nwant\n %q", got, want)
	}
}

func FuzzExtractCalls(f *testing.F) {
	for _, s := range []string{
		"fn f(p: &Foo) { p.a().b()?.c; let x = y.z(); if let Some(v) = x.w() { v.q() } }",
		"fn f() { assert!(a.b(c(d!(e.f())))); tri!(g()).h(); vec![i.j(); 3]; }",
		"fn f(v: Vec<T>) { for x in &v { x.m() } v.iter().map(|a| a.n()); match e { A::B(ref c) => c.o(), d => d.p() } }",
		"fn f() { m!(((((; }", "fn f() { x!(fn __dw() {}) }",
		"fn f(m: HashMap<A, B>) { let (a, /* c */ _, .., z) = g(); if let Ok(((_), (b,))) = h() {} for (k, v) in &m {} m.iter().map(|&(_, x)| x); let Foo(_, d, ..) = e; }",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := ExtractCalls([]byte(src), 0)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Count(src, "\n") + 1
		for _, fn := range c.Fns {
			for _, s := range fn.Calls {
				if s.Byte < 0 || s.Byte > len(src) || s.End > len(src) || s.End != 0 && s.End < s.Byte || s.Line < 1 || s.Line > lines {
					t.Fatalf("call %+v outside the %d bytes, %d lines", s, len(src), lines)
				}
			}
			for _, l := range fn.Lets {
				if l.From < 0 || l.To > len(src) || l.From > l.To {
					t.Fatalf("let %+v outside the %d bytes", l, len(src))
				}
			}
		}
	})
}
