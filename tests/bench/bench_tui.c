/*
 * Benchmark of the terminal UI: how soon lathe shows a project, how much
 * memory it holds for a project of 100,000 files, and how many bytes it
 * writes to the terminal while idle and while PgDn is held, each beside
 * what a user would run instead (vim, ls), measured in the same run on the
 * same pseudo-terminal and libvterm screen (tests/tui/harness). Prints
 * figures; asserts nothing.
 *
 * usage: bench_tui LATHE EXAMPLE_DIR BIG_DIR [KEYS_PER_SECOND]
 *
 * The projects "example" (the example template; its files are in
 * EXAMPLE_DIR) and "big" (adopting BIG_DIR, which holds only empty files
 * named sample-000000.csv onwards) must exist in the lathed the environment
 * points at; tests/bench/tui.sh sets that up. Sizes are rows x columns.
 */
#include "config.h"

#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "xmalloc.h"

#define RUNS		10	/* first frames: the median of this many */
#define BIG_RUNS	5	/* the same, where a run reads 100,000 files */
#define WAIT_MS		15000	/* for anything to show, even on a busy host */
#define LOAD_MS		60000	/* for the whole big listing to arrive */
#define EXIT_MS		5000
#define SETTLE_MS	1000	/* quiet this long: the screen has settled */
#define IDLE_MS		5000
#define HOLD_MS		5000
#define THROUGH_MS	120000	/* paging through everything, at most */
#define BATCH		10	/* PgDn keys sent at once when not paced */
#define FIRST_NAME	"sample-000000.csv"
#define NAME_PREFIX	"sample-"

static char	*lathe;
static char	*example_dir;
static char	*big_dir;
static long	 big_count;
static char	 big_last[64];

static double
bench_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
bench_cmp(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of n values (sorted in place); -1 if any of them is. */
static double
bench_median(double *v, int n)
{
	int	i;

	for (i = 0; i < n; i++) {
		if (v[i] < 0)
			return -1;
	}
	qsort(v, (size_t)n, sizeof *v, bench_cmp);
	if (n % 2 == 0)
		return (v[n / 2 - 1] + v[n / 2]) / 2;
	return v[n / 2];
}

/* "12.3 ms", or why there is no figure. Returns a static buffer. */
static const char *
bench_ms(double ms)
{
	static char	buf[4][32];
	static int	next;
	char		*s = buf[next++ % 4];

	if (ms < 0)
		snprintf(s, sizeof buf[0], "failed (screen printed)");
	else
		snprintf(s, sizeof buf[0], "%.1f ms", ms);
	return s;
}

/* "12.3 MiB" from KiB, or "unknown". Returns a static buffer. */
static const char *
bench_mib(long kib)
{
	static char	buf[4][32];
	static int	next;
	char		*s = buf[next++ % 4];

	if (kib < 0)
		snprintf(s, sizeof buf[0], "unknown");
	else
		snprintf(s, sizeof buf[0], "%.1f MiB", (double)kib / 1024);
	return s;
}

/* The program name found in PATH, as a new string; NULL if it is not. */
static char *
bench_which(const char *name)
{
	const char	*path = getenv("PATH"), *p, *end;
	char		*file;

	if (path == NULL)
		return NULL;
	for (p = path; *p != '\0'; p = *end != '\0' ? end + 1 : end) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		if (end == p)
			continue;
		file = xasprintf("%.*s/%s", (int)(end - p), p, name);
		if (access(file, X_OK) == 0)
			return file;
		free(file);
	}
	return NULL;
}

/*
 * The first line of file, cut before anything that is not printable ASCII
 * and to at most 40 bytes, so that it fits a row as an editor shows it.
 * Returns a new string, or NULL if that leaves nothing.
 */
static char *
bench_first_line(const char *file)
{
	FILE	*fp = fopen(file, "r");
	char	 line[256];
	size_t	 n = 0;

	if (fp == NULL)
		return NULL;
	if (fgets(line, sizeof line, fp) == NULL)
		line[0] = '\0';
	fclose(fp);
	while (n < 40 && line[n] >= 0x20 && line[n] < 0x7f)
		n++;
	while (n > 0 && line[n - 1] == ' ')
		n--;
	if (n == 0)
		return NULL;
	line[n] = '\0';
	return xstrdup(line);
}

/*
 * Start argv on a rows x cols terminal and time how long until text shows.
 * Then leave: type quit (if not NULL) and wait for the program to exit.
 * Returns the time in ms, or -1 if the text never showed (the screen is
 * printed then, each line starting with "# ").
 */
static double
bench_frame(int rows, int cols, char *const argv[], const char *text,
    const char *quit)
{
	struct term	*t;
	double		 start, ms = -1;

	start = bench_now();
	t = term_spawn(rows, cols, argv, NULL);
	if (t == NULL)
		return -1;
	if (term_wait_text(t, text, WAIT_MS) == 0)
		ms = bench_now() - start;
	else {
		printf("# %s never showed '%s'; the screen was:\n", argv[0],
		    text);
		term_dump(t, stdout);
	}
	if (quit != NULL)
		term_send(t, quit);
	term_wait_exit(t, EXIT_MS, NULL);
	term_free(t);
	return ms;
}

/* The median of runs bench_frame()s, or -1 if one failed. */
static double
bench_frames(int runs, int rows, int cols, char *const argv[],
    const char *text, const char *quit)
{
	double	v[RUNS];
	int	i;

	for (i = 0; i < runs && i < RUNS; i++) {
		v[i] = bench_frame(rows, cols, argv, text, quit);
		if (v[i] < 0)
			return -1;
	}
	return bench_median(v, i);
}

/*
 * Our child whose command name is comm, found through /proc (the harness
 * does not tell its pid). Returns the pid, or -1 if there is none.
 */
static pid_t
bench_child(const char *comm)
{
	DIR		*d = opendir("/proc");
	struct dirent	*de;
	FILE		*fp;
	char		 path[64], line[512], *lp, *rp, state;
	pid_t		 found = -1;
	size_t		 n;
	int		 ppid;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof path, "/proc/%.20s/stat", de->d_name);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		n = fread(line, 1, sizeof line - 1, fp);
		fclose(fp);
		line[n] = '\0';
		/* "pid (comm) state ppid …"; comm may hold ')' itself. */
		lp = strchr(line, '(');
		rp = strrchr(line, ')');
		if (lp == NULL || rp == NULL || rp < lp ||
		    sscanf(rp + 1, " %c %d", &state, &ppid) != 2)
			continue;
		if (ppid != (int)getpid() ||
		    (size_t)(rp - lp - 1) != strlen(comm) ||
		    strncmp(lp + 1, comm, strlen(comm)) != 0)
			continue;
		found = (pid_t)atol(de->d_name);
		break;
	}
	closedir(d);
	return found;
}

/* A process's peak resident set (VmHWM) in KiB, or -1. */
static long
bench_hwm(pid_t pid)
{
	FILE	*fp;
	char	 path[64], line[256];
	long	 kib = -1;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, fp) != NULL) {
		if (sscanf(line, "VmHWM: %ld", &kib) == 1)
			break;
	}
	fclose(fp);
	return kib;
}

/*
 * Run ls -l dir with its output into a pipe that is counted. Sets *kib to
 * its peak resident set (ru_maxrss), *bytes to its output size and *ms to
 * its time. Returns 0, or -1 if it could not run or failed.
 */
static int
bench_ls(const char *dir, long *kib, size_t *bytes, double *ms)
{
	struct rusage	ru;
	char		buf[65536];
	double		start;
	size_t		total = 0;
	ssize_t		n;
	pid_t		pid;
	int		fd[2], null, status;

	if (pipe(fd) == -1)
		return -1;
	start = bench_now();
	pid = fork();
	if (pid == -1) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		null = open("/dev/null", O_WRONLY);
		dup2(fd[1], STDOUT_FILENO);
		if (null != -1)
			dup2(null, STDERR_FILENO);
		close(fd[0]);
		close(fd[1]);
		execlp("ls", "ls", "-l", dir, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	for (;;) {
		n = read(fd[0], buf, sizeof buf);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += (size_t)n;
	}
	close(fd[0]);
	while (wait4(pid, &status, 0, &ru) == -1) {
		if (errno != EINTR)
			return -1;
	}
	*ms = bench_now() - start;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	*kib = ru.ru_maxrss;
	*bytes = total;
	return 0;
}

/* The highest sample number on the screen, or -1 if none shows. */
static long
bench_reached(struct term *t)
{
	char	*row, *p;
	long	 best = -1, v;
	int	 r;

	for (r = 0; (row = term_row(t, r)) != NULL; r++) {
		for (p = row; (p = strstr(p, NAME_PREFIX)) != NULL; p++) {
			v = strtol(p + strlen(NAME_PREFIX), NULL, 10);
			if (v > best)
				best = v;
		}
		free(row);
	}
	return best;
}

/* Count the entries of dir, but . and .. */
static long
bench_count(const char *dir)
{
	DIR		*d = opendir(dir);
	struct dirent	*de;
	long		 n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	}
	closedir(d);
	return n;
}

/* Figure 1: time to the first full frame, lathe beside vim and ls. */
static void
bench_first_frames(void)
{
	static const int	 sizes[][2] = { { 50, 200 }, { 24, 80 } };
	char			*vim = bench_which("vim"), *readme, *line;
	char			*lathe_argv[] = { lathe, "-pexample", NULL };
	char			*ls_argv[] = { "ls", "-la", example_dir, NULL };
	char			*big_argv[] = { lathe, "-pbig", NULL };
	char			*big_ls[] = { "ls", "-la", big_dir, NULL };
	char			 vimref[128];
	double			 l, v = -1, s;
	size_t			 i;

	if (vim == NULL)
		vim = bench_which("vi");
	readme = xasprintf("%s/README.md", example_dir);
	line = bench_first_line(readme);
	if (line == NULL)
		line = xstrdup("README.md");
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		char	*vim_argv[] = { vim, "-u", "NONE", "-N", readme, NULL };
		int	 rows = sizes[i][0], cols = sizes[i][1];

		l = bench_frames(RUNS, rows, cols, lathe_argv, "train.py", "q");
		if (vim != NULL) {
			v = bench_frames(RUNS, rows, cols, vim_argv, line,
			    ":qa!\r");
			snprintf(vimref, sizeof vimref, "%s -u NONE -N "
			    "README.md (until its first line shows): %s",
			    strrchr(vim, '/') + 1, bench_ms(v));
		} else
			snprintf(vimref, sizeof vimref, "vim: not installed");
		s = bench_frames(RUNS, rows, cols, ls_argv, "train.py", NULL);
		printf("lathe -p example, first frame at %dx%d (until the tree "
		    "shows train.py), median of %d: %s | %s | ls -la of the "
		    "project (until train.py shows): %s\n", rows, cols, RUNS,
		    bench_ms(l), vimref, bench_ms(s));
		fflush(stdout);
	}
	l = bench_frames(BIG_RUNS, 50, 200, big_argv, FIRST_NAME, "q");
	s = bench_frames(BIG_RUNS, 50, 200, big_ls, big_last, NULL);
	printf("lathe -p big (%ld files), first frame at 50x200 (until %s "
	    "shows), median of %d: %s | ls -la of the directory (until its "
	    "last line shows): %s\n", big_count, FIRST_NAME, BIG_RUNS,
	    bench_ms(l), bench_ms(s));
	fflush(stdout);
	free(line);
	free(readme);
	free(vim);
}

/*
 * Figures 2 and 3, in one session on the big project at 50x200: bytes
 * written while idle, bytes and keys while PgDn is held at kps keys a
 * second, paging through the whole list, and the peak memory.
 */
static void
bench_big(int kps)
{
	char		*argv[] = { lathe, "-pbig", NULL };
	struct term	*t;
	double		 now, start, last_key = 0, last_out, next, interval;
	double		 through_ms, span, ls_ms = -1;
	size_t		 b0, idle_bytes, hold_bytes, ls_bytes = 0;
	long		 hwm_loaded, hwm_end, ls_kib = -1, reached;
	long		 keys = 0, through_keys = 0;
	pid_t		 pid;
	int		 n, loaded = 0, ls_ok;

	ls_ok = bench_ls(big_dir, &ls_kib, &ls_bytes, &ls_ms) == 0;

	t = term_spawn(50, 200, argv, NULL);
	if (t == NULL) {
		printf("# lathe -p big: could not start it on a pty\n");
		return;
	}
	if (term_wait_text(t, FIRST_NAME, WAIT_MS) != 0) {
		printf("# lathe -p big never showed %s; the screen was:\n",
		    FIRST_NAME);
		term_dump(t, stdout);
		goto out;
	}
	/* Let the whole listing arrive: End until the last file shows. */
	start = bench_now();
	while (bench_now() - start < LOAD_MS) {
		term_send(t, TERM_KEY_END);
		if (term_wait_text(t, big_last, 500) == 0) {
			loaded = 1;
			break;
		}
	}
	if (!loaded) {
		printf("# lathe -p big never showed %s; the screen was:\n",
		    big_last);
		term_dump(t, stdout);
		goto out;
	}
	term_send(t, TERM_KEY_HOME);
	term_wait_text(t, FIRST_NAME, WAIT_MS);
	term_wait_idle(t, SETTLE_MS, WAIT_MS);
	pid = bench_child("lathe");
	hwm_loaded = bench_hwm(pid);

	/* Idle. */
	b0 = term_bytes(t);
	start = bench_now();
	while ((now = bench_now()) - start < IDLE_MS) {
		if (term_pump(t, (int)(start + IDLE_MS - now) + 1) == -1)
			break;
	}
	idle_bytes = term_bytes(t) - b0;

	/* PgDn held: keys at a steady pace, output read in between. */
	interval = 1000.0 / kps;
	b0 = term_bytes(t);
	start = last_out = bench_now();
	while ((now = bench_now()) - start < HOLD_MS) {
		next = start + (double)keys * interval;
		if (now >= next) {
			term_send(t, TERM_KEY_PGDN);
			last_key = bench_now();
			keys++;
			continue;
		}
		n = term_pump(t, (int)(next - now) + 1);
		if (n == -1)
			break;
		if (n > 0)
			last_out = bench_now();
	}
	/* Until the screen is idle: the last output after the last key. */
	while ((now = bench_now()) - (last_out > last_key ? last_out :
	    last_key) < SETTLE_MS && now - last_key < WAIT_MS) {
		n = term_pump(t, 50);
		if (n == -1)
			break;
		if (n > 0)
			last_out = bench_now();
	}
	hold_bytes = term_bytes(t) - b0;
	reached = bench_reached(t);
	span = (last_out > last_key ? last_out : last_key) - start;

	/* Page through the rest, as fast as lathe takes the keys. */
	start = bench_now();
	while (term_find(t, big_last, NULL, NULL) != 0 &&
	    bench_now() - start < THROUGH_MS) {
		for (n = 0; n < BATCH; n++)
			term_send(t, TERM_KEY_PGDN);
		through_keys += BATCH;
		if (term_pump(t, 1) == -1)
			break;
	}
	through_ms = term_find(t, big_last, NULL, NULL) == 0 ?
	    bench_now() - start : -1;
	term_wait_idle(t, SETTLE_MS, WAIT_MS);
	hwm_end = bench_hwm(pid);

	printf("lathe -p big (%ld files), peak RSS (VmHWM) with the list "
	    "loaded: %s, after paging through all of it: %s | ls -l of the "
	    "same directory: %s (ru_maxrss)\n", big_count,
	    bench_mib(hwm_loaded), bench_mib(hwm_end),
	    bench_mib(ls_ok ? ls_kib : -1));
	printf("lathe idle at 50x200, %d s after the screen settled: %.1f "
	    "bytes/s | ls -l of the %ld files writes %zu bytes, once\n",
	    IDLE_MS / 1000, (double)idle_bytes * 1000 / IDLE_MS, big_count,
	    ls_bytes);
	printf("lathe holding PgDn at 50x200, %ld keys in %d s (%d/s): "
	    "%.0f bytes/s, %.0f bytes/key, handled %.1f keys/s, last output "
	    "%.1f ms after the last key, view at %s%06ld | ls -l writes %zu "
	    "bytes for all %ld files, in %s\n", keys, HOLD_MS / 1000, kps,
	    span > 0 ? (double)hold_bytes * 1000 / span : 0.0,
	    keys > 0 ? (double)hold_bytes / (double)keys : 0.0,
	    span > 0 ? (double)keys * 1000 / span : 0.0,
	    last_out > last_key ? last_out - last_key : 0.0, NAME_PREFIX,
	    reached, ls_bytes, big_count, bench_ms(ls_ms));
	printf("lathe paging on to the end as fast as it takes PgDn: %ld keys "
	    "sent, %s | ls -l of the whole directory: %s\n", through_keys,
	    bench_ms(through_ms), bench_ms(ls_ms));
	if (through_ms < 0) {
		printf("# lathe never showed %s; the screen was:\n", big_last);
		term_dump(t, stdout);
	}
	fflush(stdout);
	term_send(t, "q");
	term_wait_exit(t, EXIT_MS, NULL);
out:
	term_free(t);
}

int
main(int argc, char *argv[])
{
	long	kps = 30;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: bench_tui LATHE EXAMPLE_DIR BIG_DIR "
		    "[KEYS_PER_SECOND]\n");
		return 2;
	}
	lathe = argv[1];
	example_dir = argv[2];
	big_dir = argv[3];
	if (argc == 5) {
		kps = strtol(argv[4], NULL, 10);
		if (kps < 1 || kps > 1000) {
			fprintf(stderr, "bench_tui: keys per second: 1 to "
			    "1000\n");
			return 2;
		}
	}
	big_count = bench_count(big_dir);
	if (big_count < 1) {
		fprintf(stderr, "bench_tui: %s: no files\n", big_dir);
		return 2;
	}
	snprintf(big_last, sizeof big_last, "%s%06ld.csv", NAME_PREFIX,
	    big_count - 1);

	printf("sizes are rows x columns; every figure is from this run\n");
	fflush(stdout);
	bench_first_frames();
	bench_big((int)kps);
	return 0;
}
