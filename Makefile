# forklab: one flat Makefile, read top to bottom.
#   make            bin/forklab and the grader objects
#   make check      every test (unit, sandbox, graders)
#   make bench      benchmarks, figures as ratios measured side by side
#   make install    PREFIX=/usr/local DESTDIR=
#   make clean

PREFIX  ?= /usr/local
CC      ?= cc
PKGS    := libseccomp jansson
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra
DEPS_CFLAGS := $(shell pkg-config --cflags $(PKGS))
DEPS_LIBS   := $(shell pkg-config --libs $(PKGS))
CHECK_CFLAGS := $(shell pkg-config --cflags check)
CHECK_LIBS   := $(shell pkg-config --libs check)

HARNESS_SRC := $(wildcard harness/*.c)
HARNESS_OBJ := $(HARNESS_SRC:harness/%.c=build/harness/%.o)

EXERCISES := 01-spawn 02-naming 03-subclass 04-pipe 05-queue 06-pool \
             07-barrier 08-terminate
# The sheet's compile line for everything linked with a submission.
STUDENT_CFLAGS := -std=gnu11 -D_GNU_SOURCE -O2 -g -pthread
GRADER_OBJ := $(EXERCISES:%=build/graders/%.o)
REF_DRIVERS := $(EXERCISES:%=build/ref/%)
file_of = $(notdir $(wildcard reference/$(1)/*.c))

all: bin/forklab $(GRADER_OBJ) $(REF_DRIVERS)

build/harness/%.o: harness/%.c $(wildcard harness/*.h) | build/harness
	$(CC) $(CFLAGS) $(DEPS_CFLAGS) -c $< -o $@

# The tables of tests are compiled into forklab too.
build/harness/catalog.o: $(wildcard graders/*.tests) graders/table.h

bin/forklab: $(HARNESS_OBJ) | bin
	$(CC) $(CFLAGS) $^ -o $@ $(DEPS_LIBS) -lm

# A grader object: the grader and driver.c in one relocatable object whose
# symbols are all local but main, so a submission cannot call into the driver.
build/graders/driver.o: graders/driver.c graders/driver.h graders/table.h | build/graders
	$(CC) $(STUDENT_CFLAGS) -Wall -Wextra -c $< -o $@

build/graders/%.o: graders/%.c graders/%.tests graders/tests.inc build/graders/driver.o graders/driver.h graders/table.h | build/graders
	$(CC) $(STUDENT_CFLAGS) -Wall -Wextra -Igraders -Iexercises/$* -c $< -o $@.tmp.o
	ld -r $@.tmp.o build/graders/driver.o -o $@.tmp2.o
	objcopy --keep-global-symbol=main --strip-debug $@.tmp2.o $@
	rm -f $@.tmp.o $@.tmp2.o

# A reference driver: the reference solution linked with its grader.
build/ref/%: build/graders/%.o reference/%/*.c exercises/%/*.h | build/ref
	$(CC) $(STUDENT_CFLAGS) -Wall -Wextra -Iexercises/$* reference/$*/$(call file_of,$*) $< -o $@ -lrt -lm

bin build/harness build/graders build/ref build/tests build/unit-progs build/sandbox:
	mkdir -p $@

# ---- tests ----
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_PROGS := $(patsubst tests/unit/progs/%.c,build/unit-progs/%,$(wildcard tests/unit/progs/*.c))
SANDBOX_PROGS := $(patsubst tests/sandbox/%.c,build/sandbox/%,$(wildcard tests/sandbox/*.c))
LIB_OBJ := $(filter-out build/harness/main.o,$(HARNESS_OBJ))

build/tests/unit: $(UNIT_SRC) tests/unit/unit.h $(LIB_OBJ) | build/tests
	$(CC) $(CFLAGS) $(DEPS_CFLAGS) $(CHECK_CFLAGS) -Iharness $(UNIT_SRC) $(LIB_OBJ) -o $@ $(CHECK_LIBS) $(DEPS_LIBS) -lm

# The report formats end to end; it calls report.c and course.c as well.
build/tests/test_reports: tests/test_reports.c $(LIB_OBJ) | build/tests
	$(CC) $(CFLAGS) $(DEPS_CFLAGS) $(CHECK_CFLAGS) -Iharness $< $(LIB_OBJ) -o $@ $(CHECK_LIBS) $(DEPS_LIBS) -lm

build/tests/%: tests/%.c | build/tests
	$(CC) $(CFLAGS) $(DEPS_CFLAGS) $(CHECK_CFLAGS) $< -o $@ $(CHECK_LIBS) $(DEPS_LIBS)

build/unit-progs/%: tests/unit/progs/%.c | build/unit-progs
	$(CC) $(CFLAGS) $< -o $@

# Hostile programs: built here, only ever run inside the sandbox.
build/sandbox/%: tests/sandbox/%.c | build/sandbox
	$(CC) -O2 -pthread $< -o $@ -lrt

check: all build/tests/unit build/tests/test_cli build/tests/test_sandbox build/tests/test_grading build/tests/test_reports build/tests/test_batch $(UNIT_PROGS) $(SANDBOX_PROGS)
	build/tests/unit
	build/tests/test_cli
	build/tests/test_sandbox
	build/tests/test_grading
	build/tests/test_reports
	build/tests/test_batch
	@if command -v chromium >/dev/null 2>&1; then \
		build/tests/test_reports render && echo "make check: all suites passed"; \
	else \
		echo "make check: the suites above passed; check-html was SKIPPED, not run: chromium is not installed (FORKLAB_HTML_TEST=1 sh tools/deps.sh)"; \
	fi

# The HTML reports rendered in headless Chromium: not blank, no console errors.
check-html: all build/tests/test_reports
	build/tests/test_reports render

# ---- the main job: grade the bundled references, show the report ----
demo: all
	bin/forklab grade reference --format text
	bin/forklab grade reference -o build/reference-report.json
	@echo "JSON report: build/reference-report.json"

# ---- benchmarks (figures printed as ratios, measured side by side) ----
bench: all build/bench/runs $(SANDBOX_PROGS)
	bench/run.sh

build/bench/runs: bench/runs.c $(LIB_OBJ)
	@mkdir -p build/bench
	$(CC) $(CFLAGS) $(DEPS_CFLAGS) -Iharness $< $(LIB_OBJ) -o $@ $(DEPS_LIBS) -lm

# ---- installation: PREFIX/bin/forklab and PREFIX/lib/forklab ----
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/forklab/graders $(DESTDIR)$(PREFIX)/lib/forklab/ref
	install -m 755 bin/forklab $(DESTDIR)$(PREFIX)/bin/forklab
	install -m 644 $(GRADER_OBJ) $(DESTDIR)$(PREFIX)/lib/forklab/graders/
	install -m 755 $(REF_DRIVERS) $(DESTDIR)$(PREFIX)/lib/forklab/ref/
	for e in $(EXERCISES); do \
		install -d $(DESTDIR)$(PREFIX)/lib/forklab/exercises/$$e && \
		install -m 644 exercises/$$e/*.h exercises/$$e/*.c exercises/$$e/README.md $(DESTDIR)$(PREFIX)/lib/forklab/exercises/$$e/ || exit 1; \
	done

clean:
	rm -rf bin build

.PHONY: all clean check check-html demo bench install
