package rust

// The "rust" fields dw-rustparse writes, one type per record kind; every
// tool that reads them decodes through these types. (Crate and workspace
// records carry cargo.CrateField.)

// ItemField is the "rust" field of an item record (fn, struct, impl, ...).
type ItemField struct {
	Crate  string `json:"crate,omitempty"`
	Target string `json:"target,omitempty"` // lib, bin, test, ...: the crate target the file belongs to
	*Item
	Calls []CallSite        `json:"calls,omitempty"` // with dw-rustparse --calls
	Vars  map[string]string `json:"vars,omitempty"`  // with dw-rustparse --calls
	Lets  []Let             `json:"lets,omitempty"`  // with dw-rustparse --calls
	Uses  []Use             `json:"uses,omitempty"`  // with dw-rustparse --calls: the use declarations in a function's body
}

// FileField is the "rust" field of a file record.
type FileField struct {
	Crate     string   `json:"crate,omitempty"`
	Target    string   `json:"target,omitempty"`
	Module    string   `json:"module"`
	Docs      string   `json:"docs,omitempty"`
	Attrs     []Attr   `json:"attrs,omitempty"`
	Mods      []string `json:"mods,omitempty"` // out-of-line modules it declares, inline modules included (a::b)
	Items     int      `json:"items"`
	HasErrors bool     `json:"has_errors,omitempty"`
	Uses      *[]Use   `json:"uses,omitempty"` // with dw-rustparse --calls, even when empty
}
