package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"text/template"
)

// Presets are the original recipes' formats. Each runs on the record
// decoded as a map (fields by name: .text, .source.path, .rust.name).
var Presets = map[string]string{
	// file_level_cpt.py: a <path> header, then the file.
	"file-tags": `<path>
Repository: {{.source.repo}}
Crate: {{get . "rust.crate"}}
File: {{.source.path}}
Size: {{len .text}} bytes
</path>
<file>
{{chomp .text}}
</file>
`,
	// create_enhanced_code_dataset.py: comment headers over the item.
	// An impl is named by its trait and type; a file by its path alone.
	"comment-header": `{{if ne .kind "file"}}// {{label .kind}}: {{with get . "rust.impl"}}{{with get . "trait"}}{{.}} for {{end}}{{get . "self_type"}}{{else}}{{get . "rust.name"}}{{end}}
{{end}}// File: {{.source.path}}
// Module: {{get . "rust.module"}}
{{with get . "rust.docs"}}{{range lines .}}// Doc: {{.}}
{{end}}{{end}}{{chomp .text}}
`,
	// gen_data.py: hierarchical context before the code; the crate's
	// purpose and workspace dependencies come from dw-callgraph.
	"context-header": `// REPO: {{.source.repo}}
// CRATE: {{get . "rust.crate"}}
{{with get . "graph.crate.purpose"}}// CRATE_PURPOSE: {{.}}
{{end}}{{with get . "graph.crate.depends_on"}}// DEPENDS_ON: {{join ", " .}}
{{end}}// MODULE: {{.rust.module}}
// {{upper (label .kind)}}: {{.rust.name}}
// VISIBILITY: {{.rust.visibility}}
{{with get . "rust.impl"}}// IMPL: {{with get . "trait"}}{{.}} for {{end}}{{.self_type}}
{{else}}{{with get $ "rust.parent"}}{{if eq .kind "impl"}}// IMPL: {{with get . "trait"}}{{.}} for {{end}}{{.self_type}}
{{end}}{{end}}{{end}}{{chomp .text}}
`,
	// gen_data.py: the call graph before the code.
	"graph-augmented": `[CALL_GRAPH]
{{.graph.tree}}
[CALLED_BY]
{{range .graph.called_by}}{{.path}} ({{.file}}:{{.line}}{{with get . "calls"}}{{if gt . 1}}, {{.}} calls{{end}}{{end}})
{{else}}(none in the workspace)
{{end}}
{{chomp .text}}
`,
	// create_cpt_training_dataset.py: documentation, then the code it cites
	// (dw-link's snippets). The parts "doc" and "code" serve its layouts.
	"doc-code": `{{define "doc"}}<doc>
{{chomp .text}}
</doc>
{{end}}{{define "code"}}{{range .link.snippets}}<code language="{{language .path}}" source="{{.path}}">
{{chomp .code}}
</code>
{{end}}{{end}}{{template "doc" .}}{{template "code" .}}`,
	// multi_granularity_cpt.py: a group of dw-group in a tag of its type
	// (<module>, <crate>, <impl_collection>, <trait_ecosystem>,
	// <cross_crate>; a batch of small files is <files>).
	"group-tags": `{{define "tag"}}{{if eq . "impl-collection"}}impl_collection{{else if eq . "trait-ecosystem"}}trait_ecosystem{{else if eq . "cross-crate"}}cross_crate{{else if eq . "dir"}}files{{else}}{{.}}{{end}}{{end}}<{{template "tag" .group.type}} name="{{.group.key}}" crate="{{get . "group.crate"}}" repository="{{.source.repo}}">
{{chomp .text}}
</{{template "tag" .group.type}}>
`,
	// Instruction tuning, from records with a question and an answer.
	"instruction": `### Instruction:
{{chomp .question}}

### Response:
{{chomp .answer}}
`,
	// Chat (ChatML, as Qwen and KAT-Dev use), from a question and an answer.
	"chat": `<|im_start|>user
{{chomp .question}}<|im_end|>
<|im_start|>assistant
{{chomp .answer}}<|im_end|>
`,
}

// DocCodeBlocks is the doc-code preset in the original's form (dw-render
// --code-blocks): the chunk's fenced code is taken out of the doc (see
// SplitCode) and follows it as <code language="..."> blocks, before the
// snippets it cites. The blocks belong to the "doc" part, so every layout
// keeps them with their doc.
const DocCodeBlocks = `{{define "doc"}}<doc>
{{chomp (prose .text)}}
</doc>
{{range codeblocks .text}}<code language="{{.language}}">
{{chomp .code}}
</code>
{{end}}{{end}}{{define "code"}}{{range .link.snippets}}<code language="{{language .path}}" source="{{.path}}">
{{chomp .code}}
</code>
{{end}}{{end}}{{template "doc" .}}{{template "code" .}}`

// Data decodes a record (its JSON, as Record.MarshalJSON gives it) for a
// template: whole numbers become int64, so {{.source.start_line}} of a
// line past a million prints 1234567, not 1.234567e+06.
func Data(raw []byte, err error) (map[string]any, error) {
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var rec map[string]any
	if err := d.Decode(&rec); err != nil {
		return nil, err
	}
	return numbers(rec).(map[string]any), nil
}

// numbers turns json.Numbers into int64 where they are whole, else float64.
func numbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = numbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = numbers(e)
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

// Names lists the presets.
func Names() []string {
	var ns []string
	for n := range Presets {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// funcs are the template functions.
var funcs = template.FuncMap{
	"get":      get,
	"chomp":    func(s string) string { return strings.TrimRight(s, "\n") },
	"lines":    lines,
	"upper":    strings.ToUpper,
	"label":    label,
	"language": language,
	"join":     func(sep string, xs []any) string { return strings.Join(strs(xs), sep) },
	"prose":    func(s string) string { p, _ := SplitCode(s); return p },
	"codeblocks": func(s string) []map[string]any {
		_, blocks := SplitCode(s)
		out := make([]map[string]any, len(blocks))
		for i, b := range blocks {
			out[i] = map[string]any{"language": b.Language, "code": b.Code}
		}
		return out
	},
}

// Parse compiles a template; missing keys are errors.
func Parse(name, text string) (*template.Template, error) {
	return template.New(name).Funcs(funcs).Option("missingkey=error").Parse(text)
}

// Render runs a template on a record.
func Render(t *template.Template, rec map[string]any) (string, error) {
	var b strings.Builder
	if err := t.Execute(&b, rec); err != nil {
		return "", err
	}
	return b.String(), nil
}

// get returns the value at a dotted path, or "" when any part is missing:
// for fields a template may do without.
func get(rec any, dotted string) any {
	v := rec
	for _, k := range strings.Split(dotted, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		if v, ok = m[k]; !ok || v == nil {
			return ""
		}
	}
	return v
}

// lines splits text into lines, each trimmed (doc comments keep a
// leading space).
func lines(s any) []string {
	out := strings.Split(strings.TrimSpace(fmt.Sprint(s)), "\n")
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

// label names a record kind for a header: fn → Function.
func label(kind any) string {
	switch k := fmt.Sprint(kind); k {
	case "fn":
		return "Function"
	case "impl":
		return "Impl"
	case "mod":
		return "Module"
	case "macro":
		return "Macro"
	case "type":
		return "Type alias"
	default:
		if k == "" {
			return "Item"
		}
		return strings.ToUpper(k[:1]) + k[1:]
	}
}

// language guesses a code block's language from a file name.
func language(p any) string {
	switch ext := path.Ext(fmt.Sprint(p)); ext {
	case ".rs":
		return "rust"
	case ".py":
		return "python"
	case ".c", ".h":
		return "c"
	case ".go":
		return "go"
	case ".js", ".mjs":
		return "javascript"
	case ".ts":
		return "typescript"
	case ".toml":
		return "toml"
	case ".md":
		return "markdown"
	case "":
		return "text"
	default:
		return strings.TrimPrefix(ext, ".")
	}
}

func strs(xs []any) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = fmt.Sprint(x)
	}
	return out
}
