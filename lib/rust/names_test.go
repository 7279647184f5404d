package rust

import (
	"slices"
	"testing"
)

func TestBaseName(t *testing.T) {
	for in, want := range map[string]string{"From<u8>": "From", "std::convert::TryFrom<&'a str>": "TryFrom", "Display": "Display", "": "",
		"a::Foo<T>": "Foo", "&Bar": "Bar", "&'a mut crate::x::Deserializer<R>": "Deserializer"} {
		if got := BaseName(in); got != want {
			t.Errorf("BaseName(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestSupertraits(t *testing.T) {
	tests := []struct {
		sig  string
		want []string
	}{
		{"pub trait A: B + C<D> + 'static where Self: Sized", []string{"B", "C"}},
		{"trait A<T: X>: ?Sized + std::fmt::Debug", []string{"Sized", "Debug"}},
		{"trait A", nil},
	}
	for _, tt := range tests {
		if got := Supertraits(tt.sig); !slices.Equal(got, tt.want) {
			t.Errorf("Supertraits(%q) = %q; want %q", tt.sig, got, tt.want)
		}
	}
}
