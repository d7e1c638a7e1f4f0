/*
 * mcp.h - the types every part of mcp shares: the options struct that is
 * the whole contract between the command line and the engine, the chunk
 * plan and byte ranges.  Faults have a module of their own (fault.h).
 */
#ifndef MCP_H
#define MCP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum mcp_exit {
	MCP_EXIT_OK = 0,
	MCP_EXIT_FAILURE = 1,
	MCP_EXIT_USAGE = 2,
};

#define MCP_JOBS_MAX 1024
/* The default unit of work: big enough that per-chunk costs vanish, small
 * enough that a few workers share even a modest file. */
#define MCP_CHUNK_DEFAULT (64ULL << 20)
/* The most a worker maps of each file at a time, whatever the chunk size:
 * this, times two, times the jobs, bounds the memory a copy pins. */
#define MCP_WINDOW_MAX (64ULL << 20)

/* --sparse=WHEN: which runs of zeros DEST gets as holes. */
enum mcp_sparse {
	MCP_SPARSE_AUTO = 0, /* SOURCE's holes, found with SEEK_DATA */
	MCP_SPARSE_ALWAYS,   /* those, and every page of zeros in the data */
	MCP_SPARSE_NEVER,    /* none: every byte is written */
};

/* --cache=MODE: what becomes of the pages mcp reads and writes. */
enum mcp_cache {
	MCP_CACHE_AUTO = 0, /* leave the page cache as it was found */
	MCP_CACHE_KEEP,     /* leave every page cached, as cp does */
	MCP_CACHE_DROP,     /* drop every page of both files once copied */
};

/* --sync-method=HOW: how each window of DEST is written back. */
enum mcp_sync_method {
	MCP_SYNC_RANGE = 0, /* sync_file_range, pipelined a window behind */
	MCP_SYNC_MSYNC,     /* msync(MS_SYNC) of each window before unmap */
};

/* --reflink=WHEN: whether DEST may be a clone sharing SOURCE's extents. */
enum mcp_reflink {
	MCP_REFLINK_AUTO = 0, /* clone where the file system can, else copy */
	MCP_REFLINK_ALWAYS,   /* clone, or fail */
	MCP_REFLINK_NEVER,    /* copy every byte into DEST's own blocks */
};

enum mcp_verbosity {
	MCP_QUIET = -1,
	MCP_NORMAL = 0,
	MCP_VERBOSE = 1,
};

/* Everything the command line decided.  The engine never sees argv. */
/* What the last operand is: a directory if it is one (cp's rule), or as
 * -t (--target-directory, given apart) or -T (--no-target-directory)
 * say. */
enum mcp_target {
	MCP_TARGET_AUTO,
	MCP_TARGET_DIR,  /* -t: a directory, or an error */
	MCP_TARGET_FILE, /* -T: DEST itself, even if a directory */
};

/* --preserve's attributes, as bits; -p and a bare --preserve are all. */
enum {
	MCP_PRESERVE_MODE = 1,       /* permission bits, set-ID too */
	MCP_PRESERVE_OWNERSHIP = 2,  /* owner and group, where permitted */
	MCP_PRESERVE_TIMESTAMPS = 4, /* access and modification times */
	MCP_PRESERVE_ALL = 7,
};

struct mcp_opts {
	unsigned jobs;       /* worker processes, 1..MCP_JOBS_MAX */
	uint64_t chunk_size; /* bytes, 0 = choose; rounded to the page size */
	bool sync;           /* msync each window, fsync DEST (default) */
	bool no_clobber;     /* never overwrite an existing DEST */
	bool force;          /* -f: replace a DEST that cannot be opened */
	int verbosity;       /* enum mcp_verbosity */
	const char **operands;
	int n_operands;
	int target;          /* enum mcp_target: what the last operand is */
	unsigned preserve;   /* MCP_PRESERVE_* bits: what DEST takes from
				SOURCE (-p: all) */
	bool atomic;         /* write a temporary file, rename it over DEST */
	bool resume;         /* --resume: a partial file and its journal,
				continued from where a run stopped */
	int sparse;          /* enum mcp_sparse: which zeros become holes */
	bool verify;         /* compare DEST with SOURCE after the copy */
	int cache;           /* enum mcp_cache */
	int sync_method;     /* enum mcp_sync_method */
	int reflink;         /* enum mcp_reflink */
	/* What to tell about the copies (report.c, progress.c). */
	bool progress;       /* -P: live progress on stderr */
	bool stats;          /* --stats: dd's summary line on stderr */
	bool json;           /* --json: one JSON object on stdout */
	long progress_ms;    /* hidden test hook: ms between progress lines,
				-1 for the default */
	long journal_ms;     /* hidden test hook: ms between --resume's
				journal updates, -1 for the default */
};

/* The byte range of one unit of work. */
struct mcp_chunk {
	uint64_t index;
	uint64_t offset;
	uint64_t length;
};

/*
 * How a file of `size` bytes is cut into chunks.  Pure data: chunk i is
 * derived from its index alone (plan_chunk), so whoever runs the chunks,
 * a chunk is named by its index.
 */
struct mcp_plan {
	uint64_t size;
	uint64_t chunk_size; /* a multiple of page_size, > 0 */
	uint64_t n_chunks;
	uint64_t window;     /* bytes mapped at a time: page multiple, <= chunk */
	unsigned workers;    /* processes worth starting: min(jobs, n_chunks) */
	long page_size;
};

/* What a comparison of DEST with SOURCE found (verify.c, reread.c). */
enum mcp_compare {
	MCP_CMP_FAILED = -1, /* a fault (recorded) or a terminating signal
				stopped it */
	MCP_CMP_SAME = 0,
	MCP_CMP_DIFFER = 1,  /* with the first differing offset, if known */
};

/* A byte range of the file. */
struct mcp_range {
	uint64_t offset;
	uint64_t length;
};

#endif /* MCP_H */
