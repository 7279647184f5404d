package ndjson

import (
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// Records are validated and decoded with the implementation of
// encoding/json/v2, from github.com/go-json-experiment/json (the Go team's
// mirror of it; Go 1.27 ships it as encoding/json/v2): it does both about
// twice as fast as encoding/json, which weighs on every tool that holds a
// workspace (BenchmarkParseRecord, BenchmarkDecode). The options keep
// encoding/json's reading: the last of duplicate names wins (merged into
// what the first gave), names match whatever their case but not without
// their _ and -, an array of another length fills what it can, and
// invalid UTF-8 is let through (the Reader has replaced it already).
var readOpts = jsonv2.JoinOptions(
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
	jsonv2.MatchCaseInsensitiveNames(true),
	jsonv1.MatchCaseSensitiveDelimiter(true),
	jsonv1.MergeWithLegacySemantics(true),
	jsonv1.UnmarshalArrayFromAnyLength(true),
)

// unmarshal decodes the JSON value raw into v.
func unmarshal(raw []byte, v any) error { return jsonv2.Unmarshal(raw, v, readOpts) }

// valid reports whether b is one JSON value.
func valid(b []byte) bool { return jsontext.Value(b).IsValid(readOpts) }
