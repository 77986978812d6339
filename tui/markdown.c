/*
 * Markdown rendering for the README preview. md4c parses the document and
 * calls back block by block and span by span; this module keeps the open
 * containers (block quotes, lists, items) as a stack that gives every line
 * its prefix, gathers the inline text of each paragraph with a role per
 * byte, and wraps it at word boundaries to the width of the pane. Code
 * blocks are not wrapped but cut, and coloured by syntax.c when the fence
 * names a language it knows. Documents come from users, so every byte is
 * made safe on the way in (control characters shown as ^X, invalid UTF-8
 * replaced) and the work done is linear in the size of the document.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <md4c.h>

#include "buf.h"
#include "markdown.h"
#include "utf8.h"
#include "styled.h"
#include "syntax.h"
#include "xmalloc.h"

#define MD_WIDTH_MAX	4096
#define MD_DEPTH_MAX	1024	/* nesting kept; deeper has no marks */
#define MD_TAB		8	/* tab stops in code blocks */
#define MD_SEP_W	3	/* columns of " | " between table cells */
#define MD_MIN_TEXT	10	/* columns kept for text however deep */
#define MD_WIDE		(1 << 24) /* wider than any line */

/* Text being built, with a role per byte. */
struct md_sbuf {
	struct buf	text;
	struct buf	roles;
};

/* An open container block: a block quote, a list or a list item. */
struct md_frame {
	MD_BLOCKTYPE	 type;
	int		 tight;		/* lists, items: in a tight list */
	unsigned	 next;		/* OL: its next item's number */
	char		 delim;		/* OL: '.' or ')' */
	char		 mark[32];	/* LI: shown on its first line */
	int		 markw;		/* LI: columns of mark */
	int		 shown;		/* LI: mark shown */
};

/* An open span. */
struct md_span {
	unsigned char	 role;
	size_t		 start;		/* A, IMG: where its text is */
	char		*href;		/* A: the target */
};

/* A table cell, kept until the table ends and its columns are known. */
struct md_cell {
	char		*text;
	unsigned char	*roles;
	size_t		 len;
	int		 width;
	unsigned	 row;
	unsigned	 col;
	MD_ALIGN	 align;
	int		 head;		/* a header cell */
};

struct md {
	int			 width;
	int			 utf8;

	struct styled_line	*lines;
	size_t			 n;
	size_t			 cap;

	struct md_frame		*frames;
	size_t			 nframes;
	size_t			 frames_cap;
	size_t			 frames_over;	/* past the cap */
	size_t			 marked;	/* marks shown below */
	int			 quotes;	/* block quotes open */

	struct md_span		*spans;
	size_t			 nspans;
	size_t			 spans_cap;
	size_t			 spans_over;

	struct md_sbuf		 inl;		/* the paragraph read */
	struct md_sbuf		 content;	/* scratch: line content */
	struct md_sbuf		 line;		/* scratch: a line */
	struct md_sbuf		 tmp;

	unsigned		 heading;	/* level of the open heading */
	int			 in_code;
	int			 in_html;
	enum syntax_lang	 code_lang;
	struct buf		 code;		/* code or HTML block */
	struct buf		 roles;		/* scratch: code roles */

	int			 need_blank;	/* before the next line */
	size_t			 blank_depth;	/* containers it is in */

	int			 in_cell;
	int			 cell_head;
	MD_ALIGN		 cell_align;
	unsigned		 row;
	unsigned		 col;
	unsigned		 table_cols;
	struct md_cell		*cells;
	size_t			 ncells;
	size_t			 cells_cap;
};

/* Glyphs, UTF-8 first and ASCII second. */
enum md_glyph {
	MD_G_BULLET,
	MD_G_QUOTE,
	MD_G_RULE,
	MD_G_H1,
	MD_G_H2,
	MD_G_ELLIPSIS,
	MD_G_SEP,
	MD_G_CROSS,
	MD_G_BAD
};
static const char *const md_glyphs[][2] = {
	[MD_G_BULLET] = { "\xe2\x80\xa2 ", "* " },
	[MD_G_QUOTE] = { "\xe2\x94\x82 ", "| " },
	[MD_G_RULE] = { "\xe2\x94\x80", "-" },
	[MD_G_H1] = { "\xe2\x94\x81", "=" },
	[MD_G_H2] = { "\xe2\x94\x80", "-" },
	[MD_G_ELLIPSIS] = { "\xe2\x80\xa6", "~" },
	[MD_G_SEP] = { " \xe2\x94\x82 ", " | " },
	[MD_G_CROSS] = { "\xe2\x94\x80\xe2\x94\xbc\xe2\x94\x80", "-+-" },
	[MD_G_BAD] = { "\xef\xbf\xbd", "?" },
};

/* The HTML entities READMEs use, with their UTF-8. */
static const struct md_entity {
	const char	*name;
	const char	*utf8;
} md_entities[] = {
	{ "amp", "&" }, { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
	{ "apos", "'" }, { "nbsp", "\xc2\xa0" }, { "copy", "\xc2\xa9" },
	{ "reg", "\xc2\xae" }, { "trade", "\xe2\x84\xa2" },
	{ "hellip", "\xe2\x80\xa6" }, { "mdash", "\xe2\x80\x94" },
	{ "ndash", "\xe2\x80\x93" }, { "lsquo", "\xe2\x80\x98" },
	{ "rsquo", "\xe2\x80\x99" }, { "ldquo", "\xe2\x80\x9c" },
	{ "rdquo", "\xe2\x80\x9d" }, { "laquo", "\xc2\xab" },
	{ "raquo", "\xc2\xbb" }, { "bull", "\xe2\x80\xa2" },
	{ "middot", "\xc2\xb7" }, { "deg", "\xc2\xb0" },
	{ "times", "\xc3\x97" }, { "divide", "\xc3\xb7" },
	{ "plusmn", "\xc2\xb1" }, { "larr", "\xe2\x86\x90" },
	{ "rarr", "\xe2\x86\x92" }, { "uarr", "\xe2\x86\x91" },
	{ "darr", "\xe2\x86\x93" }, { "harr", "\xe2\x86\x94" },
	{ "euro", "\xe2\x82\xac" }, { "pound", "\xc2\xa3" },
	{ "yen", "\xc2\xa5" }, { "cent", "\xc2\xa2" }, { "sect", "\xc2\xa7" },
	{ "para", "\xc2\xb6" }, { "ensp", " " }, { "emsp", " " },
	{ "thinsp", " " }, { "check", "\xe2\x9c\x93" },
	{ "hearts", "\xe2\x99\xa5" }, { "star", "\xe2\x98\x86" },
};

static const char *
md_glyph(struct md *m, enum md_glyph g)
{
	return md_glyphs[g][m->utf8 ? 0 : 1];
}

static void
md_sb_init(struct md_sbuf *sb)
{
	buf_init(&sb->text);
	buf_init(&sb->roles);
}

static void
md_sb_done(struct md_sbuf *sb)
{
	buf_done(&sb->text);
	buf_done(&sb->roles);
}

static void
md_sb_reset(struct md_sbuf *sb)
{
	buf_reset(&sb->text);
	buf_reset(&sb->roles);
}

static void
md_sb_add(struct md_sbuf *sb, const char *s, size_t n, enum role role)
{
	size_t	old = sb->roles.len;

	if (n == 0)
		return;
	buf_add(&sb->text, s, n);
	buf_add(&sb->roles, s, n);
	memset(sb->roles.data + old, role, n);
}

static void
md_sb_adds(struct md_sbuf *sb, const char *s, enum role role)
{
	md_sb_add(sb, s, strlen(s), role);
}

/* Append bytes from .. to of src, roles and all. */
static void
md_sb_copy(struct md_sbuf *dst, const struct md_sbuf *src, size_t from,
    size_t to)
{
	if (from >= to)
		return;
	buf_add(&dst->text, src->text.data + from, to - from);
	buf_add(&dst->roles, src->roles.data + from, to - from);
}

static void
md_sb_truncate(struct md_sbuf *sb, size_t len)
{
	if (len >= sb->text.len)
		return;
	sb->text.len = sb->roles.len = len;
	sb->text.data[len] = '\0';
}

static int
md_decode(const unsigned char *s, size_t n, long *wc)
{
	return utf8_decode((const char *)s, n, wc);
}

/* Columns one character takes, as draw.c will draw it. */
static int
md_charw(struct md *m, long wc)
{
	int	w;

	if (wc < 0x80 || !m->utf8)
		return 1;
	w = wcwidth((wchar_t)wc);
	return w < 0 ? 1 : w;
}

/*
 * Columns n bytes of made-safe text take, counted up to MD_WIDE (wider
 * than any line: callers only compare).
 */
static int
md_width(struct md *m, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;
	long			 wc;
	int			 w = 0;

	while (i < n && w < MD_WIDE) {
		if (p[i] < 0x80) {
			w++;
			i++;
			continue;
		}
		k = md_decode(p + i, n - i, &wc);
		w += md_charw(m, wc);
		i += k;
	}
	return w;
}

/* Bytes of s that fit in maxw columns, with their columns in *used. */
static size_t
md_cut(struct md *m, const char *s, size_t n, int maxw, int *used)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;
	long			 wc;
	int			 w = 0, cw;

	while (i < n) {
		k = md_decode(p + i, n - i, &wc);
		cw = md_charw(m, wc);
		if (w + cw > maxw)
			break;
		w += cw;
		i += k;
	}
	if (used != NULL)
		*used = w;
	return i;
}

static void
md_spaces(struct md_sbuf *sb, int n, enum role role)
{
	static const char	blanks[] = "                                ";

	while (n > 0) {
		md_sb_add(sb, blanks, n > 32 ? 32 : (size_t)n, role);
		n -= 32;
	}
}

/* Move a column kept modulo the tab width (all a tab needs) on by n. */
static void
md_advance(int *col, size_t n)
{
	if (col != NULL)
		*col = (int)((*col + n % MD_TAB) % MD_TAB);
}

/*
 * Append n bytes of document text to sb, made safe: control characters as
 * ^X in ROLE_ESCAPE, C1 controls as \uXX, invalid UTF-8 replaced, newlines
 * as blanks. Each byte takes roles[i] if roles is given, else role. With
 * col (code), tabs go to the next tab stop from *col, which is kept;
 * otherwise a tab is one blank.
 */
static void
md_put(struct md *m, struct md_sbuf *sb, const char *s, size_t n,
    const unsigned char *roles, enum role role, int *col)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, j, k;
	char			 esc[8];
	long			 wc;
	int			 t;
	enum role		 r;

	while (i < n) {
		r = roles != NULL ? roles[i] : role;
		if (p[i] >= 0x20 && p[i] < 0x7f) {
			j = i + 1;
			while (j < n && p[j] >= 0x20 && p[j] < 0x7f &&
			    (roles == NULL || roles[j] == r))
				j++;
			md_sb_add(sb, s + i, j - i, r);
			md_advance(col, j - i);
			i = j;
			continue;
		}
		if (p[i] == '\t' || p[i] == '\n') {
			t = col != NULL && p[i] == '\t' ? MD_TAB - *col : 1;
			md_spaces(sb, t, r);
			md_advance(col, (size_t)t);
			i++;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			esc[0] = '^';
			esc[1] = p[i] == 0x7f ? '?' : (char)(p[i] + '@');
			md_sb_add(sb, esc, 2, ROLE_ESCAPE);
			md_advance(col, 2);
			i++;
			continue;
		}
		k = md_decode(p + i, n - i, &wc);
		if (wc < 0) {
			md_sb_adds(sb, md_glyph(m, MD_G_BAD), r);
			md_advance(col, 1);
		} else if (wc < 0xa0) {
			snprintf(esc, sizeof esc, "\\u%02lx", wc);
			md_sb_adds(sb, esc, ROLE_ESCAPE);
			md_advance(col, 4);
		} else {
			md_sb_add(sb, s + i, k, r);
			md_advance(col, (size_t)md_charw(m, wc));
		}
		i += k;
	}
}

/* The role plain text takes where the document is now. */
static enum role
md_role(struct md *m)
{
	if (m->nspans > 0)
		return m->spans[m->nspans - 1].role;
	if (m->heading != 0)
		return ROLE_HEADING;
	if (m->in_html)
		return ROLE_DIM;
	if (m->in_cell && m->cell_head)
		return ROLE_STRONG;
	if (m->quotes > 0)
		return ROLE_QUOTE;
	return ROLE_DEFAULT;
}

/* Columns a container's marks take on each line inside it. */
static int
md_frame_width(const struct md_frame *f)
{
	if (f->type == MD_BLOCK_QUOTE)
		return 2;
	if (f->type == MD_BLOCK_LI)
		return f->markw;
	return 0;
}

/*
 * The first of the containers below depth whose marks a line shows, with
 * the columns they take in *w: the innermost ones, as many as leave the
 * text min(width / 2, MD_MIN_TEXT) columns, so that deep nesting in a
 * narrow pane loses outer indentation rather than all of its text.
 */
static size_t
md_shown_from(struct md *m, size_t depth, int *w)
{
	int	max, fw;
	size_t	i = depth < m->nframes ? depth : m->nframes;

	max = m->width - (m->width / 2 < MD_MIN_TEXT ? m->width / 2 :
	    MD_MIN_TEXT);
	*w = 0;
	while (i > 0) {
		fw = md_frame_width(&m->frames[i - 1]);
		if (*w + fw > max)
			break;
		*w += fw;
		i--;
	}
	return i;
}

/*
 * Append the marks of the containers below depth: a bar for each block
 * quote, an item's bullet or number on its first line (first) and blanks
 * under it after. An item whose first line is shown without its mark
 * (nested too deep for the width) loses the mark.
 */
static void
md_prefix(struct md *m, struct md_sbuf *sb, size_t depth, int first)
{
	struct md_frame	*f;
	size_t		 i;
	int		 w;

	i = md_shown_from(m, depth, &w);
	if (first) {
		for (; m->marked < i; m->marked++)
			m->frames[m->marked].shown = 1;
	}
	for (; i < depth && i < m->nframes; i++) {
		f = &m->frames[i];
		if (f->type == MD_BLOCK_QUOTE)
			md_sb_adds(sb, md_glyph(m, MD_G_QUOTE), ROLE_QUOTE);
		else if (f->type == MD_BLOCK_LI) {
			if (first && !f->shown) {
				md_sb_adds(sb, f->mark, ROLE_LIST_MARK);
				f->shown = 1;
			} else
				md_spaces(sb, f->markw, ROLE_DEFAULT);
		}
	}
}

/* Columns left for content after the marks of the open containers. */
static int
md_avail(struct md *m)
{
	int	w;

	md_shown_from(m, m->nframes, &w);
	return m->width - w > 0 ? m->width - w : 1;
}

/* Add sb as a finished line, cut to the width. */
static void
md_push(struct md *m, struct md_sbuf *sb, int trim)
{
	struct styled_line	*l;
	size_t			 len = sb->text.len;

	if (trim) {
		while (len > 0 && sb->text.data[len - 1] == ' ')
			len--;
	}
	len = md_cut(m, sb->text.data != NULL ? sb->text.data : "", len,
	    m->width, NULL);
	if (m->n == m->cap) {
		m->cap = m->cap != 0 ? m->cap * 2 : 64;
		m->lines = xrealloc(m->lines, m->cap * sizeof *m->lines);
	}
	l = &m->lines[m->n++];
	l->text = xmalloc(len + 1);
	if (len > 0)
		memcpy(l->text, sb->text.data, len);
	l->text[len] = '\0';
	l->roles = xmalloc(len);
	if (len > 0)
		memcpy(l->roles, sb->roles.data, len);
	l->len = len;
}

/* Emit the blank line asked for, if any, and if anything came before. */
static void
md_blank(struct md *m)
{
	if (!m->need_blank)
		return;
	m->need_blank = 0;
	if (m->n == 0)
		return;
	md_sb_reset(&m->line);
	md_prefix(m, &m->line, m->blank_depth, 0);
	md_push(m, &m->line, 1);
}

/* Emit a line of content (from .. to of sb) under the open containers. */
static void
md_line(struct md *m, const struct md_sbuf *sb, size_t from, size_t to)
{
	md_blank(m);
	md_sb_reset(&m->line);
	md_prefix(m, &m->line, m->nframes, 1);
	md_sb_copy(&m->line, sb, from, to);
	md_push(m, &m->line, 0);
}

/*
 * Ask for a blank line before the next block, unless inside the item of a
 * tight list, whose blocks follow each other directly.
 */
static void
md_want_blank(struct md *m)
{
	struct md_frame	*f;

	if (m->frames_over > 0)
		return;
	if (m->nframes > 0) {
		f = &m->frames[m->nframes - 1];
		if (f->type == MD_BLOCK_LI && f->tight)
			return;
	}
	if (!m->need_blank || m->nframes < m->blank_depth)
		m->blank_depth = m->nframes;
	m->need_blank = 1;
}

/*
 * Wrap bytes a .. b of the paragraph (one hard line) into lines of avail
 * columns and emit them; return the widest line's columns. Runs of blanks
 * between words are kept within a line and dropped where it breaks; a
 * word wider than a line is broken between characters.
 */
static int
md_wrap(struct md *m, size_t a, size_t b, int avail)
{
	struct md_sbuf	*in = &m->inl, *c = &m->content;
	const char	*s = in->text.data;
	size_t		 i = a, j, k, p, q;
	long		 wc;
	int		 curw = 0, maxw = 0, has = 0, gw, ww, cw;

	md_sb_reset(c);
	while (i < b) {
		for (j = i; j < b && s[j] == ' '; j++)
			/* nothing */;
		if (j == b)
			break;
		for (k = j; k < b && s[k] != ' '; k++)
			/* nothing */;
		gw = (int)(j - i);
		ww = md_width(m, s + j, k - j);
		if (has && curw + gw + ww > avail) {
			md_line(m, c, 0, c->text.len);
			md_sb_reset(c);
			maxw = curw > maxw ? curw : maxw;
			curw = has = 0;
			gw = 0;
		} else if (!has && (i != a || gw + ww > avail))
			gw = 0;
		if (gw > 0) {
			md_sb_copy(c, in, i, j);
			curw += gw;
		}
		if (curw + ww <= avail) {
			md_sb_copy(c, in, j, k);
			curw += ww;
		} else {
			for (p = j; p < k; p = q) {
				q = p + md_decode((const unsigned char *)s + p,
				    k - p, &wc);
				cw = md_charw(m, wc);
				if (curw > 0 && curw + cw > avail) {
					md_line(m, c, 0, c->text.len);
					md_sb_reset(c);
					maxw = curw > maxw ? curw : maxw;
					curw = 0;
				}
				md_sb_copy(c, in, p, q);
				curw += cw;
			}
		}
		has = 1;
		i = k;
	}
	md_line(m, c, 0, c->text.len);
	md_sb_reset(c);
	return curw > maxw ? curw : maxw;
}

/*
 * Emit the paragraph gathered so far, wrapped; newlines in it are hard
 * breaks. Return the widest line's columns (0 when there was nothing).
 */
static int
md_flush(struct md *m)
{
	struct md_sbuf	*in = &m->inl;
	const char	*s = in->text.data, *nl;
	size_t		 n = in->text.len, a = 0, b;
	int		 avail, w, maxw = 0;

	if (n == 0)
		return 0;
	avail = md_avail(m);
	while (a < n) {
		nl = memchr(s + a, '\n', n - a);
		b = nl != NULL ? (size_t)(nl - s) : n;
		w = md_wrap(m, a, b, avail);
		maxw = w > maxw ? w : maxw;
		a = b + 1;
	}
	md_sb_reset(in);
	return maxw;
}

/* Append a rule of glyph g, w columns wide, as a line. */
static void
md_rule(struct md *m, enum md_glyph g, int w, enum role role)
{
	struct md_sbuf	*c = &m->content;
	const char	*s = md_glyph(m, g);

	md_sb_reset(c);
	for (; w > 0; w--)
		md_sb_adds(c, s, role);
	md_line(m, c, 0, c->text.len);
	md_sb_reset(c);
}

/* Decode an entity (&amp; &#233; &#x1F600;) into UTF-8 in out. */
static void
md_entity(const char *s, size_t n, struct buf *out)
{
	unsigned long	 c = 0;
	char		 u[4];
	size_t		 i, k;
	int		 hex;

	if (n >= 4 && s[0] == '&' && s[1] == '#' && s[n - 1] == ';') {
		hex = s[2] == 'x' || s[2] == 'X';
		for (i = hex ? 3 : 2; i < n - 1 && c <= 0x10ffff; i++) {
			if (s[i] >= '0' && s[i] <= '9')
				c = c * (hex ? 16 : 10) +
				    (unsigned)(s[i] - '0');
			else if (hex && s[i] >= 'a' && s[i] <= 'f')
				c = c * 16 + (unsigned)(s[i] - 'a' + 10);
			else if (hex && s[i] >= 'A' && s[i] <= 'F')
				c = c * 16 + (unsigned)(s[i] - 'A' + 10);
			else
				break;
		}
		if (c == 0 || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			c = 0xfffd;
		if (c < 0x80) {
			u[0] = (char)c;
			k = 1;
		} else if (c < 0x800) {
			u[0] = (char)(0xc0 | c >> 6);
			u[1] = (char)(0x80 | (c & 0x3f));
			k = 2;
		} else if (c < 0x10000) {
			u[0] = (char)(0xe0 | c >> 12);
			u[1] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[2] = (char)(0x80 | (c & 0x3f));
			k = 3;
		} else {
			u[0] = (char)(0xf0 | c >> 18);
			u[1] = (char)(0x80 | ((c >> 12) & 0x3f));
			u[2] = (char)(0x80 | ((c >> 6) & 0x3f));
			u[3] = (char)(0x80 | (c & 0x3f));
			k = 4;
		}
		buf_add(out, u, k);
		return;
	}
	if (n >= 3 && s[0] == '&' && s[n - 1] == ';') {
		for (i = 0; i < sizeof md_entities / sizeof md_entities[0];
		    i++) {
			if (strlen(md_entities[i].name) == n - 2 &&
			    memcmp(md_entities[i].name, s + 1, n - 2) == 0) {
				buf_adds(out, md_entities[i].utf8);
				return;
			}
		}
	}
	buf_add(out, s, n);
}

/*
 * An attribute (a link's target, a fence's language) as an allocated
 * string, entities decoded; its length in *len.
 */
static char *
md_attr(const MD_ATTRIBUTE *a, size_t *len)
{
	struct buf	b;
	size_t		i, from, to;

	buf_init(&b);
	*len = 0;
	if (a->size == 0 || a->text == NULL)
		return buf_take(&b);
	for (i = 0; a->substr_offsets[i] < a->size; i++) {
		from = a->substr_offsets[i];
		to = a->substr_offsets[i + 1];
		if (a->substr_types[i] == MD_TEXT_ENTITY)
			md_entity(a->text + from, to - from, &b);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			buf_adds(&b, "\xef\xbf\xbd");
		else
			buf_add(&b, a->text + from, to - from);
	}
	*len = b.len;
	return buf_take(&b);
}

/* Append document text to the paragraph in the role of where it is. */
static void
md_inline(struct md *m, const char *s, size_t n)
{
	md_put(m, &m->inl, s, n, NULL, md_role(m), NULL);
}

static struct md_frame *
md_push_frame(struct md *m, MD_BLOCKTYPE type)
{
	struct md_frame	*f;

	if (m->nframes == MD_DEPTH_MAX || m->frames_over > 0) {
		m->frames_over++;
		return NULL;
	}
	if (m->nframes == m->frames_cap) {
		m->frames_cap = m->frames_cap != 0 ? m->frames_cap * 2 : 16;
		m->frames = xrealloc(m->frames, m->frames_cap *
		    sizeof *m->frames);
	}
	if (m->marked > m->nframes)
		m->marked = m->nframes;
	f = &m->frames[m->nframes++];
	memset(f, 0, sizeof *f);
	f->type = type;
	return f;
}

static void
md_pop_frame(struct md *m)
{
	if (m->frames_over > 0)
		m->frames_over--;
	else if (m->nframes > 0)
		m->nframes--;
}

/* The innermost open frame, if it is one of type. */
static struct md_frame *
md_top(struct md *m, MD_BLOCKTYPE type)
{
	if (m->frames_over > 0 || m->nframes == 0 ||
	    m->frames[m->nframes - 1].type != type)
		return NULL;
	return &m->frames[m->nframes - 1];
}

static void
md_enter_item(struct md *m, const MD_BLOCK_LI_DETAIL *d)
{
	struct md_frame	*list, *f;
	char		 mark[32];
	size_t		 n;
	int		 tight = 0;

	if ((list = md_top(m, MD_BLOCK_OL)) != NULL) {
		snprintf(mark, sizeof mark, "%u%c ", list->next,
		    list->delim == ')' ? ')' : '.');
		list->next++;
		tight = list->tight;
	} else {
		snprintf(mark, sizeof mark, "%s", md_glyph(m, MD_G_BULLET));
		if ((list = md_top(m, MD_BLOCK_UL)) != NULL)
			tight = list->tight;
	}
	if (d != NULL && d->is_task) {
		n = strlen(mark);
		snprintf(mark + n, sizeof mark - n, "%s",
		    d->task_mark == ' ' ? "[ ] " : "[x] ");
	}
	if ((f = md_push_frame(m, MD_BLOCK_LI)) == NULL)
		return;
	memcpy(f->mark, mark, sizeof f->mark);
	f->markw = md_width(m, mark, strlen(mark));
	f->tight = tight;
}

/* Append n bytes of made-safe text with their roles. */
static void
md_sb_addr(struct md_sbuf *sb, const char *s, const unsigned char *roles,
    size_t n)
{
	if (n == 0)
		return;
	buf_add(&sb->text, s, n);
	buf_add(&sb->roles, roles, n);
}

/* Whether u is prefix followed by the n bytes of text. */
static int
md_same_link(const char *u, size_t ulen, const char *prefix,
    const char *text, size_t n)
{
	size_t	k = strlen(prefix);

	return ulen == k + n && memcmp(u, prefix, k) == 0 &&
	    (n == 0 || memcmp(u + k, text, n) == 0);
}

/*
 * A link ends: follow its text with " (target)" unless the text already
 * says it (an autolink, a bare URL, an e-mail address).
 */
static void
md_link_end(struct md *m, const struct md_span *sp)
{
	struct md_sbuf	*t = &m->tmp;
	const char	*text = buf_str(&m->inl.text) + sp->start, *u;
	size_t		 n = m->inl.text.len - sp->start, ulen;

	md_sb_reset(t);
	md_put(m, t, sp->href, strlen(sp->href), NULL, ROLE_DIM, NULL);
	u = t->text.data;
	ulen = t->text.len;
	if (ulen == 0 || md_same_link(u, ulen, "", text, n) ||
	    md_same_link(u, ulen, "mailto:", text, n) ||
	    md_same_link(u, ulen, "http://", text, n) ||
	    md_same_link(u, ulen, "https://", text, n))
		return;
	md_sb_adds(&m->inl, " (", ROLE_DIM);
	md_sb_copy(&m->inl, t, 0, ulen);
	md_sb_adds(&m->inl, ")", ROLE_DIM);
}

/* Emit the code block gathered, a line at a time, cut and coloured. */
static void
md_code(struct md *m)
{
	struct md_sbuf	*c = &m->content;
	const char	*s = m->code.data, *nl;
	unsigned char	*roles;
	size_t		 n = m->code.len, a = 0, b, len, i, k;
	int		 state = 0, avail = md_avail(m), col, used;

	while (a < n) {
		nl = memchr(s + a, '\n', n - a);
		b = nl != NULL ? (size_t)(nl - s) : n;
		len = b - a;
		if (len > 0 && s[a + len - 1] == '\r')
			len--;
		buf_reset(&m->roles);
		buf_add(&m->roles, s + a, len);
		roles = (unsigned char *)m->roles.data;
		if (m->code_lang != SYNTAX_NONE) {
			syntax_line(m->code_lang, s + a, len, roles, &state);
			for (i = 0; i < len; i++) {
				if (roles[i] == ROLE_DEFAULT)
					roles[i] = ROLE_CODE;
			}
		} else if (len > 0)
			memset(roles, ROLE_CODE, len);
		md_sb_reset(c);
		md_spaces(c, 2, ROLE_DEFAULT);
		col = 0;
		md_put(m, c, s + a, len, roles, ROLE_CODE, &col);
		if (md_width(m, c->text.data, c->text.len) > avail) {
			k = md_cut(m, c->text.data, c->text.len, avail - 1,
			    &used);
			md_sb_truncate(c, k);
			md_sb_adds(c, md_glyph(m, MD_G_ELLIPSIS), ROLE_DIM);
		}
		md_line(m, c, 0, c->text.len);
		a = b + 1;
	}
	md_sb_reset(c);
}

/* Emit the HTML block gathered, as dim text wrapped line by line. */
static void
md_html(struct md *m)
{
	const char	*s = m->code.data, *nl;
	size_t		 n = m->code.len, a = 0, b, len;

	while (a < n) {
		nl = memchr(s + a, '\n', n - a);
		b = nl != NULL ? (size_t)(nl - s) : n;
		len = b - a;
		if (len > 0 && s[a + len - 1] == '\r')
			len--;
		md_put(m, &m->inl, s + a, len, NULL, ROLE_DIM, NULL);
		md_sb_add(&m->inl, "\n", 1, ROLE_DIM);
		a = b + 1;
	}
	md_flush(m);
}

/* Keep the text gathered in a table cell as the next cell of its row. */
static void
md_cell_end(struct md *m)
{
	struct md_sbuf	*in = &m->inl;
	struct md_cell	*c;

	if (m->ncells == m->cells_cap) {
		m->cells_cap = m->cells_cap != 0 ? m->cells_cap * 2 : 16;
		m->cells = xrealloc(m->cells, m->cells_cap * sizeof *m->cells);
	}
	c = &m->cells[m->ncells++];
	c->len = in->text.len;
	c->text = xmalloc(c->len + 1);
	c->roles = xmalloc(c->len);
	if (c->len > 0) {
		memcpy(c->text, in->text.data, c->len);
		memcpy(c->roles, in->roles.data, c->len);
	}
	c->text[c->len] = '\0';
	c->width = md_width(m, c->text, c->len);
	c->row = m->row;
	c->col = m->col++;
	c->align = m->cell_align;
	c->head = m->cell_head;
	md_sb_reset(in);
}

static void
md_cells_free(struct md *m)
{
	size_t	i;

	for (i = 0; i < m->ncells; i++) {
		free(m->cells[i].text);
		free(m->cells[i].roles);
	}
	m->ncells = 0;
}

/*
 * Narrow the columns to fit target columns in all: the widest give way
 * first (the largest cap that fits, then a column each of what is left).
 */
static void
md_table_fit(int *w, unsigned ncols, int target)
{
	long	total = 0, sum;
	int	lo = 1, hi = 1, mid;
	unsigned c;

	for (c = 0; c < ncols; c++) {
		total += w[c];
		hi = w[c] > hi ? w[c] : hi;
	}
	if (total <= target)
		return;
	if (target < (long)ncols) {
		for (c = 0; c < ncols; c++)
			w[c] = w[c] > 1 ? 1 : w[c];
		return;
	}
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		for (sum = 0, c = 0; c < ncols; c++)
			sum += w[c] < mid ? w[c] : mid;
		if (sum <= target)
			lo = mid;
		else
			hi = mid - 1;
	}
	for (sum = 0, c = 0; c < ncols; c++)
		sum += w[c] < lo ? w[c] : lo;
	for (c = 0; c < ncols; c++) {
		if (w[c] > lo) {
			w[c] = lo + (sum < target ? 1 : 0);
			if (sum < target)
				sum++;
		}
	}
}

/* Append one cell padded (or cut) to w columns. */
static void
md_cell_put(struct md *m, struct md_sbuf *sb, const struct md_cell *c,
    int w, MD_ALIGN align, int last)
{
	int	cw = c != NULL ? c->width : 0, used, left = 0;
	size_t	k;

	if (cw > w) {
		k = md_cut(m, c->text, c->len, w - 1, &used);
		md_sb_addr(sb, c->text, c->roles, k);
		md_sb_adds(sb, md_glyph(m, MD_G_ELLIPSIS), ROLE_DIM);
		if (!last)
			md_spaces(sb, w - 1 - used, ROLE_DEFAULT);
		return;
	}
	if (align == MD_ALIGN_RIGHT)
		left = w - cw;
	else if (align == MD_ALIGN_CENTER)
		left = (w - cw) / 2;
	md_spaces(sb, left, ROLE_DEFAULT);
	if (c != NULL)
		md_sb_addr(sb, c->text, c->roles, c->len);
	if (!last)
		md_spaces(sb, w - cw - left, ROLE_DEFAULT);
}

/*
 * Emit the table gathered: columns as wide as their widest cell, narrowed
 * to fit, cells separated by bars, a rule under the header. A row stops
 * being built once past the width, since the rest would be cut anyway.
 */
static void
md_table(struct md *m)
{
	struct md_sbuf	*sb = &m->content;
	struct md_cell	*c;
	MD_ALIGN	*align;
	unsigned	 ncols = m->table_cols, col, r;
	size_t		 i, ci = 0;
	int		*w, avail, used, head;

	for (i = 0; i < m->ncells; i++) {
		if (m->cells[i].col >= ncols)
			ncols = m->cells[i].col + 1;
	}
	if (ncols == 0 || m->ncells == 0)
		return;
	w = xcalloc(ncols, sizeof *w);
	align = xcalloc(ncols, sizeof *align);
	for (i = 0; i < m->ncells; i++) {
		c = &m->cells[i];
		if (c->width > w[c->col])
			w[c->col] = c->width;
		if (c->row == 0)
			align[c->col] = c->align;
	}
	avail = md_avail(m);
	md_table_fit(w, ncols, avail - MD_SEP_W * (int)(ncols - 1));
	for (r = 0; ci < m->ncells; r++) {
		head = m->cells[ci].row == r && m->cells[ci].head;
		md_sb_reset(sb);
		for (col = 0, used = 0; col < ncols && used <= avail; col++) {
			if (col > 0) {
				md_sb_adds(sb, md_glyph(m, MD_G_SEP),
				    ROLE_RULE);
				used += MD_SEP_W;
			}
			c = NULL;
			if (ci < m->ncells && m->cells[ci].row == r &&
			    m->cells[ci].col == col)
				c = &m->cells[ci++];
			md_cell_put(m, sb, c, w[col], align[col],
			    col == ncols - 1);
			used += w[col];
		}
		while (ci < m->ncells && m->cells[ci].row == r)
			ci++;
		md_line(m, sb, 0, sb->text.len);
		if (!head || (ci < m->ncells && m->cells[ci].head))
			continue;
		md_sb_reset(sb);
		for (col = 0, used = 0; col < ncols && used <= avail; col++) {
			if (col > 0) {
				md_sb_adds(sb, md_glyph(m, MD_G_CROSS),
				    ROLE_RULE);
				used += MD_SEP_W;
			}
			for (i = 0; i < (size_t)w[col] && used <= avail;
			    i++, used++)
				md_sb_adds(sb, md_glyph(m, MD_G_RULE),
				    ROLE_RULE);
		}
		md_line(m, sb, 0, sb->text.len);
	}
	md_sb_reset(sb);
	free(w);
	free(align);
}

static int
md_enter_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct md		*m = arg;
	struct md_frame		*f;
	MD_BLOCK_OL_DETAIL	*ol;
	MD_BLOCK_CODE_DETAIL	*code;
	char			*lang;
	size_t			 n;
	unsigned		 level;

	switch (type) {
	case MD_BLOCK_DOC:
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		break;
	case MD_BLOCK_TR:
		m->col = 0;
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		md_sb_reset(&m->inl);
		m->in_cell = 1;
		m->cell_head = type == MD_BLOCK_TH;
		m->cell_align = detail != NULL ?
		    ((MD_BLOCK_TD_DETAIL *)detail)->align : MD_ALIGN_DEFAULT;
		break;
	case MD_BLOCK_QUOTE:
		md_flush(m);
		md_push_frame(m, type);
		m->quotes++;
		break;
	case MD_BLOCK_UL:
		md_flush(m);
		if ((f = md_push_frame(m, type)) != NULL)
			f->tight = ((MD_BLOCK_UL_DETAIL *)detail)->is_tight;
		break;
	case MD_BLOCK_OL:
		md_flush(m);
		ol = detail;
		if ((f = md_push_frame(m, type)) != NULL) {
			f->tight = ol->is_tight;
			f->next = ol->start;
			f->delim = ol->mark_delimiter;
		}
		break;
	case MD_BLOCK_LI:
		md_flush(m);
		md_enter_item(m, detail);
		break;
	case MD_BLOCK_HR:
		md_flush(m);
		md_rule(m, MD_G_RULE, md_avail(m), ROLE_RULE);
		break;
	case MD_BLOCK_H:
		md_flush(m);
		level = ((MD_BLOCK_H_DETAIL *)detail)->level;
		m->heading = level < 1 ? 1 : level > 6 ? 6 : level;
		if (m->heading >= 3) {
			md_sb_add(&m->inl, "######", m->heading, ROLE_DIM);
			md_sb_add(&m->inl, " ", 1, ROLE_DIM);
		}
		break;
	case MD_BLOCK_CODE:
		md_flush(m);
		code = detail;
		lang = md_attr(&code->lang, &n);
		m->code_lang = syntax_lookup(lang, n);
		free(lang);
		buf_reset(&m->code);
		m->in_code = 1;
		break;
	case MD_BLOCK_HTML:
		md_flush(m);
		buf_reset(&m->code);
		m->in_html = 1;
		break;
	case MD_BLOCK_P:
		md_flush(m);
		break;
	case MD_BLOCK_TABLE:
		md_flush(m);
		md_cells_free(m);
		m->row = m->col = 0;
		m->table_cols = ((MD_BLOCK_TABLE_DETAIL *)detail)->col_count;
		break;
	default:
		break;
	}
	return 0;
}

static int
md_leave_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct md	*m = arg;
	struct md_frame	*f;
	unsigned	 level;
	int		 w, avail;

	switch (type) {
	case MD_BLOCK_DOC:
		md_flush(m);
		break;
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		break;
	case MD_BLOCK_TR:
		m->row++;
		break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		md_cell_end(m);
		m->in_cell = 0;
		break;
	case MD_BLOCK_QUOTE:
		md_flush(m);
		md_pop_frame(m);
		m->quotes--;
		md_want_blank(m);
		break;
	case MD_BLOCK_UL:
	case MD_BLOCK_OL:
		md_flush(m);
		md_pop_frame(m);
		md_want_blank(m);
		break;
	case MD_BLOCK_LI:
		md_flush(m);
		if ((f = md_top(m, MD_BLOCK_LI)) != NULL && !f->shown) {
			md_sb_reset(&m->content);
			md_line(m, &m->content, 0, 0);
		}
		md_pop_frame(m);
		break;
	case MD_BLOCK_HR:
		md_want_blank(m);
		break;
	case MD_BLOCK_H:
		w = md_flush(m);
		level = m->heading;
		m->heading = 0;
		avail = md_avail(m);
		if (level <= 2 && w > 0)
			md_rule(m, level == 1 ? MD_G_H1 : MD_G_H2,
			    w < avail ? w : avail, ROLE_HEADING);
		md_want_blank(m);
		break;
	case MD_BLOCK_CODE:
		md_code(m);
		m->in_code = 0;
		md_want_blank(m);
		break;
	case MD_BLOCK_HTML:
		md_html(m);
		m->in_html = 0;
		md_want_blank(m);
		break;
	case MD_BLOCK_P:
		md_flush(m);
		md_want_blank(m);
		break;
	case MD_BLOCK_TABLE:
		md_table(m);
		md_cells_free(m);
		md_want_blank(m);
		break;
	default:
		break;
	}
	return 0;
}

static int
md_enter_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct md	*m = arg;
	struct md_span	*sp;
	enum role	 role;
	size_t		 n;

	switch (type) {
	case MD_SPAN_EM:
	case MD_SPAN_U:
		role = ROLE_EMPH;
		break;
	case MD_SPAN_STRONG:
		role = ROLE_STRONG;
		break;
	case MD_SPAN_CODE:
	case MD_SPAN_LATEXMATH:
	case MD_SPAN_LATEXMATH_DISPLAY:
		role = ROLE_CODE;
		break;
	case MD_SPAN_A:
	case MD_SPAN_WIKILINK:
		role = ROLE_LINK;
		break;
	case MD_SPAN_IMG:
		md_sb_adds(&m->inl, "[image: ", ROLE_DIM);
		role = ROLE_DIM;
		break;
	case MD_SPAN_DEL:
		role = ROLE_DIM;
		break;
	default:
		role = md_role(m);
		break;
	}
	if (m->nspans == MD_DEPTH_MAX || m->spans_over > 0) {
		m->spans_over++;
		return 0;
	}
	if (m->nspans == m->spans_cap) {
		m->spans_cap = m->spans_cap != 0 ? m->spans_cap * 2 : 16;
		m->spans = xrealloc(m->spans, m->spans_cap * sizeof *m->spans);
	}
	sp = &m->spans[m->nspans++];
	sp->role = role;
	sp->start = m->inl.text.len;
	sp->href = NULL;
	if (type == MD_SPAN_A && detail != NULL)
		sp->href = md_attr(&((MD_SPAN_A_DETAIL *)detail)->href, &n);
	return 0;
}

static int
md_leave_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct md	*m = arg;
	struct md_span	*sp;

	if (m->spans_over > 0) {
		m->spans_over--;
		if (type == MD_SPAN_IMG)
			md_sb_adds(&m->inl, "]", ROLE_DIM);
		return 0;
	}
	if (m->nspans == 0)
		return 0;
	sp = &m->spans[--m->nspans];
	if (type == MD_SPAN_IMG) {
		if (m->inl.text.len == sp->start) {
			md_sb_truncate(&m->inl, sp->start - strlen("[image: "));
			md_sb_adds(&m->inl, "[image]", ROLE_DIM);
		} else
			md_sb_adds(&m->inl, "]", ROLE_DIM);
	} else if (type == MD_SPAN_A && sp->href != NULL)
		md_link_end(m, sp);
	free(sp->href);
	sp->href = NULL;
	return 0;
}

static int
md_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *arg)
{
	struct md	*m = arg;
	struct buf	 b;

	if (m->in_code || m->in_html) {
		if (type == MD_TEXT_NULLCHAR)
			buf_adds(&m->code, "\xef\xbf\xbd");
		else
			buf_add(&m->code, s, n);
		return 0;
	}
	switch (type) {
	case MD_TEXT_NULLCHAR:
		md_inline(m, "\xef\xbf\xbd", 3);
		break;
	case MD_TEXT_BR:
		if (m->in_cell)
			md_sb_add(&m->inl, " ", 1, md_role(m));
		else
			md_sb_add(&m->inl, "\n", 1, ROLE_DEFAULT);
		break;
	case MD_TEXT_SOFTBR:
		md_sb_add(&m->inl, " ", 1, md_role(m));
		break;
	case MD_TEXT_ENTITY:
		buf_init(&b);
		md_entity(s, n, &b);
		md_inline(m, b.data, b.len);
		buf_done(&b);
		break;
	case MD_TEXT_HTML:
		md_put(m, &m->inl, s, n, NULL,
		    m->nspans > 0 ? md_role(m) : ROLE_DIM, NULL);
		break;
	default:
		md_inline(m, s, n);
		break;
	}
	return 0;
}

static const MD_PARSER md_parser = {
	.abi_version = 0,
	.flags = MD_DIALECT_GITHUB,
	.enter_block = md_enter_block,
	.leave_block = md_leave_block,
	.enter_span = md_enter_span,
	.leave_span = md_leave_span,
	.text = md_text,
	.debug_log = NULL,
	.syntax = NULL,
};

static void
md_init(struct md *m, int width, int utf8)
{
	memset(m, 0, sizeof *m);
	m->width = width < 1 ? 1 : width > MD_WIDTH_MAX ? MD_WIDTH_MAX : width;
	m->utf8 = utf8;
	md_sb_init(&m->inl);
	md_sb_init(&m->content);
	md_sb_init(&m->line);
	md_sb_init(&m->tmp);
	buf_init(&m->code);
	buf_init(&m->roles);
}

static void
md_done(struct md *m)
{
	size_t	i;

	for (i = 0; i < m->nspans; i++)
		free(m->spans[i].href);
	free(m->spans);
	free(m->frames);
	md_cells_free(m);
	free(m->cells);
	md_sb_done(&m->inl);
	md_sb_done(&m->content);
	md_sb_done(&m->line);
	md_sb_done(&m->tmp);
	buf_done(&m->code);
	buf_done(&m->roles);
}

int
markdown_render(const char *md, size_t len, int width, int utf8,
    struct styled_line **out, size_t *n, char **cause)
{
	struct md	m;
	int		rc = -1;

	if (len > UINT_MAX) {
		*cause = xasprintf("document too large to render (%zu bytes)",
		    len);
		return -1;
	}
	md_init(&m, width, utf8);
	if (md_parse(md != NULL ? md : "", (MD_SIZE)len, &md_parser, &m) !=
	    0) {
		*cause = xstrdup("cannot render Markdown: out of memory");
		styled_lines_free(m.lines, m.n);
		goto out;
	}
	if (m.n == 0) {
		free(m.lines);
		m.lines = NULL;
	}
	*out = m.lines;
	*n = m.n;
	rc = 0;
out:
	md_done(&m);
	return rc;
}
