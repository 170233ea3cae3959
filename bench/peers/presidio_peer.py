#!/usr/bin/env python3
"""Presidio adapter: AnalyzerEngine with pattern recognizers only, offline.

* NLP engine: ``spacy.blank("en")`` wrapped in Presidio's SpacyNlpEngine (tokenizer only:
  no model can be downloaded here, and pattern recognizers need only tokens for their
  context words). No SpacyRecognizer, so no NER entities (PERSON, LOCATION …).
* Recognizers (Presidio's own predefined ones, default settings): EmailRecognizer,
  PhoneRecognizer, CreditCardRecognizer, IbanRecognizer, IpRecognizer, UsSsnRecognizer,
  MacAddressRecognizer: the types spillguard shares. PhoneRecognizer gets Presidio's
  default regions plus "CN", so Chinese mobiles are in reach.
* tldextract (used by EmailRecognizer) is pointed at its bundled suffix list: by default
  it tries to download one on first use, which fails offline and costs a timeout.
* ``analyze(text, language="en")`` with the default score threshold (0: every result);
  the harness also reports precision/recall at score >= 0.5 from the scores written here.
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402


def setup(args):
    import logging

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    import spacy
    import tldextract

    tldextract.extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    import presidio_analyzer.predefined_recognizers as pr
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class BlankSpacyNlpEngine(SpacyNlpEngine):
        def __init__(self):
            super().__init__(models=[{"lang_code": "en", "model_name": "blank"}])

        def load(self):
            self.nlp = {"en": spacy.blank("en")}

    nlp = BlankSpacyNlpEngine()
    nlp.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    regions = tuple(pr.PhoneRecognizer.DEFAULT_SUPPORTED_REGIONS) + ("CN",)
    registry.add_recognizer(pr.PhoneRecognizer(supported_regions=regions))
    for cls in (pr.EmailRecognizer, pr.CreditCardRecognizer, pr.IbanRecognizer, pr.IpRecognizer,
                pr.UsSsnRecognizer, pr.MacAddressRecognizer):
        registry.add_recognizer(cls())
    engine = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])

    def detect(text):
        # the score travels in the type column: TYPE@score
        return [(r.start, r.end, f"{r.entity_type}@{r.score:.2f}", text[r.start : r.end])
                for r in engine.analyze(text, language="en")]

    detect("warm up a@b.com 10.0.0.1")
    return detect


if __name__ == "__main__":
    from importlib.metadata import version

    ap = _common.parser(__doc__.split("\n\n")[0])
    raise SystemExit(_common.main(setup, ap, f"presidio-analyzer {version('presidio-analyzer')}, "
                                             f"spaCy {version('spacy')} (blank en)"))
