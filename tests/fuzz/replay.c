/*
 * replay.c - run a libFuzzer target without libFuzzer: link it with one
 * fuzz_*.c file (any C compiler, no sanitizers needed) and it feeds each
 * file named on the command line, or each file in each directory named
 * (recursively, in name order, skipping dot files), to
 * LLVMFuzzerTestOneInput, after LLVMFuzzerInitialize if the target has
 * one.  So the kept corpus doubles as a regression test.
 *
 * With no arguments it replays REPLAY_CORPUS, if that was defined when
 * compiling (-DREPLAY_CORPUS='"/path/to/corpus"').
 *
 * Exit status: 0 when every input ran; 1 on an unreadable path, a target
 * that returns something other than 0 or -1 (-1 is "reject this input",
 * counted but fine), or no input at all; a target's failed check aborts,
 * after a line naming the input.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* stderr as it was before the target's LLVMFuzzerInitialize, which may
 * point stderr elsewhere. */
static FILE *out;
static int out_fd = STDERR_FILENO;
/* The input being run, for the crash handler. */
static const char *current;
static unsigned long n_run, n_rejected;

static void write_str(const char *s)
{
	size_t n = strlen(s);

	while (n > 0) {
		ssize_t w = write(out_fd, s, n);

		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* A failed check aborts: name the input first, then die of the signal. */
static void on_crash(int sig)
{
	write_str("replay: crashed on ");
	write_str(current ? current : "(no input)");
	write_str("\n");
	signal(sig, SIG_DFL);
	raise(sig);
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, cap = 0, n;
	int rc;

	if (!f) {
		fprintf(out, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (size == cap) {
			uint8_t *bigger;

			cap = cap ? cap * 2 : 4096;
			bigger = realloc(data, cap);
			if (!bigger) {
				fprintf(out, "replay: %s: out of memory\n",
					path);
				free(data);
				fclose(f);
				return -1;
			}
			data = bigger;
		}
		n = fread(data + size, 1, cap - size, f);
		size += n;
	} while (n > 0);
	if (ferror(f)) {
		fprintf(out, "replay: %s: read error\n", path);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);

	/* An exact copy, so a target that reads past the end is caught by
	 * whatever checker the build has. */
	{
		uint8_t *exact = malloc(size ? size : 1);

		if (!exact) {
			free(data);
			return -1;
		}
		memcpy(exact, data, size);
		free(data);
		current = path;
		rc = LLVMFuzzerTestOneInput(exact, size);
		current = NULL;
		free(exact);
	}
	if (rc == -1) {
		n_rejected++;
	} else if (rc != 0) {
		fprintf(out, "replay: %s: the target returned %d\n", path, rc);
		return -1;
	}
	n_run++;
	return 0;
}

static int skip_dots(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int run_path(const char *path)
{
	struct dirent **names;
	struct stat st;
	int n, bad = 0;

	if (stat(path, &st) != 0) {
		fprintf(out, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	n = scandir(path, &names, skip_dots, alphasort);
	if (n < 0) {
		fprintf(out, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		size_t len = strlen(path) + strlen(names[i]->d_name) + 2;
		char *sub = malloc(len);

		if (!sub || snprintf(sub, len, "%s/%s", path,
				     names[i]->d_name) < 0 ||
		    run_path(sub) != 0)
			bad = -1;
		free(sub);
		free(names[i]);
	}
	free(names);
	return bad;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int bad = 0, keep;

	/* Our own copy of stderr, whatever the target does to it. */
	keep = dup(STDERR_FILENO);
	if (keep >= 0) {
		out_fd = keep;
		out = fdopen(keep, "w");
	}
	if (!out)
		out = stderr;
	setvbuf(out, NULL, _IOLBF, 0);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_crash;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = (int)SA_RESETHAND;
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);

	if (argc > 1) {
		for (int i = 1; i < argc; i++)
			if (run_path(argv[i]) != 0)
				bad = 1;
	} else {
#ifdef REPLAY_CORPUS
		if (run_path(REPLAY_CORPUS) != 0)
			bad = 1;
#else
		fprintf(out, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
		return 1;
#endif
	}
	if (n_run == 0) {
		fprintf(out, "replay: no inputs found\n");
		bad = 1;
	}
	fprintf(out, "replay: %lu inputs run, %lu of them rejected by the "
		"target%s\n",
		n_run, n_rejected, bad ? ", with errors" : "");
	return bad;
}
