/*
 * The Files section: the project's tree on the left, loaded a directory at
 * a time as it is opened (in pages, so a directory of 100,000 files
 * arrives while the UI keeps answering), and a preview on the right:
 * source with colours, README.md rendered, binary files described, large
 * files read a chunk at a time as the user scrolls, never whole.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "async.h"
#include "buf.h"
#include "cli.h"
#include "draw.h"
#include "markdown.h"
#include "styled.h"
#include "syntax.h"
#include "theme.h"
#include "tui.h"
#include "xmalloc.h"

#define CHUNK		65536		/* bytes per preview request */
#define KEEP_MAX	(4 * 1024 * 1024)	/* preview bytes held at once */
#define MARKDOWN_MAX	(1024 * 1024)	/* rendered whole up to this */
#define LOADS_MAX	16		/* directories loading at once */

enum node_type { NODE_FILE, NODE_DIR, NODE_LINK, NODE_OTHER };

struct node {
	char		*name;
	char		*path;
	int		 depth;
	enum node_type	 type;
	double		 size;
	char		 mtime[20];
	int		 expanded;
};

struct load {
	uint64_t	 call;
	char		*dir;	/* "" for the root */
};

static struct {
	struct node	*nodes;
	size_t		 n, cap;
	struct list	 list;
	struct load	 loads[LOADS_MAX];
	char		*error;
	int		 loaded;	/* the root has answered */
} tr;

static struct {
	char			*path;
	double			 size;
	int			 binary;
	char			*describe;	/* binary files */
	int			 markdown;
	int			 render;	/* show Markdown rendered */
	struct buf		 text;		/* bytes start .. end */
	uint64_t		 start, end;
	struct styled_line	*lines;
	size_t			 nlines;
	long			 top;
	long			 left;
	uint64_t		 call;
	int			 appending;
	int			 want_tail;
	char			*error;
	uv_timer_t		 debounce;
	int			 timer_ready;
	int			 width;		/* rendered for */
} pv;

static struct tui	*files_tui;

static void	preview_select(struct tui *);

static const char *
files_str(const cJSON *o, const char *name)
{
	const cJSON	*v = cJSON_GetObjectItem(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

static void
files_node_done(struct node *nd)
{
	free(nd->name);
	free(nd->path);
}

static void
preview_clear(void)
{
	free(pv.path);
	pv.path = NULL;
	free(pv.describe);
	pv.describe = NULL;
	free(pv.error);
	pv.error = NULL;
	buf_done(&pv.text);
	styled_lines_free(pv.lines, pv.nlines);
	pv.lines = NULL;
	pv.nlines = 0;
	pv.start = pv.end = 0;
	pv.top = pv.left = 0;
	pv.binary = pv.markdown = 0;
	pv.size = 0;
}

void
files_reset(struct tui *t)
{
	size_t	i;

	for (i = 0; i < tr.n; i++)
		files_node_done(&tr.nodes[i]);
	free(tr.nodes);
	tr.nodes = NULL;
	tr.n = tr.cap = 0;
	list_done(&tr.list);
	for (i = 0; i < LOADS_MAX; i++) {
		if (tr.loads[i].call != 0 && t->async != NULL)
			async_cancel(t->async, tr.loads[i].call);
		tr.loads[i].call = 0;
		free(tr.loads[i].dir);
		tr.loads[i].dir = NULL;
	}
	free(tr.error);
	tr.error = NULL;
	tr.loaded = 0;
	if (pv.call != 0 && t->async != NULL)
		async_cancel(t->async, pv.call);
	pv.call = 0;
	preview_clear();
	pv.render = 1;
}

static int
files_match(void *arg, size_t i, const char *needle)
{
	return list_contains(tr.nodes[i].name, needle);
}

static struct list *
tree_list(struct tui *t)
{
	return &tr.list;
}

/* Where the children of node i (or of the root, i = -1) go. */
static size_t
files_subtree_end(long i)
{
	size_t	k;

	if (i < 0)
		return tr.n;
	for (k = (size_t)i + 1; k < tr.n; k++) {
		if (tr.nodes[k].depth <= tr.nodes[i].depth)
			break;
	}
	return k;
}

static long
files_find(const char *path)
{
	size_t	i;

	if (*path == '\0')
		return -1;
	for (i = 0; i < tr.n; i++) {
		if (strcmp(tr.nodes[i].path, path) == 0)
			return (long)i;
	}
	return -2;
}

static void	files_request(struct tui *, const char *dir, const char *token);

static void
files_on_list(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	struct load	*ld = NULL;
	const cJSON	*item, *token;
	long		 parent, sel = list_selected(&tr.list);
	size_t		 at, count, k, i;
	int		 depth, first;
	char		*dir;

	for (i = 0; i < LOADS_MAX; i++) {
		if (tr.loads[i].call == id && id != 0)
			ld = &tr.loads[i];
	}
	if (ld == NULL)
		return;
	dir = ld->dir;
	ld->dir = NULL;
	ld->call = 0;
	if (status != 200) {
		tui_message(t, 1, "%s", status == 0 ? cause :
		    files_str(answer, "message"));
		if (*dir == '\0') {
			free(tr.error);
			tr.error = xstrdup(status == 0 ? cause :
			    files_str(answer, "message"));
		}
		goto out;
	}
	parent = files_find(dir);
	if (parent == -2)
		goto out;	/* collapsed or gone meanwhile */
	if (parent >= 0 && !tr.nodes[parent].expanded)
		goto out;
	first = !tr.loaded && parent < 0;
	tr.loaded = 1;
	depth = parent < 0 ? 0 : tr.nodes[parent].depth + 1;
	at = files_subtree_end(parent);
	count = (size_t)cJSON_GetArraySize(cJSON_GetObjectItem(answer,
	    "files"));
	if (tr.n + count > tr.cap) {
		tr.cap = (tr.n + count) * 2;
		tr.nodes = xrealloc(tr.nodes, tr.cap * sizeof *tr.nodes);
	}
	memmove(tr.nodes + at + count, tr.nodes + at,
	    (tr.n - at) * sizeof *tr.nodes);
	k = at;
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(answer, "files")) {
		struct node	*nd = &tr.nodes[k++];
		const char	*type = files_str(item, "type");

		memset(nd, 0, sizeof *nd);
		nd->name = xstrdup(files_str(item, "name"));
		nd->path = xstrdup(files_str(item, "path"));
		nd->depth = depth;
		nd->type = strcmp(type, "dir") == 0 ? NODE_DIR :
		    strcmp(type, "link") == 0 ? NODE_LINK :
		    strcmp(type, "file") == 0 ? NODE_FILE : NODE_OTHER;
		nd->size = cJSON_GetNumberValue(cJSON_GetObjectItem(item,
		    "size"));
		snprintf(nd->mtime, sizeof nd->mtime, "%.16s",
		    files_str(item, "modified_at"));
		if (strlen(nd->mtime) > 10)
			nd->mtime[10] = ' ';
	}
	tr.n += count;
	if (sel >= 0 && (size_t)sel >= at)
		sel += (long)count;
	list_set_count(&tr.list, tr.n, files_match, t);
	/* A project opens on its README, as a repository page does. */
	for (k = 0; first && sel < 0 && k < tr.n; k++) {
		if (strcasecmp(tr.nodes[k].name, "README.md") == 0) {
			list_select_index(&tr.list, k);
			preview_select(t);
		}
	}
	if (sel >= 0)
		list_select_index(&tr.list, (size_t)sel);
	token = cJSON_GetObjectItem(answer, "next_page_token");
	if (cJSON_IsString(token))
		files_request(t, dir, token->valuestring);
	if (parent < 0 && sel < 0 && list_selected(&tr.list) <= 0 && tr.n > 0)
		preview_select(t);
	tui_dirty(t, DIRTY_MAIN);
out:
	free(dir);
}

static void
files_request(struct tui *t, const char *dir, const char *token)
{
	char	*edir = tui_escape(dir), *eproj = tui_escape(t->project_id);
	char	*etok = token != NULL ? tui_escape(token) : NULL, *path;
	size_t	 i;

	for (i = 0; i < LOADS_MAX; i++) {
		if (tr.loads[i].call == 0)
			break;
	}
	if (i == LOADS_MAX) {
		tui_message(t, 1, "too many directories loading at once");
		goto out;
	}
	path = xasprintf("/api/v1/projects/%s/files?path=%s&page_size=1000%s%s",
	    eproj, edir, etok ? "&page_token=" : "", etok ? etok : "");
	tr.loads[i].dir = xstrdup(dir);
	tr.loads[i].call = async_call(t->async, "GET", path, NULL,
	    files_on_list, t);
	free(path);
out:
	free(edir);
	free(eproj);
	free(etok);
}

void
files_load(struct tui *t)
{
	files_reset(t);
	files_tui = t;
	if (t->project_id == NULL)
		return;
	files_request(t, "", NULL);
	tui_dirty(t, DIRTY_MAIN);
}

/* Forget listings still coming for dir or anything below it. */
static void
files_cancel_loads(struct tui *t, const char *dir)
{
	size_t	i, n = strlen(dir);

	for (i = 0; i < LOADS_MAX; i++) {
		struct load	*ld = &tr.loads[i];

		if (ld->call == 0 || ld->dir == NULL)
			continue;
		if (strcmp(ld->dir, dir) != 0 && (strncmp(ld->dir, dir, n) != 0 ||
		    ld->dir[n] != '/'))
			continue;
		async_cancel(t->async, ld->call);
		ld->call = 0;
		free(ld->dir);
		ld->dir = NULL;
	}
}

void
files_expand(struct tui *t, int expand)
{
	long		 i = list_selected(&tr.list);
	struct node	*nd;
	size_t		 end, k;

	if (t->focus != &pane_tree || i < 0)
		return;
	nd = &tr.nodes[i];
	if (expand) {
		if (nd->type != NODE_DIR || nd->expanded)
			return;
		nd->expanded = 1;
		files_request(t, nd->path, NULL);
	} else if (nd->type == NODE_DIR && nd->expanded) {
		files_cancel_loads(t, nd->path);
		end = files_subtree_end(i);
		for (k = (size_t)i + 1; k < end; k++)
			files_node_done(&tr.nodes[k]);
		memmove(tr.nodes + i + 1, tr.nodes + end,
		    (tr.n - end) * sizeof *tr.nodes);
		tr.n -= end - (size_t)i - 1;
		nd->expanded = 0;
		list_set_count(&tr.list, tr.n, files_match, t);
		list_select_index(&tr.list, (size_t)i);
	} else if (nd->depth > 0) {
		/* Go to the parent directory. */
		for (k = (size_t)i; k-- > 0;) {
			if (tr.nodes[k].depth < nd->depth) {
				list_select_index(&tr.list, k);
				break;
			}
		}
		preview_select(t);
	}
	tui_dirty(t, DIRTY_MAIN);
}

static void
tree_open(struct tui *t)
{
	long	i = list_selected(&tr.list);

	if (i < 0)
		return;
	if (tr.nodes[i].type == NODE_DIR) {
		if (tr.nodes[i].expanded)
			files_expand(t, 0);
		else
			files_expand(t, 1);
		return;
	}
	tui_focus(t, &pane_preview);
}

static void
tree_draw_row(void *arg, WINDOW *w, int y, int x, int width, size_t i,
    int selected)
{
	struct node	*nd = &tr.nodes[i];
	enum role	 role = nd->type == NODE_DIR ? ROLE_DIRECTORY :
	    ROLE_DEFAULT;
	char		 size[16];
	int		 indent = nd->depth * 2, cx = x + 1 + indent, sw = 0;
	const char	*mark;

	if (selected)
		role = ROLE_SELECTION;
	draw_fill(w, y, x, width, selected ? ROLE_SELECTION : ROLE_DEFAULT);
	if (nd->type == NODE_DIR)
		mark = nd->expanded ? (draw_utf8 ? "\xe2\x96\xbe " : "v ") :
		    (draw_utf8 ? "\xe2\x96\xb8 " : "> ");
	else
		mark = "  ";
	if (indent + 4 < width)
		cx += draw_text(w, y, cx, width - indent - 1, mark, -1, role, 0);
	if (width > 30 && nd->type != NODE_DIR) {
		cli_size((uint64_t)nd->size, size, sizeof size);
		sw = 7;
		draw_text(w, y, x + width - sw, sw - 1, size, -1,
		    selected ? role : ROLE_DIM, 0);
	}
	draw_text(w, y, cx, x + width - cx - sw - 1, nd->name, -1, role,
	    DRAW_ELLIPSIS);
	if (nd->type == NODE_LINK)
		draw_text(w, y, cx + draw_width(nd->name, -1), 2, "@", -1,
		    ROLE_DIM, 0);
	if (selected)
		draw_highlight(w, y, x, width, ROLE_SELECTION);
}

static void
tree_draw(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	size_t	shown = list_shown(&tr.list);

	if (tr.list.filter != NULL)
		draw_printf(w, y, x + 1, width - 2, ROLE_TITLE, "%zu of %zu "
		    "match '%s'", shown, tr.list.count, tr.list.filter);
	else
		draw_printf(w, y, x + 1, width - 2, ROLE_TITLE, "%s",
		    t->project != NULL ? t->project : "");
	if (tr.error != NULL) {
		draw_text(w, y + 2, x + 1, width - 2, tr.error, -1,
		    ROLE_ERROR, DRAW_ELLIPSIS);
		return;
	}
	if (!tr.loaded) {
		draw_text(w, y + 2, x + 1, width - 2, "loading...", -1,
		    ROLE_DIM, 0);
		return;
	}
	if (tr.n == 0) {
		draw_text(w, y + 2, x + 1, width - 2, "(no files)", -1,
		    ROLE_DIM, 0);
		return;
	}
	if (shown == 0) {
		draw_text(w, y + 2, x + 1, width - 2, "nothing matches",
		    -1, ROLE_DIM, 0);
		return;
	}
	list_draw(&tr.list, w, y + 1, x, h - 1, width, tree_draw_row, t);
}

/* --- The preview. --- */

static const char *
preview_magic(const unsigned char *p, size_t n, const char *name)
{
	static const struct {
		const char	*magic;
		size_t		 len;
		const char	*what;
	} magics[] = {
		{ "\x89PNG", 4, "PNG image" },
		{ "\xff\xd8\xff", 3, "JPEG image" },
		{ "GIF8", 4, "GIF image" },
		{ "%PDF", 4, "PDF document" },
		{ "PK\x03\x04", 4, "zip archive (or a notebook, wheel, "
		    "xlsx, docx)" },
		{ "\x1f\x8b", 2, "gzip-compressed data" },
		{ "BZh", 3, "bzip2-compressed data" },
		{ "\xfd" "7zXZ", 5, "xz-compressed data" },
		{ "\x28\xb5\x2f\xfd", 4, "zstd-compressed data" },
		{ "\x7f" "ELF", 4, "ELF executable or library" },
		{ "SQLite format 3", 15, "SQLite database" },
		{ "PAR1", 4, "Parquet table" },
		{ "\x93NUMPY", 6, "NumPy array (.npy)" },
		{ "\x89HDF", 4, "HDF5 data" },
		{ "ARROW1", 6, "Arrow table" },
	};
	size_t	i, nl = strlen(name);

	for (i = 0; i < sizeof magics / sizeof magics[0]; i++) {
		if (n >= magics[i].len &&
		    memcmp(p, magics[i].magic, magics[i].len) == 0)
			return magics[i].what;
	}
	if (n >= 2 && p[0] == 0x80 && p[1] >= 2 && p[1] <= 5)
		return "Python pickle";
	if ((nl > 4 && strcmp(name + nl - 4, ".pkl") == 0) ||
	    (nl > 7 && strcmp(name + nl - 7, ".joblib") == 0))
		return "Python pickle";
	return "binary data";
}

/* Split the loaded text into lines, coloured for its language. */
static void
preview_build(struct tui *t, int width)
{
	const char	*s = buf_str(&pv.text), *e, *nl;
	char		*cause = NULL;
	enum syntax_lang lang;
	size_t		 cap = 0, len;
	int		 state = 0;

	styled_lines_free(pv.lines, pv.nlines);
	pv.lines = NULL;
	pv.nlines = 0;
	pv.width = width;
	if (pv.markdown && pv.render && pv.start == 0 && pv.end >= pv.size) {
		if (markdown_render(s, pv.text.len, width > 4 ? width - 2 : 2,
		    draw_utf8, &pv.lines, &pv.nlines, &cause) == 0)
			return;
		free(pv.error);
		pv.error = cause;
	}
	nl = memchr(s, '\n', pv.text.len);
	lang = syntax_detect(pv.path, nl != NULL ? s : s);
	e = s + pv.text.len;
	while (s < e) {
		nl = memchr(s, '\n', (size_t)(e - s));
		len = nl != NULL ? (size_t)(nl - s) : (size_t)(e - s);
		if (len > 0 && s[len - 1] == '\r')
			len--;
		if (pv.nlines == cap) {
			cap = cap ? cap * 2 : 256;
			pv.lines = xrealloc(pv.lines, cap * sizeof *pv.lines);
		}
		pv.lines[pv.nlines].text = xstrndup(s, len);
		pv.lines[pv.nlines].len = strlen(pv.lines[pv.nlines].text);
		pv.lines[pv.nlines].roles = xcalloc(len + 1, 1);
		syntax_line(lang, pv.lines[pv.nlines].text,
		    pv.lines[pv.nlines].len, pv.lines[pv.nlines].roles,
		    &state);
		pv.nlines++;
		s += (nl != NULL ? (size_t)(nl - s) + 1 : len);
		if (nl == NULL)
			break;
	}
}

static void	preview_fetch(struct tui *, uint64_t offset, uint64_t length,
		    int append);

static void
preview_on_content(uint64_t id, long status, cJSON *answer, const char *cause,
    void *arg)
{
	struct tui	*t = arg;
	const char	*content;
	unsigned char	*bin;
	size_t		 blen, len;
	double		 offset;
	int		 append = pv.appending, want_tail = pv.want_tail;

	if (id != pv.call)
		return;
	pv.call = 0;
	pv.want_tail = 0;
	if (status != 200) {
		free(pv.error);
		pv.error = xstrdup(status == 0 ? cause : files_str(answer,
		    "message"));
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	pv.size = cJSON_GetNumberValue(cJSON_GetObjectItem(answer, "size"));
	offset = cJSON_GetNumberValue(cJSON_GetObjectItem(answer, "offset"));
	len = (size_t)cJSON_GetNumberValue(cJSON_GetObjectItem(answer,
	    "length"));
	content = files_str(answer, "content");
	if (cJSON_IsTrue(cJSON_GetObjectItem(answer, "binary"))) {
		pv.binary = 1;
		bin = xmalloc(strlen(content) + 1);
		if (sodium_base642bin(bin, strlen(content) + 1, content,
		    strlen(content), NULL, &blen, NULL,
		    sodium_base64_VARIANT_ORIGINAL) != 0)
			blen = 0;
		free(pv.describe);
		pv.describe = xstrdup(preview_magic(bin, blen, pv.path));
		free(bin);
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	if (!append) {
		buf_reset(&pv.text);
		pv.start = (uint64_t)offset;
		pv.top = 0;
	}
	buf_add(&pv.text, content, strlen(content));
	pv.end = (uint64_t)offset + len;
	/* Hold a bounded window of the file: drop from the top. */
	if (pv.text.len > KEEP_MAX) {
		const char	*cut = memchr(pv.text.data + pv.text.len / 2,
				    '\n', pv.text.len / 2);
		size_t		 drop = cut != NULL ? (size_t)(cut -
				    pv.text.data) + 1 : pv.text.len / 2;
		long		 lines = 0;
		size_t		 i;

		for (i = 0; i < drop; i++)
			lines += pv.text.data[i] == '\n';
		memmove(pv.text.data, pv.text.data + drop, pv.text.len - drop);
		pv.text.len -= drop;
		pv.text.data[pv.text.len] = '\0';
		pv.start += drop;
		pv.top = pv.top > lines ? pv.top - lines : 0;
	}
	preview_build(t, pv.width > 0 ? pv.width : 60);
	if (want_tail)
		pv.top = pv.nlines > 1 ? (long)pv.nlines - 1 : 0;
	tui_dirty(t, DIRTY_MAIN);
}

static void
preview_fetch(struct tui *t, uint64_t offset, uint64_t length, int append)
{
	char	*eproj = tui_escape(t->project_id), *epath = tui_escape(pv.path);
	char	*path;

	path = xasprintf("/api/v1/projects/%s/files/content?path=%s&"
	    "offset=%llu&length=%llu", eproj, epath,
	    (unsigned long long)offset, (unsigned long long)length);
	if (pv.call != 0)
		async_cancel(t->async, pv.call);
	pv.appending = append;
	pv.call = async_call(t->async, "GET", path, NULL, preview_on_content,
	    t);
	free(path);
	free(eproj);
	free(epath);
}

static void
preview_on_debounce(uv_timer_t *h)
{
	struct tui	*t = h->data;
	long		 i = list_selected(&tr.list);
	struct node	*nd;
	size_t		 nl;

	if (i < 0)
		return;
	nd = &tr.nodes[i];
	if (pv.path != NULL && strcmp(pv.path, nd->path) == 0)
		return;
	if (pv.call != 0)
		async_cancel(t->async, pv.call);
	pv.call = 0;
	preview_clear();
	pv.path = xstrdup(nd->path);
	if (nd->type != NODE_FILE && nd->type != NODE_LINK) {
		tui_dirty(t, DIRTY_MAIN);
		return;
	}
	nl = strlen(nd->name);
	pv.markdown = (nl > 3 && strcasecmp(nd->name + nl - 3, ".md") == 0) ||
	    (nl > 9 && strcasecmp(nd->name + nl - 9, ".markdown") == 0);
	preview_fetch(t, 0, pv.markdown && nd->size <= MARKDOWN_MAX ?
	    MARKDOWN_MAX : CHUNK, 0);
	tui_dirty(t, DIRTY_MAIN);
}

/* The selection moved: show the new file after a short pause. */
static void
preview_select(struct tui *t)
{
	if (!pv.timer_ready) {
		uv_timer_init(t->loop, &pv.debounce);
		pv.debounce.data = t;
		pv.timer_ready = 1;
	}
	uv_timer_start(&pv.debounce, preview_on_debounce, 60, 0);
}

static void
tree_changed(struct tui *t)
{
	preview_select(t);
}

void
files_render(struct tui *t)
{
	if (!pv.markdown) {
		tui_message(t, 0, "only Markdown files have a rendered view");
		return;
	}
	pv.render = !pv.render;
	pv.top = 0;
	preview_build(t, pv.width);
	tui_message(t, 0, "%s", pv.render ? "rendered" : "source");
	tui_dirty(t, DIRTY_MAIN);
}

static void
preview_scroll(struct tui *t, long delta)
{
	long	max = (long)pv.nlines - 1;

	if (delta >= 1000000000L && pv.end < (uint64_t)pv.size) {
		/* The end of a large file: fetch its last chunk. */
		pv.want_tail = 1;
		preview_fetch(t, pv.size > CHUNK ? (uint64_t)pv.size - CHUNK :
		    0, CHUNK, 0);
		return;
	}
	if (delta <= -1000000000L && pv.start > 0) {
		preview_fetch(t, 0, CHUNK, 0);
		return;
	}
	pv.top += delta;
	if (pv.top > max)
		pv.top = max > 0 ? max : 0;
	if (pv.top < 0) {
		pv.top = 0;
		if (pv.start > 0 && pv.call == 0)
			preview_fetch(t, pv.start > CHUNK ? pv.start - CHUNK :
			    0, CHUNK, 0);
	}
	tui_dirty(t, DIRTY_MAIN);
}

static void
preview_draw(struct tui *t, WINDOW *w, int y, int x, int h, int width)
{
	char	 size[16], head[256];
	long	 i;
	int	 row, focused = t->focus == &pane_preview;

	if (pv.path == NULL) {
		draw_text(w, y + 1, x + 1, width - 2, "Select a file to see it "
		    "here.", -1, ROLE_DIM, DRAW_ELLIPSIS);
		return;
	}
	cli_size((uint64_t)pv.size, size, sizeof size);
	snprintf(head, sizeof head, "%s  %s%s", pv.path, size,
	    pv.markdown ? (pv.render ? "  rendered (v: source)" :
	    "  source (v: rendered)") : "");
	draw_text(w, y, x + 1, width - 2, head, -1, focused ? ROLE_TITLE :
	    ROLE_DIM, DRAW_ELLIPSIS);
	if (pv.error != NULL) {
		draw_text(w, y + 2, x + 1, width - 2, pv.error, -1, ROLE_ERROR,
		    DRAW_ELLIPSIS);
		return;
	}
	if (pv.binary) {
		draw_printf(w, y + 2, x + 1, width - 2, ROLE_DEFAULT,
		    "Binary file, %s: %s.", size, pv.describe != NULL ?
		    pv.describe : "binary data");
		draw_text(w, y + 3, x + 1, width - 2, "Not shown here; use "
		    "'lathe project cat --raw' to get its bytes.", -1,
		    ROLE_DIM, DRAW_ELLIPSIS);
		return;
	}
	if (pv.width != width && pv.text.len > 0)
		preview_build(t, width);
	if (pv.start > 0)
		draw_printf(w, y + 1, x + 1, width - 2, ROLE_DIM, "(from byte "
		    "%llu; k or g for earlier lines)",
		    (unsigned long long)pv.start);
	for (row = 1 + (pv.start > 0); row < h; row++) {
		i = pv.top + row - 1 - (pv.start > 0);
		if (i < 0 || (size_t)i >= pv.nlines)
			break;
		draw_styled(w, y + row, x + 1, width - 2, &pv.lines[i],
		    (int)pv.left);
	}
	/* Near the end of what is loaded: fetch the next chunk. */
	if (pv.call == 0 && pv.end < (uint64_t)pv.size &&
	    pv.top + h + 64 >= (long)pv.nlines && !(pv.markdown && pv.render &&
	    pv.start == 0 && pv.size <= MARKDOWN_MAX))
		preview_fetch(t, pv.end, CHUNK, 1);
}

/* The files section: tree and preview side by side, or one if narrow. */
void
files_draw(struct tui *t, WINDOW *w, int h, int width)
{
	int	tw = width >= 60 ? width * 2 / 5 : width, sep;

	if (tw < 24 && width >= 60)
		tw = 24;
	if (width < 60) {
		if (t->focus == &pane_preview)
			preview_draw(t, w, 0, 0, h, width);
		else
			tree_draw(t, w, 0, 0, h, width);
		return;
	}
	tree_draw(t, w, 0, 0, h, tw);
	sep = tw;
	draw_role(w, ROLE_BORDER, 0);
	mvwvline(w, 0, sep, draw_utf8 ? ACS_VLINE : '|', h);
	preview_draw(t, w, 0, sep + 1, h, width - sep - 1);
}

static void
tree_click(struct tui *t, int row, int col)
{
	int	tw = t->area.w >= 60 ? t->area.w * 2 / 5 : t->area.w;
	long	i;

	if (tw < 24 && t->area.w >= 60)
		tw = 24;
	if (t->area.w >= 60 && col > tw) {
		tui_focus(t, &pane_preview);
		return;
	}
	if (t->area.w < 60 && t->focus == &pane_preview)
		return;
	i = list_at(&tr.list, row - 1);
	if (i < 0)
		return;
	if (t->focus != &pane_tree)
		tui_focus(t, &pane_tree);
	if (list_selected(&tr.list) == i)
		tree_open(t);
	else {
		list_select_index(&tr.list, (size_t)i);
		preview_select(t);
	}
}

static void
files_on_close(uv_handle_t *h)
{
}

void
files_done(struct tui *t)
{
	files_reset(t);
	if (pv.timer_ready)
		uv_close((uv_handle_t *)&pv.debounce, files_on_close);
	pv.timer_ready = 0;
}

static void
files_refresh(struct tui *t)
{
	files_load(t);
}

struct pane pane_tree = {
	.name = "files",
	.scope = SCOPE_FILES,
	.hints = "open expand collapse filter",
	.list = tree_list,
	.open = tree_open,
	.changed = tree_changed,
	.match = files_match,
	.reload = files_refresh,
	.click = tree_click,
};

struct pane pane_preview = {
	.name = "preview",
	.scope = SCOPE_PREVIEW,
	.hints = "down up render",
	.scroll_by = preview_scroll,
	.reload = files_refresh,
	.click = tree_click,
};
