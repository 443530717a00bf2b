/*
 * fuzz_ack.c: acknowledgement markers in source lines (ack.h).
 */
#include "fuzz.h"
#include "ack.h"
#include "util.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ack a = ACK_INIT;
	char *line;

	if (!size)
		return 0;
	line = xstrndup((const char *)data + 1, size - 1);
	if (ack_parse_line(&a, line, data[0] & 1) == ACK_OK)
		(void)ack_covers(&a, "ER001");
	ack_release(&a);
	free(line);
	return 0;
}
