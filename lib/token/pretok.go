package token

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/dlclark/regexp2"
)

// splitter cuts text into the pieces BPE then encodes, calling yield with
// each piece in order; the pieces cover the text exactly.
type splitter interface {
	split(text string, yield func(piece string))
}

// The pre-tokenizer patterns dwkit runs with its own scanners.
const (
	// patCL100K is cl100k_base's pattern as tiktoken-go writes it; Llama-3
	// uses the same.
	patCL100K = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	// patCL100KPossessive is the same pattern in tiktoken's newer, possessive form.
	patCL100KPossessive = `'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s`
	// patQwen2 is Qwen2/Qwen3's (and so KAT-Dev's): one digit per piece.
	patQwen2 = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	// patGPT2 is r50k_base's and p50k_base's.
	patGPT2 = `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
	// patO200K is o200k_base's.
	patO200K = `[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

// newSplitter returns the scanner for a known pattern, or a regexp2
// splitter that runs the pattern as written.
func newSplitter(pattern string) (splitter, error) {
	switch pattern {
	case patCL100K:
		return scanner{family: familyCL100K, maxDigits: 3}, nil
	case patCL100KPossessive:
		return scanner{family: familyCL100K, maxDigits: 3, endAnchor: true}, nil
	case patQwen2:
		return scanner{family: familyCL100K, maxDigits: 1}, nil
	case patGPT2:
		return scanner{family: familyGPT2}, nil
	case patO200K:
		return scanner{family: familyO200K, maxDigits: 3}, nil
	}
	return newRegexSplitter(pattern)
}

func newRegexSplitter(pattern string) (splitter, error) {
	re, err := regexp2.Compile(pattern, regexp2.Unicode)
	if err != nil {
		return nil, fmt.Errorf("pre-tokenizer pattern: %w", err)
	}
	return regexSplitter{re}, nil
}

// regexSplitter runs any pattern on regexp2, with Hugging Face's
// "Isolated" behaviour: matches and the gaps between them are pieces.
type regexSplitter struct{ re *regexp2.Regexp }

func (s regexSplitter) split(text string, yield func(string)) {
	// regexp2 works on runes and reports rune offsets; map them back to
	// bytes from the text's own decoding (an invalid byte is one rune).
	runes := make([]rune, 0, len(text))
	byteAt := make([]int, 0, len(text)+1)
	for off := 0; off < len(text); {
		r, w := utf8.DecodeRuneInString(text[off:])
		runes = append(runes, r)
		byteAt = append(byteAt, off)
		off += w
	}
	byteAt = append(byteAt, len(text))
	last := 0
	m, _ := s.re.FindRunesMatch(runes)
	for m != nil {
		start, end := byteAt[m.Index], byteAt[m.Index+m.Length]
		if start > last {
			yield(text[last:start])
		}
		if end > start {
			yield(text[start:end])
		}
		last = end
		m, _ = s.re.FindNextMatch(m)
	}
	if last < len(text) {
		yield(text[last:])
	}
}

type family int

const (
	familyCL100K family = iota
	familyGPT2
	familyO200K
)

// scanner runs one of the known patterns by hand, exactly as a
// backtracking regex engine would (leftmost alternative first, greedy
// quantifiers, the look-ahead of `\s+(?!\S)`), one rune at a time.
type scanner struct {
	family    family
	maxDigits int // \p{N}{1,3} or \p{N}
	// endAnchor: a whitespace run that reaches the end of the text is one
	// piece (`\s++$`, tried before the newline alternative).
	endAnchor bool
}

// Character classes of the patterns. \s is Unicode White_Space, as in
// Rust's regex and Oniguruma; Go's unicode.IsSpace is the same set.
func isLetter(r rune) bool {
	return r < utf8.RuneSelf && asciiLetter(r) || r >= utf8.RuneSelf && unicode.IsLetter(r)
}
func isNumber(r rune) bool { return r >= '0' && r <= '9' || r >= utf8.RuneSelf && unicode.IsNumber(r) }
func isSpace(r rune) bool {
	return r == ' ' || r >= '\t' && r <= '\r' || r >= utf8.RuneSelf && unicode.IsSpace(r)
}
func utf8Valid(s string) bool { return utf8.ValidString(s) }
func isNewline(r rune) bool   { return r == '\r' || r == '\n' }
func asciiLetter(r rune) bool { return r|0x20 >= 'a' && r|0x20 <= 'z' }

// isOther is [^\s\p{L}\p{N}].
func isOther(r rune) bool { return !isSpace(r) && !isLetter(r) && !isNumber(r) }

// o200k's letter classes: upper is [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}], lower
// is [\p{Ll}\p{Lm}\p{Lo}\p{M}].
func isUpperish(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'A' && r <= 'Z'
	}
	return unicode.In(r, unicode.Lu, unicode.Lt, unicode.Lm, unicode.Lo, unicode.M)
}
func isLowerish(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z'
	}
	return unicode.In(r, unicode.Ll, unicode.Lm, unicode.Lo, unicode.M)
}

// at decodes the rune at byte i (utf8.RuneError, 0 at the end).
func at(s string, i int) (rune, int) {
	if i >= len(s) {
		return utf8.RuneError, 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// run returns the end of the longest run of runes in class from i.
func run(s string, i int, class func(rune) bool) int {
	for i < len(s) {
		r, n := at(s, i)
		if !class(r) {
			break
		}
		i += n
	}
	return i
}

func (sc scanner) split(text string, yield func(string)) {
	for i := 0; i < len(text); {
		end := sc.next(text, i)
		yield(text[i:end])
		i = end
	}
}

// next returns the end of the piece that starts at i.
func (sc scanner) next(s string, i int) int {
	switch sc.family {
	case familyGPT2:
		return sc.nextGPT2(s, i)
	case familyO200K:
		return sc.nextO200K(s, i)
	}
	return sc.nextCL100K(s, i)
}

// contraction matches 's 't 're 've 'm 'll 'd at i, case-insensitively
// (Unicode simple case folding: 'ſ is 's), and returns its end.
func contraction(s string, i int, foldCase bool) (int, bool) {
	if i >= len(s) || s[i] != '\'' {
		return 0, false
	}
	r1, n1 := at(s, i+1)
	r2, n2 := at(s, i+1+n1)
	low := func(r rune) rune {
		if !foldCase {
			return r
		}
		if r == 'ſ' {
			return 's'
		}
		return unicode.ToLower(r)
	}
	switch l1, l2 := low(r1), low(r2); {
	case l1 == 's' || l1 == 't' || l1 == 'm' || l1 == 'd':
		return i + 1 + n1, true
	case l1 == 'r' && l2 == 'e', l1 == 'v' && l2 == 'e', l1 == 'l' && l2 == 'l':
		return i + 1 + n1 + n2, true
	}
	return 0, false
}

// spaceTail handles the three whitespace alternatives shared by the
// patterns: `\s*[\r\n]+` (when newlines is set), `\s+(?!\S)`, `\s+`.
func spaceTail(s string, i int, newlines bool) (int, bool) {
	r, _ := at(s, i)
	if !isSpace(r) {
		return 0, false
	}
	end := run(s, i, isSpace)
	if newlines {
		// \s* gives back runes until [\r\n]+ matches: the piece ends after
		// the last newline of the whitespace run, if there is one.
		for j := end; j > i; {
			r, n := utf8.DecodeLastRuneInString(s[:j])
			if isNewline(r) {
				return j, true
			}
			j -= n
		}
	}
	if end == len(s) {
		return end, true // \s+(?!\S) at the end of the text
	}
	// \s+(?!\S): give back the last whitespace rune so that the next
	// piece can start with it; a single rune falls to \s+.
	_, n := utf8.DecodeLastRuneInString(s[i:end])
	if end-n > i {
		return end - n, true
	}
	return end, true
}

func (sc scanner) nextCL100K(s string, i int) int {
	if end, ok := contraction(s, i, true); ok {
		return end
	}
	r, n := at(s, i)
	// [^\r\n\p{L}\p{N}]?\p{L}+
	if isLetter(r) {
		return run(s, i, isLetter)
	}
	if !isNewline(r) && !isNumber(r) {
		if r2, _ := at(s, i+n); isLetter(r2) {
			return run(s, i+n, isLetter)
		}
	}
	// \p{N}{1,maxDigits}
	if isNumber(r) {
		end := i
		for k := 0; k < sc.maxDigits; k++ {
			r, n := at(s, end)
			if n == 0 || !isNumber(r) {
				break
			}
			end += n
		}
		return end
	}
	// ` ?[^\s\p{L}\p{N}]+[\r\n]*`
	if end, ok := otherRun(s, i, isNewline); ok {
		return end
	}
	if sc.endAnchor && isSpace(r) {
		if end := run(s, i, isSpace); end == len(s) {
			return end
		}
	}
	if end, ok := spaceTail(s, i, true); ok {
		return end
	}
	return i + n // unreachable: every rune is in some class
}

// otherRun matches ` ?[^\s\p{L}\p{N}]+` followed by a run of tail runes.
func otherRun(s string, i int, tail func(rune) bool) (int, bool) {
	j := i
	if r, n := at(s, j); r == ' ' {
		if r2, _ := at(s, j+n); isOther(r2) {
			j += n
		}
	}
	r, _ := at(s, j)
	if !isOther(r) {
		return 0, false
	}
	end := run(s, j, isOther)
	if tail != nil {
		end = run(s, end, tail)
	}
	return end, true
}

func (sc scanner) nextGPT2(s string, i int) int {
	if end, ok := contraction(s, i, false); ok {
		return end
	}
	r, n := at(s, i)
	j := i
	if r == ' ' {
		j += n
	}
	r2, _ := at(s, j)
	switch {
	case isLetter(r2): // ` ?\p{L}+`
		return run(s, j, isLetter)
	case isNumber(r2): // ` ?\p{N}+`
		return run(s, j, isNumber)
	case isOther(r2): // ` ?[^\s\p{L}\p{N}]+`
		return run(s, j, isOther)
	}
	if end, ok := spaceTail(s, i, false); ok {
		return end
	}
	return i + n
}

func isO200KSlashTail(r rune) bool { return r == '\r' || r == '\n' || r == '/' }

func (sc scanner) nextO200K(s string, i int) int {
	r, n := at(s, i)
	// The two word alternatives, each with an optional one-rune prefix.
	prefixOK := n > 0 && !isNewline(r) && !isLetter(r) && !isNumber(r)
	for _, alt := range [2]func(string, int) (int, bool){o200kWordLower, o200kWordUpper} {
		if prefixOK {
			if end, ok := alt(s, i+n); ok {
				return end
			}
		}
		if end, ok := alt(s, i); ok {
			return end
		}
	}
	if isNumber(r) {
		end := i
		for k := 0; k < 3; k++ {
			r, n := at(s, end)
			if n == 0 || !isNumber(r) {
				break
			}
			end += n
		}
		return end
	}
	if end, ok := otherRun(s, i, isO200KSlashTail); ok {
		return end
	}
	if end, ok := spaceTail(s, i, true); ok {
		return end
	}
	return i + n
}

// o200kWordLower matches [upper]*[lower]+ with an optional contraction,
// backtracking [upper]* as a regex engine does.
func o200kWordLower(s string, i int) (int, bool) {
	var starts []int // where each rune of the [upper]* run starts
	j := i
	for j < len(s) {
		r, n := at(s, j)
		if !isUpperish(r) {
			break
		}
		starts = append(starts, j)
		j += n
	}
	// Greedy first: [upper]* takes the whole run, then gives back one rune
	// at a time until [lower]+ can start.
	for k := len(starts); k >= 0; k-- {
		from := j
		if k < len(starts) {
			from = starts[k]
		}
		if r, _ := at(s, from); isLowerish(r) {
			end := run(s, from, isLowerish)
			if e, ok := contraction(s, end, true); ok {
				end = e
			}
			return end, true
		}
	}
	return 0, false
}

// o200kWordUpper matches [upper]+[lower]* with an optional contraction.
func o200kWordUpper(s string, i int) (int, bool) {
	r, _ := at(s, i)
	if !isUpperish(r) {
		return 0, false
	}
	end := run(s, run(s, i, isUpperish), isLowerish)
	if e, ok := contraction(s, end, true); ok {
		end = e
	}
	return end, true
}
