"""The word-level machinery the checks share (:mod:`mtcheck.checks` holds the checks themselves).

* :mod:`.words`: one side of a bead as words with offsets back into the raw text, and word keys
  (punctuation, case and British/American spelling folded).
* :mod:`.pair`: a same-language bead aligned word by word with difflib.
* :mod:`.evidence`: what the precise checks found, which the learned flagger also reads.
* :mod:`.vectors`: contextual word vectors from a TokenEmbedder's word pieces.
* :mod:`.model`: the learned flagger's features and its two logistic heads.
* :mod:`.foreign`: words in another language or script.
"""
