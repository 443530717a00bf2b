#ifndef PROFILE_H
#define PROFILE_H

/*
 * profile.h: which escapes cost something.  pprof files (a heap profile of
 * `go test -memprofile` or /debug/pprof/allocs, a CPU profile) are read
 * with the toolchain's own reader, `go tool pprof -raw` (spawned through
 * run.h, never a shell), and the findings of a review are weighted by them:
 *
 *  - heap: the bytes and objects allocated at each source line, counted at
 *    the innermost frame of each sample (inlined frames included, as
 *    `go tool pprof -top -lines` counts "flat"), from the sample types
 *    alloc_space and alloc_objects (inuse_* when the profile has no alloc
 *    types).  A finding gets the values of its line.
 *  - CPU: each function's flat and cumulative share of the profile's CPU
 *    time; a finding gets its enclosing function's.
 *
 * Matching is by repository-relative path suffix and line (a profile is
 * recorded on another machine, under another root): profile file
 * /build/x/campus/scores.go matches finding campus/scores.go.  Several
 * profiles add up.  A finding's weight is the larger of its heap share
 * (its bytes over the profiles' total bytes) and its function's
 * cumulative CPU share; at or above the hot share (default 1%) it is hot
 * and raised one severity (info to warning, warning to error).  The
 * findings are then ordered by weight (the heaviest first; equal weights
 * keep their order).
 *
 * Owns: reading pprof files and weighting findings by them.  Never:
 * formats output, opens repositories, or touches the network.
 */

#include "finding.h"

struct build_opts;

/* The default hot share: 1% of a profile. */
#define PROFILE_HOT_SHARE 0.01
/* --profile may be given this many times. */
#define PROFILE_MAX_FILES 64
/* Largest `go tool pprof -raw` output read (the rest is an error). */
#define PROFILE_MAX_RAW (256u << 20)

struct profile_line {
	char *file;                  /* as recorded */
	int line;
	unsigned long long bytes, objects;
	unsigned matched : 1;
	size_t next;                 /* next entry with the same base name and line, + 1 */
};

struct profile_func {
	char *name;                  /* without its package: "NewStudent", "(*T).M" */
	char *file;                  /* the file of its frames, as recorded */
	double flat, cum;            /* CPU nanoseconds (or samples) */
	unsigned matched : 1;
	size_t seen;                 /* the last sample that counted it, + 1 */
	size_t next;                 /* next entry with the same name, + 1 */
};

struct profile {
	struct profile_line *lines;
	size_t lines_nr, lines_alloc;
	struct profile_func *funcs;
	size_t funcs_nr, funcs_alloc;
	unsigned long long total_bytes;
	double total_cpu;
	unsigned files_nr;
	void *index;                 /* private lookup tables */
};

#define PROFILE_INIT { NULL, 0, 0, NULL, 0, 0, 0, 0, 0, NULL }

/*
 * Read one pprof file (heap or CPU) into `p`, adding to what is there:
 * runs `go tool pprof -symbolize=none -raw PATH` (the go of `bo`).  A file
 * that cannot be read, or that pprof rejects, is ER_EINPUT naming the file
 * and pprof's first line of complaint; a profile with neither space nor
 * CPU samples is ER_EINPUT too.
 */
int profile_read(struct profile *p, const char *path, const struct build_opts *bo);

/* What weighting found, for the report's profile note (struct review keeps it). */
struct profile_stats {
	unsigned profiles_nr;                 /* profiles that weighted the findings; 0: none */
	double hot_share;                     /* the hot share used */
	unsigned long long profile_unmatched; /* profile lines (heap) that matched no finding */
	unsigned findings_unmatched;          /* findings nothing of the profiles matched */
	unsigned hidden_hot;                  /* hot findings of `hidden` (the baseline's) */
};

/*
 * Weight `findings` and `fixed` with `p` and mark the hot ones, raising
 * their severity; order both lists by weight; `out` receives the counts.
 * `hidden` (NULL: none), the findings the review does not list (the
 * baseline's), are weighted too: what they match is matched, and their
 * hot ones are counted apart.
 */
void profile_apply(struct profile_stats *out, struct finding_list *findings,
		   struct finding_list *fixed, const struct finding_list *hidden,
		   struct profile *p, double hot_share);

void profile_release(struct profile *p);

/* profile_read() each of the `nr` files of `paths`; stops at the first error. */
int profile_read_all(struct profile *p, const char *const *paths, size_t nr,
		     const struct build_opts *bo);

/* Parse a share "1%", "0.5%" or "0.01" into (0, 1]; -1 when invalid. */
double profile_parse_share(const char *s);

#endif
