# SPDX-License-Identifier: GPL-2.0-only
SCRIPT_TESTS += tests/deps/deps-test.sh
SCRIPT_TESTS += tests/deps/help-test.sh
