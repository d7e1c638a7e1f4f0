/*
 * progress.c - numbers as people read them.  dd's summary line, with
 * dd's own rules for units and rounding (GNU coreutils' human_readable,
 * as dd calls it), so that scripts written against dd read mcp's too;
 * and the live progress line of -P: bytes, percent, a smoothed rate and
 * the time left, redrawn in place on a terminal or logged once a second.
 */
#include <config.h>

#include <inttypes.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "progress.h"
#include "term.h"

#define NS_PER_S 1000000000ULL
/* The prefixes after k (SI) or Ki (IEC): far past what 64 bits reach. */
#define MAX_EXPONENT 10
/* The clock reads --:--:-- from this many seconds (100000 hours) on. */
#define CLOCK_LIMIT 360000000.0

/*
 * A number on its way down the powers of a base, exactly: `amount` whole
 * units, a tenths digit, and what is left below the tenths, `rest`: 0
 * nothing, 1 less than half a tenth, 2 exactly half, 3 more than half.
 */
struct scaled {
	uint64_t amount;
	unsigned tenths;
	unsigned rest;
	unsigned exponent;
};

/* n / d, for 0 < d <= UINT64_MAX / 10. */
static struct scaled scaled_div(uint64_t n, uint64_t d)
{
	struct scaled s = { n / d, 0, 0, 0 };
	uint64_t r10 = n % d * 10;
	uint64_t r2 = r10 % d * 2;

	s.tenths = (unsigned)(r10 / d);
	s.rest = r2 < d ? r2 > 0 : 2 + (r2 > d);
	return s;
}

/* Divide by base once, keeping the tenths and the rest exact. */
static void scale_once(struct scaled *s, unsigned base)
{
	unsigned r10 = (unsigned)(s->amount % base) * 10 + s->tenths;
	unsigned r2 = r10 % base * 2 + (s->rest >> 1);

	s->amount /= base;
	s->tenths = r10 / base;
	s->rest = r2 < base ? r2 + s->rest != 0 : 2 + (base < r2 + s->rest);
	s->exponent++;
}

/* "B", "kB", "MB"... with base 1000; "B", "KiB", "MiB"... with 1024. */
static void unit(char *buf, size_t size, unsigned exponent, unsigned base)
{
	static const char letters[] = "KMGTPEZYRQ";
	char letter;

	if (exponent == 0) {
		snprintf(buf, size, "B");
		return;
	}
	letter = base == 1000 && exponent == 1 ? 'k' : letters[exponent - 1];
	snprintf(buf, size, base == 1024 ? "%ciB" : "%cB", letter);
}

/*
 * Print s, scaled below base.  Once scaled, a number under 10 gets one
 * decimal, rounded to the nearest tenth (ties to even); any other is
 * rounded to a whole number the same way, and 999.5 kB becomes 1.0 MB.
 * These are dd's rules.
 */
static void scaled_print(char *buf, size_t size, struct scaled s,
			 unsigned base)
{
	char u[8];

	while (s.amount >= base && s.exponent < MAX_EXPONENT)
		scale_once(&s, base);
	if (s.exponent > 0 && s.amount < 10 && 2 < s.rest + (s.tenths & 1)) {
		s.rest = 0;
		if (++s.tenths == 10) {
			s.amount++;
			s.tenths = 0;
		}
	}
	if (s.exponent > 0 && s.amount < 10) {
		unit(u, sizeof u, s.exponent, base);
		snprintf(buf, size, "%u.%u %s", (unsigned)s.amount, s.tenths,
			 u);
		return;
	}
	if (5 < s.tenths + (0 < s.rest + (s.amount & 1)) &&
	    ++s.amount == base && s.exponent < MAX_EXPONENT) {
		unit(u, sizeof u, s.exponent + 1, base);
		snprintf(buf, size, "1.0 %s", u);
		return;
	}
	unit(u, sizeof u, s.exponent, base);
	snprintf(buf, size, "%" PRIu64 " %s", s.amount, u);
}

/* n bytes in units of base 1000 (kB, MB...) or 1024 (KiB, MiB...), as
 * dd prints them: "1.1 GB", "977 KiB", "1000 B". */
void progress_human(char *buf, size_t size, uint64_t n, unsigned base)
{
	scaled_print(buf, size, scaled_div(n, 1), base);
}

/* A rate that is no exact multiple or fraction of the bytes, as dd prints
 * it in floating point: always at least in kB/s ("0.0 kB/s" for none),
 * one decimal below 100, none from there on. */
static void float_rate(char *buf, size_t size, long double v)
{
	char num[PROGRESS_NUM_LEN], u[8];
	long double e = 1;
	unsigned exponent = 0;

	do {
		e *= 1000;
		exponent++;
	} while (e * 1000 <= v && exponent < MAX_EXPONENT);
	v /= e;
	snprintf(num, sizeof num, "%.1Lf", v);
	if (strlen(num) > 4)
		snprintf(num, sizeof num, "%.0Lf", v);
	unit(u, sizeof u, exponent, 1000);
	snprintf(buf, size, "%s %s/s", num, u);
}

/*
 * dd's rate: bytes per second in SI units, "2.1 GB/s".  Like dd it is
 * exact when the time is a whole fraction or multiple of a second, and
 * in floating point otherwise.  No time at all (ns 0, a clock that did
 * not move) reads as no rate, "0.0 kB/s", where dd would say "Infinity".
 */
void progress_dd_rate(char *buf, size_t size, uint64_t bytes, uint64_t ns)
{
	char num[PROGRESS_NUM_LEN];

	if (ns == 0) {
		float_rate(buf, size, 0);
		return;
	}
	if (NS_PER_S % ns == 0 && bytes <= UINT64_MAX / (NS_PER_S / ns))
		scaled_print(num, sizeof num,
			     scaled_div(bytes * (NS_PER_S / ns), 1), 1000);
	else if (ns % NS_PER_S == 0)
		scaled_print(num, sizeof num, scaled_div(bytes, ns / NS_PER_S),
			     1000);
	else {
		float_rate(buf, size, bytes * ((long double)NS_PER_S / ns));
		return;
	}
	snprintf(buf, size, "%s/s", num);
}

/* dd's elapsed time: seconds with %g, "0.5 s", "1.23457e-05 s". */
void progress_dd_seconds(char *buf, size_t size, uint64_t ns)
{
	snprintf(buf, size, "%g s", (double)ns / NS_PER_S);
}

/*
 * dd's summary line, without the newline:
 *	"1073741824 bytes (1.1 GB, 1.0 GiB) copied, 0.5 s, 2.1 GB/s"
 * The units in parentheses appear only when they scale: none below
 * 1000 bytes ("512 bytes copied", "1 byte copied"), only the SI one from
 * 1000 to 1023 ("1000 bytes (1.0 kB) copied").
 */
void progress_dd_stats(char *buf, size_t size, uint64_t bytes, uint64_t ns)
{
	char si[PROGRESS_NUM_LEN], iec[PROGRESS_NUM_LEN];
	char secs[PROGRESS_NUM_LEN], rate[PROGRESS_NUM_LEN];

	progress_human(si, sizeof si, bytes, 1000);
	progress_human(iec, sizeof iec, bytes, 1024);
	progress_dd_seconds(secs, sizeof secs, ns);
	progress_dd_rate(rate, sizeof rate, bytes, ns);
	if (bytes < 1000)
		snprintf(buf, size, "%" PRIu64 " byte%s copied, %s, %s", bytes,
			 bytes == 1 ? "" : "s", secs, rate);
	else if (bytes < 1024)
		snprintf(buf, size, "%" PRIu64 " bytes (%s) copied, %s, %s",
			 bytes, si, secs, rate);
	else
		snprintf(buf, size, "%" PRIu64 " bytes (%s, %s) copied, %s, %s",
			 bytes, si, iec, secs, rate);
}

/* A duration as H:MM:SS, rounded to the second; "--:--:--" for one
 * that is unknown (negative, not a number) or absurdly long. */
void progress_clock(char *buf, size_t size, double seconds)
{
	uint64_t s;

	if (!(seconds >= 0 && seconds < CLOCK_LIMIT)) {
		snprintf(buf, size, "--:--:--");
		return;
	}
	s = (uint64_t)(seconds + 0.5);
	snprintf(buf, size, "%" PRIu64 ":%02u:%02u", s / 3600,
		 (unsigned)(s / 60 % 60), (unsigned)(s % 60));
}

/* The ring's i-th point from the oldest. */
static unsigned at(const struct mcp_rate *r, unsigned i)
{
	return (r->first + i) % PROGRESS_POINTS;
}

/* Start measuring at t seconds, with nothing done. */
void progress_rate_start(struct mcp_rate *r, double t)
{
	memset(r, 0, sizeof *r);
	r->t[0] = t;
	r->n = 1;
}

static void drop_oldest(struct mcp_rate *r)
{
	r->first = at(r, 1);
	r->n--;
}

/*
 * `done` bytes at t seconds.  Only a move of the count is a point.  A
 * move soon after the last point replaces it, so the points stay spread
 * over the window (a pipe's count moves every megabyte); points older
 * than the window are dropped, but for the one that starts it.
 */
void progress_rate_note(struct mcp_rate *r, double t, uint64_t done)
{
	unsigned last = at(r, r->n - 1);

	if (done == r->d[last] || !(t >= r->t[last]))
		return;
	if (r->n >= 2 &&
	    t - r->t[at(r, r->n - 2)] < PROGRESS_WINDOW / 16) {
		r->t[last] = t;
		r->d[last] = done;
		return;
	}
	if (r->n == PROGRESS_POINTS)
		drop_oldest(r);
	last = at(r, r->n++);
	r->t[last] = t;
	r->d[last] = done;
	while (r->n > 2 && t - r->t[at(r, 1)] >= PROGRESS_WINDOW)
		drop_oldest(r);
}

/* Bytes per second at `now`, or -1 before the count first moved. */
double progress_rate(const struct mcp_rate *r, double now)
{
	unsigned old = r->first, last = at(r, r->n - 1);
	double span = r->t[last] - r->t[old], end = r->t[last];

	if (r->n < 2)
		return -1;
	/* Standing still longer than the points span: a stall, not a
	 * pause between two windows. */
	if (now - end > span)
		end = now;
	if (!(end > r->t[old]))
		return -1;
	return (double)(r->d[last] - r->d[old]) / (end - r->t[old]);
}

static void rate_text(char *buf, size_t size, double rate)
{
	char num[PROGRESS_NUM_LEN - sizeof "/s"];

	if (!(rate >= 0)) {
		snprintf(buf, size, "-- B/s");
		return;
	}
	progress_human(num, sizeof num,
		       rate < 1.8e19 ? (uint64_t)(rate + 0.5) : UINT64_MAX,
		       1024);
	snprintf(buf, size, "%s/s", num);
}

/* Whole percent done, never 100 before the end. */
static unsigned percent(uint64_t done, uint64_t total)
{
	long double p;

	if (done >= total)
		return 100;
	p = (long double)done * 100 / total;
	return p < 99 ? (unsigned)p : 99;
}

/* Seconds until the copy is done at this rate, or -1 if unknown. */
static double seconds_left(const struct mcp_progress_view *v)
{
	if (v->total == PROGRESS_UNKNOWN || !(v->rate > 0))
		return -1;
	if (v->done >= v->total)
		return 0;
	return (double)(v->total - v->done) / v->rate;
}

/* Columns of UTF-8 text: its characters, each taken as one column. */
static size_t columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The byte offset of the character that starts `cols` columns in. */
static size_t offset_of(const char *s, size_t cols)
{
	size_t i = 0;

	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && cols-- == 0)
			break;
	return i;
}

/*
 * text cut to fit in `width` columns with one to spare (a character in
 * the last column wraps on some terminals): its middle is replaced with
 * "...", so both ends of a long path stay.  Width 0 fits anything.
 */
void progress_fit(char *buf, size_t size, const char *text, unsigned width)
{
	size_t have = columns(text), room, head, tail;

	if (width == 0 || have < width) {
		snprintf(buf, size, "%s", text);
		return;
	}
	room = width - 1;
	if (room <= 3) {
		snprintf(buf, size, "%.*s", (int)offset_of(text, room), text);
		return;
	}
	head = (room - 3) / 2;
	tail = room - 3 - head;
	snprintf(buf, size, "%.*s...%s", (int)offset_of(text, head), text,
		 text + offset_of(text, have - tail));
}

/*
 * Join the fields, most important first, each after its separator, for
 * as many as fit in `width` columns with one to spare: a narrow
 * terminal loses the fields on the right, as pv's does, and never sees
 * a wrapped line.  The first field is cut if even it does not fit.
 */
static void join_fitting(char *buf, size_t size, const char *const *fields,
			 const char *const *seps, int n, unsigned width)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		size_t add = strlen(seps[i]) + strlen(fields[i]);

		if (width && i > 0 && len + add >= width)
			break;
		snprintf(buf + len, size - len, "%s%s", seps[i], fields[i]);
		len = strlen(buf);
	}
	if (width && len >= width) {
		char whole[PROGRESS_LINE_LEN];

		snprintf(whole, sizeof whole, "%s", buf);
		progress_fit(buf, size, whole, width);
	}
}

/* A pipe's line: what is known, the time so far last. */
static void format_unknown(char *buf, size_t size,
			   const struct mcp_progress_view *v)
{
	static const char *const seps[] = { "", "  ", "  " };
	char done[PROGRESS_NUM_LEN], rate[PROGRESS_NUM_LEN];
	char clock[PROGRESS_NUM_LEN], when[PROGRESS_NUM_LEN + 8];
	const char *const fields[] = { done, rate, when };

	progress_human(done, sizeof done, v->done, 1024);
	rate_text(rate, sizeof rate, v->rate);
	progress_clock(clock, sizeof clock, v->elapsed);
	snprintf(when, sizeof when, "elapsed %s", clock);
	join_fitting(buf, size, fields, seps, 3, v->width);
}

/*
 * One progress line, without a newline:
 *	" 42% 1.0 GiB / 2.4 GiB  120 MiB/s  ETA 0:00:12"
 *	"100% 2.4 GiB / 2.4 GiB  1.1 GiB/s  in 0:00:02"	(final)
 * With an unknown total (a pipe), bytes, rate and the time so far:
 *	"1.0 GiB  120 MiB/s  elapsed 0:00:09"
 * In v->width columns, with fields dropped from the right.
 */
void progress_format(char *buf, size_t size, const struct mcp_progress_view *v)
{
	static const char *const seps[] = { "", " ", "  ", "  " };
	char done[PROGRESS_NUM_LEN], total[PROGRESS_NUM_LEN];
	char amounts[2 * PROGRESS_NUM_LEN + 4], rate[PROGRESS_NUM_LEN];
	char clock[PROGRESS_NUM_LEN], when[PROGRESS_NUM_LEN + 8], pct[8];
	const char *const fields[] = { pct, amounts, rate, when };

	if (v->total == PROGRESS_UNKNOWN) {
		format_unknown(buf, size, v);
		return;
	}
	progress_human(done, sizeof done, v->done, 1024);
	progress_human(total, sizeof total, v->total, 1024);
	snprintf(amounts, sizeof amounts, "%s / %s", done, total);
	snprintf(pct, sizeof pct, "%3u%%", percent(v->done, v->total));
	rate_text(rate, sizeof rate, v->rate);
	progress_clock(clock, sizeof clock,
		       v->final ? v->elapsed : seconds_left(v));
	snprintf(when, sizeof when, "%s %s", v->final ? "in" : "ETA", clock);
	join_fitting(buf, size, fields, seps, 4, v->width);
}

/* Now, on a clock that never goes back, in nanoseconds.  Linux always
 * has CLOCK_MONOTONIC; were it to fail, times would read 0, not junk. */
uint64_t progress_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* Whole bytes per second, 0 when no time was measured. */
uint64_t progress_per_second(uint64_t bytes, uint64_t ns)
{
	long double r;

	if (ns == 0)
		return 0;
	r = bytes * ((long double)NS_PER_S / ns);
	return r < 1.8e19L ? (uint64_t)r : UINT64_MAX;
}

/* Start drawing a copy of `total` bytes on `out`, under a line of its
 * own that says `name`, if not NULL.  Redraws in place when out is a
 * terminal. */
void progress_begin(struct mcp_progress *p, FILE *out, const char *name,
		    uint64_t total, uint64_t now_ns)
{
	int fd = fileno(out);

	memset(p, 0, sizeof *p);
	p->out = out;
	p->name = name;
	p->total = total;
	p->start_ns = p->drawn_ns = now_ns;
	progress_rate_start(&p->rate, (double)now_ns / NS_PER_S);
	p->tty = fd >= 0 && isatty(fd);
	p->interval_ns = p->tty ? PROGRESS_TTY_INTERVAL_NS
				: PROGRESS_LOG_INTERVAL_NS;
}

/* The least time between two lines, instead of the default. */
void progress_set_interval(struct mcp_progress *p, uint64_t interval_ns)
{
	p->interval_ns = interval_ns;
}

/* The columns a line may take: the terminal's, or any in a log. */
static unsigned width(const struct mcp_progress *p)
{
	return p->tty ? term_columns(fileno(p->out)) : 0;
}

/* The name, once, on a line of its own above the progress (as rsync
 * prints it), so that the progress line stays short. */
static void draw_name(struct mcp_progress *p, unsigned cols)
{
	char line[PROGRESS_NAME_LEN];

	p->named = true;
	if (!p->name)
		return;
	if (cols == 0) {
		fprintf(p->out, "%s\n", p->name);
		return;
	}
	progress_fit(line, sizeof line, p->name, cols);
	fprintf(p->out, "%s\n", line);
}

/* Write one line: in place on a terminal, blanking what is left of a
 * longer one, or as a line of its own in a log. */
static void draw(struct mcp_progress *p, struct mcp_progress_view *v)
{
	char line[PROGRESS_LINE_LEN];
	size_t len;

	v->width = width(p);
	if (!p->named)
		draw_name(p, v->width);
	progress_format(line, sizeof line, v);
	len = strlen(line);
	if (p->tty) {
		/* A narrower terminal may have wrapped the old line: blank
		 * only what fits. */
		size_t blank = p->shown > len ? p->shown - len : 0;

		if (v->width && len + blank >= v->width)
			blank = v->width - 1 - len;
		fprintf(p->out, "\r%s%*s%s", line, (int)blank, "",
			v->final ? "\n" : "");
		p->shown = v->final ? 0 : len;
		if (p->out == stderr)
			msg_line_open(!v->final);
	} else {
		fprintf(p->out, "%s\n", line);
	}
	fflush(p->out);
}

/* `done` bytes are copied: note it for the rate, and draw a line if the
 * interval since the last one has passed (with a tenth to spare, so a
 * caller ticking at the interval is not skipped every other time). */
void progress_update(struct mcp_progress *p, uint64_t done, uint64_t now_ns)
{
	struct mcp_progress_view v = { done, p->total, 0, 0, false, 0 };
	uint64_t dt = now_ns - p->drawn_ns;
	double now = (double)now_ns / NS_PER_S;

	if (now_ns < p->drawn_ns)
		return;
	progress_rate_note(&p->rate, now, done);
	if (dt < p->interval_ns - p->interval_ns / 10)
		return;
	p->drawn_ns = now_ns;
	v.rate = progress_rate(&p->rate, now);
	v.elapsed = (double)(now_ns - p->start_ns) / NS_PER_S;
	draw(p, &v);
}

/*
 * The copy ended.  After a success, the final line: 100 %, the total
 * (a pipe's too, known now), the average rate and the time it took.
 * After a failure only the line on the terminal is ended; the error
 * says the rest.
 */
void progress_end(struct mcp_progress *p, uint64_t done, uint64_t now_ns,
		  bool ok)
{
	uint64_t ns = now_ns > p->start_ns ? now_ns - p->start_ns : 0;
	struct mcp_progress_view v = { done, p->total, -1,
				       (double)ns / NS_PER_S, true, 0 };

	if (!ok) {
		if (p->out == stderr)
			msg_end_line();
		else if (p->shown)
			fputc('\n', p->out);
		p->shown = 0;
		return;
	}
	if (v.total == PROGRESS_UNKNOWN)
		v.total = done;
	if (ns > 0)
		v.rate = (double)done * NS_PER_S / ns;
	draw(p, &v);
}
