package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dwkit/dwkit/lib/cargo"
	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/group"
	"github.com/dwkit/dwkit/lib/rust"
	"github.com/dwkit/dwkit/ndjson"
)

var allTypes = []string{"module", "crate", "dir", "impl-collection", "trait-ecosystem", "cross-crate"}

// Lists names the group types in --help.
func (c *command) Lists() map[string][]string { return map[string][]string{"types": allTypes} }

type command struct {
	cli.Common
	cli.Input
	Types          string   `default:"all" placeholder:"LIST" help:"Groups to make: all, or some of ${types}."`
	ModuleMinFiles int      `default:"2" help:"Fewest files of a module group."`
	ModuleMax      cli.Size `default:"1MiB" placeholder:"SIZE" help:"Largest module group."`
	CrateMax       cli.Size `default:"2MiB" placeholder:"SIZE" help:"Largest crate group."`
	Small          cli.Size `default:"5KiB" placeholder:"SIZE" help:"Files under SIZE are batched into dir groups."`
	DirMax         cli.Size `default:"64KiB" placeholder:"SIZE" help:"Largest dir batch."`
	MinImpls       int      `default:"2" help:"Fewest impls of an impl collection."`
	MinEcosystem   int      `default:"2" help:"Fewest members of a trait ecosystem (the trait included)."`
	Examples       int      `default:"3" help:"Using files shown per crate used, in cross-crate groups."`
}

// input is what dw-group reads of a record.
type input struct {
	kind, id, repo string
	member         group.Member
}

func parse(r *ndjson.Record) (input, error) {
	var in input
	var err error
	if in.kind, err = r.Kind(); err != nil {
		return in, err
	}
	if in.id, err = r.ID(); err != nil {
		return in, err
	}
	switch in.kind {
	case "file", "impl", "trait", "crate":
	default:
		return in, nil // other records do not join groups
	}
	src, err := r.Source()
	if err != nil {
		return in, err
	}
	in.repo = src.Repo
	m := group.Member{ID: in.id, Kind: in.kind, Path: src.Path}
	if in.kind != "crate" {
		if m.Text, err = r.Text(); err != nil {
			return in, err
		}
	}
	if r.Get("rust") == nil {
		in.member = m
		return in, nil
	}
	switch in.kind {
	case "crate":
		var f cargo.CrateField
		err = r.Decode("rust", &f)
		m.Crate = f.Crate
	case "file":
		var f rust.FileField
		err = r.Decode("rust", &f)
		m.Crate = f.Crate
		if f.Uses != nil {
			for _, u := range *f.Uses {
				if len(u.Path) > 0 && !slices.Contains(m.Uses, u.Path[0]) {
					m.Uses = append(m.Uses, u.Path[0])
				}
			}
		}
	default: // impl, trait
		var f rust.ItemField
		if err = r.Decode("rust", &f); err == nil && f.Item != nil {
			m.Crate, m.Name = f.Crate, f.Name
			if f.Impl != nil {
				m.SelfType, m.Trait = rust.BaseName(f.Impl.SelfType), rust.BaseName(f.Impl.Trait)
			}
			if in.kind == "trait" {
				m.Supers = rust.Supertraits(f.Signature)
			}
		}
	}
	if err != nil {
		return in, err
	}
	in.member = m
	return in, nil
}

// groupRecord is a group record.
type groupRecord struct {
	ndjson.Head
	Group group.Field `json:"group"`
}

// Validate refuses thresholds that cannot be.
func (c *command) Validate() error {
	if err := cli.AtLeast(0, "module-min-files", c.ModuleMinFiles, "module-max", c.ModuleMax, "crate-max", c.CrateMax,
		"small", c.Small, "dir-max", c.DirMax, "min-impls", c.MinImpls, "min-ecosystem", c.MinEcosystem, "examples", c.Examples); err != nil {
		return err
	}
	if c.Small > c.DirMax {
		return fmt.Errorf("--small %s is over --dir-max %s: no batch could hold a small file", c.Small, c.DirMax)
	}
	return nil
}

func (c *command) Run(env *cli.Env) error {
	types, err := cli.Choices("--types", c.Types, allTypes)
	if err != nil {
		return err
	}
	recs, err := cli.ReadInput(env, &c.Input, parse)
	if err != nil {
		return err
	}
	var files, impls, traits []group.Member
	crates := map[string]bool{}
	repo := ""
	for _, r := range recs {
		if repo == "" {
			repo = r.repo
		}
		switch r.kind {
		case "file":
			files = append(files, r.member)
			crates[r.member.Crate] = true
		case "impl":
			impls = append(impls, r.member)
		case "trait":
			traits = append(traits, r.member)
		case "crate":
			crates[r.member.Crate] = true
		}
	}
	o := group.Options{ModuleMinFiles: c.ModuleMinFiles, ModuleMax: int(c.ModuleMax), CrateMax: int(c.CrateMax),
		SmallFile: int(c.Small), DirMax: int(c.DirMax), MinImpls: c.MinImpls, MinEcosystem: c.MinEcosystem}
	var groups []group.Group
	for _, t := range allTypes {
		if !types[t] {
			continue
		}
		switch t {
		case "module":
			groups = append(groups, group.Modules(files, o)...)
		case "crate":
			groups = append(groups, group.Crates(files, o)...)
		case "dir":
			groups = append(groups, group.Dirs(files, o)...)
		case "impl-collection":
			groups = append(groups, group.ImplCollections(impls, o)...)
		case "trait-ecosystem":
			groups = append(groups, group.TraitEcosystems(traits, impls, o)...)
		case "cross-crate":
			groups = append(groups, group.CrossCrate(files, crates, c.Examples)...)
		}
	}
	w, finish, err := env.OpenOutput()
	if err != nil {
		return err
	}
	counts := map[string]int{}
	for _, g := range groups {
		counts[g.Type]++
		if err = w.Write(record(repo, g)); err != nil {
			break
		}
	}
	if err := finish(err); err != nil {
		return err
	}
	var parts []string
	for _, t := range allTypes {
		if types[t] {
			parts = append(parts, fmt.Sprintf("%d %s", counts[t], t))
		}
	}
	env.Report.Infof("%d groups: %s", len(groups), strings.Join(parts, ", "))
	return nil
}

func record(repo string, g group.Group) groupRecord {
	parts := []string{g.Type, g.Key}
	for _, m := range g.Members {
		parts = append(parts, m.ID)
	}
	return groupRecord{Head: ndjson.Head{ID: ndjson.NewID("dg-", parts...), Kind: "group", Text: g.Text, Source: ndjson.Source{Repo: repo}},
		Group: g.Field()}
}
