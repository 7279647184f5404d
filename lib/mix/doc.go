// Package mix holds what combining and cleaning record streams needs, as
// plain Go values: the weights of sources and the schedule that interleaves
// them, splits assigned by a hash of a group key, text normalisation and
// code-aware word tokens, MinHash signatures with LSH banding for near
// duplicates, the greedy resolution of duplicates, n-gram decontamination
// against evaluation texts, and an external sort that spills sorted runs of
// byte records to disk under a memory bound and merges them back.
//
// Every hash here is deterministic across processes and machines (FNV-1a,
// SHA-256 and fixed seeds), so the same input and seed give the same result.
package mix
