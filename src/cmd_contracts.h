#ifndef CMD_CONTRACTS_H
#define CMD_CONTRACTS_H

/*
 * cmd_contracts.h: the commands of the performance contracts (contract.h).
 *
 *   escape-review check [--format text|json] [--tests] [-v] [PACKAGE...]
 *       builds every package of the repository's modules (or the packages
 *       named: directories, DIR/...), one `go build` per module, checks
 *       every contract and prints the broken ones; exit 1 when one is broken.
 *   escape-review contracts [--format text|json] [--tests] [PACKAGE...]
 *       lists the contracts written (file, line, directive, scope), builds
 *       nothing.
 *
 * Each returns the process's exit code (errors.h); `cfg` is the
 * repository's configuration (build flags, gcflags, max_flow).
 */

struct config;

int cmd_check(int argc, char **argv, const struct config *cfg);
int cmd_contracts(int argc, char **argv, const struct config *cfg);

#endif
