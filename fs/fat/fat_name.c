/*
 * Names: UTF-8 <-> UTF-16 for long names, case folding for lookups, the
 * 8.3 short names (basis name and numeric tail, Microsoft's FAT
 * specification section 7) and their checksum.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fat.h"

int fat_utf8_to16(const char *s, size_t len, uint16_t *out, int max)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + len;
	int n = 0;

	while (p < end) {
		uint32_t c = *p++;
		int more = c < 0x80		? 0
			   : (c & 0xe0) == 0xc0 ? 1
			   : (c & 0xf0) == 0xe0 ? 2
			   : (c & 0xf8) == 0xf0 ? 3
						: -1;
		if (more < 0 || end - p < more)
			return -EINVAL;
		if (more)
			c &= 0x3f >> more;
		for (int i = 0; i < more; i++, p++) {
			if ((*p & 0xc0) != 0x80)
				return -EINVAL;
			c = c << 6 | (*p & 0x3f);
		}
		/* no overlong forms, surrogates or values past U+10FFFF */
		static const uint32_t min[] = {0, 0x80, 0x800, 0x10000};
		if (c < min[more] || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
			return -EINVAL;
		if (n + (c >= 0x10000 ? 2 : 1) > max)
			return -ENAMETOOLONG;
		if (c >= 0x10000) {
			c -= 0x10000;
			out[n++] = (uint16_t)(0xd800 | c >> 10);
			out[n++] = (uint16_t)(0xdc00 | (c & 0x3ff));
		} else {
			out[n++] = (uint16_t)c;
		}
	}
	return n;
}

int fat_utf16_to8(const uint16_t *s, int n, char *out, size_t size)
{
	size_t k = 0;

	for (int i = 0; i < n; i++) {
		uint32_t c = s[i];
		char tmp[4];
		int m;
		if (c >= 0xd800 && c < 0xdc00) {
			if (i + 1 >= n || s[i + 1] < 0xdc00 || s[i + 1] >= 0xe000)
				return -EINVAL;
			c = 0x10000 + ((c - 0xd800) << 10) + (s[++i] - 0xdc00);
		} else if (c >= 0xdc00 && c < 0xe000) {
			return -EINVAL;
		}
		if (c < 0x80) {
			tmp[0] = (char)c;
			m = 1;
		} else if (c < 0x800) {
			tmp[0] = (char)(0xc0 | c >> 6);
			tmp[1] = (char)(0x80 | (c & 0x3f));
			m = 2;
		} else if (c < 0x10000) {
			tmp[0] = (char)(0xe0 | c >> 12);
			tmp[1] = (char)(0x80 | (c >> 6 & 0x3f));
			tmp[2] = (char)(0x80 | (c & 0x3f));
			m = 3;
		} else {
			tmp[0] = (char)(0xf0 | c >> 18);
			tmp[1] = (char)(0x80 | (c >> 12 & 0x3f));
			tmp[2] = (char)(0x80 | (c >> 6 & 0x3f));
			tmp[3] = (char)(0x80 | (c & 0x3f));
			m = 4;
		}
		if (k + m + 1 > size)
			return -ENAMETOOLONG;
		memcpy(out + k, tmp, m);
		k += m;
	}
	if (k + 1 > size)
		return -ENAMETOOLONG;
	out[k] = '\0';
	return (int)k;
}

/* Upper case for lookups: ASCII, Latin-1, Latin Extended-A, Greek and
 * Cyrillic, which covers the scripts with case that names mostly use. */
uint16_t fat_fold(uint16_t c)
{
	if (c >= 'a' && c <= 'z')
		return c - 0x20;
	if (c < 0xe0)
		return c;
	if (c <= 0xfe && c != 0xf7)
		return c - 0x20;
	if (c >= 0x100 && c <= 0x17f && c != 0x130 && c != 0x131 && c != 0x138 && c != 0x149 &&
	    c != 0x17f)
		return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e)
			   ? ((c & 1) ? c : c - 1)
			   : (uint16_t)(c & ~1u);
	if (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2)
		return c - 0x20;
	if (c >= 0x430 && c <= 0x44f)
		return c - 0x20;
	if (c >= 0x450 && c <= 0x45f)
		return c - 0x50;
	return c;
}

int fat_name_eq(const uint16_t *a, int alen, const uint16_t *b, int blen)
{
	if (alen != blen)
		return 0;
	for (int i = 0; i < alen; i++)
		if (a[i] != b[i] && fat_fold(a[i]) != fat_fold(b[i]))
			return 0;
	return 1;
}

uint8_t fat_sfn_checksum(const uint8_t sfn[11])
{
	uint8_t sum = 0;

	for (int i = 0; i < 11; i++)
		sum = (uint8_t)(((sum & 1) << 7) + (sum >> 1) + sfn[i]);
	return sum;
}

static int sfn_char_ok(uint16_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("$%'-_@~`!(){}^#&", c);
}

/* Short names hold bytes of an OEM code page: 850 (what mtools and DOS
 * in Western Europe write), for the bytes 0x80..0xff. */
static const uint16_t cp850[128] = {
    0x00c7, 0x00fc, 0x00e9, 0x00e2, 0x00e4, 0x00e0, 0x00e5, 0x00e7, 0x00ea, 0x00eb, 0x00e8, 0x00ef,
    0x00ee, 0x00ec, 0x00c4, 0x00c5, 0x00c9, 0x00e6, 0x00c6, 0x00f4, 0x00f6, 0x00f2, 0x00fb, 0x00f9,
    0x00ff, 0x00d6, 0x00dc, 0x00f8, 0x00a3, 0x00d8, 0x00d7, 0x0192, 0x00e1, 0x00ed, 0x00f3, 0x00fa,
    0x00f1, 0x00d1, 0x00aa, 0x00ba, 0x00bf, 0x00ae, 0x00ac, 0x00bd, 0x00bc, 0x00a1, 0x00ab, 0x00bb,
    0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00c1, 0x00c2, 0x00c0, 0x00a9, 0x2563, 0x2551, 0x2557,
    0x255d, 0x00a2, 0x00a5, 0x2510, 0x2514, 0x2534, 0x252c, 0x251c, 0x2500, 0x253c, 0x00e3, 0x00c3,
    0x255a, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256c, 0x00a4, 0x00f0, 0x00d0, 0x00ca, 0x00cb,
    0x00c8, 0x0131, 0x00cd, 0x00ce, 0x00cf, 0x2518, 0x250c, 0x2588, 0x2584, 0x00a6, 0x00cc, 0x2580,
    0x00d3, 0x00df, 0x00d4, 0x00d2, 0x00f5, 0x00d5, 0x00b5, 0x00fe, 0x00de, 0x00da, 0x00db, 0x00d9,
    0x00fd, 0x00dd, 0x00af, 0x00b4, 0x00ad, 0x00b1, 0x2017, 0x00be, 0x00b6, 0x00a7, 0x00f7, 0x00b8,
    0x00b0, 0x00a8, 0x00b7, 0x00b9, 0x00b3, 0x00b2, 0x25a0, 0x00a0,
};

int fat_sfn_to16(const uint8_t raw[FAT_DIRENT_SIZE], uint16_t out[12])
{
	int k = 0;

	for (int i = 0; i < 11; i++) {
		if (i == 8) {
			if (raw[8] == ' ')
				break;
			while (k && out[k - 1] == ' ')
				k--;
			out[k++] = '.';
		}
		uint16_t c = raw[i];
		if (i == 0 && c == 0x05)
			c = 0xe5;
		if (c >= 'A' && c <= 'Z' && (raw[12] & (i < 8 ? 0x08 : 0x10)))
			c += 0x20;
		if (c >= 0x80)
			c = cp850[c - 0x80];
		/* characters no name may hold */
		if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
			c = '_';
		out[k++] = c;
	}
	while (k && out[k - 1] == ' ')
		k--;
	if (!k)
		out[k++] = '_';
	return k;
}

void fat_sfn_to_name(const uint8_t raw[FAT_DIRENT_SIZE], char *out, size_t size)
{
	uint16_t u[12];
	int n = fat_sfn_to16(raw, u);

	if (fat_utf16_to8(u, n, out, size) < 0)
		snprintf(out, size, "_");
}

int fat_name_check(const uint16_t *name, int n)
{
	if (n <= 0 || n > FAT_NAME_MAX)
		return n <= 0 ? -EINVAL : -ENAMETOOLONG;
	for (int i = 0; i < n; i++)
		if (name[i] < 0x20 || (name[i] < 0x80 && strchr("\"*/:<>?\\|\x7f", name[i])))
			return -EINVAL;
	/* Windows drops trailing dots and spaces: such a name would not
	 * come back as written. */
	if (name[n - 1] == '.' || name[n - 1] == ' ')
		return -EINVAL;
	return 0;
}

/* Copy the short-name form of name[from, to) into @dst (at most @max):
 * upper case, spaces and dots left out, other characters a short name
 * cannot hold as '_'. *lossy is set when anything was lost. */
static int sfn_part(const uint16_t *name, int from, int to, uint8_t *dst, int max, int *lossy)
{
	int k = 0;

	for (int i = from; i < to; i++) {
		uint16_t c = name[i] < 0x80 ? fat_fold(name[i]) : '_';
		if (c == ' ' || c == '.') {
			*lossy = 1;
			continue;
		}
		if (!sfn_char_ok(c)) {
			c = '_';
			*lossy = 1;
		}
		if (k == max) {
			*lossy = 1;
			break;
		}
		dst[k++] = (uint8_t)c;
	}
	return k;
}

void fat_sfn_basis(const uint16_t *name, int n, uint8_t sfn[11], int *lossy)
{
	int start = 0, dot = -1;

	*lossy = 0;
	memset(sfn, ' ', 11);
	while (start < n && name[start] == '.')
		start++;
	if (start)
		*lossy = 1;
	for (int i = start; i < n; i++)
		if (name[i] == '.')
			dot = i;
	if (!sfn_part(name, start, dot < 0 ? n : dot, sfn, 8, lossy)) {
		sfn[0] = '_';
		*lossy = 1;
	}
	if (dot >= 0)
		sfn_part(name, dot + 1, n, sfn + 8, 3, lossy);
}

void fat_sfn_tail(const uint8_t basis[11], unsigned num, uint8_t sfn[11])
{
	char tail[12];
	int tl = snprintf(tail, sizeof(tail), "~%u", num), bl = 0;

	while (bl < 8 && basis[bl] != ' ')
		bl++;
	if (bl > 8 - tl)
		bl = 8 - tl;
	memset(sfn, ' ', 8);
	memcpy(sfn, basis, bl);
	memcpy(sfn + bl, tail, tl);
	memcpy(sfn + 8, basis + 8, 3);
}
