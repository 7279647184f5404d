package mix

import (
	"crypto/sha256"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize returns text with every run of white space made one space and
// none at either end; with comments, Rust comments (// to the end of the
// line, /* */ nested) outside string and character literals are removed
// first, each as if it were white space.
func Normalize(text string, comments bool) string {
	if comments {
		text = StripComments(text)
	}
	b := make([]byte, 0, len(text))
	space := false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			if asciiSpace[c] {
				space = len(b) > 0
				continue
			}
			if space {
				b = append(b, ' ')
				space = false
			}
			b = append(b, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			space = len(b) > 0
			i += size
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, text[i:i+size]...) // as it was, even an invalid byte
		i += size
	}
	return string(b)
}

// asciiSpace is unicode.IsSpace for ASCII.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// ExactKey is the key of exact duplicates: the first 16 bytes of the
// SHA-256 of a normalised text.
func ExactKey(normalized string) [16]byte {
	h := sha256.Sum256([]byte(normalized))
	return [16]byte(h[:16])
}

// StripComments replaces Rust comments by a space (a line comment keeps its
// line break). String literals ("…" with escapes, raw r"…", r#"…"#) and
// character literals are kept whole, so "//" inside a string stays; a
// lifetime ('a) is not taken for a character literal. An unclosed block
// comment runs to the end.
func StripComments(text string) string {
	var b strings.Builder
	b.Grow(len(text))
	n := len(text)
	for i := 0; i < n; {
		c := text[i]
		switch {
		case c == '/' && i+1 < n && text[i+1] == '/':
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				j = n - i
			}
			b.WriteByte(' ')
			i += j
		case c == '/' && i+1 < n && text[i+1] == '*':
			depth, j := 1, i+2
			for j < n && depth > 0 {
				switch {
				case text[j] == '/' && j+1 < n && text[j+1] == '*':
					depth++
					j += 2
				case text[j] == '*' && j+1 < n && text[j+1] == '/':
					depth--
					j += 2
				default:
					j++
				}
			}
			b.WriteByte(' ')
			i = j
		case c == 'r' && (i == 0 || !isIdentByte(text[i-1])) && rawStart(text[i+1:]) >= 0:
			hashes := rawStart(text[i+1:])
			end := strings.Index(text[i+2+hashes:], "\""+strings.Repeat("#", hashes))
			stop := n
			if end >= 0 {
				stop = i + 2 + hashes + end + 1 + hashes
			}
			b.WriteString(text[i:stop])
			i = stop
		case c == '"':
			j := i + 1
			for j < n && text[j] != '"' {
				if text[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, n)
			b.WriteString(text[i:j])
			i = j
		case c == '\'':
			j := charLiteral(text[i:])
			b.WriteString(text[i : i+j])
			i += j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}

// rawStart tells whether s (after an r) opens a raw string: the number of
// #s before its quote, or -1.
func rawStart(s string) int {
	h := 0
	for h < len(s) && s[h] == '#' {
		h++
	}
	if h < len(s) && s[h] == '"' {
		return h
	}
	return -1
}

// charLiteral returns the length of the character literal s starts with,
// or 1 when the quote opens a lifetime or stands alone.
func charLiteral(s string) int {
	if len(s) >= 2 && s[1] == '\\' {
		if j := strings.IndexByte(s[2:min(len(s), 14)], '\''); j >= 0 { // '\n', '\u{10FFFF}'
			return j + 3
		}
		return 1
	}
	_, size := utf8.DecodeRuneInString(s[1:])
	if len(s) > 1+size && s[1+size] == '\'' {
		return 2 + size
	}
	return 1
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// Words calls fn with the byte range of each word token of text, in order:
// an identifier (letters, digits, _ after a letter or _), a number (a digit
// then letters, digits, _ and . followed by a digit: 0x1F, 1.5e3, 10u32) or
// any other single character; white space separates tokens and is none.
// The tokens are code-aware and need no vocabulary, so they are the same
// for every tokenizer a dataset is meant for.
func Words(text string, fn func(start, end int)) {
	n := len(text)
	for i := 0; i < n; {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		switch {
		case r == ' ' || r == '\n' || r == '\t' || r == '\r' || r >= utf8.RuneSelf && unicode.IsSpace(r):
			i += size
			continue
		case r == '_' || r < utf8.RuneSelf && (r|0x20 >= 'a' && r|0x20 <= 'z') || r >= utf8.RuneSelf && unicode.IsLetter(r):
			j := i + size
			for j < n {
				c, s := rune(text[j]), 1
				if c >= utf8.RuneSelf {
					c, s = utf8.DecodeRuneInString(text[j:])
				}
				if !(c == '_' || c < utf8.RuneSelf && (c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9') || c >= utf8.RuneSelf && (unicode.IsLetter(c) || unicode.IsDigit(c))) {
					break
				}
				j += s
			}
			fn(i, j)
			i = j
		case r >= '0' && r <= '9':
			j := i + 1
			for j < n {
				c := text[j]
				if c == '_' || c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9' || c == '.' && j+1 < n && text[j+1] >= '0' && text[j+1] <= '9' {
					j++
					continue
				}
				break
			}
			fn(i, j)
			i = j
		default:
			fn(i, i+size)
			i += size
		}
	}
}

// fnv-1a, 64 bits.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// WordHashes returns the FNV-1a hash of each word token of text (Words).
func WordHashes(text string, dst []uint64) []uint64 {
	dst = dst[:0]
	Words(text, func(s, e int) { dst = append(dst, fnv1a(text[s:e])) })
	return dst
}

// fnv1a is the 64-bit FNV-1a hash of s.
func fnv1a(s string) uint64 {
	h := uint64(fnvOffset)
	for k := 0; k < len(s); k++ {
		h ^= uint64(s[k])
		h *= fnvPrime
	}
	return h
}

// mix64 is splitmix64's finaliser: a bijection that spreads every bit.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// gramHash is the hash of the n word hashes w (order matters).
func gramHash(w []uint64) uint64 {
	h := uint64(fnvOffset) ^ uint64(len(w))
	for _, x := range w {
		h = mix64(h ^ x)
	}
	return h
}
