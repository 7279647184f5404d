// Package fim makes fill-in-the-middle samples: it chooses the middle
// (random characters as in Bavarian et al., whole lines, or a whole syntax
// node), lays the pieces out in PSM or SPM order between a model family's
// sentinel tokens, and reads samples back, so that every sample provably
// rebuilds its source text.
package fim
