#include <stdlib.h>
#include "flat.h"

uint8_t dw_descend[65536];
uint8_t dw_prefix_only[65536];
uint8_t dw_prefix_keep[65536];

static int push(dw_flat *out, uint32_t *cap, TSNode n, int32_t parent, TSFieldId field) {
	if (out->len == *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 1024;
		dw_node *grown = realloc(out->nodes, (size_t)ncap * sizeof(dw_node));
		if (!grown) return -1;
		out->nodes = grown;
		*cap = ncap;
	}
	TSPoint s = ts_node_start_point(n), e = ts_node_end_point(n);
	dw_node *d = &out->nodes[out->len];
	d->start_byte = ts_node_start_byte(n);
	d->end_byte = ts_node_end_byte(n);
	d->start_row = s.row;
	d->end_row = e.row;
	d->end_col = e.column;
	d->parent = parent;
	d->symbol = ts_node_symbol(n);
	d->field = field;
	d->flags = (ts_node_is_named(n) ? DW_NAMED : 0) | (ts_node_has_error(n) ? DW_HAS_ERROR : 0);
	return (int)out->len++;
}

int dw_parse(TSParser *parser, const char *src, uint32_t len, uint64_t timeout_micros, bool full, dw_flat *out) {
	out->nodes = NULL;
	out->len = 0;
	ts_parser_set_timeout_micros(parser, timeout_micros);
	TSTree *tree = ts_parser_parse_string(parser, NULL, src, len);
	if (!tree) {
		ts_parser_reset(parser);
		return -1;
	}
	TSNode root = ts_tree_root_node(tree);
	out->has_error = ts_node_has_error(root);
	uint32_t cap = 0;
	int rc = 0;
	if (push(out, &cap, root, -1, 0) < 0) { rc = -2; goto done; }
	TSTreeCursor c = ts_tree_cursor_new(root);
	int32_t parent = 0;
	uint32_t depth = 0;
	if ((full || dw_descend[ts_node_symbol(root)]) && ts_tree_cursor_goto_first_child(&c)) {
		depth = 1;
		for (;;) {
			TSNode n = ts_tree_cursor_current_node(&c);
			TSSymbol sym = ts_node_symbol(n);
			// past the kept prefix of a prefix-only parent: skip the rest
			bool skip = !full && dw_prefix_only[out->nodes[parent].symbol] && !dw_prefix_keep[sym];
			if (!skip) {
				int idx = push(out, &cap, n, parent, ts_tree_cursor_current_field_id(&c));
				if (idx < 0) { rc = -2; break; }
				if ((full || dw_descend[sym]) && ts_tree_cursor_goto_first_child(&c)) {
					parent = idx;
					depth++;
					continue;
				}
			}
			while (skip || !ts_tree_cursor_goto_next_sibling(&c)) {
				skip = false;
				if (!ts_tree_cursor_goto_parent(&c) || --depth == 0) goto walked;
				parent = out->nodes[parent].parent;
			}
		}
	}
walked:
	ts_tree_cursor_delete(&c);
done:
	ts_tree_delete(tree);
	return rc;
}

void dw_free(dw_flat *out) {
	free(out->nodes);
	out->nodes = NULL;
	out->len = 0;
}
