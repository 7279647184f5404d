package main

import "testing"

func TestCalleeText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`Arg::default_values::<impl Into<OsStr>, [impl Into<OsStr>; 1]>(move _2, move _3`, `Arg::default_values`},
		{`read::str::<impl common::DebugStrOffsetsBase<<R as Reader>::Offset>>::default_for_encoding_and_file(_1`, `read::str::<impl common::DebugStrOffsetsBase<<R as Reader>::Offset>>::default_for_encoding_and_file`},
		{`a::<T>::b::<u8>(x`, `a::b`},
		{`move _3(_4`, ``},
	} {
		if got := calleeOf(tc.in); got != tc.want {
			t.Errorf("calleeOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := implSegments(`read::str::<impl common::DebugStrOffsetsBase<<R as Reader>::Offset>>::f`); got != `read::str::DebugStrOffsetsBase::f` {
		t.Errorf("implSegments = %q", got)
	}
	a, b, ok := qualified(`<for<'a> fn(&'a ParseBuffer) -> Result<T, Error> {parse} as Parser>::parse2`)
	if !ok || b != "Parser" || a != `for<'a> fn(&'a ParseBuffer) -> Result<T, Error> {parse}` {
		t.Errorf("qualified = %q, %q, %v", a, b, ok)
	}
	for in, want := range map[string]string{`&'a mut R`: "&R", `R`: "R", `&&de::Foo<T>`: "&&Foo", `*const T`: "&T"} {
		if got := refTypeName(in); got != want {
			t.Errorf("refTypeName(%q) = %q, want %q", in, got, want)
		}
	}
}
