package redact

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"
	"github.com/rs/zerolog"
	"github.com/zricethezav/gitleaks/v8/detect"
	"github.com/zricethezav/gitleaks/v8/logging"
)

// Our own rules' ids.
const (
	URLCredentials = "url-credentials"
	HighEntropy    = "high-entropy-string"
	Email          = "email"
	IP             = "ip-address"
)

// Options choose the rules beyond gitleaks'.
type Options struct {
	// Entropy is the Shannon entropy (bits per character) from which a
	// string literal without spaces of MinLiteral or more characters is a
	// secret; 0 turns the rule off.
	Entropy    float64
	MinLiteral int
	PII        bool // e-mail and IP addresses too
}

// Report counts what a run found, per rule, without a secret value: the
// JSON of dw-redact --report.
type Report struct {
	Records  int            `json:"records"`
	Changed  int            `json:"records_changed"`
	Findings map[string]int `json:"findings"`         // per rule
	InRecs   map[string]int `json:"records_per_rule"` // records with a finding of the rule
	Fields   []string       `json:"fields"`
	Unplaced int            `json:"unplaced,omitempty"` // findings gitleaks made in decoded text
}

// Mark is the "redacted" field dw-redact adds to a record it changed: the
// findings per rule, and the fields that describe the text by offsets or
// counts and no longer do.
type Mark struct {
	Findings int            `json:"findings"`
	Rules    map[string]int `json:"rules"`
	Stale    []string       `json:"stale,omitempty"`
}

// Add counts more findings into the mark (a record redacted again).
func (m *Mark) Add(rules map[string]int, stale []string) {
	if m.Rules == nil {
		m.Rules = map[string]int{}
	}
	for r, n := range rules {
		m.Rules[r] += n
		m.Findings += n
	}
	for _, s := range stale {
		if !slices.Contains(m.Stale, s) {
			m.Stale = append(m.Stale, s)
		}
	}
}

// Finding is one secret found: which rule, and where (byte offsets of
// the text it was found in).
type Finding struct {
	Rule       string
	Start, End int
}

// Redactor finds and replaces; safe for concurrent use.
type Redactor struct {
	opt Options
	det *detect.Detector
}

var quiet sync.Once

// New loads gitleaks' default rules.
func New(opt Options) (*Redactor, error) {
	quiet.Do(func() { logging.Logger = zerolog.Nop() }) // it would log findings, secrets included
	det, err := detect.NewDetectorDefaultConfig()
	if err != nil {
		return nil, fmt.Errorf("loading gitleaks' rules: %w", err)
	}
	return &Redactor{opt: opt, det: det}, nil
}

// urlCredentials is user:password@ after a URL's scheme; the password is
// group 1. It starts with :// so that the matcher can skip to it.
var urlCredentials = regexp.MustCompile(`://[^\s/:@"'<>]{1,128}:([^\s/@"'<>]{1,256})@[a-zA-Z0-9.-]`)

// placeholderPassword is a URL password that is a placeholder, not a secret.
var placeholderPassword = regexp.MustCompile(`(?i)^(?:\$.*|\{.*\}|<.*>|%.*%|\*+|x+|\.+|pass(?:word)?|secret|changeme|pwd|pw|test|example|\w{1,3})$`)

// literals are the string literals, "…" or '…', made only of token
// characters (the alphabets of base64, base64url and hex) and at least
// min long, as [start, end) of their bodies: no spaces, dots or ://, so
// URLs, paths, sentences and dotted names are not taken for keys.
func literals(text string, min int) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); i++ {
		q := text[i]
		if q != '"' && q != '\'' {
			continue
		}
		j := i + 1
		for j < len(text) && tokenChar(text[j]) {
			j++
		}
		if j < len(text) && text[j] == q && j-i-1 >= min {
			out = append(out, [2]int{i + 1, j})
			i = j
		} else {
			i = j - 1
		}
	}
	return out
}

func tokenChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' || c == '_' || c == '-'
}

// mixed tells a token of letters and digits both: random keys have both,
// long identifiers and words do not.
func mixed(s string) bool {
	return strings.ContainsAny(s, "0123456789") && strings.IndexFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }) >= 0
}

var email = regexp.MustCompile(`\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}\b`)

// ipv4 and ipv6 are runs that may be IP addresses; ipAddresses checks
// their edges and their value.
var (
	ipv4 = regexp.MustCompile(`(?:\d{1,3}\.){3}\d{1,3}`)
	ipv6 = regexp.MustCompile(`[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}`)
)

// ipAddresses are the personal IP addresses of text (personalIP): an IPv4
// address not inside a longer dotted run (a version number) or word, a port
// after it allowed; an IPv6 address not inside a longer coloned run (a Rust
// path) or word.
func ipAddresses(text string) [][2]int {
	word := func(c byte) bool {
		return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
	}
	edge := func(s, e int, also byte) bool {
		return (s == 0 || !word(text[s-1]) && text[s-1] != also) && (e == len(text) || !word(text[e]) && !(text[e] == also && e+1 < len(text) && word(text[e+1])))
	}
	var out [][2]int
	for _, m := range findAll(ipv4, text, ".") {
		if edge(m[0], m[1], '.') && personalIP(text[m[0]:m[1]]) {
			out = append(out, [2]int{m[0], m[1]})
		}
	}
	for _, m := range findAll(ipv6, text, ":") {
		if edge(m[0], m[1], ':') && (m[0] == 0 || text[m[0]-1] != '.') && personalIP(text[m[0]:m[1]]) {
			out = append(out, [2]int{m[0], m[1]})
		}
	}
	return out
}

// Find returns the secrets in text, ordered by position. Overlapping
// findings are folded into the earliest; personal data and high-entropy
// literals that overlap a finding of a named rule give way to it. Time is
// linear in the text and its findings: gitleaks runs on each paragraph
// (see paragraphs), and every place a secret it found appears in the whole
// text is found in one pass (Aho-Corasick) for all of them.
func (r *Redactor) Find(text string) []Finding {
	secrets := map[string]string{} // secret → its rule (the first by name)
	var out []Finding
	for _, p := range paragraphs(text) {
		for _, f := range r.det.DetectString(p.text) {
			if f.RuleID == "private-key" && !pemBody.MatchString(f.Secret) {
				continue // a BEGIN ... KEY----- header named in prose, no key
			}
			secret := cmp.Or(f.Secret, f.Match)
			if len(secret) >= 8 { // unmistakable: hidden wherever it stands
				if rule, ok := secrets[secret]; !ok || f.RuleID < rule {
					secrets[secret] = f.RuleID
				}
				continue
			}
			m := strings.Index(p.text, f.Match)
			s := strings.Index(f.Match, secret)
			if m < 0 || s < 0 { // found in a decoded form: marked, not placed
				out = append(out, Finding{f.RuleID, -1, -1})
				continue
			}
			out = append(out, Finding{f.RuleID, p.off + m + s, p.off + m + s + len(secret)})
		}
	}
	out = append(out, everywhere(text, secrets)...)
	for _, m := range findAll(urlCredentials, text, "://") {
		if !placeholderPassword.MatchString(text[m[2]:m[3]]) {
			out = append(out, Finding{URLCredentials, m[2], m[3]})
		}
	}
	named := merge(slices.Clone(out))
	overlaps := func(start, end int) bool {
		i := sort.Search(len(named), func(i int) bool { return named[i].Start >= end || named[i].Start < 0 })
		return i > 0 && named[i-1].End > start
	}
	if r.opt.PII {
		for _, m := range findAll(email, text, "@") {
			if !exampleDomain(text[m[0]:m[1]]) && !overlaps(m[0], m[1]) {
				out = append(out, Finding{Email, m[0], m[1]})
			}
		}
		for _, m := range ipAddresses(text) {
			if !overlaps(m[0], m[1]) {
				out = append(out, Finding{IP, m[0], m[1]})
			}
		}
	}
	if r.opt.Entropy > 0 {
		for _, m := range literals(text, r.opt.MinLiteral) {
			start, end := m[0], m[1]
			body := text[start:end]
			if mixed(body) && !ascending(body, 6) && shannon(body) >= r.opt.Entropy && !overlaps(start, end) {
				out = append(out, Finding{HighEntropy, start, end})
			}
		}
	}
	return merge(out)
}

// everywhere finds every place of every secret in text in one pass; a
// secret found nowhere (gitleaks saw it decoded) is marked, not placed.
func everywhere(text string, secrets map[string]string) []Finding {
	if len(secrets) == 0 {
		return nil
	}
	keys := slices.Sorted(maps.Keys(secrets))
	trie := ahocorasick.NewTrieBuilder().AddStrings(keys).Build()
	var out []Finding
	placed := map[string]bool{}
	for _, m := range trie.MatchString(text) {
		s := m.MatchString()
		placed[s] = true
		out = append(out, Finding{secrets[s], int(m.Pos()), int(m.Pos()) + len(s)})
	}
	for _, s := range keys {
		if !placed[s] {
			out = append(out, Finding{secrets[s], -1, -1})
		}
	}
	return out
}

// pemBody is a run of a PEM block's base64 body (64 characters a line,
// on lines of their own or after \n escapes in a string literal).
var pemBody = regexp.MustCompile(`[A-Za-z0-9+/]{40,}`)

// findAll is re's matches with their groups, looked for only when text
// holds the literal every match has.
func findAll(re *regexp.Regexp, text, must string) [][]int {
	if !strings.Contains(text, must) {
		return nil
	}
	return re.FindAllStringSubmatchIndex(text, -1)
}

// para is a paragraph of a text and where it starts.
type para struct {
	off  int
	text string
}

// maxBlock is the longest run of paragraphs kept together for an open
// -----BEGIN block (a PEM or PGP key is well under it).
const maxBlock = 64 << 10

// paragraphs cuts text at blank lines, which no secret of gitleaks' rules
// spans, so that a rule runs only on the paragraphs holding its keywords,
// not on all of a text that holds one. A -----BEGIN block stays whole up to
// its -----END (PGP armour and encrypted PEM keys have a blank line after
// their headers), up to maxBlock.
func paragraphs(text string) []para {
	var out []para
	start, open := 0, 0
	for i := 0; i < len(text); {
		j := strings.Index(text[i:], "\n\n")
		if j < 0 {
			break
		}
		seg := text[i : i+j+1]
		open += strings.Count(seg, "-----BEGIN") - strings.Count(seg, "-----END")
		i += j + 1
		if open <= 0 || i-start > maxBlock {
			out = append(out, para{start, text[start:i]})
			start, open = i+1, 0
			i++
		}
	}
	if start < len(text) {
		out = append(out, para{start, text[start:]})
	}
	return out
}

// merge sorts findings by position and folds overlapping ones into the
// first; findings without a place (-1) are kept apart at the end.
func merge(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(b.End, a.End), strings.Compare(a.Rule, b.Rule))
	})
	var out, unplaced []Finding
	for _, f := range fs {
		switch {
		case f.Start < 0:
			unplaced = append(unplaced, f)
		case len(out) > 0 && f.Start < out[len(out)-1].End:
			out[len(out)-1].End = max(out[len(out)-1].End, f.End)
		default:
			out = append(out, f)
		}
	}
	return append(out, unplaced...)
}

// ascending tells a run of n characters in a row of the alphabet
// ("abcdef", "012345"): an alphabet or a counter, not a random key.
func ascending(s string, n int) bool {
	run := 1
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1]+1 {
			if run++; run >= n {
				return true
			}
		} else {
			run = 1
		}
	}
	return false
}

// shannon is the entropy of s in bits per byte.
func shannon(s string) float64 {
	var counts [256]int
	for i := 0; i < len(s); i++ {
		counts[s[i]]++
	}
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(len(s))
			h -= p * math.Log2(p)
		}
	}
	return h
}

func exampleDomain(addr string) bool {
	_, domain, _ := strings.Cut(strings.ToLower(addr), "@")
	for _, d := range []string{"example.com", "example.org", "example.net", "localhost", "test", "invalid", "example"} {
		if domain == d || strings.HasSuffix(domain, "."+d) {
			return true
		}
	}
	return false
}

// The documentation ranges (RFC 5737, RFC 3849): examples, no one's address.
var (
	docNets4 = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24"), netip.MustParsePrefix("198.51.100.0/24"), netip.MustParsePrefix("203.0.113.0/24")}
	docNet6  = netip.MustParsePrefix("2001:db8::/32")
)

// personalIP: an address that can name a host or person, not loopback,
// unspecified, a documentation range or a mask-like value.
func personalIP(s string) bool {
	const digits = "0123456789"
	a, err := netip.ParseAddr(s)
	if err != nil || a.IsLoopback() || a.IsUnspecified() || a.IsMulticast() || a.IsLinkLocalUnicast() {
		return false
	}
	if a.Is4() {
		b := a.As4()
		if b[0] == 255 || b == [4]byte{1, 2, 3, 4} {
			return false // masks and broadcast; the classic version-number look-alike
		}
		for _, p := range docNets4 {
			if p.Contains(a) {
				return false
			}
		}
		return true
	}
	// three colons and a digit at least: de::ad is a Rust path
	return !docNet6.Contains(a) && strings.Count(s, ":") >= 3 && strings.ContainsAny(s, digits)
}

// Replacer gives each distinct secret of a record its placeholder:
// <SECRET:rule> for the first of a rule, <SECRET:rule:2> for the second
// distinct one, and so on; PII as <PII:email>, <PII:ip-address>.
type Replacer struct {
	seen  map[string]string // secret → placeholder
	count map[string]int    // rule → distinct secrets
}

// NewReplacer starts a record.
func NewReplacer() *Replacer {
	return &Replacer{seen: map[string]string{}, count: map[string]int{}}
}

// Placeholder is the placeholder of a secret found by rule.
func (p *Replacer) Placeholder(rule, secret string) string {
	if ph, ok := p.seen[secret]; ok {
		return ph
	}
	p.count[rule]++
	kind := "SECRET"
	if rule == Email || rule == IP {
		kind = "PII"
	}
	ph := "<" + kind + ":" + rule + ">"
	if n := p.count[rule]; n > 1 {
		ph = fmt.Sprintf("<%s:%s:%d>", kind, rule, n)
	}
	p.seen[secret] = ph
	return ph
}

// placeholder is a placeholder already in a text (from an earlier run):
// new secrets of its rule are numbered after it.
var placeholder = regexp.MustCompile(`<(?:SECRET|PII):([a-z0-9-]+)(?::([0-9]{1,9}))?>`)

// Apply replaces the placed findings of text by their placeholders.
func (p *Replacer) Apply(text string, fs []Finding) string {
	if len(fs) > 0 && strings.Contains(text, ":") {
		for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
			n := 1
			if m[2] != "" {
				n, _ = strconv.Atoi(m[2])
			}
			p.count[m[1]] = max(p.count[m[1]], n)
		}
	}
	var b strings.Builder
	last := 0
	for _, f := range fs {
		if f.Start < 0 {
			continue
		}
		b.WriteString(text[last:f.Start])
		b.WriteString(p.Placeholder(f.Rule, text[f.Start:f.End]))
		last = f.End
	}
	b.WriteString(text[last:])
	return b.String()
}
