package render

import (
	"strings"
	"testing"
)

func TestHelpers(t *testing.T) {
	rec := map[string]any{"rust": map[string]any{"name": "f", "impl": map[string]any{"self_type": "T"}}, "nil": nil}
	for path, want := range map[string]any{"rust.name": "f", "rust.impl.self_type": "T", "rust.missing": "", "nil.x": "", "rust.name.x": ""} {
		if got := get(rec, path); got != want {
			t.Errorf("get(%q) = %v; want %v", path, got, want)
		}
	}
	if got := lines(" a\n  b \n"); strings.Join(got, "|") != "a|b" {
		t.Errorf("lines = %q", got)
	}
	for kind, want := range map[string]string{"fn": "Function", "struct": "Struct", "type": "Type alias", "": "Item"} {
		if got := label(kind); got != want {
			t.Errorf("label(%q) = %q; want %q", kind, got, want)
		}
	}
	for p, want := range map[string]string{"a/b.rs": "rust", "x.py": "python", "Makefile": "text", "c.h": "c", "d.yaml": "yaml"} {
		if got := language(p); got != want {
			t.Errorf("language(%q) = %q; want %q", p, got, want)
		}
	}
}

func TestPresetsParseAndMissingKeys(t *testing.T) {
	for _, name := range Names() {
		if _, err := Parse(name, Presets[name]); err != nil {
			t.Errorf("preset %s: %v", name, err)
		}
	}
	tmpl, _ := Parse("t", "{{.a.b}}")
	if _, err := Render(tmpl, map[string]any{"a": map[string]any{}}); err == nil || !strings.Contains(err.Error(), `no entry for key "b"`) {
		t.Errorf("missing key: %v", err)
	}
	if out, err := Render(tmpl, map[string]any{"a": map[string]any{"b": "ok"}}); err != nil || out != "ok" {
		t.Errorf("Render = %q, %v", out, err)
	}
}
