package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/render"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Preset   string `xor:"how" placeholder:"NAME" help:"A named format: ${presets}."`
	Template string `xor:"how" placeholder:"FILE" help:"A Go text/template file of your own."`
	Layout   string `default:"interleaved" enum:"${layouts_enum}" help:"doc-code: a chunk's doc and code together, apart, or a doc with each snippet (${layouts})."`
	Kinds    string `placeholder:"LIST" help:"Render only records of these kinds (e.g. fn); the others are left out and counted."`
	// CodeBlocks is the original create_cpt_training_dataset.py's form.
	CodeBlocks bool `help:"doc-code: move the chunk's fenced code out of <doc> into <code language=...> blocks after it, and make its Relevant source files list plain."`
}

// Lists names the presets in --help.
func (c *command) Lists() map[string][]string {
	return map[string][]string{"presets": render.Names(), "layouts": render.Layouts}
}

func (c *command) Run(env *cli.Env) error {
	name, text := c.Preset, render.Presets[c.Preset]
	switch {
	case c.Template != "":
		data, err := env.ReadSideFile(c.Template, 1<<20)
		if err != nil {
			return cli.Usagef("--template: %v", err)
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
	if c.CodeBlocks {
		if c.Preset != "doc-code" {
			return cli.Usagef("--code-blocks is for --preset doc-code")
		}
		text = render.DocCodeBlocks
	}
	tmpl, err := render.Parse(name, text)
	if err != nil {
		return cli.Usagef("%v", err)
	}
	needsText := strings.Contains(text, ".text") // a template that shows the text needs one
	var only map[string]bool
	if c.Kinds != "" {
		only = map[string]bool{}
		for _, k := range strings.Split(c.Kinds, ",") {
			only[strings.TrimSpace(k)] = true
		}
	}
	var left, noPairs atomic.Int64
	err = cli.Filter(env, &c.Input, func(rec *ndjson.Record) ([]*ndjson.Record, error) {
		kind, err := rec.Kind()
		if err != nil {
			return nil, err
		}
		if only != nil && !only[kind] {
			left.Add(1)
			return nil, nil
		}
		if needsText {
			if _, err := rec.Text(); err != nil {
				return nil, err
			}
		}
		data, err := render.Data(rec.MarshalJSON())
		if err != nil {
			return nil, err
		}
		layout := "interleaved" // every preset but doc-code has one
		if c.Preset == "doc-code" {
			layout = c.Layout
		}
		texts, err := render.RenderLayout(tmpl, data, layout, c.CodeBlocks)
		if err != nil {
			return nil, err
		}
		if len(texts) == 0 { // --layout pairs of a chunk that cites no code
			noPairs.Add(1)
			return nil, nil
		}
		id, err := rec.ID()
		if err != nil {
			return nil, err
		}
		out := make([]*ndjson.Record, 0, len(texts))
		for i, t := range texts {
			r := rec.Clone()
			err := errors.Join(r.SetValue("id", ndjson.NewID("dr-", id, name, c.Layout, strconv.Itoa(i), t.Text)), r.SetValue("text", t.Text),
				r.SetValue("render", render.Field{Preset: name, CodeBlocks: c.CodeBlocks, Part: t.Part}), r.SetValue("code", ndjson.Code(t.Code)))
			if c.Preset == "chat" {
				err = errors.Join(err, r.SetValue("messages", []render.Message{
					{Role: "user", Content: fmt.Sprint(data["question"])}, {Role: "assistant", Content: fmt.Sprint(data["answer"])}}))
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
	if n := noPairs.Load(); err == nil && n > 0 {
		env.Report.Infof("%d records cite no code: no pair to make (--layout pairs)", n)
	}
	return err
}
