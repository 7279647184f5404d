package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/dwkit/dwkit/lib/callgraph"
	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/markdown"
	"github.com/dwkit/dwkit/lib/mine"
	"github.com/dwkit/dwkit/lib/repo"
	"github.com/dwkit/dwkit/lib/rust"
	"github.com/dwkit/dwkit/ndjson"
)

// allPatterns are what --patterns all mines: samples of natural text.
var allPatterns = []string{"serde", "diesel", "macro", "validation", "async", "error", "conversion", "impls", "routing", "important", "instruction"}

// pairPatterns are the samples of other shapes (query, positive and
// negatives; a question and a stepwise answer), mined only when named.
var pairPatterns = []string{"contrastive", "reasoning"}

var patterns = append(append([]string{}, allPatterns...), pairPatterns...)

// Lists names the patterns in --help.
func (c *command) Lists() map[string][]string {
	return map[string][]string{"patterns": allPatterns, "others": pairPatterns}
}

type command struct {
	cli.Common
	cli.Input
	Patterns string `default:"all" placeholder:"LIST" help:"Patterns to mine, comma-separated: all (${patterns}) or some of them; ${others} only when named."`
	Top      int    `default:"1000" help:"Important functions to keep."`
	Context  int    `default:"50" help:"Lines of context around important functions."`
	Macros   int    `default:"50" help:"Most used macros to keep."`
	Examples int    `default:"3" help:"Example functions per macro."`
	MinImpls int    `default:"2" help:"Fewest impls of a trait for an impls (and reasoning trait-impls) sample."`
	MaxImpls int    `default:"10" help:"Most impls in one impls sample (and reasoning trait-impls sample)."`

	Negatives int `default:"3" help:"Hard negatives per contrastive sample (0: pairs only; at most 100)."`
	Depth     int `default:"2" help:"Levels of calls a reasoning call trace follows (1: the function's own calls; at most 64)."`
	Steps     int `default:"24" help:"Most steps in one reasoning call trace (at most 1000)."`
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
	if in.kind == "chunk" {
		return in, parseChunk(r, &in, id, src.Path)
	}
	var rs rust.ItemField
	var graph callgraph.FnGraph
	if in.kind != "file" {
		for key, v := range map[string]any{"rust": &rs, "graph": &graph} {
			if r.Get(key) != nil {
				if err := r.Decode(key, v); err != nil {
					return in, err
				}
			}
		}
	}
	if rs.Item == nil {
		rs.Item = &rust.Item{}
	}
	in.repo = src.Repo
	if in.kind == "file" {
		in.item = &mine.Item{File: src.Path}
		return in, nil
	}
	it := &mine.Item{ID: id, Kind: in.kind, Name: rs.Name, Path: rs.Path, Module: rs.Module, Crate: rs.Crate, File: src.Path,
		Text: in.text, Docs: rs.Docs, Returns: rs.Returns, Visibility: rs.Visibility, Async: rs.Async, Derives: rs.Derives,
		StartLine: src.StartLine, EndLine: src.EndLine, Calls: graph.Counts["calls"], CalledBy: graph.Counts["called_by"], Macros: graph.Macros,
		Signature: rs.Signature, FnKind: rs.FnKind, HasBody: rs.HasBody}
	if r.Get("graph") != nil {
		it.Graph = &graph
	}
	if rs.Parent != nil {
		it.ParentKind, it.ParentPath = rs.Parent.Kind, rs.Parent.Path
	}
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

// parseChunk reads a wiki chunk record of dw-split, with the code dw-link
// cut for its citations: an anchor of contrastive wiki→code samples.
func parseChunk(r *ndjson.Record, in *input, id, file string) error {
	var ch markdown.ChunkField
	var link repo.LinkField
	if r.Get("chunk") != nil {
		if err := r.Decode("chunk", &ch); err != nil {
			return err
		}
	}
	if r.Get("link") != nil {
		if err := r.Decode("link", &link); err != nil {
			return err
		}
	}
	it := &mine.Item{ID: id, Kind: in.kind, Name: ch.Heading, Path: strings.Join(ch.Breadcrumb, " > "), File: file, Text: in.text}
	for _, sn := range link.Snippets {
		it.Cited = append(it.Cited, mine.Cited{Path: sn.Path, Start: sn.Start, End: sn.End, Code: sn.Code})
	}
	in.item = it
	return nil
}

// The most --negatives, --depth and --steps take: a sample's size and the
// work per anchor or function stay bounded.
const maxNegatives, maxDepth, maxSteps = 100, 64, 1000

// Validate refuses counts that cannot be.
func (c *command) Validate() error {
	if err := cli.AtLeast(0, "top", c.Top, "context", c.Context, "macros", c.Macros, "examples", c.Examples); err != nil {
		return err
	}
	if err := cli.AtLeast(0, "negatives", c.Negatives); err != nil {
		return err
	}
	if err := cli.AtLeast(1, "min-impls", c.MinImpls, "max-impls", c.MaxImpls, "depth", c.Depth, "steps", c.Steps); err != nil {
		return err
	}
	for _, f := range []struct {
		name     string
		val, max int
	}{{"negatives", c.Negatives, maxNegatives}, {"depth", c.Depth, maxDepth}, {"steps", c.Steps, maxSteps}} {
		if f.val > f.max {
			return fmt.Errorf("--%s %d: want at most %d", f.name, f.val, f.max)
		}
	}
	if c.MinImpls > c.MaxImpls {
		return fmt.Errorf("--min-impls %d is over --max-impls %d", c.MinImpls, c.MaxImpls)
	}
	return nil
}

func (c *command) Run(env *cli.Env) error {
	list := strings.Split(c.Patterns, ",")
	for i, p := range list { // all is the natural-text patterns only
		if strings.TrimSpace(p) == "all" {
			list[i] = strings.Join(allPatterns, ",")
		}
	}
	want, err := cli.Choices("--patterns", strings.Join(list, ","), patterns)
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
	graphs := false
	for _, r := range recs {
		switch {
		case r.item == nil:
		case r.kind == "file":
			files[r.item.File] = r.text
		default:
			graphs = graphs || r.item.Graph != nil
			items = append(items, r.item)
			srcOf[r.item] = r.src
		}
	}
	all := func(ss []mine.Sample) iter.Seq[mine.Sample] { return slices.Values(ss) }
	miners := map[string]func() iter.Seq[mine.Sample]{ // the samples of each pattern, made when asked for
		"serde":       func() iter.Seq[mine.Sample] { return all(mine.Serde(items)) },
		"diesel":      func() iter.Seq[mine.Sample] { return all(mine.Diesel(items)) },
		"macro":       func() iter.Seq[mine.Sample] { return all(mine.Macros(items, c.Macros, c.Examples)) },
		"validation":  func() iter.Seq[mine.Sample] { return all(mine.Validation(items)) },
		"async":       func() iter.Seq[mine.Sample] { return all(mine.AsyncByPurpose(items)) },
		"error":       func() iter.Seq[mine.Sample] { return all(mine.Errors(items)) },
		"conversion":  func() iter.Seq[mine.Sample] { return all(mine.Conversions(items)) },
		"impls":       func() iter.Seq[mine.Sample] { return all(mine.ImplsByTrait(items, c.MinImpls, c.MaxImpls)) },
		"routing":     func() iter.Seq[mine.Sample] { return all(mine.Routing(items)) },
		"important":   func() iter.Seq[mine.Sample] { return all(mine.Important(items, files, c.Top, c.Context)) },
		"instruction": func() iter.Seq[mine.Sample] { return all(mine.Documented(items)) },
		"contrastive": func() iter.Seq[mine.Sample] { return mine.Contrastive(items, c.Negatives) },
		"reasoning": func() iter.Seq[mine.Sample] { // written as they are made: a trace's size is bounded, not their sum
			return func(yield func(mine.Sample) bool) {
				for s := range mine.CallTraces(items, c.Depth, c.Steps) {
					if !yield(s) {
						return
					}
				}
				for s := range mine.TraitImpls(items, c.MinImpls, c.MaxImpls) {
					if !yield(s) {
						return
					}
				}
			}
		},
	}
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	counts := map[string]int{}
	total := 0
	for _, p := range patterns { // only the miners asked for run
		if !want[p] {
			continue
		}
		for s := range miners[p]() {
			counts[s.Pattern]++
			total++
			ids := make([]string, len(s.Items))
			for i, it := range s.Items {
				ids[i] = it.ID
			}
			text := s.Text
			if text == "" { // instruction and reasoning samples: the task and its answer
				text = s.Question + "\n\n" + s.Answer
			}
			rec, err := sampleRecord(s, ids, text, srcOf[s.Items[0]])
			if err == nil {
				err = w.Write(rec)
			}
			if err != nil {
				return finish(err)
			}
		}
	}
	if err := finish(nil); err != nil {
		return err
	}
	var parts []string
	for _, p := range patterns {
		if want[p] {
			parts = append(parts, fmt.Sprintf("%d %s", counts[p], p))
		}
	}
	env.Report.Infof("%d items, %d samples: %s", len(items), total, strings.Join(parts, ", "))
	if want["reasoning"] && !graphs {
		env.Report.Infof("no record has a graph field: call traces need dw-callgraph's (dw-rustparse --calls | dw-callgraph)")
	}
	return nil
}

// sampleRecord makes the record of a sample; source is its first item's
// "source", passed on as it was.
func sampleRecord(s mine.Sample, ids []string, text string, source json.RawMessage) (*ndjson.Record, error) {
	rec := &ndjson.Record{}
	err := errors.Join(
		rec.SetValue("id", ndjson.NewID("dm-", s.Pattern, s.Category, strings.Join(ids, ","), text)),
		rec.SetValue("kind", "sample"),
		rec.SetValue("text", text))
	if source != nil {
		rec.Set("source", source)
	}
	err = errors.Join(err, rec.SetValue("mine", mine.Field{Pattern: s.Pattern, Category: s.Category, Items: ids, Path: s.Items[0].Path,
		Relation: s.Relation, Negatives: s.Negatives, Steps: s.Steps, Cited: s.Cited}))
	if s.Question != "" {
		err = errors.Join(err, rec.SetValue("question", s.Question), rec.SetValue("answer", s.Answer))
	}
	if s.Pattern == "contrastive" {
		negs := make([]string, len(s.Negatives))
		for i, n := range s.Negatives {
			negs[i] = n.Text
		}
		err = errors.Join(err, rec.SetValue("query", s.Query), rec.SetValue("positive", s.Positive), rec.SetValue("negatives", negs))
	}
	return rec, err
}
