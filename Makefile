# Build, install and uninstall frontwatch as a systemd service.
#
#   make install                      build the release binary, install everything under PREFIX
#   make install DESTDIR=/tmp/stage   the same into a staging root (nothing is applied)
#   make uninstall                    remove what install put there; keeps /etc/frontwatch,
#                                     /var/lib/frontwatch and the inbox (PURGE=1 removes them too)
#   make deb                          a Debian package (PREFIX=/usr) in $(SCRATCH)/
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
# Not .build itself: scripts/demo and the tests build there, dynamically linked against the
# toolchain's Swift runtime; a binary from there would install (and package) fine and then fail to
# start on a machine without that toolchain. `make` builds its own, apart.
SCRATCH     ?= .build/static
# A self-contained binary: the Swift runtime is linked in, so the service does not depend on
# where the toolchain lives (ProtectHome= would hide a toolchain under /home).
SWIFT_BUILD_FLAGS ?= -c release --static-swift-stdlib
MAN_FROM    ?= generate-manual
MAN_DATE    ?= $(shell git log -1 --format=%cs 2>/dev/null)
# Strip the installed binary (install -s) when strip(1) is there; STRIP= installs it as built.
STRIP       ?= $(if $(shell command -v strip 2>/dev/null),-s)
GENDIR      ?= $(SCRATCH)/frontwatch-install
PURGE       ?=

INSTALL      = install
CONFIG_FILES = frontwatch.yaml gazetteer.yaml lexicon.en.yaml
# Trained data, not configuration: installed under share/ only (retrain instead of editing it).
DATA_FILES   = scorer.en.tsv

.PHONY: all build generated install uninstall install-files apply unapply deb

all: build

# `make build` always asks SwiftPM (which knows best what changed). `make install` builds only
# when a source is newer than the binary, so that `make` as yourself and then `make install` as
# root works without the toolchain on root's PATH.
build:
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --scratch-path $(SCRATCH) --product frontwatch

ifeq ($(strip $(BINARY)),)
BINARY      := $(SCRATCH)/release/frontwatch
SOURCES     := $(shell find Sources -type f 2>/dev/null) $(wildcard Package.swift Package.resolved)
$(BINARY): $(SOURCES)
	$(SWIFT) build $(SWIFT_BUILD_FLAGS) --scratch-path $(SCRATCH) --product frontwatch
endif

# Everything made from the binary: the unit with its ExecStart= (always: it depends on BINDIR),
# completions, and the man page (only when the binary changed: it takes a build).
generated: $(BINARY) $(GENDIR)/frontwatch.1
	@test -x "$(BINARY)" || { echo "make: $(BINARY) is not an executable; run make build or pass BINARY=" >&2; exit 1; }
	@mkdir -p $(GENDIR)
	sed -e 's|^ExecStart=/usr/local/bin/frontwatch|ExecStart=$(BINDIR)/frontwatch|' -e 's|^ExecReload=/usr/local/bin/frontwatch|ExecReload=$(BINDIR)/frontwatch|' systemd/frontwatch.service > $(GENDIR)/frontwatch.service
	"$(BINARY)" --generate-completion-script bash > $(GENDIR)/frontwatch.bash
	"$(BINARY)" --generate-completion-script zsh > $(GENDIR)/_frontwatch
	"$(BINARY)" --generate-completion-script fish > $(GENDIR)/frontwatch.fish

$(GENDIR)/frontwatch.1: $(BINARY)
	@mkdir -p $(GENDIR)
	@rm -f $@
	@# swift-argument-parser's generate-manual (the tool behind `swift package plugin
	@# generate-manual`), run on BINARY itself: the plugin would build the package again.
	@if [ "$(MAN_FROM)" = generate-manual ]; then \
	  echo "$(SWIFT) build --product generate-manual; generate-manual $(BINARY)"; \
	  if $(SWIFT) build --scratch-path $(SCRATCH) --product generate-manual >$(GENDIR)/generate-manual.log 2>&1 \
	     && $(SCRATCH)/debug/generate-manual "$(BINARY)" $(if $(MAN_DATE),--date $(MAN_DATE)) \
	          --output-directory $(GENDIR) >>$(GENDIR)/generate-manual.log 2>&1; then :; \
	  else echo "make: generate-manual failed (see $(GENDIR)/generate-manual.log); writing the man page from --help" >&2; fi; \
	fi
	@if [ ! -s $@ ]; then echo "man page from $(BINARY) --help"; \
	  $(MAKE) --no-print-directory -s man-from-help BINARY="$(BINARY)" > $@.tmp && mv $@.tmp $@; fi

# A plain man page from the command-line help, for when generate-manual cannot run.
.PHONY: man-from-help
man-from-help:
	@esc() { sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"; }; \
	echo ".TH FRONTWATCH 1 \"\" \"frontwatch $$("$(BINARY)" --version)\" \"User Commands\""; \
	echo '.SH NAME'; \
	echo 'frontwatch \- watch a folder of war reporting and alert the journal when a front-line axis intensifies'; \
	echo '.SH DESCRIPTION'; echo '.nf'; "$(BINARY)" --help | esc; echo '.fi'; \
	for sub in $$("$(BINARY)" --help | sed -n '/^SUBCOMMANDS:/,/^$$/p' | awk 'NR > 1 && /^  [a-z]/ { print $$1 }'); do \
	  echo ".SH \"FRONTWATCH $$sub\" " | tr a-z A-Z; echo '.nf'; "$(BINARY)" $$sub --help | esc; echo '.fi'; \
	done; \
	echo '.SH "SEE ALSO"'; echo 'journalctl(1), systemd.service(5)'

install: install-files
	@if [ -z "$(DESTDIR)" ]; then $(MAKE) --no-print-directory apply; \
	else echo "Installed into $(DESTDIR); nothing applied (sysusers, tmpfiles, catalog database, systemd)."; fi

install-files: generated
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
	done; \
	for f in $(DATA_FILES); do \
	  echo "$(INSTALL) -m 0644 config/$$f $(DESTDIR)$(SHAREDIR)/$$f"; $(INSTALL) -m 0644 config/$$f "$(DESTDIR)$(SHAREDIR)/$$f"; \
	done

# Only on the real system: create the user/group and the inbox, index the catalog, tell systemd.
apply:
	systemd-sysusers $(SYSUSERSDIR)/frontwatch.conf
	systemd-tmpfiles --create $(TMPFILESDIR)/frontwatch.conf
	journalctl --update-catalog
	@if [ -d /run/systemd/system ]; then echo "systemctl daemon-reload"; systemctl daemon-reload; \
	else echo "systemd is not running here: skipped systemctl daemon-reload"; fi
	@echo "Installed. Next: systemctl enable --now frontwatch; usermod -aG frontwatch USER"

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

# A .deb of the same files with PREFIX=/usr; the maintainer scripts in systemd/deb/ apply
# sysusers/tmpfiles and the catalog, and /etc/frontwatch is dpkg's conffiles.
DEB_ARCH       ?= $(shell dpkg --print-architecture 2>/dev/null)
DEB_MAINTAINER ?= frontwatch maintainers <root@localhost>
DEB_DEPENDS    ?= libc6 (>= 2.34), libgcc-s1, libstdc++6, libsqlite3-0, libsystemd0, systemd, procps
DEBDIR          = $(SCRATCH)/deb

# The package must start on a machine without the Swift toolchain: a binary that loads the
# Swift runtime (libswiftCore.so and the like) from the toolchain is refused, also one given as BINARY=.
deb: $(BINARY)
	@if ! command -v readelf >/dev/null; then echo "make: readelf (binutils) is needed to check $(BINARY)" >&2; exit 1; fi
	@needed=$$(readelf -d "$(BINARY)" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | grep -E '^lib(swift|Foundation|dispatch|BlocksRuntime)' | tr '\n' ' '); \
	if [ -n "$$needed" ]; then \
	  echo "make: $(BINARY) loads the Swift runtime from the toolchain ($$needed); it would not start where no toolchain is installed. A package needs a binary built with --static-swift-stdlib: run make deb without BINARY= (it builds one in $(SCRATCH))" >&2; exit 1; fi
	rm -rf $(DEBDIR)/root
	$(MAKE) --no-print-directory install-files PREFIX=/usr DESTDIR="$(abspath $(DEBDIR))/root" \
	  BINARY="$(abspath $(BINARY))" GENDIR="$(abspath $(DEBDIR))/gen" MAN_FROM=$(MAN_FROM) STRIP=$(STRIP)
	$(INSTALL) -d -m 0755 $(DEBDIR)/root/DEBIAN
	$(INSTALL) -m 0755 systemd/deb/postinst systemd/deb/prerm systemd/deb/postrm $(DEBDIR)/root/DEBIAN/
	printf '%s\n' /etc/frontwatch/frontwatch.yaml /etc/frontwatch/gazetteer.yaml /etc/frontwatch/lexicon.en.yaml > $(DEBDIR)/root/DEBIAN/conffiles
	@version=$$("$(BINARY)" --version); size=$$(du -sk --exclude=DEBIAN $(DEBDIR)/root | cut -f1); \
	{ echo "Package: frontwatch"; echo "Version: $$version"; echo "Architecture: $(DEB_ARCH)"; \
	  echo "Maintainer: $(DEB_MAINTAINER)"; echo "Installed-Size: $$size"; echo "Depends: $(DEB_DEPENDS)"; \
	  echo "Section: admin"; echo "Priority: optional"; \
	  echo "Description: journal alerts when a front-line axis in Ukraine intensifies"; \
	  echo " frontwatch watches a folder for news articles about the war in Ukraine, extracts"; \
	  echo " changes of military activity on front-line axes, keeps state in SQLite and writes"; \
	  echo " one structured journal entry when an axis newly intensifies. Runs as a hardened"; \
	  echo " systemd service; members of group frontwatch drop articles into"; \
	  echo " /var/spool/frontwatch/inbox."; } > $(DEBDIR)/root/DEBIAN/control; \
	deb=$(SCRATCH)/frontwatch_$${version}_$(DEB_ARCH).deb; \
	echo "dpkg-deb --build --root-owner-group $(DEBDIR)/root $$deb"; \
	dpkg-deb --build --root-owner-group $(DEBDIR)/root $$deb
