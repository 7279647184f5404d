// Package render turns records into final training text with Go
// text/template: named presets reproduce the original recipes' formats,
// and users bring their own templates. A field a template names but the
// record lacks is an error, never an empty string; optional fields are
// read with get.
package render
