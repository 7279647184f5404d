// Package window cuts texts into windows of a token budget and packs short
// texts together, with exact token counts from lib/token. Cuts fall at the
// most natural boundary the budget allows — after a blank line, then after
// a line, then between tokens — and never inside a token or a UTF-8
// sequence, so the windows of a text, less their overlaps, join back into
// the text byte for byte.
package window
