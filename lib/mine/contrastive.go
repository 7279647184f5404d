package mine

import (
	"fmt"
	"hash/fnv"
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
func Contrastive(items []*Item, negatives int) []Sample {
	code := map[*Item]string{}
	codeOf := func(it *Item) string {
		c, ok := code[it]
		if !ok {
			c = Code(it)
			code[it] = c
		}
		return c
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
	var out []Sample
	for _, it := range items {
		cl := class(it.Kind)
		anchor := DocText(it)
		if cl == "" || it.ID == "" || len(strings.Fields(anchor)) < minDocWords || codeOf(it) == "" {
			continue
		}
		pos := codeOf(it)
		s := Sample{Pattern: "contrastive", Category: "pair", Relation: "doc→code", Items: []*Item{it}, Query: anchor, Positive: pos}
		taken := map[string]bool{it.ID: true}
		normAnchor := normal(anchor)
		texts := map[string]bool{normal(pos): true, normAnchor: true}
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
				text := codeOf(c)
				if text == "" || texts[normal(text)] {
					continue
				}
				taken[c.ID], texts[normal(text)] = true, true
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
		out = append(out, s)
	}
	return out
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
