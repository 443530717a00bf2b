# escape-review: build, test and install.  `make help` lists the targets.

VERSION := 0.1.0
PREFIX ?= /usr/local
BUILD ?= build
CC ?= cc
PKGS := libgit2 libcurl libcjson

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lgit2 -lcurl -lcjson)

WARN := -std=c17 -Wall -Wextra -Wpedantic -Wshadow -Wmissing-prototypes -Werror
OPT ?= -O2 -g
SAN ?=
ALL_CFLAGS := $(WARN) $(OPT) $(SAN) -D_POSIX_C_SOURCE=200809L -DER_VERSION='"$(VERSION)"' \
	-DER_DATADIR='"$(PREFIX)/share/escape-review"' $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS := $(SAN) $(LDFLAGS)

SRCS := $(wildcard src/*.c)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
LIB_OBJS := $(LIB_SRCS:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BIN := $(BUILD)/escape-review

.PHONY: all test unit e2e http demo install uninstall clean check-asan check-valgrind fuzz help docs

all: $(BIN)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/libescape.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(BUILD)/libescape.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lpthread

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libescape.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libescape.a $(ALL_LDFLAGS) $(PKG_LIBS) -lcmocka -lpthread

# Unit tests (cmocka), the end-to-end tests (real git, real go), and the
# publishing tests against the stand-in GitHub and GitLab servers.
test: unit e2e http

$(BUILD)/publish_driver: tests/http/publish_driver.c $(BUILD)/libescape.a
	$(CC) $(ALL_CFLAGS) -Isrc -o $@ $< $(BUILD)/libescape.a $(ALL_LDFLAGS) $(PKG_LIBS) -lpthread

http: $(BUILD)/publish_driver $(BIN)
	@ER_BIN=$(abspath $(BIN)) sh tests/http/run.sh $(BUILD)/publish_driver python3

unit: $(UNIT_BINS)
	@fail=0; for t in $(UNIT_BINS); do echo "== $$t"; $$t || fail=1; done; exit $$fail

e2e: $(BIN)
	@ER_BIN=$(abspath $(BIN)) ER_SRC=$(CURDIR) sh tests/e2e/run.sh

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
check-asan:
	$(MAKE) BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' \
		SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined' test

# The end-to-end tests with the binary run under valgrind memcheck.
check-valgrind: $(BIN)
	@ER_BIN=$(abspath $(BIN)) ER_SRC=$(CURDIR) ER_VALGRIND=1 sh tests/e2e/run.sh

demo:
	@sh examples/demo.sh

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/escape-review/templates \
		$(DESTDIR)$(PREFIX)/share/escape-review/config $(DESTDIR)$(PREFIX)/share/escape-review/hooks
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/escape-review
	ln -sf escape-review $(DESTDIR)$(PREFIX)/bin/git-escape-review
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/escape-review/templates/
	cp -R config/. $(DESTDIR)$(PREFIX)/share/escape-review/config/
	install -m 755 hooks/pre-push $(DESTDIR)$(PREFIX)/share/escape-review/hooks/pre-push

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/escape-review $(DESTDIR)$(PREFIX)/bin/git-escape-review
	rm -rf $(DESTDIR)$(PREFIX)/share/escape-review

clean:
	rm -rf build build-*

help:
	@echo "make            build $(BIN)"
	@echo "make demo       install what is missing, build, review the bundled example"
	@echo "make test       unit tests (cmocka) and end-to-end tests (real git and go)"
	@echo "make check-asan the test suite under ASan and UBSan"
	@echo "make check-valgrind  the end-to-end tests under valgrind memcheck"
	@echo "make install    install under PREFIX=$(PREFIX)"

-include $(LIB_OBJS:.o=.d) $(BUILD)/obj/main.d
