package hfdata

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dwkit/dwkit/lib/stats"
	"gopkg.in/yaml.v3"
)

// PlotFile is the token histogram's file, beside the card.
const PlotFile = "tokens.png"

// Card is a dataset card: README.md with the YAML front matter the Hub
// reads, and a body for people.
type Card struct {
	Repo           string // OWNER/NAME on the Hub
	License        string
	Language       []string
	TaskCategories []string
	Tags           []string
	SourceRepo     string // the code's repository, "" when not known or not uniform
	SourceCommit   string // the commit the data was made at, likewise
	Schema         *Schema
	Splits         []Split
	Stats          *stats.Summary // dw-stats' summary, or nil
}

// Meta is the card's front matter.
type Meta struct {
	License        string   `yaml:"license,omitempty"`
	Language       []string `yaml:"language,omitempty"`
	TaskCategories []string `yaml:"task_categories,omitempty"`
	Tags           []string `yaml:"tags,omitempty"`
	SizeCategories []string `yaml:"size_categories"`
	PrettyName     string   `yaml:"pretty_name,omitempty"`
	SourceRepo     string   `yaml:"source_repo,omitempty"`
	SourceCommit   string   `yaml:"source_commit,omitempty"`
	Configs        []Config `yaml:"configs"`
	DatasetInfo    Info     `yaml:"dataset_info"`
}

// Config is an entry of configs: the data files of each split.
type Config struct {
	Name      string      `yaml:"config_name"`
	DataFiles []DataFiles `yaml:"data_files"`
}

// DataFiles is a split's files.
type DataFiles struct {
	Split string   `yaml:"split"`
	Path  []string `yaml:"path"`
}

// Info is dataset_info: the features and the split sizes.
type Info struct {
	ConfigName   string      `yaml:"config_name"`
	Features     []Feature   `yaml:"features"`
	Splits       []SplitInfo `yaml:"splits"`
	DownloadSize int64       `yaml:"download_size"`
}

// SplitInfo is a split's row count.
type SplitInfo struct {
	Name        string `yaml:"name"`
	NumExamples int64  `yaml:"num_examples"`
}

// Feature is a column in the datasets library's YAML form: a dtype, a
// struct of features, or a list of a dtype, a struct or a list.
type Feature struct {
	Name   string    `yaml:"name,omitempty"`
	Dtype  string    `yaml:"dtype,omitempty"`
	Struct []Feature `yaml:"struct,omitempty"`
	List   any       `yaml:"list,omitempty"`
}

// Features returns the schema's columns as dataset_info features.
func (s *Schema) Features() []Feature {
	var out []Feature
	for _, f := range s.Fields {
		ft := feature(f.Type)
		ft.Name = f.Name
		out = append(out, ft)
	}
	return out
}

func feature(t *Type) Feature {
	switch t.Kind {
	case Bool:
		return Feature{Dtype: "bool"}
	case Int:
		return Feature{Dtype: "int64"}
	case Float:
		return Feature{Dtype: "float64"}
	case List:
		e := feature(t.Elem)
		switch {
		case e.Dtype != "":
			return Feature{List: e.Dtype}
		case e.Struct != nil:
			return Feature{List: e.Struct}
		}
		return Feature{List: e}
	case Struct:
		return Feature{Struct: (&Schema{Fields: t.Fields}).Features()}
	}
	return Feature{Dtype: "string"}
}

// SizeCategory is the Hub's size category for a row count.
func SizeCategory(rows int64) string {
	bounds := []struct {
		n    int64
		name string
	}{{1e3, "n<1K"}, {1e4, "1K<n<10K"}, {1e5, "10K<n<100K"}, {1e6, "100K<n<1M"}, {1e7, "1M<n<10M"},
		{1e8, "10M<n<100M"}, {1e9, "100M<n<1B"}, {1e10, "1B<n<10B"}, {1e11, "10B<n<100B"}, {1e12, "100B<n<1T"}}
	for _, b := range bounds {
		if rows < b.n {
			return b.name
		}
	}
	return "n>1T"
}

// Meta returns the card's front matter.
func (c *Card) Meta() Meta {
	var rows, size int64
	cfg := Config{Name: "default"}
	info := Info{ConfigName: "default", Features: c.Schema.Features()}
	for _, s := range c.Splits {
		rows += s.Rows
		size += s.Bytes
		cfg.DataFiles = append(cfg.DataFiles, DataFiles{Split: s.Name, Path: s.Files})
		info.Splits = append(info.Splits, SplitInfo{s.Name, s.Rows})
	}
	info.DownloadSize = size
	_, name, _ := strings.Cut(c.Repo, "/")
	return Meta{
		License: c.License, Language: c.Language, TaskCategories: c.TaskCategories, Tags: c.Tags,
		SizeCategories: []string{SizeCategory(rows)}, PrettyName: name,
		SourceRepo: c.SourceRepo, SourceCommit: c.SourceCommit,
		Configs: []Config{cfg}, DatasetInfo: info,
	}
}

// codeSpan writes s as Markdown code on one line, whatever it holds: line
// breaks and control characters as escapes, pipes escaped for tables, and
// fenced by more backticks than any run of them in s.
func codeSpan(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '\uFFFD'
		}
		return r
	}, s)
	s = strings.ReplaceAll(s, "|", "\\|")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// Markdown returns README.md.
func (c *Card) Markdown() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(c.Meta()); err != nil {
		return nil, err
	}
	enc.Close()
	b.WriteString("---\n\n")
	fmt.Fprintf(&b, "# %s\n\n", c.Repo)
	switch {
	case c.SourceRepo != "" && c.SourceCommit != "":
		fmt.Fprintf(&b, "Made with [dwkit](https://github.com/dwkit/dwkit) from %s at commit %s.\n\n", codeSpan(c.SourceRepo), codeSpan(c.SourceCommit))
	case c.SourceRepo != "":
		fmt.Fprintf(&b, "Made with [dwkit](https://github.com/dwkit/dwkit) from %s.\n\n", codeSpan(c.SourceRepo))
	default:
		b.WriteString("Made with [dwkit](https://github.com/dwkit/dwkit).\n\n")
	}
	b.WriteString("## Splits\n\n| split | rows | files | bytes |\n|---|---:|---:|---:|\n")
	for _, s := range c.Splits {
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", s.Name, s.Rows, len(s.Files), s.Bytes)
	}
	b.WriteString("\n## Columns\n\n| column | type |\n|---|---|\n")
	for _, f := range c.Schema.Fields {
		fmt.Fprintf(&b, "| %s | %s |\n", codeSpan(f.Name), typeName(f.Type))
	}
	if len(c.Schema.Mixed) > 0 {
		b.WriteString("\nFields stored as JSON text, and why:\n\n")
		for _, p := range slices.Sorted(maps.Keys(c.Schema.Mixed)) {
			fmt.Fprintf(&b, "- %s (%s)\n", codeSpan(p), c.Schema.Mixed[p])
		}
	}
	if c.Stats != nil {
		b.WriteString("\n## Tokens\n\n```text\n")
		if err := stats.WriteTable(&b, *c.Stats); err != nil {
			return nil, err
		}
		b.WriteString("```\n\n![Token histogram](" + PlotFile + ")\n")
	}
	return b.Bytes(), nil
}

func typeName(t *Type) string {
	switch t.Kind {
	case List:
		return "list of " + typeName(t.Elem)
	case Struct:
		var parts []string
		for _, f := range t.Fields {
			parts = append(parts, f.Name+": "+typeName(f.Type))
		}
		return "struct {" + strings.Join(parts, ", ") + "}"
	case JSON:
		return "JSON text"
	}
	return t.Kind.String()
}

// Write writes README.md, and the token histogram beside it when the card
// has stats, into dir. It returns the names written.
func (c *Card) Write(dir string) ([]string, error) {
	md, err := c.Markdown()
	if err != nil {
		return nil, err
	}
	written := []string{"README.md"}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), md, 0o666); err != nil {
		return nil, err
	}
	if c.Stats != nil {
		var png bytes.Buffer
		title := fmt.Sprintf("tokens per record: %d records", c.Stats.Records)
		if err := stats.WritePNG(&png, *c.Stats, title); err != nil {
			return written, err
		}
		written = append(written, PlotFile)
		if err := os.WriteFile(filepath.Join(dir, PlotFile), png.Bytes(), 0o666); err != nil {
			return written, err
		}
	}
	return written, nil
}
