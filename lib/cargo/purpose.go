package cargo

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// PurposeMax is the most bytes a crate's purpose takes.
const PurposeMax = 300

// Purpose says what a crate is for, in one line of at most PurposeMax
// bytes: its manifest's description, else the first paragraph of prose of
// the first of docs that has one (the //! documentation of the crate's
// root files, in the order of DocRoots). A paragraph's headings, badges,
// images, HTML and link definitions are passed over, as is fenced code;
// markdown links keep their text; whitespace is collapsed. Text over the
// cap is cut after its last whole sentence that fits, else at a word
// boundary with "…". It is "" when nothing says.
func Purpose(description string, docs ...string) string {
	if s := strings.Join(strings.Fields(description), " "); s != "" {
		return capText(s, PurposeMax)
	}
	for _, d := range docs {
		if s := firstParagraph(d); s != "" {
			return capText(s, PurposeMax)
		}
	}
	return ""
}

// DocRoots lists the root files whose //! docs can say what the package
// is for, in the order Purpose tries them: the library's, the binary
// named after the package, the other binaries (tests, examples, benches
// and the build script describe themselves, not the package).
func (m *Manifest) DocRoots() []string {
	rank := func(t Target) int {
		switch {
		case t.Kind == "lib" || t.Kind == "proc-macro":
			return 0
		case t.Kind == "bin" && t.Name == CrateName(m.Package):
			return 1
		case t.Kind == "bin":
			return 2
		}
		return -1
	}
	var out []string
	for r := range 3 {
		for _, t := range m.Targets {
			if rank(t) == r {
				out = append(out, t.Path)
			}
		}
	}
	return out
}

var (
	inlineLinkRE = regexp.MustCompile(`\[([^\[\]]*)\]\([^()\s]*\)`) // [text](url)
	refLinkRE    = regexp.MustCompile(`\[([^\[\]]*)\]\[[^\[\]]*\]`) // [text][ref]
	docLinkRE    = regexp.MustCompile("\\[(`[^`\\[\\]]+`)\\]")      // [`Type`]
	linkDefRE    = regexp.MustCompile(`^\[[^\[\]]+\]:\s`)           // [ref]: url
	headingRE    = regexp.MustCompile(`^#{1,6}(\s|$)`)              // # Title
	underlineRE  = regexp.MustCompile(`^(=+|-+)$`)                  // a setext heading's underline
	fenceRE      = regexp.MustCompile("^(```|~~~)")                 // ```rust
	noProseRE    = regexp.MustCompile(`^(!\[|\[!\[|<|\[\^)`)        // images, badges, HTML, footnotes
	blockStarRE  = regexp.MustCompile(`^\*+(\s|$)`)                 // the " * " margin of a /*! */ block
	sentenceRE   = regexp.MustCompile(`[.!?]["')\]]?(\s|$)`)        // a sentence's end
	trailingRE   = regexp.MustCompile(`[\s,;:(\[{—–-]+$`)           // what a cut leaves dangling
)

// firstParagraph is the first paragraph of prose of markdown docs, on one
// line.
func firstParagraph(docs string) string {
	var para []string
	inFence := false
	for _, line := range strings.Split(docs, "\n") {
		t := strings.TrimSpace(blockStarRE.ReplaceAllString(strings.TrimSpace(line), ""))
		switch {
		case fenceRE.MatchString(t):
			inFence = !inFence
		case inFence:
		case t == "":
			if len(para) > 0 {
				return clean(para)
			}
		case headingRE.MatchString(t), underlineRE.MatchString(t):
			para = para[:0] // a setext heading's text is no prose either
		case noProseRE.MatchString(t), linkDefRE.MatchString(t):
		default:
			para = append(para, t)
		}
	}
	return clean(para)
}

// clean joins a paragraph's lines and reduces its links to their text.
func clean(lines []string) string {
	s := strings.Join(lines, " ")
	s = inlineLinkRE.ReplaceAllString(s, "$1")
	s = refLinkRE.ReplaceAllString(s, "$1")
	s = docLinkRE.ReplaceAllString(s, "$1")
	return strings.Join(strings.Fields(s), " ")
}

// capText cuts s to at most max bytes: after the last sentence that ends
// in the first max bytes, if that keeps a third of them; else at the last
// space, with "…".
func capText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	head := s[:max]
	cut := -1
	for _, m := range sentenceRE.FindAllStringIndex(head, -1) {
		cut = m[1]
	}
	if cut >= max/3 {
		return strings.TrimSpace(head[:cut])
	}
	const ellipsis = "…"
	head = s[:max-len(ellipsis)]
	if i := strings.LastIndexByte(head, ' '); i > 0 {
		head = head[:i]
	} else {
		for len(head) > 0 && !utf8.ValidString(head) {
			head = head[:len(head)-1]
		}
	}
	return trailingRE.ReplaceAllString(head, "") + ellipsis
}
