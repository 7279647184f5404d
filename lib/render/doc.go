// Package render turns records into final training text with Go
// text/template: named presets reproduce the original recipes' formats,
// and users bring their own templates. A field a template names but the
// record lacks is an error, never an empty string; optional fields are
// read with get. It also knows where the code is in what it renders (the
// "code" ranges), and how to take a doc's fenced code out of its markdown
// (SplitCode) for the original CPT form of doc-code.
package render
