// Package ndjson is dwkit's record stream: newline-delimited JSON read and
// written line by line, with per-line errors, transparent .gz/.zst files and
// an order-preserving parallel map. It knows nothing about any record's
// meaning.
//
// The record contract it serves:
//   - one JSON object per line, UTF-8, written without HTML escaping;
//   - a line may be as long as a whole source file; the longest accepted line
//     is explicit (Reader.Max, DefaultMaxLine = 64 MiB) and a longer one is a
//     LineError, not a crash or a silent truncation;
//   - fields a tool does not own pass through byte for byte (Record keeps every
//     field's raw JSON and its order);
//   - the shared fields are read here, with errors, and only here: id (any
//     JSON scalar), kind, text (required), source (Source), code (Code), and
//     every tool derives its ids with NewID;
//   - input is made safe once for every tool: a BOM skipped, invalid UTF-8
//     and lone surrogate escapes replaced by U+FFFD, a corrupt or truncated
//     compressed stream an error (ReadError) that ends the input;
//   - output files are written under a temporary name and renamed when whole.
package ndjson
