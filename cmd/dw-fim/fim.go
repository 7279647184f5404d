package main

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/fim"
	"github.com/dwkit/dwkit/lib/rust"
	"github.com/dwkit/dwkit/lib/token"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	FIMRate    float64 `default:"0.5" help:"Share of records made into FIM samples; the rest pass as plain text."`
	SPMRate    float64 `default:"0.5" help:"Share of FIM samples laid out SPM; the rest PSM."`
	Span       string  `default:"char" enum:"char,line,ast" help:"The middle: random characters, whole lines, or a whole syntax node (Rust)."`
	Preset     string  `default:"qwen" enum:"${presets_enum}" help:"Sentinel tokens of the target model family: ${presets}."`
	Tokenizer  string  `placeholder:"NAME" help:"Check that the sentinels are single special tokens of this tokenizer."`
	OnSentinel string  `default:"skip" enum:"skip,escape" help:"Source text holding a sentinel string: skip the record, or escape the string."`
	Seed       uint64  `default:"0" help:"Seed of the random choices (with each record's id)."`
}

// Lists names the sentinel presets in --help.
func (c *command) Lists() map[string][]string {
	return map[string][]string{"presets": fim.PresetNames()}
}

func (c *command) Run(env *cli.Env) error {
	if !(c.FIMRate >= 0 && c.FIMRate <= 1 && c.SPMRate >= 0 && c.SPMRate <= 1) { // also refuses NaN
		return cli.Usagef("--fim-rate and --spm-rate are shares between 0 and 1")
	}
	s := fim.Presets[c.Preset]
	if c.Tokenizer != "" {
		tok, err := token.Open(c.Tokenizer)
		if err != nil {
			return cli.Usagef("--tokenizer: %v", err)
		}
		for _, st := range s.All() {
			if special, plain := len(tok.Encode(st, true)), len(tok.Encode(st, false)); special != 1 || plain == 1 {
				env.Report.Warnf("sentinel %s is not one special token of %s (%d tokens as special, %d as text): the model will not see it as a sentinel", st, tok.Name(), special, plain)
			}
		}
	}
	m := &fim.Maker{Options: fim.Options{FIMRate: c.FIMRate, SPMRate: c.SPMRate, Span: c.Span, Preset: c.Preset,
		Sentinels: s, Escape: c.OnSentinel == "escape", Nodes: rustNodes}}
	err := cli.Filter(env, &c.Input, func(rec *ndjson.Record) ([]*ndjson.Record, error) {
		text, err := rec.Text()
		if err != nil {
			return nil, err
		}
		id, err := rec.ID()
		if err != nil {
			return nil, err
		}
		key := id
		if key == "" {
			key = text
		}
		code, hasCode, err := rec.Code(text)
		if err != nil {
			return nil, err
		}
		if !hasCode {
			code = nil // all of it is code
		}
		sample, f, skip := m.Make(text, code, rand.New(rand.NewPCG(c.Seed, seedOf(key))))
		if skip != "" {
			env.Report.Warnf("%s: skipped: %s", orText(id), skip)
			return nil, nil
		}
		f.Source = id
		out := rec.Clone()
		out.Delete("code") // the ranges were the source text's; the fim field says where it went
		return []*ndjson.Record{out}, errors.Join(
			out.SetValue("id", ndjson.NewID("fim-", key, strconv.FormatUint(c.Seed, 10), sample)),
			out.SetValue("text", sample),
			out.SetValue("fim", f),
		)
	})
	if err != nil {
		return err
	}
	n := &m.Counts
	env.Report.Infof("%d PSM, %d SPM, %d plain (%d of them without code); %d skipped, %d escaped for holding sentinels",
		n.PSM.Load(), n.SPM.Load(), n.Plain.Load(), n.NoCode.Load(), n.Skipped.Load(), n.Escaped.Load())
	return nil
}

// rustNodes finds the syntax nodes an ast middle may be.
func rustNodes(text string) []fim.Node {
	spans, err := rust.NodeSpans([]byte(text), rust.FIMNodes, 0)
	if err != nil {
		return nil
	}
	nodes := make([]fim.Node, len(spans))
	for i, sp := range spans {
		nodes[i] = fim.Node(sp)
	}
	return nodes
}

// seedOf turns a record's id (or text) into a seed.
func seedOf(key string) uint64 {
	h := sha256.Sum256([]byte(key))
	return binary.LittleEndian.Uint64(h[:8])
}

func orText(id string) string {
	if id == "" {
		return "a record without id"
	}
	return strings.TrimSpace(id)
}
