// SPDX-License-Identifier: GPL-2.0-only
/*
 * build/lxl's main(): everything else is in lxl_main.c, so the unit tests
 * can link the command line without a second main().
 */
#include "lxl.h"

int lxl_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return lxl_main(argc, argv);
}
