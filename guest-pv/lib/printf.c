// SPDX-License-Identifier: MIT
/*
 * printf-style formatting for guest-pv kernels. The output state is a
 * buffer, its size and the length so far; characters past the end are
 * counted but dropped, as snprintf does.
 */
#include <gpv/lib.h>
#include <gpv/console.h>

struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct fmt_out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_str(struct fmt_out *o, const char *s, int width, bool left)
{
	int n;

	if (!s)
		s = "(null)";
	n = (int)strlen(s);
	if (!left)
		out_pad(o, ' ', width - n);
	while (*s)
		out_char(o, *s++);
	if (left)
		out_pad(o, ' ', width - n);
}

static void out_num(struct fmt_out *o, unsigned long long v, bool neg, unsigned int base,
		    bool upper, int width, char pad, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, len;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + (neg ? 1 : 0);
	if (neg && pad == '0')
		out_char(o, '-');
	if (!left)
		out_pad(o, pad, width - len);
	if (neg && pad != '0')
		out_char(o, '-');
	while (n)
		out_char(o, tmp[--n]);
	if (left)
		out_pad(o, ' ', width - len);
}

static unsigned long long arg_unsigned(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long arg_signed(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

/* Format one conversion starting after '%'; returns the next format char. */
static const char *format_one(struct fmt_out *o, const char *f, va_list *ap)
{
	bool left = false, alt = false;
	char pad = ' ';
	int width = 0, lng = 0;
	long long sv;

	for (; *f == '-' || *f == '0' || *f == '#'; f++) {
		if (*f == '-')
			left = true;
		else if (*f == '#')
			alt = true;
		else
			pad = '0';
	}
	if (left)
		pad = ' ';
	/* Widths are clamped so a hostile format cannot overflow the int. */
	for (; *f >= '0' && *f <= '9'; f++)
		if (width < 4096)
			width = width * 10 + (*f - '0');
	for (; *f == 'l' || *f == 'z'; f++)
		lng++;
	switch (*f) {
	case 'd':
	case 'i':
		sv = arg_signed(ap, lng);
		out_num(o, sv < 0 ? -(unsigned long long)sv : (unsigned long long)sv, sv < 0, 10,
			false, width, pad, left);
		break;
	case 'u':
		out_num(o, arg_unsigned(ap, lng), false, 10, false, width, pad, left);
		break;
	case 'x':
	case 'X':
		if (alt)
			out_str(o, "0x", 0, false);
		out_num(o, arg_unsigned(ap, lng), false, 16, *f == 'X', width, pad, left);
		break;
	case 'p':
		out_str(o, "0x", 0, false);
		out_num(o, (unsigned long)va_arg(*ap, void *), false, 16, false, width, pad, left);
		break;
	case 's':
		out_str(o, va_arg(*ap, const char *), width, left);
		break;
	case 'c':
		out_char(o, (char)va_arg(*ap, int));
		break;
	case '%':
		out_char(o, '%');
		break;
	case '\0':
		return f;
	default:
		out_char(o, '%');
		out_char(o, *f);
		break;
	}
	return f + 1;
}

int gpv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { buf, size, 0 };
	va_list aq;

	va_copy(aq, ap);
	while (*fmt) {
		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = format_one(&o, fmt + 1, &aq);
	}
	va_end(aq);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int gpv_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = gpv_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int gpv_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = gpv_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	gpv_console_write(buf, (size_t)n);
	return n;
}
