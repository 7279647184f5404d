package mine

// Field is the "mine" field of a sample record dw-mine writes.
type Field struct {
	Pattern  string   `json:"pattern"`
	Category string   `json:"category"`
	Items    []string `json:"items"` // the ids of the item records it is made of; the first is its source
	Path     string   `json:"path"`  // the file of the first
}
