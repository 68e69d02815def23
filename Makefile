# Rightdoor build. `make` builds ./rightdoor; `make test` runs every test (unit, golden, the
# bundled programs) and then the same again under AddressSanitizer and UndefinedBehaviorSanitizer.

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -D_XOPEN_SOURCE=700 -Wall -Wextra -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wno-unused-function
LUA_CFLAGS := $(shell pkg-config --cflags lua5.4 2>/dev/null)
LUA_LIBS   := $(shell pkg-config --libs lua5.4 2>/dev/null || echo -llua5.4)
YAML_LIBS  := -lyaml -ljansson
LIB_DIRS   := base compiler verifier runtime writers
ALL_CFLAGS  = $(WARN) $(CFLAGS) $(LUA_CFLAGS) -I$(B) -Iinclude $(LIB_DIRS:%=-I%)
LIBS        = $(YAML_LIBS) $(LUA_LIBS) -lm

B ?= build
LIB_SRC := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c))
GEN_SRC := $(B)/lexer.c $(B)/parser.c
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(B)/lexer.o $(B)/parser.o
CLI_OBJ := $(B)/cli/main.o $(B)/cli/case_cmd.o $(B)/cli/run_cmd.o $(B)/cli/graph_cmd.o $(B)/cli/doc_cmd.o $(B)/cli/diff_cmd.o $(B)/cli/fmt_cmd.o $(B)/cli/cedar_cmd.o \
           $(B)/cli/graphviz.o

.PHONY: all test-layers test-bench fuzz test-fuzz-smoke test test-unit test-golden test-graph test-doc test-diff test-tests test-fmt test-cedar test-verify test-spin test-regress test-case-store test-trust test-adversarial test-crash test-oom test-asan test-valgrind bench clean deps
all: rightdoor

rightdoor: $(B)/librightdoor.a $(CLI_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/librightdoor.a $(LIBS)

$(B)/librightdoor.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

# One bison run makes both files. A pattern rule says so to every GNU make: an ordinary rule with
# the two as targets is run once per target, and make -j runs the two at once, each writing over
# the other's output.
$(B)/%.c $(B)/%.h: compiler/%.y
	@mkdir -p $(B)
	bison -Wall -Werror --defines=$(B)/$*.h -o $(B)/$*.c $<

$(B)/lexer.c: compiler/lexer.l $(B)/parser.h
	@mkdir -p $(B)
	flex -o $@ $<

# Generated code is not held to our warning set.
HDRS := $(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.h)) include/rightdoor.h
$(B)/lexer.o: $(B)/lexer.c $(B)/parser.h $(HDRS)
	$(CC) $(ALL_CFLAGS) -Wno-sign-compare -Wno-unused-parameter -Wno-missing-prototypes -c -o $@ $<
$(B)/parser.o: $(B)/parser.c $(HDRS)
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c -o $@ $<

$(B)/%.o: %.c $(B)/parser.h $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# ---- tests ------------------------------------------------------------------------------------
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

$(B)/tests/%: tests/unit/%.c tests/unit/helpers.h tests/unit/fixed.h $(B)/librightdoor.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/librightdoor.a $(LIBS) -lcmocka

test-unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do $(RUN) $$t; done

test-golden: rightdoor
	@RUN="$(RUN)" sh tests/golden/run.sh

# The diagram: a golden DOT file, what it must show, Graphviz reading every SOP's diagram, -o.
test-graph: rightdoor
	@RUN="$(RUN)" sh tests/graph.sh

# The SOP document: a golden Markdown document, and checks on the HTML of every example.
test-doc: rightdoor
	@RUN="$(RUN)" sh tests/doc.sh

# `rightdoor diff` on pairs of small SOPs (tests/diff/): what a committee sees, and the exit status.
test-diff: rightdoor
	@RUN="$(RUN)" sh tests/diff/run.sh

# The command line, one concern a script (tests/NAME.sh, target test-NAME with - for _): the shipped
# programs check clean; its exit codes; next, explain and may-share on every shipped case; the
# commands that change a case file; nothing from a case in what they print; the embedding example.
CLI_SUITES  := programs exit_codes runtime_cli case_cli privacy embed
CLI_TARGETS := $(subst _,-,$(CLI_SUITES:%=test-%))
.PHONY: $(CLI_TARGETS)
$(CLI_TARGETS): test-%: rightdoor $(B)/examples/embed
	@RUN="$(RUN)" EMBED=$(B)/examples/embed sh tests/$(subst -,_,$*).sh

# `rightdoor test`: the runner's golden report, and every example's own tests.
test-tests: rightdoor
	@RUN="$(RUN)" sh tests/testrun/run.sh

# rightdoor fmt: the shipped SOPs are laid out; a messy draft gives the expected layout; idempotence.
test-fmt: rightdoor
	@RUN="$(RUN)" sh tests/fmt.sh

# `rightdoor cedar`: the may-share rules and a case's context in Cedar, against reviewed files.
test-cedar: rightdoor
	@RUN="$(RUN)" sh tests/cedar.sh

# The verifier: SOPs that each break one principle (expected reports) and traps that must pass.
test-verify: rightdoor
	@sh tests/violations.sh
	@sh tests/verify_ok.sh

# The verifier against SPIN (tests/spin/run.sh): SPIN_COUNT generated SOPs from a fixed seed,
# `rightdoor check` and SPIN (on `rightdoor graph --format promela`) must agree on every verdict.
SPIN_COUNT ?= 300
test-spin: rightdoor $(B)/tests/gen_sop
	@SPIN_COUNT=$(SPIN_COUNT) RIGHTDOOR=$(or $(RIGHTDOOR),./rightdoor) GEN=$(B)/tests/gen_sop sh tests/spin/run.sh

$(B)/tests/gen_sop: tests/spin/gen_sop.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -o $@ $<

# libFuzzer targets (fuzz/README.md), built with clang into build-fuzz/; FUZZ_SECONDS each, side by side.
FUZZ_SECONDS ?= 60
fuzz:
	sh fuzz/run.sh $(FUZZ_SECONDS)

# The same, briefly, as part of every test run (and so in CI): any crash, leak, hang or runaway
# memory found fails it.
FUZZ_SMOKE_SECONDS ?= 60
test-fuzz-smoke:
	@sh fuzz/run.sh $(FUZZ_SMOKE_SECONDS)

# Inputs that once crashed, hung or ate memory (found by fuzz/): each must get a verdict in time.
test-regress: rightdoor
	@sh tests/regress/run.sh

# `rightdoor case` driven as a careless or hostile user would: concurrent writers, odd times,
# re-granting, injected values, symlinks and shared files (tests/case_store.sh).
test-case-store: rightdoor
	@RUN="$(RUN)" sh tests/case_store.sh

# Files an SOP or a case names, as an attacker names them: outside paths, shadowed standard rules,
# case errors that would quote her data, the Cedar context's mode, control characters meant for
# the worker's terminal (tests/adversarial/trust.sh).
test-trust: rightdoor
	@RUN="$(RUN)" sh tests/adversarial/trust.sh

# Hostile inputs made at run time (YAML aliases and nesting, long lines, exponential conditions,
# Graphviz, Lua, FIFOs): each must get its verdict within its own time and memory limits.
test-adversarial: rightdoor
	@RUN="$(RUN)" sh tests/adversarial/run.sh

# `rightdoor case` killed at random moments while saving: the case is always the old or the new one.
test-crash: rightdoor
	@sh tests/crash_save.sh

# Every third allocation made to fail, alone and from there on (fuzz/oom_sweep.sh): no crash, and
# running out of memory never turns a failing SOP into "ok".
test-oom: rightdoor
	@STEP=3 sh fuzz/oom_sweep.sh examples/violations/firewall_chain.sop
	@STEP=3 sh fuzz/oom_sweep.sh examples/violations/refusal_ends.sop
	@CMD=graph STEP=3 sh fuzz/oom_sweep.sh tests/graph/small.sop
	@STEP=1 sh fuzz/oom_sweep.sh tests/golden/bad/syn_several_errors.sop

# The folders are the pipeline: no header from a folder above, no circle of calls between files.
test-layers: rightdoor
	@sh scripts/layers.sh $(B)

# Every benchmark once, at a tiny size, so that none can break unseen (the figures: make bench).
test-bench: rightdoor $(B)/bench/bench_front $(B)/bench/bench_verify $(B)/bench/bench_runtime
	@$(B)/bench/bench_front 100 1 >/dev/null && $(B)/bench/bench_verify 100 20 10 5 8 1 10 >/dev/null && \
	    $(B)/bench/bench_runtime 1000 2 >/dev/null && echo "bench: 3 passed, 0 failed"

test: test-layers test-bench test-unit test-golden test-graph test-doc test-diff $(CLI_TARGETS) test-tests test-fmt test-cedar test-verify test-spin test-regress test-case-store test-trust test-adversarial test-crash test-oom test-fuzz-smoke
	$(MAKE) test-asan

# Everything again, built with AddressSanitizer and UndefinedBehaviorSanitizer into build-asan/, by clang
# with warnings as errors (clang sees some that gcc does not). RD_ULIMIT_KB=0 lifts the tests' memory
# cap (tests/lib.sh), under which AddressSanitizer cannot start.
test-asan:
	$(MAKE) B=build-asan CC=clang CFLAGS="-O1 -g -Werror -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    LDFLAGS="-fsanitize=address,undefined" RIGHTDOOR=build-asan/rightdoor test-unit-asan

test-unit-asan: export RD_ULIMIT_KB = 0
test-unit-asan: $(UNIT_BIN) $(B)/rightdoor $(B)/examples/embed $(B)/tests/gen_sop
	@set -e; for t in $(UNIT_BIN); do $$t; done
	@RIGHTDOOR=$(B)/rightdoor sh tests/golden/run.sh
	@RIGHTDOOR=$(B)/rightdoor sh tests/graph.sh
	@RIGHTDOOR=$(B)/rightdoor sh tests/doc.sh
	@RIGHTDOOR=$(B)/rightdoor sh tests/diff/run.sh
	@set -e; for s in $(CLI_SUITES); do RIGHTDOOR=$(B)/rightdoor EMBED=$(B)/examples/embed sh tests/$$s.sh; done
	@RIGHTDOOR=$(B)/rightdoor sh tests/testrun/run.sh
	@RIGHTDOOR=$(B)/rightdoor sh tests/fmt.sh
	@RIGHTDOOR=$(B)/rightdoor sh tests/cedar.sh
	@RIGHTDOOR=$(B)/rightdoor sh tests/violations.sh
	@RIGHTDOOR=$(B)/rightdoor sh tests/verify_ok.sh
	@RIGHTDOOR=$(B)/rightdoor sh tests/regress/run.sh
	@RIGHTDOOR=$(B)/rightdoor ROUNDS=40 sh tests/case_store.sh
	@RIGHTDOOR=$(B)/rightdoor sh tests/adversarial/trust.sh
	@RIGHTDOOR=$(B)/rightdoor sh tests/adversarial/run.sh
	@SPIN_COUNT=60 RIGHTDOOR=$(B)/rightdoor GEN=$(B)/tests/gen_sop sh tests/spin/run.sh

$(B)/rightdoor: $(B)/librightdoor.a $(CLI_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(B)/librightdoor.a $(LIBS)

test-valgrind: rightdoor $(UNIT_BIN) $(B)/examples/embed
	@set -e; for t in $(UNIT_BIN); do valgrind -q --error-exitcode=9 --leak-check=full $$t; done
	@set -e; for s in $(CLI_SUITES); do RUN="valgrind -q --error-exitcode=9 --leak-check=full" EMBED=$(B)/examples/embed sh tests/$$s.sh; done
	@RUN="valgrind -q --error-exitcode=9 --leak-check=full" sh tests/testrun/run.sh
	@RUN="valgrind -q --error-exitcode=9 --leak-check=full" sh tests/graph.sh
	@RUN="valgrind -q --error-exitcode=9 --leak-check=full" sh tests/doc.sh
	@RUN="valgrind -q --error-exitcode=9 --leak-check=full" sh tests/diff/run.sh

bench: rightdoor
	sh bench/run.sh
	sh bench/bench_spin.sh

deps:
	sh scripts/deps.sh

clean:
	rm -rf build build-asan rightdoor

# The embedding example is built as an app would build it: against the public header and the library.
$(B)/examples/embed: examples/embed/embed.c include/rightdoor.h $(B)/librightdoor.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/librightdoor.a $(LIBS)

$(B)/bench/%: bench/%.c bench/buf.h tests/unit/fixed.h $(B)/librightdoor.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/librightdoor.a $(LIBS)
