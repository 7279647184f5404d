package mine

import (
	"fmt"
	"hash/fnv"
	"iter"
	"regexp"
	"sort"
	"strings"

	"github.com/dwkit/dwkit/lib/rust"
)

// minDocWords is the fewest words of docs that make an anchor or a task.
const minDocWords = 4

// Code is an item's code as contrastive and reasoning samples carry it:
// without its doc comment (the anchor) and with the indentation of its
// source taken off, so that only the code tells a positive from a negative
// (a documented item's text starts at its docs; without them, at its first
// line's column, the others indented).
func Code(it *Item) string {
	lines := strings.Split(it.Text, "\n")
	var kept []string
	i, block := 0, false
	for ; i < len(lines); i++ { // the leading run of docs and attributes
		t := strings.TrimSpace(lines[i])
		switch {
		case block:
			block = !strings.Contains(t, "*/")
		case strings.HasPrefix(t, "///") && !strings.HasPrefix(t, "////"), strings.HasPrefix(t, "#[doc"), t == "":
		case strings.HasPrefix(t, "/**") && !strings.HasPrefix(t, "/***") && t != "/**/":
			block = !strings.Contains(t[3:], "*/")
		case strings.HasPrefix(t, "#["):
			kept = append(kept, lines[i])
		default:
			kept = append(kept, lines[i:]...)
			i = len(lines)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return dedent(kept)
}

// dedent takes the first line's leading blanks off and the blanks all other
// non-blank lines share, and the trailing blanks of every line.
func dedent(lines []string) string {
	common := -1
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if common < 0 || n < common {
			common = n
		}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		switch {
		case i == 0:
			l = strings.TrimLeft(l, " \t")
		case strings.TrimSpace(l) == "":
			l = ""
		default:
			l = l[common:]
		}
		out[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// DocText is an item's docs as an anchor: the space after each /// taken
// off, blank lines at the ends dropped.
func DocText(it *Item) string {
	lines := strings.Split(strings.TrimRight(it.Docs, " \n\r\t"), "\n")
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	if len(lines) == 0 {
		return ""
	}
	return dedent(append([]string{""}, lines...))
}

// firstLine is the first non-blank line of an item's docs.
func firstLine(docs string) string {
	for _, l := range strings.Split(docs, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// normal is text with its runs of blanks made one space: two texts that
// differ only in layout are the same.
func normal(s string) string { return strings.Join(strings.Fields(s), " ") }

// class is what items may stand for each other as negatives: functions
// with functions, types with types, and so on; "" for kinds that make no
// anchors (impls, modules, macro calls).
func class(kind string) string {
	switch kind {
	case "fn", "trait", "macro":
		return kind
	case "struct", "enum", "union", "type":
		return "type"
	case "const", "static":
		return "value"
	}
	return ""
}

// traitKey is a trait as written without its generic arguments: From<A>
// and From<B> are the same trait.
func traitKey(t string) string {
	if i := strings.IndexByte(t, '<'); i >= 0 {
		t = t[:i]
	}
	return strings.TrimSpace(t)
}

// seed is the stable number two ids give: where in a sorted list of
// candidates an anchor starts to look.
func seed(a, b string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(a))
	h.Write([]byte{0})
	h.Write([]byte(b))
	return h.Sum64()
}

// declares says whether a is the declaration in a trait of what b
// implements (the same name in an impl of that trait): b does what a's
// docs say, so neither is the other's negative.
func declares(a, b *Item) bool {
	return a.ParentKind == "trait" && b.ParentKind == "impl" && a.Name == b.Name &&
		rust.BaseName(b.Trait) == rust.BaseName(a.ParentPath)
}

// maxTries bounds the candidates one tier looks at for an anchor, so that
// a module of many copies of one function costs no more than a few.
func maxTries(negatives int) int { return 8*negatives + 32 }

// pool is a list of candidates sorted by id.
type pool []*Item

func (p pool) sorted() pool {
	sort.SliceStable(p, func(i, j int) bool { return p[i].ID < p[j].ID })
	return p
}

// Contrastive makes doc→code samples for embedding and retrieval: the
// docs of each documented item (fn, type, trait, macro, const) are the
// query, its code the positive, and up to negatives items of its class
// the hard negatives, chosen in this order of hardness:
//
//   - same-trait-method: the method of the same name in another impl of
//     the same trait (a trait impl method's);
//   - sibling: another item of the same module and impl (or trait);
//   - same-name: an item of the same name elsewhere.
//
// Within a tier the candidates are taken in the order of their ids from a
// point the anchor's and the tier's ids choose, so the choice is stable
// and spread. A candidate is never a negative when its code, once blanks
// are normalised, equals the positive's, the anchor's or another
// negative's, or when its docs equal the anchor (it would be a second
// positive), nor the trait declaration of the positive or an impl of it. At most maxTries candidates of a tier are looked at. Items without code left once the docs are taken off are no
// anchors.
func Contrastive(items []*Item, negatives int) iter.Seq[Sample] {
	return func(yield func(Sample) bool) {
		codeOf := contrastive(items, negatives, yield)
		if codeOf != nil {
			wikiContrastive(items, negatives, codeOf, yield)
		}
	}
}

// contrastive yields the doc→code samples and returns the code cache, nil
// when yield stopped it.
func contrastive(items []*Item, negatives int, yield func(Sample) bool) func(*Item) (text, norm string) {
	type coded struct{ text, norm string }
	code := map[*Item]coded{}
	codeOf := func(it *Item) (text, norm string) { // computed once an item
		c, ok := code[it]
		if !ok {
			c.text = Code(it)
			c.norm = normal(c.text)
			code[it] = c
		}
		return c.text, c.norm
	}
	docs := map[*Item]string{}
	docOf := func(it *Item) string {
		d, ok := docs[it]
		if !ok {
			d = normal(DocText(it))
			docs[it] = d
		}
		return d
	}
	byTrait, bySibling, byName := map[string]pool{}, map[string]pool{}, map[string]pool{}
	for _, it := range items {
		cl := class(it.Kind)
		if cl == "" || it.ID == "" {
			continue
		}
		if cl == "fn" && it.ParentKind == "impl" && it.Trait != "" {
			k := traitKey(it.Trait) + "\x00" + it.Name
			byTrait[k] = append(byTrait[k], it)
		}
		k := cl + "\x00" + it.Module + "\x00" + it.ParentKind + "\x00" + it.ParentPath
		bySibling[k] = append(bySibling[k], it)
		k = cl + "\x00" + it.Name
		byName[k] = append(byName[k], it)
	}
	for _, m := range []map[string]pool{byTrait, bySibling, byName} {
		for k := range m {
			m[k] = m[k].sorted()
		}
	}
	anchors := map[string]bool{}
	for _, it := range items {
		cl := class(it.Kind)
		if cl == "" || it.ID == "" || anchors[it.ID] {
			continue
		}
		anchors[it.ID] = true
		anchor := DocText(it)
		pos, normPos := codeOf(it)
		if len(strings.Fields(anchor)) < minDocWords || pos == "" {
			continue
		}
		s := Sample{Pattern: "contrastive", Category: "pair", Relation: "doc→code", Items: []*Item{it}, Query: anchor, Positive: pos}
		taken := map[string]bool{it.ID: true}
		normAnchor := normal(anchor)
		texts := map[string]bool{normPos: true, normAnchor: true}
		pick := func(how string, cands pool, ok func(c *Item) bool, why func(c *Item) string) {
			if len(cands) == 0 || len(s.Negatives) >= negatives {
				return
			}
			start := int(seed(it.ID, how) % uint64(len(cands)))
			for n := 0; n < min(len(cands), maxTries(negatives)) && len(s.Negatives) < negatives; n++ {
				c := cands[(start+n)%len(cands)]
				if taken[c.ID] || !ok(c) || docOf(c) == normAnchor || declares(it, c) || declares(c, it) {
					continue
				}
				text, norm := codeOf(c)
				if text == "" || texts[norm] {
					continue
				}
				taken[c.ID], texts[norm] = true, true
				s.Items = append(s.Items, c)
				s.Negatives = append(s.Negatives, Negative{ID: c.ID, Path: c.Path, How: how, Why: why(c), Text: text})
			}
		}
		if cl == "fn" && it.ParentKind == "impl" && it.Trait != "" {
			pick("same-trait-method", byTrait[traitKey(it.Trait)+"\x00"+it.Name],
				func(c *Item) bool { return c.ParentPath != it.ParentPath },
				func(c *Item) string {
					return fmt.Sprintf("`%s` of another impl of `%s`: `%s for %s`", c.Name, traitKey(it.Trait), c.Trait, c.SelfType)
				})
		}
		pick("sibling", bySibling[cl+"\x00"+it.Module+"\x00"+it.ParentKind+"\x00"+it.ParentPath],
			func(*Item) bool { return true },
			func(c *Item) string {
				if it.ParentPath != "" {
					return fmt.Sprintf("another %s of the same %s, `%s`", c.Kind, it.ParentKind, it.ParentPath)
				}
				return fmt.Sprintf("another %s of the module `%s`", c.Kind, it.Module)
			})
		pick("same-name", byName[cl+"\x00"+it.Name],
			func(*Item) bool { return true },
			func(c *Item) string {
				return fmt.Sprintf("%s of the same name, `%s`, in `%s`", article(c.Kind), c.Name, c.Module)
			})
		if len(s.Negatives) > 0 {
			s.Category = "triplet"
		}
		s.Text = contrastiveText(s)
		if !yield(s) {
			return nil
		}
	}
	return codeOf
}

// contrastiveText renders a contrastive sample as one text: the query, the
// positive and each negative between tags of their role.
func contrastiveText(s Sample) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<query>\n%s\n</query>\n<positive>\n%s\n</positive>", s.Query, s.Positive)
	for _, n := range s.Negatives {
		fmt.Fprintf(&b, "\n<negative>\n%s\n</negative>", n.Text)
	}
	return b.String()
}

// article is a kind with "a" or "an" before it.
func article(kind string) string {
	if strings.ContainsRune("aeiou", rune(kind[0])) {
		return "an " + kind
	}
	return "a " + kind
}

// sourcesLine is a line of a wiki chunk that only lists the sources it
// cites: the query would name the positive's file.
var sourcesLine = regexp.MustCompile(`^\s*(\*\*Sources:?\*\*|Sources:)`)

// WikiText is a wiki chunk as an anchor: its text without the lines that
// list its sources.
func WikiText(it *Item) string {
	var kept []string
	for _, l := range strings.Split(it.Text, "\n") {
		if !sourcesLine.MatchString(l) {
			kept = append(kept, l)
		}
	}
	return strings.TrimSpace(strings.Join(kept, "\n"))
}

// snippetCode is cited code as a positive: without doc comments (a
// negative's are taken off too) and without the indentation all its lines
// share.
func snippetCode(code string) string {
	var kept []string
	for _, l := range strings.Split(code, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "///") && !strings.HasPrefix(t, "////") || strings.HasPrefix(t, "//!") {
			continue
		}
		kept = append(kept, l)
	}
	if len(kept) == 0 {
		return ""
	}
	return dedent(append([]string{""}, kept...))
}

// overlaps says whether an item's lines meet lines start to end (0-0: the
// whole file).
func overlaps(it *Item, start, end int) bool {
	return start == 0 && end == 0 || it.StartLine <= end && it.EndLine >= start
}

// wikiContrastive makes wiki→code samples from chunk records with cited
// code: the chunk's text (without its Sources lines) is the query, each
// cited snippet a positive, and the negatives items the chunk cites
// nowhere: first of the snippet's file (uncited-in-file), then of its
// module's other files (uncited-in-module), of the class of the first item
// the snippet covers. A snippet of a file whose items are in the input but
// that covers none of them (a mod declaration, a use list) makes no
// sample; one of a file whose items are not makes a pair. A negative is
// chosen and excluded as in Contrastive; one whose code the positive
// holds is no negative either.
func wikiContrastive(items []*Item, negatives int, codeOf func(*Item) (text, norm string), yield func(Sample) bool) {
	byFile, byModule := map[string]pool{}, map[string]pool{}
	for _, it := range items {
		if class(it.Kind) == "" || it.ID == "" {
			continue
		}
		byFile[it.File] = append(byFile[it.File], it)
		byModule[it.Module] = append(byModule[it.Module], it)
	}
	for _, m := range []map[string]pool{byFile, byModule} {
		for k := range m {
			m[k] = m[k].sorted()
		}
	}
	seen := map[string]bool{}
	for _, ch := range items {
		if ch.Kind != "chunk" || len(ch.Cited) == 0 || ch.ID == "" || seen[ch.ID] {
			continue
		}
		seen[ch.ID] = true
		query := WikiText(ch)
		if len(strings.Fields(query)) < minDocWords {
			continue
		}
		cited := func(c *Item) bool {
			for _, sn := range ch.Cited {
				if sn.Path == c.File && overlaps(c, sn.Start, sn.End) {
					return true
				}
			}
			return false
		}
		for k := range ch.Cited {
			sn := &ch.Cited[k]
			pos := snippetCode(sn.Code)
			if pos == "" || sn.Start < 0 || sn.End < sn.Start || sn.Start == 0 && sn.End != 0 {
				continue
			}
			cl, module := "fn", ""
			if cover := covered(byFile[sn.Path], sn); cover != nil {
				cl, module = class(cover.Kind), cover.Module
			} else if len(byFile[sn.Path]) > 0 {
				continue // lines of a known file with no item to find: no code to tell apart
			}
			s := Sample{Pattern: "contrastive", Category: "pair", Relation: "wiki→code", Items: []*Item{ch}, Query: query, Positive: pos, Cited: sn}
			taken := map[string]bool{}
			normPos := normal(pos)
			texts := map[string]bool{normPos: true, normal(query): true}
			key := fmt.Sprintf("%s\x00%d", ch.ID, k)
			pick := func(how string, cands pool, why func(c *Item) string) {
				if len(cands) == 0 || len(s.Negatives) >= negatives {
					return
				}
				start := int(seed(key, how) % uint64(len(cands)))
				for n := 0; n < min(len(cands), maxTries(negatives)) && len(s.Negatives) < negatives; n++ {
					c := cands[(start+n)%len(cands)]
					if taken[c.ID] || class(c.Kind) != cl || cited(c) || how == "uncited-in-module" && c.File == sn.Path {
						continue
					}
					text, norm := codeOf(c)
					if text == "" || texts[norm] || strings.Contains(normPos, norm) {
						continue
					}
					taken[c.ID], texts[norm] = true, true
					s.Items = append(s.Items, c)
					s.Negatives = append(s.Negatives, Negative{ID: c.ID, Path: c.Path, How: how, Why: why(c), Text: text})
				}
			}
			pick("uncited-in-file", byFile[sn.Path], func(c *Item) string {
				return fmt.Sprintf("%s of the cited file %s that the chunk does not cite", article(c.Kind), sn.Path)
			})
			if module != "" {
				pick("uncited-in-module", byModule[module], func(c *Item) string {
					return fmt.Sprintf("%s of the cited module `%s`, in %s, that the chunk does not cite", article(c.Kind), module, c.File)
				})
			}
			if len(s.Negatives) > 0 {
				s.Category = "triplet"
			}
			s.Text = contrastiveText(s)
			if !yield(s) {
				return
			}
		}
	}
}

// covered is the item a snippet is about: of the items of its file it
// meets, the first by line of those wholly inside it (else of all), the
// outermost at one line.
func covered(file pool, sn *Cited) *Item {
	var best *Item
	bestWhole := false
	for _, it := range file {
		if !overlaps(it, sn.Start, sn.End) {
			continue
		}
		whole := sn.Start == 0 && sn.End == 0 || it.StartLine >= sn.Start && it.EndLine <= sn.End
		switch {
		case best == nil, whole && !bestWhole:
		case whole != bestWhole:
			continue
		case it.StartLine > best.StartLine, it.StartLine == best.StartLine && it.EndLine <= best.EndLine:
			continue
		}
		best, bestWhole = it, whole
	}
	return best
}
