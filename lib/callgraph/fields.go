package callgraph

// The "graph" fields dw-callgraph writes; every tool that reads them
// decodes through these types.

// FnGraph is the "graph" field of a function record.
type FnGraph struct {
	Calls      []CallOut    `json:"calls"`
	CalledBy   []CallerOut  `json:"called_by"`
	Unresolved []Unresolved `json:"unresolved"`
	// Constructors are the enum variants and tuple structs the function
	// builds (Some(x), Error::Io(e)): written like calls, counted apart.
	Constructors []Unresolved `json:"constructors,omitempty"`
	// References are the functions it passes as values (.map(Foo::new)),
	// ReferencedBy the functions that pass it: edges, not calls.
	References   []CallOut      `json:"references,omitempty"`
	ReferencedBy []CallerOut    `json:"referenced_by,omitempty"`
	Macros       []string       `json:"macros"`
	Counts       map[string]int `json:"counts"`          // calls, called_by (callers), unresolved, macros
	Tree         string         `json:"tree"`            // the callees as an indented tree
	Flow         string         `json:"flow"`            // one plain-English sentence
	Crate        *FnCrate       `json:"crate,omitempty"` // nil when nothing is known of the crate
}

// FnCrate is the crate a function belongs to, as its "graph" field tells
// it: what the crate is for (cargo.Purpose) and the workspace crates it
// depends on.
type FnCrate struct {
	Name      string   `json:"name"`
	Purpose   string   `json:"purpose,omitempty"`
	DependsOn []string `json:"depends_on,omitempty"`
}

// CallOut is a resolved call of a function.
type CallOut struct {
	ID   string `json:"id"`   // the callee's record id
	Path string `json:"path"` // its qualified path
	Line int    `json:"line"` // the line of the call
	How  string `json:"how"`  // how it was resolved (see Call.How)
}

// CallerOut is a function that calls the record's: once per caller, at the
// line of its first call, with the number of its calls.
type CallerOut struct {
	ID    string `json:"id"`
	Path  string `json:"path"`
	File  string `json:"file"`
	Line  int    `json:"line"`
	Calls int    `json:"calls"`
}

// CrateGraph is the "graph" field of a crate record.
type CrateGraph struct {
	DependsOn []string            `json:"depends_on"` // workspace crates it depends on
	UsedBy    []string            `json:"used_by"`
	Uses      map[string][]string `json:"uses"`              // dependency → the paths it calls there
	Purpose   string              `json:"purpose,omitempty"` // what the crate is for (cargo.Purpose)
}
