package cargo

import (
	"sort"
	"strings"
)

// DefaultFeatures is the set of features a build with the manifest's
// default features turns on: "default" and what it names, transitively,
// the implicit feature of each optional dependency it enables included.
// Without a [features] table it is empty (no feature is on).
func (m *Manifest) DefaultFeatures() map[string]bool {
	explicit := map[string]bool{} // optional dependencies named dep:x have no feature x
	for _, vs := range m.Features {
		for _, v := range vs {
			if d, ok := strings.CutPrefix(v, "dep:"); ok {
				explicit[d] = true
			}
		}
	}
	implicit := map[string]bool{}
	for _, d := range m.Deps {
		if d.Optional && !explicit[d.Name] {
			implicit[d.Name] = true
		}
	}
	on := map[string]bool{}
	var visit func(string)
	visit = func(f string) {
		_, isFeature := m.Features[f]
		if on[f] || !isFeature && !implicit[f] {
			return
		}
		on[f] = true
		for _, v := range m.Features[f] {
			switch dep, _, ok := strings.Cut(v, "/"); {
			case strings.HasPrefix(v, "dep:"):
			case ok && !strings.HasSuffix(dep, "?"): // dep/feature turns dep on
				visit(dep)
			case !ok:
				visit(v)
			}
		}
	}
	visit("default")
	return on
}

// features reads a [features] table: feature → what it turns on. Entries
// that are not lists of strings (which cargo refuses) are left out.
func features(raw map[string]any) map[string][]string {
	if len(raw) == 0 {
		return nil
	}
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	fs := make(map[string][]string, len(raw))
	for _, n := range names {
		list, ok := raw[n].([]any)
		if !ok {
			continue
		}
		vs := []string{}
		for _, v := range list {
			if s, ok := v.(string); ok {
				vs = append(vs, s)
			}
		}
		fs[n] = vs
	}
	return fs
}

// Truth is what a cfg predicate is known to be.
type Truth int8

const (
	Unknown Truth = iota // it hangs on what is not known (the target, test, a flag)
	False
	True
)

// maxCfgDepth bounds the nesting of all/any/not a predicate may have: a
// deeper one is Unknown.
const maxCfgDepth = 32

// EvalCfg evaluates the predicate of a #[cfg(...)], the text inside its
// parentheses, knowing only which features are on: feature = "x" is True
// or False, every other option (unix, test, target_os = "linux", ...) is
// Unknown, and all, any and not combine them in three-valued logic. A
// predicate that does not parse is Unknown.
func EvalCfg(pred string, features map[string]bool) Truth {
	p := &cfgParser{s: pred, features: features}
	t, ok := p.pred(0)
	p.space()
	if !ok || p.i != len(p.s) {
		return Unknown
	}
	return t
}

type cfgParser struct {
	s        string
	i        int
	features map[string]bool
}

func (p *cfgParser) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// next consumes c when it comes next.
func (p *cfgParser) next(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *cfgParser) ident() string {
	p.space()
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] == '_' || p.s[p.i] >= 'a' && p.s[p.i] <= 'z' || p.s[p.i] >= 'A' && p.s[p.i] <= 'Z' || p.i > start && p.s[p.i] >= '0' && p.s[p.i] <= '9') {
		p.i++
	}
	return p.s[start:p.i]
}

// str reads a string literal without escapes (feature names have none).
func (p *cfgParser) str() (string, bool) {
	if !p.next('"') {
		return "", false
	}
	end := strings.IndexAny(p.s[p.i:], `"\`)
	if end < 0 || p.s[p.i+end] != '"' {
		return "", false
	}
	s := p.s[p.i : p.i+end]
	p.i += end + 1
	return s, true
}

// pred reads one predicate: name, name = "value", or all/any/not(...).
func (p *cfgParser) pred(depth int) (Truth, bool) {
	name := p.ident()
	if name == "" || depth > maxCfgDepth {
		return Unknown, false
	}
	if p.next('=') {
		value, ok := p.str()
		if !ok {
			return Unknown, false
		}
		if name == "feature" && p.features != nil {
			return truth(p.features[value]), true
		}
		return Unknown, true
	}
	if name != "all" && name != "any" && name != "not" {
		return Unknown, true
	}
	if !p.next('(') {
		return Unknown, false
	}
	var args []Truth
	for !p.next(')') {
		if len(args) > 0 && !p.next(',') {
			return Unknown, false
		}
		if p.next(')') { // a trailing comma
			break
		}
		t, ok := p.pred(depth + 1)
		if !ok {
			return Unknown, false
		}
		args = append(args, t)
	}
	switch name {
	case "not":
		if len(args) != 1 {
			return Unknown, false
		}
		return [...]Truth{Unknown: Unknown, False: True, True: False}[args[0]], true
	case "all":
		return combine(args, False, True), true
	}
	return combine(args, True, False), true
}

// combine is all (decisive False, empty True) or any (decisive True,
// empty False) of args.
func combine(args []Truth, decisive, empty Truth) Truth {
	out := empty
	for _, a := range args {
		switch a {
		case decisive:
			return decisive
		case Unknown:
			out = Unknown
		}
	}
	return out
}

func truth(b bool) Truth {
	if b {
		return True
	}
	return False
}
