# Two commands set up everything: `make run` (serve the API with a demo) and `make test` (the whole suite).
VENV := .venv
STAMP := $(VENV)/.installed-$(shell cat setup.cfg | sha1sum | cut -c1-12)

.PHONY: install run test stop bench clean

install: $(STAMP)

$(STAMP): setup.cfg
	scripts/install-system-deps.sh
	test -x $(VENV)/bin/python || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

run: install
	scripts/run.sh

test: install
	scripts/test.sh

stop:
	scripts/pg.sh stop var/pg

bench: install
	scripts/bench.sh

clean: stop
	scripts/pg.sh destroy var/pg
