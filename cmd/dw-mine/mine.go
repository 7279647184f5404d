package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/mine"
	"github.com/dwkit/dwkit/lib/rust"
	"github.com/dwkit/dwkit/ndjson"
)

var allPatterns = []string{"serde", "diesel", "macro", "validation", "async", "error", "conversion", "impls", "routing", "important", "instruction"}

type command struct {
	cli.Common
	cli.Input
	Patterns string `default:"all" placeholder:"LIST" help:"Patterns to mine: all, or some of serde, diesel, macro, validation, async, error, conversion, impls, routing, important, instruction."`
	Top      int    `default:"1000" help:"Important functions to keep."`
	Context  int    `default:"50" help:"Lines of context around important functions."`
	Macros   int    `default:"50" help:"Most used macros to keep."`
	Examples int    `default:"3" help:"Example functions per macro."`
	MinImpls int    `default:"2" help:"Fewest impls of a trait for an impls sample."`
	MaxImpls int    `default:"10" help:"Most impls in one impls sample."`
}

type input struct {
	kind string
	item *mine.Item
	repo string
	text string // files
	src  json.RawMessage
}

func parse(r *ndjson.Record) (input, error) {
	var in input
	var err error
	if in.kind, err = r.Kind(); err != nil || in.kind == "crate" || in.kind == "workspace" {
		return in, err
	}
	var rs struct {
		Name, Path, Module, Crate, Docs, Returns, Visibility string
		Async                                                bool
		Derives                                              []string
		Attrs                                                []rust.Attr
		Impl                                                 *rust.Impl
		Parent                                               *rust.Parent
	}
	var graph struct {
		Counts map[string]int
		Macros []string
	}
	id, err := r.ID()
	if err != nil {
		return in, err
	}
	if in.text, err = r.Text(); err != nil {
		return in, err
	}
	src, err := r.Source()
	if err != nil {
		return in, err
	}
	in.src = r.Get("source")
	for key, v := range map[string]any{"rust": &rs, "graph": &graph} {
		if raw := r.Get(key); raw != nil {
			if err := json.Unmarshal(raw, v); err != nil {
				return in, fmt.Errorf("field %q: %w", key, err)
			}
		}
	}
	in.repo = src.Repo
	if in.kind == "file" {
		in.item = &mine.Item{File: src.Path}
		return in, nil
	}
	it := &mine.Item{ID: id, Kind: in.kind, Name: rs.Name, Path: rs.Path, Module: rs.Module, Crate: rs.Crate, File: src.Path,
		Text: in.text, Docs: rs.Docs, Returns: rs.Returns, Visibility: rs.Visibility, Async: rs.Async, Derives: rs.Derives,
		StartLine: src.StartLine, EndLine: src.EndLine, Calls: graph.Counts["calls"], CalledBy: graph.Counts["called_by"], Macros: graph.Macros}
	for _, a := range rs.Attrs {
		it.Attrs = append(it.Attrs, a.Name)
	}
	switch {
	case rs.Impl != nil:
		it.Trait, it.SelfType = rs.Impl.Trait, rs.Impl.SelfType
	case rs.Parent != nil && rs.Parent.Kind == "impl":
		it.Trait, it.SelfType = rs.Parent.Trait, rs.Parent.SelfType
	}
	in.item = it
	return in, nil
}

type sampleRecord struct {
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	Text     string          `json:"text"`
	Source   json.RawMessage `json:"source,omitempty"`
	Mine     mineField       `json:"mine"`
	Question string          `json:"question,omitempty"`
	Answer   string          `json:"answer,omitempty"`
}

type mineField struct {
	Pattern  string   `json:"pattern"`
	Category string   `json:"category"`
	Items    []string `json:"items"`
	Path     string   `json:"path"`
}

func (c *command) Run(env *cli.Env) error {
	want, err := cli.Choices("--patterns", c.Patterns, allPatterns)
	if err != nil {
		return err
	}
	recs, err := cli.ReadInput(env, &c.Input, parse)
	if err != nil {
		return err
	}
	var items []*mine.Item
	files := map[string]string{}
	srcOf := map[*mine.Item]json.RawMessage{}
	for _, r := range recs {
		switch {
		case r.item == nil:
		case r.kind == "file":
			files[r.item.File] = r.text
		default:
			items = append(items, r.item)
			srcOf[r.item] = r.src
		}
	}
	var samples []mine.Sample
	add := func(p string, ss []mine.Sample) {
		for _, s := range ss {
			if want[s.Pattern] {
				samples = append(samples, s)
			}
		}
		_ = p
	}
	add("serde", mine.Serde(items))
	add("diesel", mine.Diesel(items))
	add("macro", mine.Macros(items, c.Macros, c.Examples))
	add("validation", mine.Validation(items))
	add("async", mine.AsyncByPurpose(items))
	add("error", mine.Errors(items))
	add("conversion", mine.Conversions(items))
	add("impls", mine.ImplsByTrait(items, c.MinImpls, c.MaxImpls))
	add("routing", mine.Routing(items))
	add("important", mine.Important(items, files, c.Top, c.Context))
	add("instruction", mine.Documented(items))
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, s := range samples {
		counts[s.Pattern]++
		ids := make([]string, len(s.Items))
		for i, it := range s.Items {
			ids[i] = it.ID
		}
		text := s.Text
		if text == "" { // instruction samples: the task and its answer
			text = s.Question + "\n\n" + s.Answer
		}
		rec := sampleRecord{ID: ndjson.NewID("dm-", s.Pattern, s.Category, strings.Join(ids, ","), text), Kind: "sample", Text: text, Source: srcOf[s.Items[0]],
			Mine: mineField{s.Pattern, s.Category, ids, s.Items[0].Path}, Question: s.Question, Answer: s.Answer}
		if err = w.Write(rec); err != nil {
			break
		}
	}
	if err := finish(err); err != nil {
		return err
	}
	var parts []string
	for _, p := range allPatterns {
		if want[p] {
			parts = append(parts, fmt.Sprintf("%d %s", counts[p], p))
		}
	}
	env.Report.Infof("%d items, %d samples: %s", len(items), len(samples), strings.Join(parts, ", "))
	return nil
}
