package mine

// Field is the "mine" field of a sample record dw-mine writes.
type Field struct {
	Pattern  string   `json:"pattern"`
	Category string   `json:"category"`
	Items    []string `json:"items"` // the ids of the item records it is made of; the first is its source
	Path     string   `json:"path"`  // the file of the first

	Relation  string     `json:"relation,omitempty"`  // contrastive: what the anchor is to the positive, e.g. doc→code
	Negatives []Negative `json:"negatives,omitempty"` // contrastive: how each negative was chosen, in the order of the sample's negatives
	Steps     []Step     `json:"steps,omitempty"`     // reasoning: the fact each step states
	Cited     *Cited     `json:"cited,omitempty"`     // contrastive wiki→code: the cited lines that are the positive
}

// Cited is a range of lines a wiki chunk cites and the code cut there
// (dw-link's snippet): lines Start to End of Path, 0-0 for the whole file.
type Cited struct {
	Path  string `json:"path"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Code  string `json:"-"`
}

// Negative is a hard negative of a contrastive sample and how it was
// chosen.
type Negative struct {
	ID   string `json:"id"`   // its item record's id
	Path string `json:"path"` // its qualified path
	How  string `json:"how"`  // same-trait-method, sibling, same-name, uncited-in-file, uncited-in-module
	Why  string `json:"why"`  // the same in words, naming what it shares with the positive
	Text string `json:"-"`    // its code, as the sample carries it
}

// Step is one step of a reasoning sample: a fact read from the records,
// with the fields that let anyone check it against them.
type Step struct {
	N    string `json:"n"`    // its number in the answer: 1, 1.2, ...
	Fact string `json:"fact"` // call, unresolved (a call trace); impl, trait (a trait's implementors)
	From string `json:"from"` // the id of the record it is read from: the caller; the impl; the trait
	Line int    `json:"line,omitempty"`

	// The item it names: the callee, the impl or the trait; empty for an
	// unresolved call, whose Path is the call as written.
	Item      string `json:"item,omitempty"`
	Path      string `json:"path"`
	File      string `json:"file,omitempty"`
	StartLine int    `json:"start_line,omitempty"`
	EndLine   int    `json:"end_line,omitempty"`
	Doc       string `json:"doc,omitempty"` // the first line of its docs
	How       string `json:"how,omitempty"` // how the call was resolved (graph.calls[].how)
	Reason    string `json:"reason,omitempty"`
	Note      string `json:"note,omitempty"` // no-record, followed-above, depth-limit

	Defines   []string `json:"defines,omitempty"`   // impl: the methods it defines
	Overrides []string `json:"overrides,omitempty"` // impl: the trait's provided methods it defines again
	Inherits  []string `json:"inherits,omitempty"`  // impl: the provided methods it leaves to the trait
	Assoc     []string `json:"assoc,omitempty"`     // impl: its associated types and consts, as written
}
