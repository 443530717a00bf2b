/*
 * fuzz_gitindex.c: the index file read in place (gitindex.h), from
 * memory: every entry's path must be a string inside what was read, the
 * entries sorted, and the cache tree's nodes each within the list.
 */
#include "fuzz.h"
#include "gitindex.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gitindex ix;
	char *buf = malloc(size ? size : 1);
	size_t i;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	memset(&ix, 0, sizeof(ix));
	if (gitindex_parse(&ix, buf, size))
		return 0; /* refused: `buf` freed */
	for (i = 0; i < ix.nr; i++) {
		if (!ix.entries[i].path || !*ix.entries[i].path || ix.entries[i].stage > 3)
			abort();
		if (i && strcmp(ix.entries[i - 1].path, ix.entries[i].path) > 0)
			abort();
	}
	for (i = 0; i < ix.trees_nr; i++) {
		const struct gitindex_tree *t = &ix.trees[i];

		if (t->next <= i || t->next > ix.trees_nr ||
		    (t->children_nr && t->first_child != i + 1))
			abort();
		if (t->children_nr && !gitindex_tree_child(&ix, t, ix.trees[i + 1].name,
							   ix.trees[i + 1].name_len))
			abort();
	}
	gitindex_release(&ix);
	return 0;
}
