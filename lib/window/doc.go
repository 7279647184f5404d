// Package window cuts texts into windows of a token budget and packs short
// texts together, with exact token counts from lib/token. Cuts fall at the
// most natural boundary the budget allows — after a blank line, then after
// a line, then between tokens — and never inside a token or a UTF-8
// sequence, so the windows of a text, less their overlaps, join back into
// the text byte for byte.
//
// The Planner decides, in input order, what each text becomes — itself,
// its windows, or part of a pack — with one rule for every text under the
// minimum, and steers sizes with a Mix. The "tokens" and "window" fields of
// records live here (TokensField, WindowField, PackField).
package window
