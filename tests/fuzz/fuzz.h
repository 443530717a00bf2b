/*
 * fuzz.h: the one entry point of every tests/fuzz/fuzz_*.c target
 * (libFuzzer's), so the same sources build with clang -fsanitize=fuzzer
 * for `make fuzz` and with replay.c's main() for `make fuzz-regress`.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
