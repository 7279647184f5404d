package ndjson

import (
	"bytes"
	"unicode/utf8"
)

// ValidUTF8 makes a line safe to pass on: every invalid UTF-8 sequence
// becomes U+FFFD, and so does every \u escape of a lone UTF-16 surrogate
// (`"\ud800"` is valid JSON, but no UTF-8 text holds it: encoding/json would
// silently decode it as U+FFFD and other readers fail on it). It returns the
// line (the same slice when nothing was wrong) and the number of
// replacements. This is the one rule of every dwkit tool: invalid text is
// replaced and counted as a warning, never written out.
func ValidUTF8(line []byte) ([]byte, int) {
	line, n := ValidText(line)
	if !hasSurrogateEscape(line) {
		return line, n
	}
	out := make([]byte, 0, len(line))
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c != '\\' || i+1 >= len(line) {
			out = append(out, c)
			continue
		}
		if line[i+1] != 'u' {
			out = append(out, c, line[i+1])
			i++
			continue
		}
		u, ok := hex4(line, i+2)
		switch {
		case !ok || u < 0xD800 || u > 0xDFFF:
			out = append(out, c)
		case u <= 0xDBFF: // high: must be followed by a low surrogate
			if lo, ok := hex4(line, i+8); ok && i+7 < len(line) && line[i+6] == '\\' && line[i+7] == 'u' && lo >= 0xDC00 && lo <= 0xDFFF {
				out = append(out, line[i:i+12]...)
				i += 11
				continue
			}
			fallthrough
		default: // a lone high or low surrogate
			out = append(out, `\ufffd`...)
			n++
			i += 5
		}
	}
	return out, n
}

// ValidText replaces each run of invalid UTF-8 bytes in plain text (not
// JSON: escapes are left alone) by U+FFFD, and returns how many it replaced.
func ValidText(b []byte) ([]byte, int) {
	if utf8.Valid(b) {
		return b, 0
	}
	return bytes.ToValidUTF8(b, []byte("\uFFFD")), countInvalid(b)
}

// countInvalid counts the runs of invalid bytes in b, as ToValidUTF8 replaces them.
func countInvalid(b []byte) int {
	n, inRun := 0, false
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		bad := r == utf8.RuneError && size == 1
		if bad && !inRun {
			n++
		}
		inRun = bad
		b = b[size:]
	}
	return n
}

// hasSurrogateEscape tells whether b may hold a \u escape in D800–DFFF.
func hasSurrogateEscape(b []byte) bool {
	for {
		i := bytes.Index(b, []byte(`\u`))
		if i < 0 || i+2 >= len(b) {
			return false
		}
		if c := b[i+2]; c == 'd' || c == 'D' {
			return true
		}
		b = b[i+2:]
	}
}

// hex4 reads four hex digits at b[i:].
func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var u rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			u = u<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			u = u<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			u = u<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return u, true
}
