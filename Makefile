# dotpha: plain make over pkg-config.  `make` builds build/dotphad and
# build/dotpha; `make test` runs the whole suite twice, normally and under
# ASan+UBSan; `make run` starts the daemon on ./var/dotpha.db.
#
# Variables: BUILD (output directory), SAN=1 (sanitizer build), V=1 (verbose).

BUILD ?= build
SAN ?=
CC ?= cc
PKG_CONFIG ?= pkg-config

DEPS_DEB = build-essential pkg-config libuv1-dev libmsgpack-dev libsqlite3-dev \
           libcriterion-dev libssl-dev python3 python3-msgpack chromium

PKGS_SERVER = libuv msgpack sqlite3 libcrypto
PKGS_CLIENT = msgpack libcrypto
PKGS_TEST   = criterion

OPT ?= -O2
CFLAGS_BASE = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
              -Wshadow -Wstrict-prototypes -Wmissing-prototypes -g $(OPT) -Iprotocol
ifeq ($(SAN),1)
CFLAGS_BASE += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

pc_cflags = $(shell $(PKG_CONFIG) --cflags $(1) 2>/dev/null)
pc_libs   = $(shell $(PKG_CONFIG) --libs $(1) 2>/dev/null)

CFLAGS_SERVER = $(CFLAGS_BASE) $(call pc_cflags,$(PKGS_SERVER)) -Iserver
CFLAGS_CLIENT = $(CFLAGS_BASE) $(call pc_cflags,$(PKGS_CLIENT)) -Iclient
LIBS_SERVER = $(call pc_libs,$(PKGS_SERVER)) -lpthread -lm
LIBS_CLIENT = $(call pc_libs,$(PKGS_CLIENT))
LIBS_TEST = $(call pc_libs,$(PKGS_TEST))

PROTO_SRC  = $(wildcard protocol/*.c)
SERVER_SRC = $(filter-out server/main.c,$(wildcard server/*.c))
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

.PHONY: all deps run demo test check test-unit test-integration test-san clean
.DEFAULT_GOAL := all

all: $(BUILD)/dotphad $(BUILD)/dotpha

# Installs whatever Debian package is missing; a no-op when all are there.
deps:
	@missing=""; for p in $(DEPS_DEB); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(BUILD)/protocol/%.o: protocol/%.c $(wildcard protocol/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -c $< -o $@

$(BUILD)/server/%.o: server/%.c $(wildcard server/*.h protocol/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -c $< -o $@

$(BUILD)/client/%.o: client/%.c $(wildcard client/*.h protocol/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_CLIENT) -c $< -o $@

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

$(BUILD)/tests/%: tests/%.c tests/helpers.h $(wildcard tests/helpers.c) tests/world.h tests/world.c $(SERVER_LIB) $(CLIENT_LIB) $(PROTO_LIB)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_SERVER) -Iclient -Itests -o $@ $< $(wildcard tests/helpers.c) tests/world.c \
	  $(SERVER_LIB) $(CLIENT_LIB) $(PROTO_LIB) $(LDFLAGS) $(LIBS_SERVER) $(LIBS_TEST)

run: deps all
	@mkdir -p var
	./$(BUILD)/dotphad --listen 127.0.0.1:7878 --db var/dotpha.db

demo: deps all
	@mkdir -p var
	./$(BUILD)/dotphad --db var/dotpha.db demo

# The suite: unit and integration tests, then the same under ASan+UBSan.
test: deps
	$(MAKE) check
	$(MAKE) check BUILD=build/san SAN=1 OPT=-O1

check: all $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do \
	  echo "== $$t"; DOTPHA_BUILD=$(BUILD) $$t --jobs 2 ; done
	@echo "== protocol interop (python3-msgpack, from PROTOCOL.md only)"
	$(Q)DOTPHA_BUILD=$(BUILD) /usr/bin/python3 tests/interop.py

clean:
	rm -rf build
