import os
import tempfile

import pytest

# Tests run offline, with their own Hugging Face cache (set before `datasets` is imported anywhere).
_HF_HOME = tempfile.mkdtemp(prefix="minusma-hf-")
os.environ.update({"HF_HOME": _HF_HOME, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1",
                   "HF_HUB_DISABLE_TELEMETRY": "1"})
os.environ.pop("MINUSMA_CORPUS_RELEASE", None)

from support import heavy
from support.paths import ANNOTATIONS, MANIFEST, RAW


def pytest_collection_modifyitems(config, items):
    """Tests marked ``labelstudio`` or ``browser`` install large things: skipped unless asked (support.heavy)."""
    if heavy.enabled():
        return
    for item in items:
        for marker in heavy.MARKERS:
            if item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=heavy.skip_reason(marker)))
                break


@pytest.fixture(scope="session")
def processed():
    from minusma_corpus.pipeline.process import process

    return {d.doc_id: d for d in process(RAW, MANIFEST)}


@pytest.fixture(scope="session")
def kb():
    """The entity knowledge base and the claim clusters."""
    from minusma_corpus.annotations.layout import AnnotationLayout

    layout = AnnotationLayout(ANNOTATIONS)
    return layout.read_kb(), layout.read_clusters()


@pytest.fixture(scope="session")
def gold():
    """Every gold annotation file, by doc_id."""
    from minusma_corpus.annotations.layout import AnnotationLayout, read_sets

    return read_sets(AnnotationLayout(ANNOTATIONS).gold)


# Hypothesis profiles: "ci" (the default) and "nightly" (HYPOTHESIS_PROFILE=nightly).
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("nightly", max_examples=50000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
