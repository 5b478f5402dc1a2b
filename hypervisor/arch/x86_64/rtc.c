// SPDX-License-Identifier: GPL-2.0-only
/*
 * The wallclock: read once from the CMOS RTC (waiting out an update in
 * progress, BCD or binary, 12- or 24-hour) and turned into seconds since
 * the Unix epoch, for shared_info's wc_* fields.
 */
#include <asm/x86.h>
#include <lamina/arch.h>

static uint8_t cmos(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static unsigned int bcd(uint8_t v, bool is_bcd)
{
	return is_bcd ? (v & 0xf) + (v >> 4) * 10 : v;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_from_civil(unsigned int y, unsigned int m, unsigned int d)
{
	unsigned int era, yoe, doy, doe;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (uint64_t)era * 146097 + doe - 719468;
}

uint64_t arch_wallclock_now(void)
{
	uint8_t sec, min, hour, day, mon, year, cent, b;
	bool is_bcd, pm;
	unsigned int h;

	for (int i = 0; i < 1000000 && (cmos(0x0a) & 0x80); i++)
		cpu_relax();
	sec = cmos(0x00);
	min = cmos(0x02);
	hour = cmos(0x04);
	day = cmos(0x07);
	mon = cmos(0x08);
	year = cmos(0x09);
	cent = cmos(0x32);
	b = cmos(0x0b);
	is_bcd = !(b & 0x04);
	pm = hour & 0x80;
	h = bcd(hour & 0x7f, is_bcd);
	if (!(b & 0x02) && pm)
		h = (h % 12) + 12;
	else if (!(b & 0x02) && h == 12)
		h = 0;
	{
		unsigned int y = bcd(year, is_bcd) + (cent ? bcd(cent, is_bcd) * 100 : 2000);
		unsigned int m = bcd(mon, is_bcd), d = bcd(day, is_bcd);

		if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1970)
			return 0;
		return days_from_civil(y, m, d) * 86400 + h * 3600 + bcd(min, is_bcd) * 60 +
		       bcd(sec, is_bcd);
	}
}
