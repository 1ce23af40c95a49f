# The Windows client (README, "Windows"): dotpha.exe cross-built on Debian
# with mingw-w64, statically linked, needing no DLL beyond Windows' own.
# Included by the Makefile.
#
#   make windows        build/windows/dotpha.exe
#   make test-windows   its tests under wine (tests/windows/README.md)
#   make windows-dist   the zip and the installer for the offices
#
# msgpack-c and libxlsxwriter: Debian ships no mingw build of either, and
# no third-party source lives in this repository, so Debian's own source
# packages are fetched at build time (apt-get source, with a deb-src entry
# that deps-windows adds) into build/windows/src and the C files the
# client needs cross-compiled; zlib for libxlsxwriter is Debian's
# libz-mingw-w64-dev.  TLS is Windows' own Schannel
# (client/win/tls_win.c), hashing and randomness BCrypt: no OpenSSL.

WIN        = build/windows
WIN_CC     = x86_64-w64-mingw32-gcc
WIN_RC     = x86_64-w64-mingw32-windres
WIN_AR     = x86_64-w64-mingw32-ar
WINE      ?= wine

DEPS_WINDOWS      = gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 libz-mingw-w64-dev dpkg-dev
DEPS_WINDOWS_TEST = $(DEPS_WINDOWS) wine wine64 python3 nsis zip
DEPS_WINDOWS_DIST = $(DEPS_WINDOWS) nsis zip

# The deb-src entry `apt-get source` needs; written once, as the machine's
# own sources are (deb822).
WIN_SRC_LIST = /etc/apt/sources.list.d/dotpha-src.sources
define WIN_SRC_ENTRY
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $(shell . /etc/os-release 2>/dev/null && echo $${VERSION_CODENAME:-bookworm})
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
endef
export WIN_SRC_ENTRY

# The third-party libraries, each from its Debian source package:
# build/windows/src/PACKAGE (unpacked), build/windows/PACKAGE (objects).
WIN_MSGPACK     = $(WIN)/msgpack-c
WIN_MSGPACK_SRC = $(WIN)/src/msgpack-c
WIN_MSGPACK_C   = src/objectc src/unpack src/version src/vrefbuffer src/zone
WIN_MSGPACK_OBJ = $(WIN_MSGPACK_C:%=$(WIN_MSGPACK)/%.o)
WIN_XLSX        = $(WIN)/libxlsxwriter
WIN_XLSX_SRC    = $(WIN)/src/libxlsxwriter
WIN_XLSX_C      = $(addprefix src/,app chart chartsheet comment content_types core custom drawing \
                  format hash_table metadata packager relationships shared_strings styles table \
                  theme utility vml workbook worksheet xmlwriter) \
                  third_party/minizip/ioapi third_party/minizip/zip third_party/md5/md5 \
                  third_party/tmpfileplus/tmpfileplus
WIN_XLSX_OBJ    = $(WIN_XLSX_C:%=$(WIN_XLSX)/%.o)
# As its CMakeLists.txt builds it with MinGW; compat.h first, so its file
# names are UTF-8 as dotpha's are (a workbook named with diacritics).
WIN_XLSX_CFLAGS = -O2 -DNOCRYPT -DNOUNCRYPT -DUSE_FILE32API -Wno-char-subscripts \
                  -include client/win/compat.h -I$(WIN_XLSX_SRC)/include

# (-iquote: client/rpc.h must not stand for the <rpc.h> windows.h includes.)
# The client's sources less the POSIX and OpenSSL ones, plus client/win/.
WIN_POSIX_ONLY = client/main.c client/net.c client/sys.c client/tls.c client/sha256.c
WIN_SRC = $(PROTO_SRC) $(filter-out $(WIN_POSIX_ONLY),$(wildcard client/*.c)) \
          $(filter-out client/win/main_win.c,$(wildcard client/win/*.c))
WIN_OBJ = $(WIN_SRC:%.c=$(WIN)/obj/%.o)
WIN_LIB = $(WIN)/libdotpha-client.a

WIN_CFLAGS = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -D__USE_MINGW_ANSI_STDIO=1 \
             -D_WIN32_WINNT=0x0601 -DWINVER=0x0601 -DUNICODE -D_UNICODE \
             -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -O2 \
             -include client/win/compat.h -iquote client/win -iquote client -iquote protocol \
             -iquote protocol/text \
             -I$(WIN_MSGPACK)/include -I$(WIN_XLSX_SRC)/include
# -Wno-format: mingw reads format(printf) as Microsoft's printf (no %zu),
# while the stdio linked is mingw's C99 one (__USE_MINGW_ANSI_STDIO); the
# same sources' formats are checked by the POSIX build.
WIN_CFLAGS += -Wno-format
WIN_LDFLAGS = -static -municode
WIN_LIBS = -lz -lws2_32 -lsecur32 -lcrypt32 -lbcrypt -ladvapi32

.PHONY: deps-windows deps-windows-test deps-windows-dist windows test-windows windows-dist

deps-windows: DEPS_DEB = $(DEPS_WINDOWS)
deps-windows-test: DEPS_DEB = $(DEPS_WINDOWS_TEST)
deps-windows-dist: DEPS_DEB = $(DEPS_WINDOWS_DIST)
deps-windows deps-windows-test deps-windows-dist: win-src-list
	@$(MAKE) --no-print-directory deps DEPS_DEB="$(DEPS_DEB)"

# The deb-src entry, if no source of the machine's already has one.
.PHONY: win-src-list
win-src-list:
	@if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list /etc/apt/sources.list.d/; then \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  echo "adding $(WIN_SRC_LIST) (Debian's source packages, for msgpack-c)"; \
	  printf '%s\n' "$$WIN_SRC_ENTRY" | $$SUDO tee $(WIN_SRC_LIST) >/dev/null; \
	  $$SUDO apt-get update -qq; \
	fi

# The packages first, then the build (a sub-make: under -j the two would
# otherwise race).
windows: deps-windows
	@$(MAKE) --no-print-directory $(WIN)/dotpha.exe

# A Debian source package, unpacked with its patches (apt has checked it
# against the signed archive; dpkg-source's own signature note is kept in
# dpkg-source.log).  Precious: fetched once, not removed as intermediate.
.PRECIOUS: $(WIN)/src/%/.unpacked
$(WIN)/src/%/.unpacked:
	@rm -rf $(WIN)/src/$* $(WIN)/src/$*.dl && mkdir -p $(WIN)/src/$*.dl
	@cd $(WIN)/src/$*.dl && { apt-get source --download-only $* >/dev/null 2>apt.log || \
	  { cat apt.log; echo "dotpha: cannot get Debian's source package $* (is there a deb-src entry? make deps-windows adds one)" >&2; exit 1; }; }
	$(Q)dpkg-source -q -x $(WIN)/src/$*.dl/$*_*.dsc $(WIN)/src/$* >$(WIN)/src/$*.dl/dpkg-source.log 2>&1 || \
	  { cat $(WIN)/src/$*.dl/dpkg-source.log; exit 1; }
	@touch $@

# msgpack-c's headers, with the two that its CMake would generate
# (little-endian).
$(WIN_MSGPACK)/.headers: $(WIN_MSGPACK_SRC)/.unpacked
	@mkdir -p $(WIN_MSGPACK)/include
	$(Q)cp -r $(WIN_MSGPACK_SRC)/include/. $(WIN_MSGPACK)/include/
	$(Q)for h in sysdep pack_template; do \
	  sed -e 's/@MSGPACK_ENDIAN_BIG_BYTE@/0/' -e 's/@MSGPACK_ENDIAN_LITTLE_BYTE@/1/' \
	    $(WIN_MSGPACK_SRC)/cmake/$$h.h.in > $(WIN_MSGPACK)/include/msgpack/$$h.h; done
	@touch $@

$(WIN_MSGPACK)/%.o: $(WIN_MSGPACK)/.headers
	@mkdir -p $(dir $@)
	$(Q)$(WIN_CC) -std=gnu99 -O2 -I$(WIN_MSGPACK)/include -c $(WIN_MSGPACK_SRC)/$*.c -o $@

$(WIN_XLSX)/%.o: $(WIN_XLSX_SRC)/.unpacked client/win/compat.h
	@mkdir -p $(dir $@)
	$(Q)$(WIN_CC) $(WIN_XLSX_CFLAGS) -c $(WIN_XLSX_SRC)/$*.c -o $@

$(WIN)/obj/%.o: %.c $(WIN_MSGPACK)/.headers $(WIN_XLSX_SRC)/.unpacked
	@mkdir -p $(dir $@)
	$(Q)$(WIN_CC) $(WIN_CFLAGS) -MMD -MP -c $< -o $@

-include $(WIN_OBJ:.o=.d) $(WIN)/obj/client/win/main_win.d

$(WIN_LIB): $(WIN_OBJ) $(WIN_MSGPACK_OBJ) $(WIN_XLSX_OBJ)
	$(Q)rm -f $@ && $(WIN_AR) rcs $@ $^

$(WIN)/dotpha.res.o: dist/windows/dotpha.rc dist/windows/dotpha.manifest
	@mkdir -p $(dir $@)
	$(Q)$(WIN_RC) -O coff -I dist/windows $< $@

$(WIN)/dotpha.exe: $(WIN)/obj/client/win/main_win.o $(WIN)/dotpha.res.o $(WIN_LIB)
	$(Q)$(WIN_CC) $(WIN_LDFLAGS) -o $@ $^ $(WIN_LIBS)
	@echo "built $@"

# The tests (tests/windows/README.md).  Criterion has no mingw build: the
# platform layer's own checks are a plain C program run under wine; the
# whole client is driven end to end by integration.py.  One wine prefix
# per run, under build/windows (its first start takes a while).
WIN_TEST_PREFIX = $(abspath $(WIN))/test-wineprefix
WIN_TEST_ENV = WINEPREFIX=$(WIN_TEST_PREFIX) WINEDEBUG=-all DISPLAY= LANG=C.UTF-8

$(WIN)/test_platform.exe: tests/windows/test_platform.c $(WIN_LIB)
	$(Q)$(WIN_CC) $(WIN_CFLAGS) -o $@ $< $(WIN_LIB) $(WIN_LIBS) $(WIN_LDFLAGS:-municode=)

test-windows: deps-windows-test
	@$(MAKE) --no-print-directory all $(WIN)/dotpha.exe $(WIN)/test_platform.exe win-dist-files
	@rm -rf $(WIN_TEST_PREFIX) $(WIN)/test-platform && mkdir -p $(WIN_TEST_PREFIX) $(WIN)/test-platform
	@echo "== wine: preparing a prefix"
	$(Q)$(WIN_TEST_ENV) wineboot -i >/dev/null 2>&1 || true
	@echo "== $(WIN)/test_platform.exe under wine"
	$(Q)$(WIN_TEST_ENV) $(WINE) $(WIN)/test_platform.exe 'Z:$(abspath $(WIN))/test-platform'
	@echo "== tests/windows/integration.py: dotpha.exe under wine against dotphad"
	$(Q)$(WIN_TEST_ENV) DOTPHA_WINEPREFIX=$(WIN_TEST_PREFIX) DOTPHA_BUILD=$(BUILD) \
	  DOTPHA_WIN_SETUP=$(WIN_SETUP) \
	  /usr/bin/python3 tests/windows/integration.py

# The release for the offices: build/windows/dotpha-VERSION-windows-x64.zip
# (dotpha.exe and the Vietnamese guide, dist/windows/HUONG-DAN.txt, with
# CRLF and a BOM for any Notepad) and dotpha-VERSION-setup.exe, an NSIS
# installer that puts it on the user's PATH (dist/windows/dotpha.nsi).
WIN_ZIP   = $(WIN)/dotpha-$(DOTPHA_VERSION)-windows-x64.zip
WIN_SETUP = $(WIN)/dotpha-$(DOTPHA_VERSION)-setup.exe

windows-dist: deps-windows-dist
	@$(MAKE) --no-print-directory win-dist-files

.PHONY: win-dist-files
win-dist-files: $(WIN)/dotpha.exe
	@rm -rf $(WIN)/dist && mkdir -p $(WIN)/dist/dotpha
	$(Q)cp $(WIN)/dotpha.exe $(WIN)/dist/dotpha/dotpha.exe
	$(Q){ printf '\357\273\277'; sed 's/$$/\r/' dist/windows/HUONG-DAN.txt; } > $(WIN)/dist/dotpha/HUONG-DAN.txt
	$(Q)rm -f $(WIN_ZIP) && cd $(WIN)/dist && zip -q -X -r ../$(notdir $(WIN_ZIP)) dotpha
	$(Q)makensis -V2 -DVERSION=$(DOTPHA_VERSION) -DEXE=$(abspath $(WIN))/dist/dotpha/dotpha.exe \
	  -DGUIDE=$(abspath $(WIN))/dist/dotpha/HUONG-DAN.txt -DOUT=$(abspath $(WIN_SETUP)) \
	  dist/windows/dotpha.nsi
	@echo "built $(WIN_ZIP) and $(WIN_SETUP)"
