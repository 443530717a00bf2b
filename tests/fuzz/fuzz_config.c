/*
 * fuzz_config.c: the configuration file parser (config.h).
 */
#include "fuzz.h"
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;

	config_init(&c);
	(void)config_parse(&c, (const char *)data, size, ".escape-review.json");
	config_release(&c);
	return 0;
}
