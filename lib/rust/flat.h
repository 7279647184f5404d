// flat.h: the part of tree-sitter's C API (lib/include/tree_sitter/api.h of
// the go-tree-sitter version pinned in go.mod) that flat.c uses, and the
// flat node array it produces. The tree-sitter runtime and the Rust grammar
// are compiled and linked by github.com/smacker/go-tree-sitter and its rust
// package; this file only declares them.
#include <stdbool.h>
#include <stdint.h>

typedef uint16_t TSSymbol;
typedef uint16_t TSFieldId;
typedef struct TSLanguage TSLanguage;
typedef struct TSParser TSParser;
typedef struct TSTree TSTree;
typedef struct { uint32_t row; uint32_t column; } TSPoint;
typedef struct { uint32_t context[4]; const void *id; const TSTree *tree; } TSNode;
typedef struct { const void *tree; const void *id; uint32_t context[3]; } TSTreeCursor;

TSParser *ts_parser_new(void);
void ts_parser_delete(TSParser *self);
bool ts_parser_set_language(TSParser *self, const TSLanguage *language);
void ts_parser_set_timeout_micros(TSParser *self, uint64_t timeout_micros);
void ts_parser_reset(TSParser *self);
TSTree *ts_parser_parse_string(TSParser *self, const TSTree *old_tree, const char *string, uint32_t length);
void ts_tree_delete(TSTree *self);
TSNode ts_tree_root_node(const TSTree *self);
TSTreeCursor ts_tree_cursor_new(TSNode node);
void ts_tree_cursor_delete(TSTreeCursor *self);
bool ts_tree_cursor_goto_first_child(TSTreeCursor *self);
bool ts_tree_cursor_goto_next_sibling(TSTreeCursor *self);
bool ts_tree_cursor_goto_parent(TSTreeCursor *self);
TSNode ts_tree_cursor_current_node(const TSTreeCursor *self);
TSFieldId ts_tree_cursor_current_field_id(const TSTreeCursor *self);
TSSymbol ts_node_symbol(TSNode self);
uint32_t ts_node_start_byte(TSNode self);
uint32_t ts_node_end_byte(TSNode self);
TSPoint ts_node_start_point(TSNode self);
TSPoint ts_node_end_point(TSNode self);
bool ts_node_has_error(TSNode self);
bool ts_node_is_named(TSNode self);
uint32_t ts_language_symbol_count(const TSLanguage *self);
const char *ts_language_symbol_name(const TSLanguage *self, TSSymbol symbol);
uint32_t ts_language_field_count(const TSLanguage *self);
const char *ts_language_field_name_for_id(const TSLanguage *self, TSFieldId id);
const TSLanguage *tree_sitter_rust(void);

enum { DW_NAMED = 1, DW_HAS_ERROR = 2 };

// dw_node is one syntax node in pre-order; parent is an index into the
// same array (-1 for the root).
typedef struct {
	uint32_t start_byte, end_byte;
	uint32_t start_row, end_row, end_col;
	int32_t parent;
	TSSymbol symbol;
	TSFieldId field;
	uint8_t flags;
} dw_node;

typedef struct {
	dw_node *nodes; // malloc'ed; free with dw_free
	uint32_t len;
	bool has_error;
} dw_flat;

// dw_descend[symbol] says whether dw_parse walks into a node's children.
// Under a node whose symbol is set in dw_prefix_only, only the leading
// children set in dw_prefix_keep are kept: the walk stops at the first other
// child (for a function body: its "{", comments and inner attributes).
extern uint8_t dw_descend[65536];
extern uint8_t dw_prefix_only[65536];
extern uint8_t dw_prefix_keep[65536];

// dw_parse parses src and flattens the nodes reachable through dw_descend,
// or every node when full is set. It returns 0, -1 when the parser's time
// limit ran out, -2 when out of memory.
int dw_parse(TSParser *parser, const char *src, uint32_t len, uint64_t timeout_micros, bool full, dw_flat *out);
void dw_free(dw_flat *out);
