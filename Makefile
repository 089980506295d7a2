# Two commands for a new user: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install bench train clean

run: $(STAMP)
	$(BIN)/discourse-bot run --once

test: $(STAMP)
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

install: $(STAMP)

# Reinstall only when the project's own dependency list changes.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "installing discourse-bot and its dependencies into $(VENV) (first time only)..."
	@$(BIN)/python -m pip install -q --upgrade pip > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@$(BIN)/python -m pip install -q -e '.[test]' >> $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@$(BIN)/python -m bot.extract.gazetteer_index >> $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

# The stance check the positions component ships with (bot/extract/data/stance_model), trained from the labelled
# sets in tests/data; seeded and single-threaded, so it reproduces the committed model.
train: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m bot.evaluation.stance_training --out bot/extract/data/stance_model
	OMP_NUM_THREADS=1 $(BIN)/python -m bot.evaluation.side_training --out bot/extract/data/side_model.json

bench: $(STAMP)
	for b in bench/bench_*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) data build *.egg-info
