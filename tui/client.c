/*
 * A synchronous client of lathed's API over libcurl's easy interface. A
 * request is built and its answer parsed by functions of their own
 * (client_req_*), so that the TUI can drive the same requests through the
 * multi interface. When the unix socket does not answer and autostart is
 * set, lathed is started (as tmux starts its server) and the call retried.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "buf.h"
#include "client.h"
#include "json.h"
#include "paths.h"
#include "xmalloc.h"

/* How long lathed may take to daemonize, and to answer once it has. */
#define CLIENT_START_WAIT_MS	30000
#define CLIENT_ANSWER_WAIT_MS	10000
#define CLIENT_RETRY_MS		100
/*
 * lathed's exit status when another lathed holds the state directory
 * (lathed(8)): another client is starting it at the same moment.
 */
#define CLIENT_LATHED_LOCKED	3

struct client {
	char	*base;		/* URL prefix: http://localhost or $LATHE_URL */
	char	*socket;	/* unix socket path; NULL over TCP */
	char	*auth;		/* Authorization header over TCP */
	long	 timeout_s;	/* for a whole request */
	int	 autostart;
	int	 start_tried;
	int	 started;	/* lathed was started by this client */
	int	 unreachable;	/* the last call found nothing listening */
};

struct client_req {
	struct client		*c;
	CURL			*easy;
	struct curl_slist	*headers;
	char			*body;
	struct buf		 answer;
	struct buf		 header;	/* the answer's header lines */
	int			 too_big;
	const struct client_sink *sink;	/* client_stream's, or NULL */
	int			 stopped;	/* by the sink */
	char			 error[CURL_ERROR_SIZE];
};

static void
client_sleep_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A header value must not be able to add headers of its own. */
static int
client_header_safe(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return 0;
	}
	return 1;
}

struct client *
client_new(int autostart, char **cause)
{
	struct client	*c = xcalloc(1, sizeof *c), *result = NULL;
	const char	*url = getenv("LATHE_URL"), *key;
	char		*dir;
	size_t		 len;

	c->timeout_s = CLIENT_REQUEST_TIMEOUT_S;
	if (url == NULL || *url == '\0') {
		dir = paths_runtime_dir();
		c->socket = paths_socket(dir);
		free(dir);
		c->base = xstrdup("http://localhost");
		c->autostart = autostart;
		return c;
	}
	if (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0) {
		*cause = xasprintf("LATHE_URL must be a URL like "
		    "http://127.0.0.1:PORT, not '%s'", url);
		goto out;
	}
	key = getenv("LATHE_KEY");
	if (key == NULL || *key == '\0') {
		*cause = xstrdup("LATHE_URL is set but LATHE_KEY is not: set "
		    "LATHE_KEY to an API key (made with 'lathe key create' "
		    "where lathed runs), or unset LATHE_URL to use the local "
		    "socket");
		goto out;
	}
	if (!client_header_safe(key)) {
		*cause = xstrdup("LATHE_KEY contains spaces or control "
		    "characters: it is not an API key");
		goto out;
	}
	len = strlen(url);
	while (len > 0 && url[len - 1] == '/')
		len--;
	c->base = xstrndup(url, len);
	c->auth = xasprintf("Authorization: Bearer %s", key);
	result = c;
	c = NULL;
out:
	client_free(c);
	return result;
}

void
client_free(struct client *c)
{
	if (c == NULL)
		return;
	free(c->base);
	free(c->socket);
	if (c->auth != NULL) {
		/* The key should not linger in freed memory. */
		sodium_memzero(c->auth, strlen(c->auth));
		free(c->auth);
	}
	free(c);
}

void
client_set_timeout(struct client *c, long seconds)
{
	c->timeout_s = seconds;
}

const char *
client_target(const struct client *c)
{
	return c->socket != NULL ? c->socket : c->base;
}

int
client_is_tcp(const struct client *c)
{
	return c->socket == NULL;
}

int
client_started(const struct client *c)
{
	return c->started;
}

int
client_unreachable(const struct client *c)
{
	return c->unreachable;
}

char *
client_escape(const char *s)
{
	char	*e, *copy;

	/* Dot segments would be folded away before reaching the core. */
	if (strcmp(s, ".") == 0)
		return xstrdup("%2E");
	if (strcmp(s, "..") == 0)
		return xstrdup("%2E%2E");
	e = curl_easy_escape(NULL, s, 0);
	if (e == NULL) {
		fprintf(stderr, "out of memory escaping a URL\n");
		abort();
	}
	copy = xstrdup(e);
	curl_free(e);
	return copy;
}

char *
client_error_message(long status, const cJSON *answer)
{
	const cJSON	*msg = NULL, *code = NULL;

	if (cJSON_IsObject(answer)) {
		msg = cJSON_GetObjectItemCaseSensitive(answer, "message");
		code = cJSON_GetObjectItemCaseSensitive(answer, "error_code");
	}
	if (cJSON_IsString(msg) && *msg->valuestring != '\0')
		return xstrdup(msg->valuestring);
	if (cJSON_IsString(code) && *code->valuestring != '\0')
		return xasprintf("lathed answered HTTP %ld (%s)", status,
		    code->valuestring);
	return xasprintf("lathed answered HTTP %ld", status);
}

static size_t
client_write(char *data, size_t size, size_t n, void *arg)
{
	struct client_req	*r = arg;

	n *= size;
	if (n > CLIENT_ANSWER_MAX - r->answer.len) {
		r->too_big = 1;
		return 0;
	}
	buf_add(&r->answer, data, n);
	return n;
}

/* Keep the answer's header lines, up to a bound, for client_req_header. */
static size_t
client_header(char *data, size_t size, size_t n, void *arg)
{
	struct client_req	*r = arg;

	n *= size;
	/* A new answer (after a redirect or a 100) starts afresh. */
	if (n > 5 && strncmp(data, "HTTP/", 5) == 0)
		buf_reset(&r->header);
	if (r->header.len + n <= CLIENT_HEADER_MAX)
		buf_add(&r->header, data, n);
	return n;
}

struct client_req *
client_req_new(struct client *c, const char *method,
    const char *path_and_query, const cJSON *body)
{
	struct client_req	*r = xcalloc(1, sizeof *r);
	CURL			*e;
	char			*url;

	buf_init(&r->answer);
	buf_init(&r->header);
	r->c = c;
	if ((r->easy = e = curl_easy_init()) == NULL) {
		fprintf(stderr, "out of memory making a request\n");
		abort();
	}
	url = xasprintf("%s%s", c->base, path_and_query);
	curl_easy_setopt(e, CURLOPT_URL, url);
	free(url);
	if (c->socket != NULL)
		curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, c->socket);
	/* The core is local: a proxy must neither see nor carry the key. */
	curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS,
	    (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT,
	    (long)CLIENT_CONNECT_TIMEOUT_S);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, c->timeout_s);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)CLIENT_ANSWER_MAX);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, client_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, client_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->error);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "lathe/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);

	r->headers = curl_slist_append(r->headers, "Accept: application/json");
	if (c->auth != NULL)
		r->headers = curl_slist_append(r->headers, c->auth);
	if (body != NULL) {
		r->body = json_print(body);
		r->headers = curl_slist_append(r->headers,
		    "Content-Type: application/json");
		/* No 100-continue round trip for large bodies. */
		r->headers = curl_slist_append(r->headers, "Expect:");
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);

	if (strcmp(method, "GET") == 0 && body == NULL)
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	else if (strcmp(method, "DELETE") == 0 && body == NULL)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	else {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS,
		    r->body != NULL ? r->body : "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)(r->body != NULL ? strlen(r->body) : 0));
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	}
	return r;
}

CURL *
client_req_easy(struct client_req *r)
{
	return r->easy;
}

/* Say why a transfer brought no answer; 0 if it did. */
static int
client_req_failed(struct client_req *r, CURLcode result, char **cause)
{
	struct client	*c = r->c;
	const char	*detail;

	c->unreachable = 0;
	if (r->too_big || result == CURLE_FILESIZE_EXCEEDED) {
		*cause = xasprintf("the answer from lathed is larger than the "
		    "%d MiB a client accepts", CLIENT_ANSWER_MAX >> 20);
		return -1;
	}
	if (result != CURLE_OK) {
		detail = r->error[0] != '\0' ? r->error :
		    curl_easy_strerror(result);
		if (result == CURLE_COULDNT_CONNECT) {
			c->unreachable = 1;
			if (c->started)
				*cause = xasprintf("lathed was started but "
				    "nothing answers at %s: %s",
				    client_target(c), detail);
			else if (c->socket != NULL)
				*cause = xasprintf("lathed is not running: "
				    "nothing answers at %s", c->socket);
			else
				*cause = xasprintf("nothing answers at %s: %s",
				    c->base, detail);
		} else if (result == CURLE_OPERATION_TIMEDOUT)
			*cause = xasprintf("lathed at %s did not answer in "
			    "time: %s", client_target(c), detail);
		else
			*cause = xasprintf("cannot talk to lathed at %s: %s",
			    client_target(c), detail);
		return -1;
	}
	return 0;
}

int
client_req_finish(struct client_req *r, CURLcode result, long *status,
    cJSON **answer, char **cause)
{
	long		 code = 0;
	cJSON		*v;
	char		*err = NULL;

	if (client_req_failed(r, result, cause) != 0)
		return -1;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
	if (r->answer.len == 0)
		v = cJSON_CreateObject();
	else if ((v = json_parse(r->answer.data, r->answer.len,
	    &err)) == NULL) {
		*cause = xasprintf("lathed answered HTTP %ld with something "
		    "that is not JSON (%s)", code, err);
		free(err);
		return -1;
	}
	*status = code;
	*answer = v;
	return 0;
}

int
client_req_finish_raw(struct client_req *r, CURLcode result, long *status,
    const char **body, size_t *len, char **cause)
{
	long	code = 0;

	if (client_req_failed(r, result, cause) != 0)
		return -1;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
	*status = code;
	*body = buf_str(&r->answer);
	*len = r->answer.len;
	return 0;
}

const char *
client_req_header(struct client_req *r, const char *name, char *value,
    size_t size)
{
	const char	*p = buf_str(&r->header), *eol, *v;
	size_t		 n = strlen(name), vlen;
	const char	*found = NULL;

	for (; *p != '\0'; p = *eol != '\0' ? eol + 1 : eol) {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		if (strncasecmp(p, name, n) != 0 || p[n] != ':')
			continue;
		v = p + n + 1;
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		vlen = (size_t)(eol - v);
		while (vlen > 0 && (v[vlen - 1] == '\r' || v[vlen - 1] == ' '))
			vlen--;
		if (vlen >= size)
			continue;
		memcpy(value, v, vlen);
		value[vlen] = '\0';
		found = value;
	}
	return found;
}

void
client_req_free(struct client_req *r)
{
	if (r == NULL)
		return;
	if (r->easy != NULL)
		curl_easy_cleanup(r->easy);
	curl_slist_free_all(r->headers);
	if (r->body != NULL) {
		/* Bodies carry secret values. */
		sodium_memzero(r->body, strlen(r->body));
		free(r->body);
	}
	buf_done(&r->answer);
	buf_done(&r->header);
	free(r);
}

/*
 * Which lathed to start: $LATHED, else the one beside this program, else
 * the installed one, else whatever PATH finds. A new string.
 */
static char *
client_lathed_path(void)
{
	const char	*env = getenv("LATHED");
	char		 self[PATH_MAX], *slash, *path;
	ssize_t		 n;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((slash = strrchr(self, '/')) != NULL) {
			*slash = '\0';
			path = paths_join(*self != '\0' ? self : "/", "lathed");
			if (access(path, X_OK) == 0)
				return path;
			free(path);
		}
	}
#ifdef LATHE_BINDIR
	if (access(LATHE_BINDIR "/lathed", X_OK) == 0)
		return xstrdup(LATHE_BINDIR "/lathed");
#endif
	return xstrdup("lathed");
}

/*
 * Run lathed, which daemonizes and exits 0 once it listens, or says on
 * stderr (left connected to ours) why it cannot start and exits non-zero.
 * A close-on-exec pipe carries exec's errno back if it cannot be run.
 */
static int
client_start(struct client *c, char **cause)
{
	char	*path = client_lathed_path();
	char	*argv[] = { path, NULL };
	int	 fds[2] = { -1, -1 }, status, child_errno = 0, rc = -1, fd;
	pid_t	 pid, got;
	long	 waited = 0;
	ssize_t	 n;

	if (pipe2(fds, O_CLOEXEC) != 0) {
		*cause = xasprintf("cannot start lathed: pipe: %s",
		    strerror(errno));
		goto out;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		*cause = xasprintf("cannot start lathed: fork: %s",
		    strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* Keep stderr: lathed says there why it cannot start. */
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
		if (strchr(path, '/') != NULL)
			execv(path, argv);
		else
			execvp(path, argv);
		child_errno = errno;
		n = write(fds[1], &child_errno, sizeof child_errno);
		(void)n;
		_exit(127);
	}
	close(fds[1]);
	fds[1] = -1;
	while ((n = read(fds[0], &child_errno, sizeof child_errno)) == -1 &&
	    errno == EINTR)
		;
	if (n == (ssize_t)sizeof child_errno) {
		waitpid(pid, &status, 0);
		*cause = xasprintf("cannot run %s: %s (set LATHED to the path "
		    "of lathed)", path, strerror(child_errno));
		goto out;
	}
	for (;;) {
		got = waitpid(pid, &status, WNOHANG);
		if (got == pid)
			break;
		if (got == -1 && errno != EINTR) {
			*cause = xasprintf("cannot start lathed: waitpid: %s",
			    strerror(errno));
			goto out;
		}
		if (waited >= CLIENT_START_WAIT_MS) {
			*cause = xasprintf("%s (pid %ld) did not finish "
			    "starting within %d s", path, (long)pid,
			    CLIENT_START_WAIT_MS / 1000);
			goto out;
		}
		client_sleep_ms(10);
		waited += 10;
	}
	if (WIFSIGNALED(status)) {
		*cause = xasprintf("lathed could not start: %s was killed by "
		    "signal %d", path, WTERMSIG(status));
		goto out;
	}
	if (WEXITSTATUS(status) == CLIENT_LATHED_LOCKED) {
		/* Not ours to start: wait for the other one to listen. */
		rc = 0;
		goto out;
	}
	if (WEXITSTATUS(status) != 0) {
		*cause = xasprintf("lathed could not start: %s exited with "
		    "status %d", path, WEXITSTATUS(status));
		goto out;
	}
	c->started = 1;
	rc = 0;
out:
	if (fds[0] != -1)
		close(fds[0]);
	if (fds[1] != -1)
		close(fds[1]);
	free(path);
	return rc;
}

int
client_call(struct client *c, const char *method, const char *path_and_query,
    const cJSON *body, long *status, cJSON **answer, char **cause)
{
	struct client_req	*r;
	CURLcode		 res;
	long			 waited = 0;
	int			 rc = -1;

	for (;;) {
		r = client_req_new(c, method, path_and_query, body);
		res = curl_easy_perform(r->easy);
		/* Nothing was sent when connecting failed: retry is safe. */
		if (res != CURLE_COULDNT_CONNECT || c->socket == NULL ||
		    !c->autostart)
			break;
		if (!c->start_tried) {
			c->start_tried = 1;
			if (client_start(c, cause) != 0) {
				c->unreachable = 1;
				goto out;
			}
		} else if (waited >= CLIENT_ANSWER_WAIT_MS)
			break;
		else {
			client_sleep_ms(CLIENT_RETRY_MS);
			waited += CLIENT_RETRY_MS;
		}
		client_req_free(r);
	}
	rc = client_req_finish(r, res, status, answer, cause);
out:
	client_req_free(r);
	return rc;
}

/* Body bytes of a stream: a 2xx answer's to the sink, an error's kept. */
static size_t
client_stream_write(char *data, size_t size, size_t n, void *arg)
{
	struct client_req	*r = arg;
	long			 code = 0;

	n *= size;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
	if (code < 200 || code > 299)
		return client_write(data, 1, n, r);
	if (r->sink->data(r->sink->arg, data, n) != 0) {
		r->stopped = 1;
		return 0;
	}
	return n;
}

static size_t
client_stream_header(char *data, size_t size, size_t n, void *arg)
{
	struct client_req	*r = arg;
	char			*line, *colon, *value, *end;

	n *= size;
	if (r->sink->header == NULL)
		return n;
	line = xstrndup(data, n);
	if ((colon = strchr(line, ':')) != NULL) {
		*colon = '\0';
		for (value = colon + 1; *value == ' ' || *value == '\t';
		    value++)
			;
		end = value + strlen(value);
		while (end > value && (end[-1] == '\r' || end[-1] == '\n' ||
		    end[-1] == ' ' || end[-1] == '\t'))
			*--end = '\0';
		r->sink->header(r->sink->arg, line, value);
	}
	free(line);
	return n;
}

static int
client_stream_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	struct client_req	*r = arg;

	if (r->sink->stop != NULL && r->sink->stop(r->sink->arg)) {
		r->stopped = 1;
		return 1;
	}
	return 0;
}

int
client_stream(struct client *c, const char *path_and_query,
    const struct client_sink *sink, long *status, cJSON **answer,
    char **cause)
{
	struct client_req	*r;
	CURLcode		 res;
	long			 code = 0;
	int			 rc = -1;

	r = client_req_new(c, "GET", path_and_query, NULL);
	r->sink = sink;
	/* A followed log lasts as long as its run. */
	curl_easy_setopt(r->easy, CURLOPT_TIMEOUT, 0L);
	curl_easy_setopt(r->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)0);
	curl_easy_setopt(r->easy, CURLOPT_WRITEFUNCTION, client_stream_write);
	curl_easy_setopt(r->easy, CURLOPT_HEADERFUNCTION,
	    client_stream_header);
	curl_easy_setopt(r->easy, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(r->easy, CURLOPT_XFERINFOFUNCTION,
	    client_stream_progress);
	curl_easy_setopt(r->easy, CURLOPT_XFERINFODATA, r);
	curl_easy_setopt(r->easy, CURLOPT_NOPROGRESS, 0L);
	res = curl_easy_perform(r->easy);
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code);
	if (r->stopped || (code >= 200 && code <= 299 && res == CURLE_OK)) {
		*status = code;
		*answer = NULL;
		rc = 0;
		goto out;
	}
	rc = client_req_finish(r, res, status, answer, cause);
out:
	client_req_free(r);
	return rc;
}
