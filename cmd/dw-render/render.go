package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"text/template"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/render"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Preset   string `xor:"how" placeholder:"NAME" help:"A named format: file-tags, comment-header, context-header, graph-augmented, doc-code, instruction, chat."`
	Template string `xor:"how" placeholder:"FILE" help:"A Go text/template file of your own."`
	Layout   string `default:"interleaved" enum:"interleaved,separate,pairs" help:"doc-code: a chunk's doc and code together, apart, or a doc with each snippet."`
	Kinds    string `placeholder:"LIST" help:"Render only records of these kinds (e.g. fn); the others are left out and counted."`
}

type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

func (c *command) Run(env *cli.Env) error {
	name, text := c.Preset, render.Presets[c.Preset]
	switch {
	case c.Template != "":
		data, err := os.ReadFile(c.Template)
		if err != nil {
			return err
		}
		name, text = c.Template, string(data)
	case c.Preset == "":
		return cli.Usagef("give --preset NAME or --template FILE")
	case text == "":
		return cli.Usagef("--preset %q: want one of %v", c.Preset, render.Names())
	}
	if c.Layout != "interleaved" && c.Preset != "doc-code" {
		return cli.Usagef("--layout is for --preset doc-code")
	}
	tmpl, err := render.Parse(name, text)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	var only map[string]bool
	if c.Kinds != "" {
		only = map[string]bool{}
		for _, k := range strings.Split(c.Kinds, ",") {
			only[strings.TrimSpace(k)] = true
		}
	}
	var left atomic.Int64
	err = cli.Filter(env, &c.Input, func(rec *ndjson.Record) ([]*ndjson.Record, error) {
		kind, err := rec.Kind()
		if err != nil {
			return nil, err
		}
		if only != nil && !only[kind] {
			left.Add(1)
			return nil, nil
		}
		raw, _ := rec.MarshalJSON()
		var data map[string]any
		if err := json.Unmarshal(raw, &data); err != nil {
			return nil, err
		}
		texts, err := c.render(tmpl, data)
		if err != nil {
			return nil, err
		}
		id, err := rec.ID()
		if err != nil {
			return nil, err
		}
		out := make([]*ndjson.Record, 0, len(texts))
		for i, t := range texts {
			r := &ndjson.Record{Fields: append([]ndjson.Field(nil), rec.Fields...)}
			err := errors.Join(r.SetValue("id", ndjson.NewID("dr-", id, name, c.Layout, fmt.Sprint(i), t)), r.SetValue("text", t),
				r.SetValue("render", map[string]string{"preset": name}))
			if c.Preset == "chat" {
				err = errors.Join(err, r.SetValue("messages", []message{
					{"user", fmt.Sprint(data["question"])}, {"assistant", fmt.Sprint(data["answer"])}}))
			}
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	})
	if err == nil && only != nil {
		env.Report.Infof("%d records of other kinds left out (--kinds %s)", left.Load(), c.Kinds)
	}
	return err
}

// render applies the template, or for doc-code its parts per --layout.
func (c *command) render(t *template.Template, data map[string]any) ([]string, error) {
	if c.Preset != "doc-code" || c.Layout == "interleaved" {
		s, err := render.Render(t, data)
		return []string{s}, err
	}
	part := func(name string, d map[string]any) (string, error) {
		var b strings.Builder
		err := t.ExecuteTemplate(&b, name, d)
		return b.String(), err
	}
	doc, err := part("doc", data)
	if err != nil {
		return nil, err
	}
	if c.Layout == "separate" {
		code, err := part("code", data)
		return []string{doc, code}, err
	}
	link, _ := data["link"].(map[string]any)
	snippets, _ := link["snippets"].([]any)
	var out []string
	for _, s := range snippets { // pairs: the doc with each snippet
		one := map[string]any{"link": map[string]any{"snippets": []any{s}}}
		code, err := part("code", one)
		if err != nil {
			return nil, err
		}
		out = append(out, doc+code)
	}
	return out, nil
}
