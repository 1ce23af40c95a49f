# dotpha: plain make over pkg-config.  `make` builds build/dotphad and
# build/dotpha; `make test` runs the whole suite twice, normally and under
# ASan+UBSan; `make run` starts the daemon on ./var/dotpha.db.
#
# Variables: BUILD (output directory), SAN=1 (sanitizer build), V=1 (verbose).

BUILD ?= build
SAN ?=
CC ?= cc
PKG_CONFIG ?= pkg-config

# msgpack-c goes by two names: Debian 12 ships libmsgpack-dev (pkg-config
# `msgpack`), Debian 13 libmsgpack-c-dev (pkg-config `msgpack-c`).
MSGPACK_PC  := $(shell $(PKG_CONFIG) --exists msgpack-c 2>/dev/null && echo msgpack-c || echo msgpack)
MSGPACK_DEB := $(shell apt-cache show libmsgpack-c-dev >/dev/null 2>&1 && echo libmsgpack-c-dev || echo libmsgpack-dev)

# What building and running need (`make run`), and what the tests add
# (`make test`): a server gets no test tools.
DEPS_RUN  = build-essential pkg-config libuv1-dev $(MSGPACK_DEB) libsqlite3-dev libssl-dev \
            libxlsxwriter-dev libutf8proc-dev libcurl4-openssl-dev
DEPS_TEST = libcriterion-dev python3 python3-msgpack python3-aiosmtpd clang chromium valgrind groff-base man-db

PKGS_SERVER = libuv $(MSGPACK_PC) sqlite3 libssl libcrypto libutf8proc libcurl
PKGS_CLIENT = $(MSGPACK_PC) libssl libcrypto xlsxwriter
PKGS_TEST   = criterion

OPT ?= -O2
CFLAGS_BASE = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
              -Wshadow -Wstrict-prototypes -Wmissing-prototypes -g $(OPT) -Iprotocol -Iprotocol/text $(CFLAGS_EXTRA)
ifeq ($(SAN),1)
CFLAGS_BASE += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs   = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

# server/ by layer (docs/HACKING.md): each folder's headers are found by name.
SERVER_DIRS = server/base server/db server/store server/mail server/rpc server/methods server/demo server/daemon
CFLAGS_SERVER = $(CFLAGS_BASE) $(call pc_cflags,$(PKGS_SERVER)) $(SERVER_DIRS:%=-I%)
CFLAGS_CLIENT = $(CFLAGS_BASE) $(call pc_cflags,$(PKGS_CLIENT)) -Iclient
LIBS_SERVER = $(call pc_libs,$(PKGS_SERVER)) -lpthread -lm
LIBS_CLIENT = $(call pc_libs,$(PKGS_CLIENT))
LIBS_TEST = $(call pc_libs,$(PKGS_TEST))

PROTO_SRC  = $(wildcard protocol/*.c protocol/text/*.c)
SERVER_SRC = $(wildcard $(SERVER_DIRS:%=%/*.c))
CLIENT_SRC = $(filter-out client/main.c,$(wildcard client/*.c))
TEST_SRC   = $(wildcard tests/test_*.c)

PROTO_OBJ  = $(PROTO_SRC:%.c=$(BUILD)/%.o)
SERVER_OBJ = $(SERVER_SRC:%.c=$(BUILD)/%.o)
CLIENT_OBJ = $(CLIENT_SRC:%.c=$(BUILD)/%.o)
TEST_BIN   = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

PROTO_LIB  = $(BUILD)/libdotpha-protocol.a
SERVER_LIB = $(BUILD)/libdotphad.a
CLIENT_LIB = $(BUILD)/libdotpha-client.a

ifneq ($(V),1)
Q = @
endif

.PHONY: all deps deps-test pkgs-ok run demo test check fuzz valgrind bench test-unit test-integration test-san clean
.DEFAULT_GOAL := all

all: $(BUILD)/dotphad $(BUILD)/dotpha

# Installs whatever Debian package is missing; a no-op when all are there.
deps: DEPS_DEB = $(DEPS_RUN) $(DEPS_EXTRA)
deps-test: DEPS_DEB = $(DEPS_RUN) $(DEPS_TEST)
deps deps-test:
	@missing=""; for p in $(DEPS_DEB); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Every library pkg-config must find, or one clear line naming what is
# missing instead of a compiler's or linker's error.
pkgs-ok:
	@missing=""; for p in $(sort $(PKGS_SERVER) $(PKGS_CLIENT)); do \
	  $(PKG_CONFIG) --exists $$p 2>/dev/null || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "dotpha: pkg-config cannot find:$$missing; install them with 'make deps'" \
	       "(Debian: $(DEPS_RUN))" >&2; exit 1; \
	fi

# Objects depend on the headers they include, as the compiler lists them
# (-MMD -MP: a .d file beside each object).
$(BUILD)/protocol/%.o: protocol/%.c | pkgs-ok
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -MMD -MP -c $< -o $@

$(BUILD)/server/%.o: server/%.c | pkgs-ok
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -MMD -MP -c $< -o $@

$(BUILD)/client/%.o: client/%.c | pkgs-ok
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_CLIENT) -MMD -MP -c $< -o $@

-include $(PROTO_OBJ:.o=.d) $(SERVER_OBJ:.o=.d) $(CLIENT_OBJ:.o=.d) \
	 $(BUILD)/server/main.d $(BUILD)/client/main.d

$(PROTO_LIB): $(PROTO_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^
$(SERVER_LIB): $(SERVER_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^
$(CLIENT_LIB): $(CLIENT_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/dotphad: $(BUILD)/server/main.o $(SERVER_LIB) $(PROTO_LIB)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_SERVER)
	@echo "built $@"

$(BUILD)/dotpha: $(BUILD)/client/main.o $(CLIENT_LIB) $(PROTO_LIB)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_CLIENT)
	@echo "built $@"

# Client tests (test_client_*) link only the client and protocol libraries;
# every other test links all three, and the linker keeps what it uses.
$(BUILD)/tests/test_client_%: tests/test_client_%.c tests/helpers.h $(wildcard tests/helpers.c) $(CLIENT_LIB) $(PROTO_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_CLIENT) -Itests -o $@ $< $(wildcard tests/helpers.c) \
	  $(CLIENT_LIB) $(PROTO_LIB) $(LDFLAGS) $(LIBS_CLIENT) $(LIBS_TEST)

$(BUILD)/tests/%: tests/%.c tests/helpers.h $(wildcard tests/helpers.c) tests/world.h tests/world.c tests/samples.h tests/samples.c tests/peer.h tests/peer.c tests/client_io.h tests/client_io.c $(SERVER_LIB) $(CLIENT_LIB) $(PROTO_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -Iclient -Itests -o $@ $< $(wildcard tests/helpers.c) tests/world.c tests/samples.c tests/peer.c tests/client_io.c \
	  $(SERVER_LIB) $(CLIENT_LIB) $(PROTO_LIB) $(LDFLAGS) $(LIBS_SERVER) $(LIBS_CLIENT) $(LIBS_TEST)

# tests/test_notice.c runs dotpha with its stderr on a pseudo-terminal (openpty).
$(BUILD)/tests/test_notice: LIBS_TEST += -lutil

# A read-only file system for tests/test_disk.c, preloaded into dotphad:
# plain (no sanitizers) in both passes.
$(BUILD)/tests/rofs_shim.so: tests/rofs_shim.c
	@mkdir -p $(dir $@)
	$(Q)cc -std=c17 -Wall -Wextra -Werror -Wmissing-prototypes -O2 -fPIC -shared -o $@ $< -ldl

# Fuzz targets (tests/fuzz): `make test` replays their committed corpus
# through a plain driver; `make fuzz` runs them under clang's libFuzzer.
FUZZ_TARGETS = frame dispatch tls
FUZZ_REPLAY  = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)
FUZZ_SECONDS ?= 60

$(BUILD)/fuzz/replay_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c $(SERVER_LIB) $(PROTO_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_$*.c \
	  $(SERVER_LIB) $(PROTO_LIB) $(LDFLAGS) $(LIBS_SERVER)

# libFuzzer builds: every object compiled by clang with coverage and the
# sanitizers, in build/fuzz-clang; each target runs FUZZ_SECONDS on a copy
# of its corpus (new finds land in build/, not in the committed seeds).
fuzz: deps-test
	$(MAKE) BUILD=build/fuzz-clang CC=clang SAN=1 OPT=-O1 CFLAGS_EXTRA=-fsanitize=fuzzer-no-link \
	  build/fuzz-clang/libdotphad.a build/fuzz-clang/libdotpha-protocol.a
	@set -e; for t in $(FUZZ_TARGETS); do \
	  clang $(CFLAGS_BASE) -fsanitize=fuzzer,address,undefined $(call pc_cflags,$(PKGS_SERVER)) $(SERVER_DIRS:%=-I%) \
	    -o build/fuzz-clang/fuzz_$$t tests/fuzz/fuzz_$$t.c build/fuzz-clang/libdotphad.a \
	    build/fuzz-clang/libdotpha-protocol.a $(LIBS_SERVER); \
	  rm -rf build/fuzz-clang/corpus_$$t; cp -r tests/fuzz/corpus/$$t build/fuzz-clang/corpus_$$t; \
	  echo "== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  build/fuzz-clang/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 -timeout=10 \
	    -artifact_prefix=build/fuzz-clang/crash_$$t- build/fuzz-clang/corpus_$$t; \
	done

# The daemon under valgrind while the integration suites drive it: any
# error or definite leak fails the target with the daemon's log
# (tests/helpers.c).  VALGRIND_SUITES picks the suites.
VALGRIND_SUITES ?= test_session test_integration test_tls test_mail
valgrind: deps-test all $(VALGRIND_SUITES:%=$(BUILD)/tests/%)
	@rm -f $(BUILD)/valgrind.report
	@set -e; for t in $(VALGRIND_SUITES); do \
	  echo "== $$t, dotphad under valgrind"; \
	  DOTPHA_VALGRIND=$(abspath $(BUILD))/valgrind.report DOTPHA_BUILD=$(BUILD) \
	    $(BUILD)/tests/$$t --jobs 2; done
	@if [ -s $(BUILD)/valgrind.report ]; then cat $(BUILD)/valgrind.report; exit 1; fi
	@echo "valgrind: no errors, no leaks in dotphad"

# The benchmark (bench/README.md): dotphad against ceilings measured in the
# same run (a bare MessagePack-RPC echo server, Redis, SQLite alone).  Not a
# test and not in CI: it prints a table and never fails on a timing.
# BENCH_SCALE (default 1000, the national scale), BENCH_SECONDS (per run,
# default 5), BENCH_SOAK_SECONDS (the memory-growth run, default 60).
BENCH_BIN = $(BUILD)/bench/loadgen $(BUILD)/bench/echo $(BUILD)/bench/sqlite_commit \
	    $(BUILD)/bench/signin

$(BUILD)/bench/loadgen: bench/loadgen.c bench/hist.c bench/hist.h $(PROTO_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -Ibench -o $@ bench/loadgen.c bench/hist.c $(PROTO_LIB) \
	  $(LDFLAGS) $(LIBS_SERVER)
$(BUILD)/bench/echo: bench/echo.c $(PROTO_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -o $@ bench/echo.c $(PROTO_LIB) $(LDFLAGS) $(LIBS_SERVER)
$(BUILD)/bench/signin: bench/signin.c $(PROTO_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -o $@ bench/signin.c $(PROTO_LIB) $(LDFLAGS) $(LIBS_SERVER)
$(BUILD)/bench/sqlite_commit: bench/sqlite_commit.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -o $@ bench/sqlite_commit.c $(LDFLAGS) $(LIBS_SERVER)

# What bench/run.py needs beyond a build: `deps` installs it when bench asks
# (a target's variables reach its prerequisites).
bench: DEPS_EXTRA = python3 python3-msgpack redis-server
bench: deps all $(BENCH_BIN)
	DOTPHA_BUILD=$(BUILD) /usr/bin/python3 bench/run.py

# The histogram's unit test links bench/hist.c alone.
$(BUILD)/tests/test_bench_hist: tests/test_bench_hist.c bench/hist.c bench/hist.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_BASE) -o $@ tests/test_bench_hist.c bench/hist.c $(LDFLAGS) $(LIBS_TEST) -lm

run: deps all
	@mkdir -p -m 700 var
	./$(BUILD)/dotphad --listen 127.0.0.1:7878 --db var/dotpha.db

demo: deps all
	@mkdir -p -m 700 var
	./$(BUILD)/dotphad --db var/dotpha.db demo

# The suite: unit and integration tests (the integration suite once more
# over TLS in the normal build), then the same under ASan+UBSan.
test: deps-test
	$(MAKE) check
	$(MAKE) check BUILD=build/san SAN=1 OPT=-O1

check: all $(TEST_BIN) $(FUZZ_REPLAY) $(BUILD)/tests/rofs_shim.so
	@set -e; for t in $(TEST_BIN); do \
	  echo "== $$t"; DOTPHA_BUILD=$(BUILD) $$t --jobs 2 ; done
ifneq ($(SAN),1)
	@echo "== $(BUILD)/tests/test_integration over TLS (DOTPHA_TEST_TLS=1)"
	@DOTPHA_TEST_TLS=1 DOTPHA_BUILD=$(BUILD) $(BUILD)/tests/test_integration --jobs 2
endif
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "== fuzz corpus replay: $$t"; $(BUILD)/fuzz/replay_$$t tests/fuzz/corpus/$$t; done
	@echo "== layers: no include up a layer or round a circle (docs/HACKING.md)"
	$(Q)/usr/bin/python3 tests/layers.py
	@echo "== protocol interop (python3-msgpack, from PROTOCOL.md only)"
	$(Q)DOTPHA_BUILD=$(BUILD) /usr/bin/python3 tests/interop.py

clean:
	rm -rf build

# Installing (README, "As a Debian service"): `make install` puts dotpha
# in BINDIR, dotphad and dotphad-backup in SBINDIR, the systemd units in
# UNITDIR, the commented default configs in SYSCONFDIR/dotpha (never over
# one already there: ours goes beside it as FILE.dist) and the README in
# DOCDIR, under DESTDIR when given.  `make uninstall` removes exactly
# that (a config only while it is still ours); never /var/lib/dotpha.
# MANDIR gets the manual pages, BASH_COMPLETION_DIR and ZSH_COMPLETION_DIR
# the completion scripts (install-man, install-completion).
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
UNITDIR ?= $(PREFIX)/lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/dotpha
MANDIR ?= $(PREFIX)/share/man
BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR ?= $(PREFIX)/share/zsh/vendor-completions
INSTALL ?= install
DIST_UNITS = dotphad.service dotphad-backup.service dotphad-backup.timer
DIST_CONFS = dotphad.conf dotphad-backup.conf
DIST_SUBST = -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SBINDIR@|$(SBINDIR)|g' \
             -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g'
DOTPHA_VERSION := $(shell sed -n 's/^\#define DOTPHA_VERSION "\(.*\)"/\1/p' protocol/version.h)

.PHONY: man install uninstall install-man uninstall-man install-completion uninstall-completion deb

install: all install-man install-completion
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(UNITDIR) \
	  $(DESTDIR)$(SYSCONFDIR)/dotpha $(DESTDIR)$(DOCDIR)
	$(INSTALL) -m 755 $(BUILD)/dotpha $(DESTDIR)$(BINDIR)/dotpha
	$(INSTALL) -m 755 $(BUILD)/dotphad $(DESTDIR)$(SBINDIR)/dotphad
	$(Q)sed $(DIST_SUBST) dist/dotphad-backup.in > $(DESTDIR)$(SBINDIR)/dotphad-backup
	$(Q)chmod 755 $(DESTDIR)$(SBINDIR)/dotphad-backup
	$(Q)for u in $(DIST_UNITS); do \
	  src=dist/$$u; [ -f $$src ] || src=dist/$$u.in; \
	  sed $(DIST_SUBST) $$src > $(DESTDIR)$(UNITDIR)/$$u && chmod 644 $(DESTDIR)$(UNITDIR)/$$u; \
	done
	$(Q)for c in $(DIST_CONFS); do \
	  to=$(DESTDIR)$(SYSCONFDIR)/dotpha/$$c; \
	  if [ -e $$to ] && ! cmp -s dist/$$c $$to; then \
	    $(INSTALL) -m 644 dist/$$c $$to.dist; \
	    echo "kept $$to (yours); the shipped one is $$to.dist"; \
	  else $(INSTALL) -m 644 dist/$$c $$to; fi; \
	done
	$(INSTALL) -m 644 README.md $(DESTDIR)$(DOCDIR)/README.md
	@echo "installed under $(DESTDIR)$(PREFIX); units in $(DESTDIR)$(UNITDIR)"

uninstall: uninstall-man uninstall-completion
	rm -f $(DESTDIR)$(BINDIR)/dotpha $(DESTDIR)$(SBINDIR)/dotphad $(DESTDIR)$(SBINDIR)/dotphad-backup
	rm -f $(DIST_UNITS:%=$(DESTDIR)$(UNITDIR)/%) $(DESTDIR)$(DOCDIR)/README.md
	$(Q)for c in $(DIST_CONFS); do \
	  to=$(DESTDIR)$(SYSCONFDIR)/dotpha/$$c; rm -f $$to.dist; \
	  if [ -e $$to ] && ! cmp -s dist/$$c $$to; then echo "kept $$to: changed since installed"; \
	  else rm -f $$to; fi; \
	done
	-$(Q)rmdir $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/dotpha 2>/dev/null || true
	@echo "uninstalled; the data (/var/lib/dotpha) is untouched"

# The manual pages, written by the programs from their own tables (README,
# "Manuals and completion"): dotpha(1) in English (man1) and in Vietnamese,
# the default language (vi/man1, Debian's place for it), and dotphad(8) in
# English; installed gzip -9n.
MAN_PAGES = $(BUILD)/man/dotpha.1 $(BUILD)/man/vi/dotpha.1 $(BUILD)/man/dotphad.8
MAN_INSTALLED = man1/dotpha.1.gz vi/man1/dotpha.1.gz man8/dotphad.8.gz

man: $(MAN_PAGES)

$(BUILD)/man/dotpha.1: $(BUILD)/dotpha
	@mkdir -p $(dir $@)
	$(Q)$(BUILD)/dotpha __man --lang en > $@.tmp && mv $@.tmp $@
$(BUILD)/man/vi/dotpha.1: $(BUILD)/dotpha
	@mkdir -p $(dir $@)
	$(Q)$(BUILD)/dotpha __man --lang vi > $@.tmp && mv $@.tmp $@
$(BUILD)/man/dotphad.8: $(BUILD)/dotphad
	@mkdir -p $(dir $@)
	$(Q)$(BUILD)/dotphad --man > $@.tmp && mv $@.tmp $@

install-man: man
	$(INSTALL) -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/vi/man1 $(DESTDIR)$(MANDIR)/man8
	$(Q)gzip -9n < $(BUILD)/man/dotpha.1 > $(DESTDIR)$(MANDIR)/man1/dotpha.1.gz
	$(Q)gzip -9n < $(BUILD)/man/vi/dotpha.1 > $(DESTDIR)$(MANDIR)/vi/man1/dotpha.1.gz
	$(Q)gzip -9n < $(BUILD)/man/dotphad.8 > $(DESTDIR)$(MANDIR)/man8/dotphad.8.gz
	$(Q)chmod 644 $(MAN_INSTALLED:%=$(DESTDIR)$(MANDIR)/%)

uninstall-man:
	rm -f $(MAN_INSTALLED:%=$(DESTDIR)$(MANDIR)/%)

# Shell completion: two small scripts that ask `dotpha __complete`.
install-completion:
	$(INSTALL) -d $(DESTDIR)$(BASH_COMPLETION_DIR) $(DESTDIR)$(ZSH_COMPLETION_DIR)
	$(INSTALL) -m 644 dist/completion/dotpha.bash $(DESTDIR)$(BASH_COMPLETION_DIR)/dotpha
	$(INSTALL) -m 644 dist/completion/_dotpha $(DESTDIR)$(ZSH_COMPLETION_DIR)/_dotpha

uninstall-completion:
	rm -f $(DESTDIR)$(BASH_COMPLETION_DIR)/dotpha $(DESTDIR)$(ZSH_COMPLETION_DIR)/_dotpha

# The Debian package, with dpkg-deb alone: `make install` into
# $(BUILD)/deb/debian/dotpha with PREFIX=/usr, then dist/deb/mkdeb.sh
# (control with Depends from dpkg-shlibdeps, conffiles, maintainer
# scripts).  Out: $(BUILD)/dotpha_VERSION_ARCH.deb.
deb: all
	$(Q)rm -rf $(BUILD)/deb
	$(Q)$(MAKE) --no-print-directory install BUILD=$(BUILD) DESTDIR=$(abspath $(BUILD))/deb/debian/dotpha \
	  PREFIX=/usr UNITDIR=/lib/systemd/system SYSCONFDIR=/etc >/dev/null
	$(Q)sh dist/deb/mkdeb.sh $(BUILD)/deb $(DOTPHA_VERSION) $(BUILD)

# The Windows client: make windows, test-windows, windows-dist (mk/windows.mk).
include mk/windows.mk
