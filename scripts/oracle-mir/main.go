// Command oracle-mir compares dw-callgraph's edges with the calls rustc
// resolves, read from the MIR of a crate's library (see oracle.sh).
//
// The oracle's calls are the MIR Call terminators whose callee is a
// function of the crate (a path of the crate, a method of one of its impls,
// a method of one of its traits, or a method of a foreign trait that the
// crate implements in source for one of its types), whose span is in the
// crate's sources, outside macro_rules bodies, and whose text names the
// callee (so `?` and `for` desugarings are left out). A dw-callgraph edge
// matches an oracle call when it sits on a line of the call's span and
// names the same function. Recall is the share of oracle calls matched;
// precision the share of dw-callgraph's edges, on lines rustc compiled,
// that match an oracle call.
//
// Usage: oracle-mir [--min-recall R] [--min-precision P] [--misses N] NAME ROOT MIR GRAPH...
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	minRecall := flag.Float64("min-recall", 0, "fail when a crate's recall is under this")
	minPrecision := flag.Float64("min-precision", 0, "fail when a crate's precision is under this")
	misses := flag.Int("misses", 0, "print this many misses and wrong edges per crate")
	flag.Parse()
	args := flag.Args()
	if len(args) == 0 || len(args)%4 != 0 {
		fmt.Fprintln(os.Stderr, "usage: oracle-mir [flags] NAME ROOT MIR GRAPH...")
		os.Exit(2)
	}
	failed := false
	total := map[string]int{}
	fmt.Printf("%-22s %7s %7s %7s %7s %8s %9s\n", "crate", "oracle", "dw", "found", "wrong", "recall", "precision")
	for i := 0; i < len(args); i += 4 {
		r, err := compare(args[i+1], args[i+2], args[i+3])
		if err != nil {
			fmt.Fprintf(os.Stderr, "oracle-mir: %s: %v\n", args[i], err)
			os.Exit(1)
		}
		rec, prec := ratio(r.found, r.oracle), ratio(r.right, r.edges)
		fmt.Printf("%-22s %7d %7d %7d %7d %8.3f %9.3f\n", args[i], r.oracle, r.edges, r.found, r.edges-r.right, rec, prec)
		if rec < *minRecall || prec < *minPrecision {
			failed = true
		}
		if r.made > 0 {
			fmt.Printf("    left out: %d calls of functions that are no fn item (made by macros)\n", r.made)
		}
		var classes []string
		for c, n := range r.classes {
			classes = append(classes, fmt.Sprintf("%6d  %s", n, c))
			total[c] += n
		}
		sort.Sort(sort.Reverse(sort.StringSlice(classes)))
		for _, c := range classes {
			fmt.Println("    miss", c)
		}
		for j, m := range r.missed {
			if j >= *misses {
				break
			}
			fmt.Println("    missed:", m)
		}
		for j, m := range r.leftOut {
			if j >= *misses {
				break
			}
			fmt.Println("    left out:", m)
		}
		for j, m := range r.wrong {
			if j >= *misses {
				break
			}
			fmt.Println("    wrong: ", m)
		}
	}
	if failed {
		fmt.Printf("oracle-mir: a crate is under recall %.2f or precision %.2f\n", *minRecall, *minPrecision)
		os.Exit(1)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// record is what the comparison reads of dw-callgraph's output.
type record struct {
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Source struct {
		Path  string `json:"path"`
		Start int    `json:"start_line"`
		End   int    `json:"end_line"`
	} `json:"source"`
	Rust struct {
		Name   string `json:"name"`
		Path   string `json:"path"`
		Module string `json:"module"`
		Impl   *struct {
			Trait    string `json:"trait"`
			SelfType string `json:"self_type"`
		} `json:"impl"`
		Parent *struct {
			Kind     string `json:"kind"`
			Path     string `json:"path"`
			Trait    string `json:"trait"`
			SelfType string `json:"self_type"`
		} `json:"parent"`
	} `json:"rust"`
	Graph *struct {
		Calls []struct {
			ID   string `json:"id"`
			Line int    `json:"line"`
		} `json:"calls"`
		Unresolved []struct {
			Text   string `json:"text"`
			Line   int    `json:"line"`
			Reason string `json:"reason"`
		} `json:"unresolved"`
	} `json:"graph"`
}

// call is an oracle call: its callee as rustc prints it and its span.
type call struct {
	file         string
	line, endLn  int
	col          int
	callee, name string
}

type result struct {
	oracle, found, edges, right int
	made                        int // calls left out: their callee was made by a macro
	classes                     map[string]int
	missed, wrong, leftOut      []string
}

var (
	// A call terminator: `_5 = f(move _6) -> [return: bb2, unwind continue]; // scope 1 at src/x.rs:3:5: 3:12`
	// (before rustc 1.70: `-> bb2;`, `-> [return: bb2, unwind: bb3];`).
	callLine = regexp.MustCompile(`^\s+[^=]+ = (.*)\) -> (\[return|unwind|\[|bb\d).*// scope \d+ at ([^:]+):(\d+):(\d+): (\d+):(\d+)$`)
	header   = regexp.MustCompile(`^fn <impl at ([^:]+):(\d+):\d+: \d+:\d+>::(\w+)`)
	// reasons are dw-callgraph's reasons, reduced to their class.
	reasons = []struct {
		re    *regexp.Regexp
		class string
	}{
		{regexp.MustCompile(`^receiver type .* is not in the workspace$`), "receiver type not in the workspace (std, generic without bound)"},
		{regexp.MustCompile(`^self type .* is not in the workspace$`), "self type not in the workspace (impl for a std type)"},
		{regexp.MustCompile(`^ambiguous: .* and &.* both have a method .*$`), "ambiguous: methods of T and of &T"},
		{regexp.MustCompile(`^ambiguous: a trait's .*$`), "ambiguous: a trait's method for &T may come first"},
		{regexp.MustCompile(`^ambiguous: several traits .*$`), "ambiguous: several traits have the method"},
		{regexp.MustCompile(`^one of \d+ definitions under different cfgs: .*$`), "cfg'd twins the default features do not decide (candidates given)"},
		{regexp.MustCompile(`^one of \d+ definitions in several packages: .*$`), "namesakes in several packages (candidates given)"},
		{regexp.MustCompile(`^one of \d+ definitions: .*$`), "methods of several impls of a generic type (candidates given)"},
		{regexp.MustCompile(`^no method .*$`), "no method on the receiver's type"},
	}
)

func compare(root, mirPath, graphPath string) (*result, error) {
	recs, byID, err := readGraph(graphPath)
	if err != nil {
		return nil, err
	}
	src := map[string][]string{}
	lines := func(file string) []string {
		if l, ok := src[file]; ok {
			return l
		}
		b, _ := os.ReadFile(filepath.Join(root, file))
		src[file] = strings.Split(string(b), "\n")
		return src[file]
	}
	// The crate's top-level names (a callee path of the crate starts with
	// one), its macro_rules bodies, and its impls by file and line.
	top := map[string]bool{}
	var macros []*record
	impls := map[string]*record{}
	for _, r := range recs {
		if r.Rust.Path != "" {
			if segs := strings.Split(r.Rust.Path, "::"); len(segs) > 1 {
				top[segs[1]] = true
			}
		}
		switch r.Kind {
		case "macro":
			macros = append(macros, r)
		case "impl":
			impls[fmt.Sprintf("%s:%d", r.Source.Path, r.Source.Start)] = r
		}
	}
	inMacro := func(file string, line int) bool {
		for _, m := range macros {
			if m.Source.Path == file && m.Source.Start <= line && line <= m.Source.End {
				return true
			}
		}
		return false
	}
	f, err := os.Open(mirPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var calls []call
	seen := map[string]bool{}
	compiled := map[string]bool{}    // file:line rustc compiled
	writtenImpl := map[string]bool{} // trait last name, type last name, method written in source
	spanAt := regexp.MustCompile(` at (src/[^:]+):(\d+):\d+: \d+:\d+`)
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		l := sc.Text()
		if m := spanAt.FindStringSubmatch(l); m != nil {
			// Where a span starts, code was compiled: a span may cover
			// lines cfg'd out (a match arm inside a match).
			compiled[m[1]+":"+m[2]] = true
		}
		if m := header.FindStringSubmatch(l); m != nil {
			if im := impls[m[1]+":"+m[2]]; im != nil && im.Rust.Impl != nil && im.Rust.Impl.Trait != "" {
				writtenImpl[last(im.Rust.Impl.Trait)+" "+refTypeName(im.Rust.Impl.SelfType)+" "+m[3]] = true
			}
			continue
		}
		m := callLine.FindStringSubmatch(l)
		if m == nil || !strings.HasPrefix(m[3], "src/") {
			continue
		}
		callee := calleeOf(m[1])
		if callee == "" {
			continue
		}
		c := call{file: m[3], callee: callee, name: last(callee)}
		c.line, _ = strconv.Atoi(m[4])
		c.col, _ = strconv.Atoi(m[5])
		c.endLn, _ = strconv.Atoi(m[6])
		key := fmt.Sprintf("%s:%d:%d:%s", c.file, c.line, c.col, c.callee)
		if seen[key] {
			continue // a body monomorphic copies share
		}
		seen[key] = true
		calls = append(calls, c)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	// Keep the crate-local calls written in function bodies.
	// A callee that is no fn item was made by a macro (define_bool!(…,
	// set_x)): its definition is not written in the source either.
	fnsNamed := map[string][]*record{}
	for _, r := range recs {
		if r.Kind == "fn" {
			fnsNamed[r.Rust.Name] = append(fnsNamed[r.Rust.Name], r)
		}
	}
	isItem := func(c call) bool {
		for _, r := range fnsNamed[c.name] {
			if same(c, r, impls, writtenImpl) {
				return true
			}
		}
		return false
	}
	var oracle []call
	made := 0
	var leftOut []string
	for _, c := range calls {
		if !local(c.callee, top, writtenImpl) || inMacro(c.file, c.line) || !written(lines(c.file), c) {
			continue
		}
		if !isItem(c) {
			made++
			leftOut = append(leftOut, fmt.Sprintf("%s:%d %s", c.file, c.line, c.callee))
			continue
		}
		oracle = append(oracle, c)
	}
	// The dw edges and unresolved calls by file.
	type edge struct {
		from   *record
		callee *record
		line   int
		used   bool
	}
	var edges []*edge
	for _, r := range recs {
		if r.Kind != "fn" || r.Graph == nil {
			continue
		}
		for _, c := range r.Graph.Calls {
			if callee := byID[c.ID]; callee != nil {
				edges = append(edges, &edge{from: r, callee: callee, line: c.Line})
			}
		}
	}
	// Narrow spans first: a call spanning lines must not take the edge of
	// a call inside it.
	sort.SliceStable(oracle, func(i, j int) bool { return oracle[i].endLn-oracle[i].line < oracle[j].endLn-oracle[j].line })
	res := &result{classes: map[string]int{}, made: made, leftOut: leftOut}
	res.oracle = len(oracle)
	matched := map[*edge]bool{}
	for _, c := range oracle {
		var hit *edge
		for _, e := range edges {
			if !e.used && e.from.Source.Path == c.file && c.line <= e.line && e.line <= c.endLn && same(c, e.callee, impls, writtenImpl) {
				hit = e
				break
			}
		}
		if hit != nil {
			res.found++
			hit.used, matched[hit] = true, true
			continue
		}
		class := "not extracted"
		for _, e := range edges {
			if !e.used && e.from.Source.Path == c.file && c.line <= e.line && e.line <= c.endLn && e.callee.Rust.Name == c.name {
				class = "wrong callee"
			}
		}
		for _, r := range recs {
			if r.Kind != "fn" || r.Graph == nil || r.Source.Path != c.file || class != "not extracted" {
				continue
			}
			for _, u := range r.Graph.Unresolved {
				if c.line <= u.Line && u.Line <= c.endLn && last(strings.ReplaceAll(u.Text, ".", "::")) == c.name {
					class = "unresolved: " + classOf(u.Reason)
				}
			}
		}
		res.classes[class]++
		res.missed = append(res.missed, fmt.Sprintf("%s:%d %s (%s) %s", c.file, c.line, c.callee, class, strings.TrimSpace(lines(c.file)[c.line-1])))
	}
	for _, e := range edges {
		if !compiled[fmt.Sprintf("%s:%d", e.from.Source.Path, e.line)] {
			continue // cfg'd out, a test, or not in the library
		}
		res.edges++
		if matched[e] {
			res.right++
			continue
		}
		ok := false
		for _, c := range calls { // any call, local or not, may back an edge
			if c.file == e.from.Source.Path && c.line <= e.line && e.line <= c.endLn && same(c, e.callee, impls, writtenImpl) {
				ok = true
			}
		}
		if ok {
			res.right++
			continue
		}
		res.wrong = append(res.wrong, fmt.Sprintf("%s:%d %s → %s", e.from.Source.Path, e.line, e.from.Rust.Path, e.callee.Rust.Path))
	}
	return res, nil
}

func readGraph(path string) ([]*record, map[string]*record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var recs []*record
	byID := map[string]*record{}
	d := json.NewDecoder(bufio.NewReader(f))
	for d.More() {
		r := &record{}
		if err := d.Decode(r); err != nil {
			return nil, nil, err
		}
		recs = append(recs, r)
		byID[r.ID] = r
	}
	return recs, byID, nil
}

// calleeOf is the callee of a MIR call's text before its arguments, generic
// arguments dropped; "" for a call through a local (move _3).
func calleeOf(s string) string {
	depth := 0
	for i, r := range s {
		switch r {
		case '<':
			depth++
		case '>':
			if i == 0 || s[i-1] != '-' { // not fn(..) -> T
				depth--
			}
		case '(':
			if depth == 0 {
				s = s[:i]
				goto done
			}
		}
	}
done:
	if strings.HasPrefix(s, "move ") || strings.HasPrefix(s, "copy ") || strings.HasPrefix(s, "const ") {
		return ""
	}
	// Drop turbofish arguments: a::<T>::b → a::b.
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], "::<") && !implSegment(s[i+2:]) {
			end := closing(s[i+2:])
			if end < 0 {
				break // unclosed: the rest is arguments
			}
			i += 2 + end
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// implSegment says whether s, from a <, is a path segment <impl Type>
// (m::<impl Type>::f), not turbofish arguments of type impl Trait
// (f::<impl Into<OsStr>>): a :: follows its closing >.
func implSegment(s string) bool {
	if !strings.HasPrefix(s, "<impl ") {
		return false
	}
	end := closing(s)
	return end > 0 && strings.HasPrefix(s[end+1:], "::")
}

// closing is the index of the > that closes the < s begins with, -1 for none.
func closing(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '<':
			depth++
		case s[i] == '>' && (i == 0 || s[i-1] != '-'):
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}

// implSegments replaces each <impl Type> segment of a path by Type's last
// segment (m::<impl de::Foo<Bar<T>>>::f → m::Foo::f), nested generics and all.
func implSegments(p string) string {
	var b strings.Builder
	for {
		i := strings.Index(p, "<impl ")
		if i < 0 {
			b.WriteString(p)
			return b.String()
		}
		end := closing(p[i:])
		if end < 0 {
			b.WriteString(p)
			return b.String()
		}
		b.WriteString(p[:i])
		b.WriteString(last(strings.TrimPrefix(p[i:i+end], "<impl ")))
		p = p[i+end+1:]
	}
}

// last is the last segment of a path, generic arguments dropped.
func last(p string) string {
	depth, start := 0, 0
	for i := 0; i < len(p); i++ {
		switch {
		case p[i] == '<':
			depth++
		case p[i] == '>' && (i == 0 || p[i-1] != '-'):
			depth--
		case depth == 0 && strings.HasPrefix(p[i:], "::"):
			start = i + 2
		}
	}
	p = p[start:]
	if i := strings.IndexByte(p, '<'); i > 0 {
		p = p[:i]
	}
	return strings.TrimSpace(p)
}

// qualified splits <A as B>::m into A, B; B is "" for <impl at ...>::m.
func qualified(callee string) (a, b string, ok bool) {
	if !strings.HasPrefix(callee, "<") {
		return "", "", false
	}
	end := closing(callee)
	if end < 0 {
		return "", "", false
	}
	inner := callee[1:end]
	for j := 0; j < len(inner); j++ { // " as " outside brackets
		if inner[j] == '<' {
			if k := closing(inner[j:]); k > 0 {
				j += k
				continue
			}
		}
		if strings.HasPrefix(inner[j:], " as ") {
			return inner[:j], inner[j+4:], true
		}
	}
	return inner, "", true
}

// local says whether a callee is a function of the crate.
func local(callee string, top, writtenImpl map[string]bool) bool {
	a, b, ok := qualified(callee)
	if !ok {
		first, _, _ := strings.Cut(callee, "::")
		return top[first]
	}
	if strings.HasPrefix(a, "impl at ") {
		return true
	}
	if first, _, _ := strings.Cut(b, "::"); top[first] {
		return true // a method of a trait of the crate
	}
	return writtenImpl[last(b)+" "+refTypeName(a)+" "+last(callee)]
}

// written says whether the call's source names its callee.
func written(lines []string, c call) bool {
	for ln := c.line; ln <= c.endLn && ln <= len(lines); ln++ {
		if word(lines[ln-1], c.name) {
			return true
		}
	}
	return false
}

func word(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !ident(s[j-1])
		after := j+len(w) >= len(s) || !ident(s[j+len(w)])
		if before && after {
			return true
		}
		i = j + 1
	}
}

func ident(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// same says whether dw's callee is the oracle's.
func same(c call, callee *record, impls map[string]*record, writtenImpl map[string]bool) bool {
	if callee.Rust.Name != c.name {
		return false
	}
	a, b, ok := qualified(c.callee)
	p := callee.Rust.Parent
	if !ok { // a::b::f, Type::m
		rel := callee.Rust.Path
		if i := strings.Index(rel, "::"); i >= 0 {
			rel = rel[i+2:]
		}
		if rel == c.callee {
			return true
		}
		segs := strings.Split(implSegments(c.callee), "::") // m::<impl Type>::f
		return len(segs) >= 2 && p != nil && p.Kind == "impl" && p.Trait == "" && typeName(p.SelfType) == segs[len(segs)-2]
	}
	if strings.HasPrefix(a, "impl at ") { // <impl at src/x.rs:L:C: L:C>::m
		var file string
		var ln int
		if i := strings.Index(a[8:], ":"); i >= 0 {
			file = a[8 : 8+i]
			ln, _ = strconv.Atoi(strings.SplitN(a[9+i:], ":", 2)[0])
		}
		im := impls[fmt.Sprintf("%s:%d", file, ln)]
		return im != nil && callee.Source.Path == file && im.Source.Start <= callee.Source.Start && callee.Source.End <= im.Source.End
	}
	if p == nil {
		return false
	}
	switch p.Kind {
	case "trait": // the trait's own method: its default, or a generic receiver
		return last(p.Path) == last(b) && !writtenImpl[last(b)+" "+refTypeName(a)+" "+c.name]
	case "impl":
		return last(p.Trait) == last(b) && typeName(p.SelfType) == typeName(a)
	}
	return false
}

// typeName is the last segment of a type, references, lifetimes and
// generic arguments dropped: &'a mut de::Deserializer<R> → Deserializer.
func typeName(t string) string {
	for {
		t = strings.TrimSpace(t)
		switch {
		case strings.HasPrefix(t, "&"), strings.HasPrefix(t, "*"):
			t = t[1:]
		case strings.HasPrefix(t, "'"):
			i := strings.IndexByte(t, ' ')
			if i < 0 {
				return last(t)
			}
			t = t[i:]
		case strings.HasPrefix(t, "mut "), strings.HasPrefix(t, "const "):
			_, t, _ = strings.Cut(t, " ")
		default:
			return last(t)
		}
	}
}

// refTypeName is typeName with a & for each reference it drops: an impl
// for &'a mut R is not one for R.
func refTypeName(t string) string {
	refs := ""
	for t = strings.TrimSpace(t); strings.HasPrefix(t, "&") || strings.HasPrefix(t, "*"); t = strings.TrimSpace(t) {
		refs += "&"
		t = strings.TrimSpace(t[1:])
		if strings.HasPrefix(t, "'") {
			if i := strings.IndexByte(t, ' '); i >= 0 {
				t = t[i:]
			}
		}
		t = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(t), "mut "), "const ")
	}
	return refs + typeName(t)
}

// classOf is the class of an unresolved call's reason.
func classOf(reason string) string {
	for _, r := range reasons {
		if r.re.MatchString(reason) {
			return r.class
		}
	}
	return reason
}
