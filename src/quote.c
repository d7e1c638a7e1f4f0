/*
 * quote.c - a file name as a diagnostic shows it.  A name may hold any
 * byte but / and NUL: a newline in it would split one message over two
 * lines of a log, and an escape sequence would reach the terminal.  So,
 * as coreutils does (its shell-escape-always style), a name is written
 * as a shell word that gives the name back when pasted into a shell:
 *
 *	'plain name'   "it's"   'a'$'\n''b'   'x'$'\033''[2J'
 *
 * The results live in a few static slots, so that one message may quote
 * a source and a destination; that is enough, and a message is printed
 * long before a slot comes round again.  Only the parent prints.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "quote.h"

#define SLOTS 4

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static bool needs_escape(const char *s)
{
	for (; *s; s++)
		if (is_control((unsigned char)*s))
			return true;
	return false;
}

/* A writer into buf that stops, leaving room for "...", when full. */
struct out {
	char *buf;
	size_t size, len;
	bool full;
};

static void put(struct out *o, const char *s)
{
	size_t n = strlen(s), room = o->size - o->len - sizeof "...";

	if (o->full)
		return;
	if (n > room) {
		n = room;
		o->full = true;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

/* How a control character reads inside $'...'. */
static void put_control(struct out *o, unsigned char c)
{
	char esc[8];

	if (c == '\n')
		snprintf(esc, sizeof esc, "\\n");
	else if (c == '\t')
		snprintf(esc, sizeof esc, "\\t");
	else if (c == '\r')
		snprintf(esc, sizeof esc, "\\r");
	else
		snprintf(esc, sizeof esc, "\\%03o", c);
	put(o, esc);
}

enum state { OUTSIDE, QUOTED, ESCAPED };

/* Move from state `from` to `to`, closing and opening quotes. */
static enum state go(struct out *o, enum state from, enum state to)
{
	if (from == to)
		return to;
	if (from != OUTSIDE)
		put(o, "'");
	if (to == QUOTED)
		put(o, "'");
	else if (to == ESCAPED)
		put(o, "$'");
	return to;
}

/* Single quotes around runs of plain bytes, \' for a quote, $'\n' for a
 * control character. */
static void escape(struct out *o, const char *name)
{
	enum state st = OUTSIDE;

	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		char one[2] = { (char)*p, '\0' };

		if (is_control(*p)) {
			st = go(o, st, ESCAPED);
			put_control(o, *p);
		} else if (*p == '\'') {
			st = go(o, st, OUTSIDE);
			put(o, "\\'");
		} else {
			st = go(o, st, QUOTED);
			put(o, one);
		}
	}
	go(o, st, OUTSIDE);
}

/* name, quoted, into buf. */
void quote_to(char *buf, size_t size, const char *name)
{
	struct out o = { buf, size, 0, false };

	buf[0] = '\0';
	if (size < sizeof "''...")
		return;
	if (!needs_escape(name) && !strchr(name, '\'')) {
		put(&o, "'");
		put(&o, name);
		put(&o, "'");
	} else if (!needs_escape(name) && !strpbrk(name, "\"$`\\!")) {
		put(&o, "\"");
		put(&o, name);
		put(&o, "\"");
	} else {
		escape(&o, name);
	}
	if (o.full)
		snprintf(buf + o.len, size - o.len, "...");
}

static char *next_slot(void)
{
	static char slots[SLOTS][QUOTE_MAX];
	static unsigned next;

	return slots[next++ % SLOTS];
}

/* name as a quoted word, always: 'name'. */
const char *quote(const char *name)
{
	char *buf = next_slot();

	quote_to(buf, QUOTE_MAX, name);
	return buf;
}

/* name as it is where a message shows it bare ("mcp: NAME: ..."), or
 * quoted when it holds a control character. */
const char *quote_bare(const char *name)
{
	return needs_escape(name) ? quote(name) : name;
}
