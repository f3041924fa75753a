# Build, install and uninstall frontwatch as a systemd service.
#
#   make install                      build the release binary, install everything under PREFIX
#   make install DESTDIR=/tmp/stage   the same into a staging root (nothing is applied)
#   make uninstall                    remove what install put there; keeps /etc/frontwatch,
#                                     /var/lib/frontwatch and the inbox (PURGE=1 removes them too)
#
# Variables: PREFIX (/usr/local), DESTDIR, SYSCONFDIR (/etc: ConfigurationDirectory= is always
# under /etc), BINARY (an existing binary to install instead of building one), MAN_FROM
# (generate-manual: swift-argument-parser's man page generator; help: a plain page from
# --help), STRIP (-s; empty installs the binary as built), SCRATCH (the build folder).

PREFIX      ?= /usr/local
DESTDIR     ?=
SYSCONFDIR  ?= /etc
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
UNITDIR     ?= $(LIBDIR)/systemd/system
CATALOGDIR  ?= $(LIBDIR)/systemd/catalog
SYSUSERSDIR ?= $(LIBDIR)/sysusers.d
TMPFILESDIR ?= $(LIBDIR)/tmpfiles.d
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
FISHCOMPDIR ?= $(DATADIR)/fish/vendor_completions.d
# Debian's zsh reads vendor-completions under /usr, site-functions under /usr/local.
ifeq ($(PREFIX),/usr)
ZSHCOMPDIR  ?= $(DATADIR)/zsh/vendor-completions
else
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
endif
CONFDIR      = $(SYSCONFDIR)/frontwatch
SHAREDIR     = $(DATADIR)/frontwatch

SWIFT       ?= swift
SCRATCH     ?= .build
# A self-contained binary: the Swift runtime is linked in, so the service does not depend on
# where the toolchain lives (ProtectHome= would hide a toolchain under /home).
SWIFT_BUILD_FLAGS ?= -c release --static-swift-stdlib
MAN_FROM    ?= generate-manual
MAN_DATE    ?= $(shell git log -1 --format=%cs 2>/dev/null)
# Strip the installed binary (install -s) when strip(1) is there; STRIP= installs it as built.
STRIP       ?= $(if $(shell command -v strip 2>/dev/null),-s)
GENDIR      ?= $(SCRATCH)/frontwatch-install
PURGE       ?=

ifeq ($(strip $(BINARY)),)
BINARY      := $(SCRATCH)/release/frontwatch
BUILD_STEP  := build
else
BUILD_STEP  :=
endif

INSTALL      = install
CONFIG_FILES = frontwatch.yaml gazetteer.yaml

.PHONY: all build generated install uninstall install-files apply unapply

all: build

build:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --scratch-path $(SCRATCH) --product frontwatch

# Everything made from the binary: unit with its ExecStart, man page, completions.
generated: $(BUILD_STEP)
	@test -x "$(BINARY)" || { echo "make: $(BINARY) is not an executable; run make build or pass BINARY=" >&2; exit 1; }
	mkdir -p $(GENDIR)
	sed 's|^ExecStart=/usr/local/bin/frontwatch|ExecStart=$(BINDIR)/frontwatch|' systemd/frontwatch.service > $(GENDIR)/frontwatch.service
	"$(BINARY)" --generate-completion-script bash > $(GENDIR)/frontwatch.bash
	"$(BINARY)" --generate-completion-script zsh > $(GENDIR)/_frontwatch
	"$(BINARY)" --generate-completion-script fish > $(GENDIR)/frontwatch.fish
	rm -f $(GENDIR)/frontwatch.1
	@# swift-argument-parser's generate-manual (the tool behind `swift package plugin
	@# generate-manual`), run on BINARY itself: the plugin would build the package again.
	@if [ "$(MAN_FROM)" = generate-manual ]; then \
	  echo "$(SWIFT) build --product generate-manual; generate-manual $(BINARY)"; \
	  if $(SWIFT) build --scratch-path $(SCRATCH) --product generate-manual >$(GENDIR)/generate-manual.log 2>&1 \
	     && $(SCRATCH)/debug/generate-manual "$(BINARY)" $(if $(MAN_DATE),--date $(MAN_DATE)) \
	          --output-directory $(GENDIR) >>$(GENDIR)/generate-manual.log 2>&1; then :; \
	  else echo "make: generate-manual failed (see $(GENDIR)/generate-manual.log); writing the man page from --help" >&2; fi; \
	fi
	@if [ ! -s $(GENDIR)/frontwatch.1 ]; then echo "man page from $(BINARY) --help"; \
	  $(MAKE) --no-print-directory -s man-from-help BINARY="$(BINARY)" GENDIR="$(GENDIR)" > $(GENDIR)/frontwatch.1; fi

# A plain man page from the command-line help, for when generate-manual cannot run.
.PHONY: man-from-help
man-from-help:
	@esc() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }; \
	echo '.TH FRONTWATCH 1 "" "frontwatch $$("$(BINARY)" --version)" "User Commands"'; \
	echo '.SH NAME'; \
	echo 'frontwatch \- watch a folder of war reporting and alert the journal when a front-line axis intensifies'; \
	echo '.SH DESCRIPTION'; echo '.nf'; "$(BINARY)" --help | esc; echo '.fi'; \
	for sub in run analyze; do \
	  echo ".SH \"FRONTWATCH $$sub\" " | tr a-z A-Z; echo '.nf'; "$(BINARY)" $$sub --help | esc; echo '.fi'; \
	done; \
	echo '.SH "SEE ALSO"'; echo 'journalctl(1), systemd.service(5)'

install: generated install-files
	@if [ -z "$(DESTDIR)" ]; then $(MAKE) --no-print-directory apply; \
	else echo "Installed into $(DESTDIR); nothing applied (sysusers, tmpfiles, catalog database, systemd)."; fi

install-files:
	$(INSTALL) -D -m 0755 $(STRIP) "$(BINARY)" $(DESTDIR)$(BINDIR)/frontwatch
	$(INSTALL) -D -m 0644 $(GENDIR)/frontwatch.service $(DESTDIR)$(UNITDIR)/frontwatch.service
	$(INSTALL) -D -m 0644 systemd/frontwatch.catalog $(DESTDIR)$(CATALOGDIR)/frontwatch.catalog
	$(INSTALL) -D -m 0644 systemd/frontwatch.sysusers $(DESTDIR)$(SYSUSERSDIR)/frontwatch.conf
	$(INSTALL) -D -m 0644 systemd/frontwatch.tmpfiles $(DESTDIR)$(TMPFILESDIR)/frontwatch.conf
	$(INSTALL) -D -m 0644 $(GENDIR)/frontwatch.1 $(DESTDIR)$(MANDIR)/man1/frontwatch.1
	$(INSTALL) -D -m 0644 $(GENDIR)/frontwatch.bash $(DESTDIR)$(BASHCOMPDIR)/frontwatch
	$(INSTALL) -D -m 0644 $(GENDIR)/_frontwatch $(DESTDIR)$(ZSHCOMPDIR)/_frontwatch
	$(INSTALL) -D -m 0644 $(GENDIR)/frontwatch.fish $(DESTDIR)$(FISHCOMPDIR)/frontwatch.fish
	@# /etc/frontwatch: a file the user changed is kept; the new default goes beside it as .new.
	@# "Changed" means different from the default installed last time ($(SHAREDIR)).
	@$(INSTALL) -d -m 0755 $(DESTDIR)$(CONFDIR) $(DESTDIR)$(SHAREDIR); \
	for f in $(CONFIG_FILES); do \
	  etc=$(DESTDIR)$(CONFDIR)/$$f; old=$(DESTDIR)$(SHAREDIR)/$$f; \
	  if [ ! -e "$$etc" ] || cmp -s "$$etc" "$$old" || cmp -s "$$etc" config/$$f; then \
	    echo "$(INSTALL) -m 0644 config/$$f $$etc"; $(INSTALL) -m 0644 config/$$f "$$etc"; rm -f "$$etc.new"; \
	  else \
	    $(INSTALL) -m 0644 config/$$f "$$etc.new"; \
	    echo "NOTE: $(CONFDIR)/$$f has local changes and was kept; the new default is $(CONFDIR)/$$f.new (compare: diff -u $(CONFDIR)/$$f $(CONFDIR)/$$f.new)"; \
	  fi; \
	  $(INSTALL) -m 0644 config/$$f "$$old"; \
	done

# Only on the real system: create the user/group and the inbox, index the catalog, tell systemd.
apply:
	systemd-sysusers $(SYSUSERSDIR)/frontwatch.conf
	systemd-tmpfiles --create $(TMPFILESDIR)/frontwatch.conf
	journalctl --update-catalog
	@if [ -d /run/systemd/system ]; then echo "systemctl daemon-reload"; systemctl daemon-reload; \
	else echo "systemd is not running here: skipped systemctl daemon-reload"; fi
	@echo "Installed. Next: systemctl enable --now frontwatch; usermod -aG frontwatch \$$USER"

uninstall:
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
	  echo "systemctl disable --now frontwatch"; systemctl disable --now frontwatch.service || true; fi
	rm -f $(DESTDIR)$(BINDIR)/frontwatch \
	  $(DESTDIR)$(UNITDIR)/frontwatch.service \
	  $(DESTDIR)$(CATALOGDIR)/frontwatch.catalog \
	  $(DESTDIR)$(SYSUSERSDIR)/frontwatch.conf \
	  $(DESTDIR)$(TMPFILESDIR)/frontwatch.conf \
	  $(DESTDIR)$(MANDIR)/man1/frontwatch.1 \
	  $(DESTDIR)$(BASHCOMPDIR)/frontwatch \
	  $(DESTDIR)$(ZSHCOMPDIR)/_frontwatch \
	  $(DESTDIR)$(FISHCOMPDIR)/frontwatch.fish
	rm -rf $(DESTDIR)$(SHAREDIR)
	@if [ -z "$(DESTDIR)" ]; then $(MAKE) --no-print-directory unapply; fi
	@if [ -n "$(PURGE)" ]; then \
	  echo "rm -rf $(DESTDIR)$(CONFDIR) $(DESTDIR)/var/lib/frontwatch $(DESTDIR)/var/lib/private/frontwatch $(DESTDIR)/var/spool/frontwatch"; \
	  rm -rf $(DESTDIR)$(CONFDIR) $(DESTDIR)/var/lib/frontwatch $(DESTDIR)/var/lib/private/frontwatch $(DESTDIR)/var/spool/frontwatch; \
	  echo "The user and group frontwatch stay (remove them with: userdel frontwatch)."; \
	else \
	  echo "Kept $(CONFDIR), /var/lib/frontwatch, /var/spool/frontwatch and the user/group frontwatch (make uninstall PURGE=1 removes all but the user/group)."; \
	fi

unapply:
	journalctl --update-catalog
	@if [ -d /run/systemd/system ]; then echo "systemctl daemon-reload"; systemctl daemon-reload; fi
