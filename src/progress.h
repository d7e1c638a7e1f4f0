/*
 * progress.h - numbers as people read them: dd's summary line, the live
 * progress line (bytes, percent, smoothed rate, ETA) and the drawing of
 * it on a terminal (fitted to its width) or a log.  The formatting functions are pure.
 */
#ifndef MCP_PROGRESS_H
#define MCP_PROGRESS_H

#include <stdio.h>

#include "mcp.h"

/* Room for any one formatted number with its unit ("1023 KiB/s"). */
#define PROGRESS_NUM_LEN 32
/* Room for any summary or progress line, without a prefix. */
#define PROGRESS_LINE_LEN 160
/* Room for a name line, cut to the terminal's width. */
#define PROGRESS_NAME_LEN 4096
/* A total that is not known (a stream): no percent, no ETA. */
#define PROGRESS_UNKNOWN UINT64_MAX
/* Seconds over which the rate is measured, and the points kept in them:
 * a point at most every PROGRESS_WINDOW / 16 seconds. */
#define PROGRESS_WINDOW 5.0
#define PROGRESS_POINTS 32
/* Between redraws: on a terminal, and in a log (a file, a pipe). */
#define PROGRESS_TTY_INTERVAL_NS 100000000ULL
#define PROGRESS_LOG_INTERVAL_NS 1000000000ULL

/* What one progress line shows. */
struct mcp_progress_view {
	uint64_t done;  /* bytes copied */
	uint64_t total; /* bytes to copy, or PROGRESS_UNKNOWN */
	double rate;    /* bytes per second; negative: not known yet */
	double elapsed; /* seconds since the start, for the final line */
	bool final;     /* the copy ended: elapsed time instead of ETA */
	unsigned width; /* columns the line must fit in, 0 for any */
};

void progress_human(char *buf, size_t size, uint64_t n, unsigned base);
void progress_dd_rate(char *buf, size_t size, uint64_t bytes, uint64_t ns);
void progress_dd_seconds(char *buf, size_t size, uint64_t ns);
void progress_dd_stats(char *buf, size_t size, uint64_t bytes, uint64_t ns);
void progress_clock(char *buf, size_t size, double seconds);

/*
 * The rate over the last few seconds: the slope between the points
 * (time, bytes) at which the count moved, the oldest one PROGRESS_WINDOW
 * seconds back.  The count moves in steps of a window (up to 64 MiB), so
 * a rate taken over a fixed interval would saw-tooth between 0 and
 * several times the truth; between two moves of the count the rate
 * stays, unless the count has stood still longer than the points span,
 * when it falls as a stalled copy's should.
 */
struct mcp_rate {
	double t[PROGRESS_POINTS];   /* seconds */
	uint64_t d[PROGRESS_POINTS]; /* bytes done then */
	unsigned first, n;           /* a ring */
};

void progress_rate_start(struct mcp_rate *r, double t);
void progress_rate_note(struct mcp_rate *r, double t, uint64_t done);
double progress_rate(const struct mcp_rate *r, double now);
void progress_fit(char *buf, size_t size, const char *text, unsigned width);
void progress_format(char *buf, size_t size,
		     const struct mcp_progress_view *v);
uint64_t progress_now(void);
uint64_t progress_per_second(uint64_t bytes, uint64_t ns);

/* The live drawing of one copy's progress on `out`. */
struct mcp_progress {
	FILE *out;
	const char *name;     /* a line of its own above, or NULL */
	uint64_t total;       /* or PROGRESS_UNKNOWN */
	uint64_t start_ns;    /* progress_now() at the start */
	uint64_t drawn_ns;    /* when the last line was drawn */
	uint64_t interval_ns; /* the least time between two lines */
	struct mcp_rate rate; /* bytes per second, smoothed */
	bool tty;             /* redraw in place with \r */
	size_t shown;         /* width of the line now on the terminal */
	bool named;           /* the name line is out */
};

void progress_begin(struct mcp_progress *p, FILE *out, const char *name,
		    uint64_t total, uint64_t now_ns);
void progress_set_interval(struct mcp_progress *p, uint64_t interval_ns);
void progress_update(struct mcp_progress *p, uint64_t done, uint64_t now_ns);
void progress_end(struct mcp_progress *p, uint64_t done, uint64_t now_ns,
		  bool ok);

#endif
