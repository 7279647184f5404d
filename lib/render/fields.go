package render

import (
	"strings"
	"text/template"
)

// Field is the "render" field of a record dw-render writes.
type Field struct {
	Preset string `json:"preset"` // the preset's name, or the template file's
}

// Message is one turn of a "messages" list (the chat preset).
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Layouts of a doc-code record: its doc and code in one text, in two, or
// the doc with each snippet apart.
var Layouts = []string{"interleaved", "separate", "pairs"}

// RenderLayout renders a doc-code record in a layout: interleaved is the
// whole template; separate is its "doc" and "code" parts as two texts;
// pairs is the doc followed by one snippet, for each snippet of the
// record's link field.
func RenderLayout(t *template.Template, rec map[string]any, layout string) ([]string, error) {
	if layout == "interleaved" {
		s, err := Render(t, rec)
		return []string{s}, err
	}
	part := func(name string, d map[string]any) (string, error) {
		var b strings.Builder
		err := t.ExecuteTemplate(&b, name, d)
		return b.String(), err
	}
	doc, err := part("doc", rec)
	if err != nil {
		return nil, err
	}
	if layout == "separate" {
		code, err := part("code", rec)
		return []string{doc, code}, err
	}
	link, _ := rec["link"].(map[string]any)
	snippets, _ := link["snippets"].([]any)
	var out []string
	for _, s := range snippets {
		one := map[string]any{"link": map[string]any{"snippets": []any{s}}}
		code, err := part("code", one)
		if err != nil {
			return nil, err
		}
		out = append(out, doc+code)
	}
	return out, nil
}
