#ifndef INPUT_H
#define INPUT_H

/*
 * input.h: a compiler log given with --input (a file or "-": standard
 * input), read into findings whose paths are placed under the repository.
 *
 * The log is read in this thread; the findings of each package block, once
 * the block has ended (parser_take_ended), are placed and handed to the
 * caller's callback in a second thread (locating and classifying them while
 * the next blocks are read).  The result is the same findings in the same
 * order as reading the whole log, placing it, then calling the callback
 * once.  A large file's memory is asked for in huge pages
 * (compat_heap_hugepages).
 *
 * Owns: reading the log and placing its paths.  Never: runs go, knows a
 * revision, classifies or formats.
 */

#include "finding.h"
#include "parse.h"

/*
 * Called on each batch of findings (placed; the batches keep input order);
 * it may drop some.  Two threads may call it at once, on different batches.
 * `style`: how the log's explanations are written, as far as it was read
 * when the batch was handled, which tells the compilers that wrote it apart
 * (parse_stats.flow_style; the last batch's knows it when any line does).
 */
typedef void input_batch_fn(void *data, struct finding_list *l, enum parse_flow_style style);

/*
 * Parse compiler output from the file `input` (or stdin for "-").
 * Relative paths are taken relative to the current directory, inside
 * `root`; findings outside `root` are dropped, or with `keep` (--mode all)
 * kept as written when no finding lies under the root (a log read in
 * another directory).  `max_flow` is parse_opts.exact_steps.  `fn` (may
 * be NULL) is called with `data` on every batch, in the second thread (and,
 * once the log is read, in this one too).
 * Appends to `out`.  Dropping every finding read is ER_EINPUT, never a
 * silent empty review; a file that cannot be read is ER_EUSAGE.
 */
int input_read(struct finding_list *out, const char *input, const char *root, int keep,
	       int max_flow, input_batch_fn *fn, void *data);

#endif
