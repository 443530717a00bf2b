# escape-review: build, test and install.  `make help` lists the targets.

VERSION := 0.1.0
PREFIX ?= /usr/local
BUILD ?= build
CC ?= cc
MANDIR ?= $(PREFIX)/share/man
PKGS := libgit2 libcurl libcjson

# Every library's flags come from pkg-config, so Homebrew's prefixes
# (/opt/homebrew, /usr/local) and Alpine's work as Debian's do.  Homebrew's
# curl is keg-only: its .pc is added when `brew` is there (macOS's own
# libcurl is used otherwise).
PKG_CONFIG ?= pkg-config
BREW_CURL_PREFIX := $(shell brew --prefix curl 2>/dev/null)
BREW_CURL_PC := $(if $(BREW_CURL_PREFIX),$(wildcard $(BREW_CURL_PREFIX)/lib/pkgconfig))
ifneq ($(BREW_CURL_PC),)
export PKG_CONFIG_PATH := $(BREW_CURL_PC)$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))
endif
# Their -I directories are -isystem ones, so -Wpedantic -Werror judges our
# code and not theirs (Homebrew's headers are not in a system directory:
# cmocka's fail_msg("text") would fail the build there).
SYSTEM_INCLUDES = $(patsubst -I%,-isystem %,$(1))
PKG_CFLAGS := $(call SYSTEM_INCLUDES,$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
# libcurl is not linked: http.c loads it (dlopen) when something is published,
# so its headers come from pkg-config and the library's name from ER_CURL_LIB
# (Homebrew's keg-only curl: its full path).  -ldl: glibc before 2.34.
PKG_LIBS = $(LIBGIT2_LIBS) $(shell $(PKG_CONFIG) --libs libcjson 2>/dev/null || echo -lcjson) -ldl

# libgit2 and what it needs are linked from their archives where the
# system has them all (Debian's libgit2-dev, libssh2-1-dev, libssl-dev,
# libmbedtls-dev; Kerberos's GSSAPI, libkrb5-dev, stays shared): the
# loader then binds no symbol of libgit2's seventeen libraries, about 2 ms
# of every run (docs/benchmarks.md, twelfth pass).  The linker's --wrap
# sends libgit2's calls of the two initialisations it never needs to
# src/repo.c's no-ops, and leaves its network code out (LIBGIT2_NET: 0.8 ms
# of every run, twentieth pass).  LIBGIT2_LINK=shared links libgit2.so as before;
# `auto` (the default) links the archives when a test program linked
# with them runs, else the shared library.  $(BUILD)/link.mk keeps the
# choice, and is made again when pkg-config or the archives say otherwise
# (below).
LIBGIT2_LINK ?= auto
LIBGIT2_WRAP := -Wl,--wrap=libssh2_init -Wl,--wrap=mbedtls_x509_crt_parse_file
# ... and its network code left out (src/repo.c): what libgit2 references
# of its TLS stream, SSH transport and Negotiate authentication goes to the
# program's, so their archive members, mbedTLS, libssh2, OpenSSL and
# Kerberos are not linked
LIBGIT2_NET := git_mbedtls_stream_global_init git_mbedtls_stream_new git_mbedtls_stream_wrap \
	git_mbedtls__set_cert_location \
	git_transport_ssh_global_init git_smart_subtransport_ssh git_http_auth_negotiate
LIBGIT2_WRAP += $(foreach s,$(LIBGIT2_NET),-Wl,--wrap=$(s))
ifneq ($(BREW_CURL_PC),)
CURL_LIB_DEF := -DER_CURL_LIB='"$(shell $(PKG_CONFIG) --variable=libdir libcurl)/libcurl.4.dylib"'
endif
CMOCKA_CFLAGS := $(call SYSTEM_INCLUDES,$(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null))
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

WARN := -std=c17 -Wall -Wextra -Wpedantic -Wshadow -Wmissing-prototypes -Werror
OPT ?= -O2 -g
SAN ?=
ALL_CFLAGS := $(WARN) $(OPT) $(SAN) -D_POSIX_C_SOURCE=200809L -DER_VERSION='"$(VERSION)"' \
	-DER_DATADIR='"$(PREFIX)/share/escape-review"' $(CURL_LIB_DEF) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SAN) $(LDFLAGS)

SRCS := $(wildcard src/*.c)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BIN := $(BUILD)/escape-review

.PHONY: all test test-go119 check-portable check-layering check-style unit e2e http demo install uninstall clean check-asan check-tsan check-valgrind valgrind-e2e fuzz fuzz-regress help docs check-browser report-screenshot

all: $(BIN)

ifeq ($(filter clean help check-portable check-layering check-style,$(MAKECMDGOALS)),)
-include $(BUILD)/link.mk
# What the link choice was made from: pkg-config's libgit2 and libssh2, and
# the archives.  When it says otherwise now (a `make` run before
# ./install.sh --deps chose the shared library; an archive installed
# since), link.mk is made again.
LIBGIT2_PROBE_NOW := $(strip $(shell $(PKG_CONFIG) --modversion libgit2 libssh2 2>/dev/null) \
	$(wildcard $(addprefix $(shell $(PKG_CONFIG) --variable=libdir libgit2 2>/dev/null)/,libgit2.a libssh2.a libssl.a)))
LINK_STALE := $(if $(filter-out $(LIBGIT2_PROBE),$(LIBGIT2_PROBE_NOW))$(filter-out $(LIBGIT2_PROBE_NOW),$(LIBGIT2_PROBE)),link-stale)
MISSING_PKGS := $(strip $(foreach p,$(PKGS),$(if $(shell $(PKG_CONFIG) --exists $(p) 2>/dev/null && echo y),,$(p))))
ifneq ($(MISSING_PKGS),)
$(warning pkg-config finds no $(MISSING_PKGS): install the dependencies first (./install.sh --deps, as root) or set PKG_CONFIG_PATH)
endif
endif
.PHONY: link-stale

# LIBGIT2_LIBS: the archives (by path, in pkg-config's order) then the
# shared rest, or pkg-config's shared flags; LIBGIT2_BIN_FLAGS: the
# program's --wrap (the tests and fuzz targets, which may link no repo.c,
# let libgit2 make its two initialisations).
$(BUILD)/link.mk: Makefile $(LINK_STALE)
	@mkdir -p $(@D)
	@libs="$$($(PKG_CONFIG) --libs libgit2 2>/dev/null || echo -lgit2)"; how=shared; \
	if [ "$(LIBGIT2_LINK)" != shared ]; then \
		dir=$$($(PKG_CONFIG) --variable=libdir libgit2 2>/dev/null); ar=""; dyn=""; \
		for f in $$($(PKG_CONFIG) --static --libs-only-l libgit2 libssh2 2>/dev/null); do \
			n=$${f#-l}; \
			case " $$ar $$dyn " in *" $$dir/lib$$n.a "*|*" $$f "*) continue ;; esac; \
			case $$n in \
			c|m|dl|rt|pthread) dyn="$$dyn $$f" ;; \
			*) if [ -n "$$dir" ] && [ -f "$$dir/lib$$n.a" ]; then ar="$$ar $$dir/lib$$n.a"; else dyn="$$dyn $$f"; fi ;; \
			esac; \
		done; \
		gss=$$($(PKG_CONFIG) --libs krb5-gssapi 2>/dev/null); \
		static="$$ar -Wl,--push-state,--as-needed $$gss $$dyn -Wl,--pop-state"; \
		printf '%s\n' '#include <git2.h>' \
			'int __wrap_libssh2_init(int f);' 'int __wrap_libssh2_init(int f) { return f; }' \
			'int __wrap_mbedtls_x509_crt_parse_file(void *c, const char *p);' \
			'int __wrap_mbedtls_x509_crt_parse_file(void *c, const char *p) { return !c && !p; }' \
			$(foreach s,$(LIBGIT2_NET),'int __wrap_$(s)(void);' 'int __wrap_$(s)(void) { return 0; }') \
			'int main(void) { return git_libgit2_init() != 1; }' >$(BUILD)/link-probe.c; \
		echo "the archives found (pkg-config --static --libs-only-l libgit2 libssh2):$$ar" >$(BUILD)/link-probe.log; \
		case "$$ar" in *libgit2.a*) \
			if $(CC) $(PKG_CFLAGS) $(ALL_LDFLAGS) -o $(BUILD)/link-probe $(BUILD)/link-probe.c $(LIBGIT2_WRAP) $$static -lpthread \
				>>$(BUILD)/link-probe.log 2>&1 && $(BUILD)/link-probe; then libs=$$static; how=static; fi ;; \
		esac; \
		[ "$(LIBGIT2_LINK)" = static ] && [ $$how != static ] && \
			{ echo "make: LIBGIT2_LINK=static, but libgit2 does not link from its archives (see $(BUILD)/link-probe.log); install libgit2-dev, libssh2-1-dev, libssl-dev and libkrb5-dev, or use LIBGIT2_LINK=shared" >&2; exit 2; }; \
		rm -f $(BUILD)/link-probe $(BUILD)/link-probe.c; \
	fi; \
	echo "libgit2: linked $$how"; \
	wrap=""; [ $$how = static ] && wrap="$(LIBGIT2_WRAP)"; \
	printf '# made by the Makefile (LIBGIT2_LINK=%s): libgit2 linked %s\nLIBGIT2_HOW := %s\nLIBGIT2_LIBS := %s\nLIBGIT2_BIN_FLAGS := %s\nLIBGIT2_PROBE := %s\n' \
		"$(LIBGIT2_LINK)" $$how $$how "$$libs" "$$wrap" "$(LIBGIT2_PROBE_NOW)" >$@

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libescape.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(BUILD)/libescape.a $(BUILD)/link.mk
	$(CC) $(ALL_LDFLAGS) $(LIBGIT2_BIN_FLAGS) -o $@ $(filter-out %.mk,$^) $(PKG_LIBS) -lpthread

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libescape.a $(BUILD)/link.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -DER_SRCDIR='"$(CURDIR)"' -Isrc -o $@ $< $(BUILD)/libescape.a $(ALL_LDFLAGS) \
		$(PKG_LIBS) $(CMOCKA_LIBS) -lpthread

# The portability check, unit tests (cmocka), the end-to-end tests (real
# git, real go), and the publishing tests against the stand-in GitHub and
# GitLab servers.
test: check-portable check-layering check-style unit e2e http

# The modules include one another downward only (tests/layering.sh lists
# the stages).
check-layering:
	@sh tests/layering.sh

# House style that a compiler does not check: no function in src/ over 120
# lines (tests/function-length.sh prints the longest).
check-style:
	@sh tests/function-length.sh src


# Portability: every C file (src/, the unit tests, the test drivers, the
# fuzz targets) compiles as C17 with -D_POSIX_C_SOURCE=200809L under
# -Werror, and none but src/compat.c turns on more than POSIX (no
# _GNU_SOURCE, _DEFAULT_SOURCE, _BSD_SOURCE, _DARWIN_C_SOURCE or _ALL_SOURCE
# defined when the file has been read, headers included); then
# tests/portable.sh: no pipe2, strchrnul, /proc, ... in src/ outside compat.
PORTABLE_SRCS := $(SRCS) $(UNIT_SRCS) tests/http/publish_driver.c $(wildcard tests/fuzz/*.c)
PORTABLE_CFLAGS := $(WARN) -D_POSIX_C_SOURCE=200809L -DER_VERSION='"$(VERSION)"' \
	-DER_DATADIR='"$(PREFIX)/share/escape-review"' -Isrc -Itests/fuzz $(PKG_CFLAGS) $(CMOCKA_CFLAGS)
NOT_POSIX_MACROS := _GNU_SOURCE|_DEFAULT_SOURCE|_BSD_SOURCE|_DARWIN_C_SOURCE|_ALL_SOURCE

check-portable:
	@fail=0; n=0; for f in $(PORTABLE_SRCS); do n=$$((n + 1)); \
		$(CC) $(PORTABLE_CFLAGS) -fsyntax-only $$f || { \
			echo "check-portable: $$f does not compile with -std=c17 -D_POSIX_C_SOURCE=200809L"; \
			fail=1; continue; }; \
		[ $$f = src/compat.c ] && continue; \
		m=$$($(CC) $(PORTABLE_CFLAGS) -E -dM $$f | grep -E '^#define ($(NOT_POSIX_MACROS)) '); \
		[ -z "$$m" ] || { echo "check-portable: $$f asks for more than POSIX: $$m"; fail=1; }; \
	done; \
	sh tests/portable.sh || fail=1; \
	[ $$fail = 0 ] && echo "check-portable: $$n files are C17 and POSIX.1-2008 (extensions only in src/compat.c)"; \
	exit $$fail

$(BUILD)/publish_driver: tests/http/publish_driver.c $(BUILD)/libescape.a $(BUILD)/link.mk
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libescape.a $(ALL_LDFLAGS) $(PKG_LIBS) -lpthread

# GO=/path/to/go runs the end-to-end and publishing suites with that
# compiler (first on PATH); the default is the go on PATH.  `make test-go119`
# runs them with Debian's golang-1.19-go, the oldest Go we support.
GO ?=
GO_PATH_PREFIX := $(if $(GO),PATH=$(abspath $(dir $(GO))):$$PATH,)
GO119 ?= /usr/lib/go-1.19/bin/go

http: $(BUILD)/publish_driver $(BIN)
	@$(GO_PATH_PREFIX) ER_BIN=$(abspath $(BIN)) sh tests/http/run.sh $(BUILD)/publish_driver python3
	@$(GO_PATH_PREFIX) sh tests/http/binary.sh $(abspath $(BIN)) python3

test-go119:
	@[ -x "$(GO119)" ] || { echo "test-go119: no $(GO119): install golang-1.19-go (apt-get install golang-1.19-go)"; exit 2; }
	@echo "== the end-to-end and publishing suites with $$($(GO119) version)"
	@$(MAKE) --no-print-directory e2e http GO=$(GO119)

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do echo "== $$t"; $$t || fail=1; done; exit $$fail

e2e: $(BIN)
	@$(GO_PATH_PREFIX) ER_BIN=$(abspath $(BIN)) ER_SRC=$(CURDIR) sh tests/e2e/run.sh

# The release report in headless Chromium: PDF and PNG (tests/browser/run.sh).
# A browser takes seconds to start, so it is not part of `make test`; .ci/run
# runs it.  `make report-screenshot` refreshes docs/report.png.
check-browser: $(BIN)
	@ER_BIN=$(abspath $(BIN)) ER_SRC=$(CURDIR) sh tests/browser/run.sh

report-screenshot: $(BIN)
	@ER_BIN=$(abspath $(BIN)) ER_SRC=$(CURDIR) ER_SCREENSHOT=$(CURDIR)/docs/report.png sh tests/browser/run.sh

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
# ER_FREE_AT_EXIT: the commands free everything before they return (main.c),
# so a leak is a leak.
check-asan:
	$(MAKE) BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' CFLAGS='$(CFLAGS) -DER_FREE_AT_EXIT' \
		SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined' test fuzz-regress

# The unit, end-to-end and publishing suites under ThreadSanitizer: a
# review reads the build, reads the sources ahead, reads the base's cache
# entry and places --input's findings in threads of their own.  A race
# ends the command that raced (exit code 66), so its check fails.
check-tsan:
	TSAN_OPTIONS='halt_on_error=1 exitcode=66 $(TSAN_OPTIONS)' $(MAKE) BUILD=build-tsan \
		OPT='-O1 -g' SAN='-fsanitize=thread' unit e2e http

# The end-to-end tests with the binary run under valgrind memcheck: the
# scripts using tests/e2e/lib.sh's `er` through ER_VALGRIND=1, then the
# scripts that run $$ER_BIN themselves through a valgrind wrapper.
VALGRIND := $(shell command -v valgrind || echo valgrind) -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
	--trace-children=no
VALGRIND_DIRECT = $(shell grep -L 'e2e/lib.sh\|/lib\.sh' tests/e2e/t*.sh)

$(BUILD)/valgrind/escape-review: $(BIN)
	@mkdir -p $(@D)
	@printf '#!/bin/sh\nexec %s %s "$$@"\n' '$(VALGRIND)' '$(abspath $(BIN))' >$@
	@chmod +x $@

# Built in build-valgrind with ER_FREE_AT_EXIT (the commands free everything
# before they return, main.c), so the leak check sees every block.
check-valgrind:
	@$(MAKE) --no-print-directory BUILD=build-valgrind CFLAGS='$(CFLAGS) -DER_FREE_AT_EXIT' valgrind-e2e

valgrind-e2e: $(BIN) $(BUILD)/valgrind/escape-review
	@ER_BIN=$(abspath $(BIN)) ER_SRC=$(CURDIR) ER_VALGRIND=1 sh tests/e2e/run.sh
	@for t in $(VALGRIND_DIRECT); do echo "== $$t (valgrind wrapper)"; \
		ER_BIN=$(abspath $(BUILD))/valgrind/escape-review ER_SRC=$(CURDIR) sh $$t || exit 1; done

# Fuzzing with libFuzzer (clang): `make fuzz FUZZ_SECONDS=N` builds every
# tests/fuzz/fuzz_NAME.c in build-fuzz/ and runs it N seconds from its
# seeds in tests/fuzz/corpus/NAME (new inputs go to build-fuzz/corpus/NAME),
# failing on a crash (the input is left in build-fuzz/crash-NAME-*; keep it
# under tests/fuzz/regress/NAME/).  `make fuzz-regress` replays the kept
# inputs and the seeds through tests/fuzz/replay.c built with $$(CC), in
# $$(BUILD): check-asan runs it under ASan and UBSan.
FUZZ_SECONDS ?= 30
FUZZ_CC ?= clang
FUZZ_BUILD := build-fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := $(WARN) -g -O1 -fno-omit-frame-pointer -D_POSIX_C_SOURCE=200809L \
	-DER_VERSION='"$(VERSION)"' -DER_DATADIR='"$(PREFIX)/share/escape-review"' $(PKG_CFLAGS)
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

# -MMD: an object is rebuilt when a header it includes changes (a stale
# struct layout mixed with a new one corrupts memory in ways that look like
# findings of the fuzzer)
$(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/libescape.a: $(LIB_SRCS:src/%.c=$(FUZZ_BUILD)/obj/%.o)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/libescape.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Isrc -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< \
		$(FUZZ_BUILD)/libescape.a $(PKG_LIBS) -lpthread

fuzz: $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)
	@for n in $(FUZZ_NAMES); do mkdir -p $(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n; \
		echo "== fuzz_$$n: $(FUZZ_SECONDS)s"; \
		$(FUZZ_BUILD)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -timeout=30 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/crash-$$n- \
			$(FUZZ_BUILD)/corpus/$$n tests/fuzz/corpus/$$n >$(FUZZ_BUILD)/fuzz_$$n.log 2>&1 || \
			{ tail -n 80 $(FUZZ_BUILD)/fuzz_$$n.log; echo "fuzz_$$n: FAILED"; exit 1; }; \
		grep -E 'DONE|stat::(number_of_executed_units|average_exec_per_sec)' $(FUZZ_BUILD)/fuzz_$$n.log; \
	done

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(BUILD)/libescape.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -Itests/fuzz -o $@ tests/fuzz/replay.c $< $(BUILD)/libescape.a \
		$(ALL_LDFLAGS) $(PKG_LIBS) -lpthread

fuzz-regress: $(FUZZ_NAMES:%=$(BUILD)/fuzz/replay_%)
	@for n in $(FUZZ_NAMES); do dirs=; \
		for d in tests/fuzz/regress/$$n tests/fuzz/corpus/$$n; do [ -d $$d ] && dirs="$$dirs $$d"; done; \
		[ -n "$$dirs" ] || continue; printf 'fuzz-regress %s: ' $$n; \
		$(BUILD)/fuzz/replay_$$n $$dirs || exit 1; done

demo:
	@sh examples/demo.sh

# The binary finds its data in ../share/escape-review from wherever it is
# (PREFIX/bin), so an install needs no rebuild for its PREFIX and can be
# moved; git-escape-review makes it `git escape-review`, whose --help is
# `man git-escape-review`.
install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/escape-review/templates \
		$(DESTDIR)$(PREFIX)/share/escape-review/config $(DESTDIR)$(PREFIX)/share/escape-review/hooks \
		$(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/escape-review
	ln -sf escape-review $(DESTDIR)$(PREFIX)/bin/git-escape-review
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/escape-review/templates/
	cp -R config/. $(DESTDIR)$(PREFIX)/share/escape-review/config/
	install -m 755 hooks/pre-push $(DESTDIR)$(PREFIX)/share/escape-review/hooks/pre-push
	install -m 644 docs/escape-review.1 $(DESTDIR)$(MANDIR)/man1/escape-review.1
	ln -sf escape-review.1 $(DESTDIR)$(MANDIR)/man1/git-escape-review.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/escape-review $(DESTDIR)$(PREFIX)/bin/git-escape-review
	rm -f $(DESTDIR)$(MANDIR)/man1/escape-review.1 $(DESTDIR)$(MANDIR)/man1/git-escape-review.1
	rm -rf $(DESTDIR)$(PREFIX)/share/escape-review

clean:
	rm -rf build build-*

help:
	@echo "make            build $(BIN)"
	@echo "make demo       install what is missing, build, review the bundled example"
	@echo "make test       portability check, unit tests (cmocka), end-to-end and publishing tests"
	@echo "make test-go119      the e2e and publishing suites with Go 1.19 (GO=PATH for another go)"
	@echo "make check-portable  every C file compiles as C17 + POSIX.1-2008; extensions only in compat"
	@echo "make check-layering  no module of src/ includes a header of a higher stage"
	@echo "make check-browser  the release report printed to PDF and PNG by headless Chromium"
	@echo "make check-asan the test suite under ASan and UBSan"
	@echo "make check-tsan the unit, e2e and publishing suites under ThreadSanitizer"
	@echo "make check-valgrind  the end-to-end tests under valgrind memcheck"
	@echo "make fuzz       every libFuzzer target FUZZ_SECONDS (30) seconds, with clang"
	@echo "make fuzz-regress    replay the fuzz regression inputs and seeds"
	@echo "make install    install under PREFIX=$(PREFIX) (the binary, its data, the manual in MANDIR)"
	@echo "LIBGIT2_LINK=shared  link libgit2.so, not its archives (auto: archives when they link; $(BUILD)/link.mk says)"

-include $(LIB_OBJS:.o=.d) $(BUILD)/obj/main.d $(LIB_SRCS:src/%.c=$(FUZZ_BUILD)/obj/%.d)
