"""Language packs (mtcheck.lang): the English pack against today's functions, the other packs
against text2num and hand-checked examples, and invariants every pack must keep."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from text_to_num import find_numbers

from mtcheck.lang import PACKS, LanguagePack, pack_for
from mtcheck.lang.base import _Token, plain_key, words

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
CODES = ("en", "pt", "es", "fr", "de")
OTHERS = ("pt", "es", "fr", "de")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def english_files() -> list[Path]:
    """The English texts among the seeds and the sample pairs (the Portuguese Lusa original, as
    seed and as the source of missiles-pt-en, is the only non-English one)."""
    files = sorted(SEEDS.glob("*.txt")) + sorted((SEEDS / "originals").glob("*.en.txt"))
    files += sorted(p for p in (ROOT / "pairs").glob("*/*.txt") if p != ROOT / "pairs/missiles-pt-en/source.txt")
    return files


# ------------------------------------------------------------------------------- registry


def test_registry_and_pack_for():
    assert tuple(PACKS) == CODES and len(PACKS) == 5
    for code in CODES:
        pack = PACKS[code]
        assert isinstance(pack, LanguagePack) and pack.code == code and pack is PACKS[code]
        assert hash(pack) == hash(code)
    assert pack_for("pt-BR").code == "pt"
    assert pack_for("PT").code == "pt" and pack_for("en-GB").code == "en" and pack_for("en_US").code == "en"
    assert pack_for("de-AT").name == "German" and pack_for(" fr ").code == "fr"
    assert pack_for("xx") is None and pack_for("xx-YY") is None and pack_for(None) is None and pack_for("") is None
    assert "xx" not in PACKS
    with pytest.raises(KeyError):
        PACKS["xx"]


def test_importing_mtcheck_lang_is_cheap():
    code = (
        "import sys, mtcheck.lang as L; print(sorted(m for m in ('text_to_num', 'stopwordsiso', "
        "'mtcheck.lang.pt', 'mtcheck.lang.en', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


# ------------------------------------------------------------------ English = today's lists


def test_english_lists():
    # The English pack holds the lists the flagger was trained and measured with (they were
    # copied verbatim from the flagger's modules, which now read them from here).
    en = PACKS["en"]
    assert len(en.stopwords) == 170 and {"the", "of", "n't", "so-called", "mrs"} <= en.stopwords
    assert en.negation_cues == frozenset(
        "not no never nobody nothing none neither nor cannot without nowhere n't".split()
    )
    assert len(en.number_words) == 44 and en.number_words["dozen"] == 12 and en.number_words["tenth"] == 10
    assert en.ambiguous_number_words == {"second", "half", "hundred", "thousand", "million", "billion", "one"}


def _spans_test_words() -> set[str]:
    """Every word in the string literals of tests/test_spans.py."""
    tree = ast.parse(read(ROOT / "tests" / "test_spans.py"))
    return {
        w
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        for w in node.value.split()
    }


BRITISH = words("""colour colours coloured colouring colourful favour favourite favourites honour honourable
    honoured labour laboured neighbour neighbours behaviour harbour armour armoured armoured vapour
    organise organised organises organising organisation organisations realise realised
    recognise recognised apologise analyse analysed analyses paralyse catalyse centre centres
    metre metres theatre fibre defence defences offence offences pretence travelled travelling
    traveller travellers cancelled cancelling labelled modelling fuelled signalled paediatric
    anaemia haemorrhage leukaemia encyclopaedia anaesthetic archaeology programme grey tyre
    so-called well-known Mr. Mrs. “full unconditional support” Kim’s can’t won’t don't ＦＵＬＬ ﬁne
    North-Korean co-operation re-elected 19:00 7 p.m. — ... U.S. apnews.com
    hour hours four pour tour detour yours ours flavour rumour tumour vigour odour glamour
    promise compromise exercise advise rise wise noise horizon analysis crisis basis
    litre lustre manoeuvre spectre sabre meagre ogre acre massacre
    fence fences dispel compel control controlled appalled installed""")


def test_english_spelling_key_folds_british_spellings_and_nothing_else():
    en = PACKS["en"]
    vocabulary = set(BRITISH) | _spans_test_words()
    for path in english_files():
        vocabulary.update(read(path).split())
    assert len(vocabulary) > 1000
    folded = {w: en.spelling_key(w) for w in sorted(vocabulary)}
    changed = {w for w, key in folded.items() if key != plain_key(w)}
    assert {"colour", "armoured", "organisation", "centre", "travelled", "defence", "analyse"} <= changed
    assert not changed & {"hour", "four", "crisis", "control"} and "litre" in changed
    # The folding is a key, applied to both sides alike: over-folding "promise" -> "promize" (the
    # -ise rule) never makes two different words match that differ in more than spelling.
    assert en.spelling_key("promise") == en.spelling_key("promize") == "promize"
    assert en.spelling_key("Armoured,") == "armored" and en.spelling_key("organisation") == "organization"


def test_english_number_mentions_are_todays():
    from mtcheck.numbers import extract_numbers

    def legacy(text: str) -> list[tuple[int, int, float]]:
        return [(m.start, m.end, float(m.key)) for m in extract_numbers(text) if not m.written_in_digits]

    en, seen, files = PACKS["en"], 0, english_files()
    assert len(files) == 10
    for path in files:
        text = read(path)
        tokens = text.split()
        assert sum(map(en.is_stopword, tokens)) > 2 * sum(map(PACKS["pt"].is_stopword, tokens)), path
        assert en.number_mentions(text) == legacy(text), path
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            assert en.number_mentions(sentence) == legacy(sentence), sentence
        seen += len(en.number_mentions(text))
    assert seen >= 30  # the comparison is not vacuous (35 word numbers today)
    extra = (
        "Twenty-three people, a second time, one of two, half a dozen, 2.5 million and three "
        "hundred; the first, Second and THIRD; 7 p.m. on the fifth; ninety-nine; eleventh."
    )
    assert en.number_mentions(extra) == legacy(extra)
    # today's reader: each word is its own mention (the other packs merge "vinte e três")
    assert en.number_mentions("twenty-three") == [(0, 6, 20.0), (7, 12, 3.0)]
    assert en.number_mentions("one of the two") == [(11, 14, 2.0)]


# ------------------------------------------------------------- numbers, other languages

EXAMPLES = [
    ("pt", "dois mísseis", [(0, 4, 2.0)]),
    ("pt", "vinte e três", [(0, 12, 23.0)]),
    ("pt", "mil e quinhentos", [(0, 16, 1500.0)]),
    ("pt", "um míssil", []),
    ("pt", "o segundo míssil", []),
    ("pt", "o terceiro dia", [(2, 10, 3.0)]),
    ("pt", "a terceira vez", [(2, 10, 3.0)]),
    ("pt", "dois mísseis e vinte e três foguetes", [(0, 4, 2.0), (15, 27, 23.0)]),
    ("pt", "Vinte E Duas", [(0, 12, 22.0)]),
    ("pt", "esta quarta-feira e na segunda-feira", []),
    ("pt", "cinco por cento", [(0, 5, 5.0)]),
    ("pt", "2 mil pessoas e 2,5 milhões de euros", []),  # digits are not this reader's business
    ("pt", "3 mísseis", []),
    ("pt", "milhões de pessoas", []),
    ("pt", "um milhão de pessoas", [(0, 9, 1e6)]),
    ("pt", "dois biliões", [(0, 12, 2e12)]),  # pt-PT long scale (text2num says 2e9)
    ("pt", "dois bilhões", [(0, 12, 2e9)]),  # pt-BR
    ("pt", "o primeiro-ministro", []),
    ("pt", "segundo três fontes", [(8, 12, 3.0)]),
    ("pt", "tre\u0302s", [(0, 5, 3.0)]),  # decomposed accent
    ("es", "veintitrés", [(0, 10, 23.0)]),
    ("es", "treinta y tres", [(0, 14, 33.0)]),
    ("es", "un misil", []),
    ("es", "una mujer", []),
    ("es", "veintiún años", [(0, 8, 21.0)]),  # text2num does not know "veintiún"
    ("es", "dos billones", [(0, 12, 2e12)]),
    ("es", "el tercer día", [(3, 9, 3.0)]),
    ("es", "mil quinientos", [(0, 14, 1500.0)]),
    ("es", "el primer ministro", []),
    ("es", "cinco por ciento", [(0, 5, 5.0)]),
    ("fr", "quatre-vingt-dix", [(0, 16, 90.0)]),
    ("fr", "vingt et un", [(0, 11, 21.0)]),
    ("fr", "un homme", []),
    ("fr", "une seconde", []),
    ("fr", "le troisième jour", [(3, 12, 3.0)]),
    ("fr", "le Premier ministre", []),
    ("fr", "deux billions", [(0, 13, 2e12)]),
    ("fr", "cinq pour cent", [(0, 4, 5.0)]),
    ("fr", "septante-sept", [(0, 13, 77.0)]),
    ("de", "dreiundzwanzig", [(0, 14, 23.0)]),
    ("de", "zweitausendzweiundzwanzig", [(0, 25, 2022.0)]),
    ("de", "ein Buch", []),
    ("de", "eine Million Euro", [(5, 12, 1e6)]),
    ("de", "Millionen Menschen", []),
    ("de", "zwei Billionen", [(0, 14, 2e12)]),
    ("de", "der dritte Tag", [(4, 10, 3.0)]),
    ("de", "darauf achten", []),
    ("de", "drei Prozent", [(0, 4, 3.0)]),
]


@pytest.mark.parametrize(("code", "text", "expected"), EXAMPLES)
def test_number_mentions_examples(code, text, expected):
    assert PACKS[code].number_mentions(text) == expected


def test_portuguese_lusa_original():
    pt = PACKS["pt"]
    text = read(SEEDS / "originals" / "lusa_missiles_2023-09-13.partial.pt.txt")
    found = [(text[s:e], v) for s, e, v in pt.number_mentions(text)]
    # "esta quarta-feira" (a weekday) and "no segundo encontro" (ambiguous) are not numbers
    assert found == [("dois", 2.0), ("dois", 2.0), ("dois", 2.0), ("primeiro", 1.0), ("três", 3.0)]


SPELLED = {  # 1..20, then 30..90
    "en": "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty | thirty forty fifty sixty seventy eighty ninety",
    "pt": "um dois três quatro cinco seis sete oito nove dez onze doze treze catorze quinze dezasseis "
    "dezassete dezoito dezanove vinte | trinta quarenta cinquenta sessenta setenta oitenta noventa",
    "es": "uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince dieciséis "
    "diecisiete dieciocho diecinueve veinte | treinta cuarenta cincuenta sesenta setenta ochenta noventa",
    "fr": "un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize dix-sept "
    "dix-huit dix-neuf vingt | trente quarante cinquante soixante soixante-dix quatre-vingt quatre-vingt-dix",
    "de": "eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn vierzehn fünfzehn "
    "sechzehn siebzehn achtzehn neunzehn zwanzig | dreißig vierzig fünfzig sechzig siebzig achtzig neunzig",
}
ORDINALS = {  # 1st..10th (masculine and feminine where they differ)
    "en": ["first second third fourth fifth sixth seventh eighth ninth tenth"],
    "pt": [
        "primeiro segundo terceiro quarto quinto sexto sétimo oitavo nono décimo",
        "primeira segunda terceira quarta quinta sexta sétima oitava nona décima",
    ],
    "es": [
        "primero segundo tercero cuarto quinto sexto séptimo octavo noveno décimo",
        "primera segunda tercera cuarta quinta sexta séptima octava novena décima",
    ],
    "fr": [
        "premier deuxième troisième quatrième cinquième sixième septième huitième neuvième dixième",
        "première seconde troisième quatrième cinquième sixième septième huitième neuvième dixième",
    ],
    "de": [
        "erste zweite dritte vierte fünfte sechste siebte achte neunte zehnte",
        "ersten zweiten dritten vierten fünften sechsten siebten achten neunten zehnten",
    ],
}


@pytest.mark.parametrize("code", CODES)
def test_numbers_one_to_twenty_tens_and_ordinals(code):
    pack = PACKS[code]
    units, tens = SPELLED[code].split("|")
    expected = dict(zip(units.split(), range(1, 21), strict=True))
    expected |= dict(zip(tens.split(), range(30, 100, 10), strict=True))
    for row in ORDINALS[code]:
        expected |= dict(zip(row.split(), range(1, 11), strict=True))
    for word, value in expected.items():
        assert pack.number_words[word] == value, word
        got = pack.number_mentions(word)
        if word in pack.ambiguous_number_words:
            assert got == [], word
        else:
            assert got == [(0, len(word), float(value))], word
            assert pack.number_mentions(word.capitalize() + ".") == [(0, len(word), float(value))], word


# words text2num (3.1.0) does not read alone, and those it reads differently: the table has them
TABLE_ONLY = {
    "en": {"dozen", "half"},
    "pt": {"dúzia", "meia", "meio", "trilhão", "trilhões"},
    "es": {"billones", "billón", "docena", "media", "medio", "segundo", "sétima", "sétimo", "veintiún"},
    "fr": {"billion", "billions", "demi", "demie", "douzaine", "second", "seconde"},
    "de": {
        "billionen",
        "dutzend",
        "eine",
        "einem",
        "einen",
        "einer",
        "eines",
        "halb",
        "halbe",
        "siebente",
        "siebentem",
        "siebenten",
        "siebenter",
        "siebentes",
    },
}
LONG_SCALE = {"pt": {"bilião": 1e12, "biliões": 1e12}}  # text2num: 1e9


@pytest.mark.parametrize("code", CODES)
def test_number_table_agrees_with_text2num(code):
    pack, unknown, differ = PACKS[code], set(), {}
    for word, value in pack.number_words.items():
        tokens = word.replace("-", " - ").split()
        occ = find_numbers([_Token(t) for t in tokens], code, 0.0)
        if len(occ) != 1 or (occ[0].start, occ[0].end) != (0, len(tokens)):
            unknown.add(word)
        elif float(occ[0].value) != value:
            differ[word] = value
    assert unknown == TABLE_ONLY[code]
    assert differ == LONG_SCALE.get(code, {})


@pytest.mark.parametrize("code", OTHERS)
def test_number_mentions_are_ordered_spans(code):
    pack = PACKS[code]
    text = " ".join(pack.number_words) + " , 12 segunda-feira dos und et e y"
    mentions = pack.number_mentions(text)
    assert mentions
    last = 0
    for start, end, value in mentions:
        assert last <= start < end <= len(text) and text[start:end].strip() == text[start:end]
        assert value >= 0
        last = end


# ------------------------------------------------------------------- invariants, all packs

FUNCTION_WORDS = {
    "en": "the a of and to in not for with",
    "pt": "o a os as de do da em no na para por com que e não se um uma ao pelo mas ou",
    "es": "el la los las de del en y que a por para con no se un una al lo pero o",
    "fr": "le la les de du des et à en que qui un une pour pas ne dans par sur au aux",
    "de": "der die das und in zu den von mit nicht ist ein eine auf für dem des sich",
}
CONTENT_WORDS = {
    "en": "missile president ballistic launched",
    "pt": "ano anos dia estado pessoas grupo trabalho governo hoje ontem dois primeiro mil novo grande "
    "dizer fazer horas vez meses número",
    "es": "año días estado estados gobierno hoy ayer dos primero mil nuevo gran decir hacer trabajo hecho ex 5 tiempo",
    "fr": "année jour état gouvernement aujourd'hui hier deux premier mille nouveau dire fait gens "
    "personnes environ fois dernier",
    "de": "jahr jahre tag zeit menschen regierung heute morgen zwei erste tausend neue groß gut sagte "
    "uhr rund beispiel",
}


@pytest.mark.parametrize("code", CODES)
def test_stopwords_keep_function_words_not_content_words(code):
    pack = PACKS[code]
    missing = [w for w in FUNCTION_WORDS[code].split() if not pack.is_stopword(w)]
    content = [w for w in CONTENT_WORDS[code].split() if pack.is_stopword(w)]
    assert missing == [] and content == []
    assert pack.is_stopword(FUNCTION_WORDS[code].split()[0].upper() + ",")


def test_portuguese_details():
    pt = PACKS["pt"]
    assert pt.is_stopword("para") and pt.is_stopword("Para,") and pt.is_stopword("segundo")
    assert {"jamais", "não", "nunca", "sem", "nem"} <= pt.negation_cues
    assert pt.weekdays["segunda-feira"] == 1 and pt.weekdays["domingo"] == 7 and "segunda" not in pt.weekdays
    assert pt.months["março"] == 3 and "dez" not in pt.months  # "dez" is ten
    assert pt.spelling_key("«Não»,") == "não" and pt.spelling_key("Económica") == "económica"
    assert pt.spelling_key("colour") == "colour"  # no British folding outside English
    assert pt.spelling_key("ﬁm") == "fim"  # NFKC
    assert (
        pt.is_stopword(unicodedata.normalize("NFD", "Não"))
        and pt.spelling_key(unicodedata.normalize("NFD", "Não")) == "não"
    )


@pytest.mark.parametrize("code", CODES)
def test_pack_invariants(code):
    pack = PACKS[code]
    numbers = set(pack.number_words)
    # keys are lower-case and are their own spelling key (elisions such as "n'" and "'s" aside)
    for name, keys in (
        ("stopwords", pack.stopwords),
        ("negation", pack.negation_cues),
        ("numbers", numbers),
        ("months", set(pack.months)),
        ("weekdays", set(pack.weekdays)),
    ):
        for w in keys:
            assert w == w.lower(), (name, w)
            if "'" not in w:
                assert plain_key(w) == w, (name, w)
    assert pack.ambiguous_number_words <= numbers
    assert not pack.negation_cues & numbers
    assert not pack.negation_cues & (set(pack.months) | set(pack.weekdays))
    # numbers are content: a dropped "dois" is an omission (ambiguous ones like "um" may stay)
    assert not pack.stopwords & (numbers - pack.ambiguous_number_words)
    # month and weekday names are content too (English keeps today's "may")
    assert pack.stopwords & (set(pack.months) | set(pack.weekdays)) <= ({"may"} if code == "en" else set())
    assert sorted(set(pack.months.values())) == list(range(1, 13))
    assert sorted(set(pack.weekdays.values())) == list(range(1, 8))
    assert all(isinstance(v, (int, float)) and v >= 0 for v in pack.number_words.values())
    for field in ("stopwords", "negation_cues", "number_words", "months", "weekdays"):
        assert pack.sources[field], field
    if code != "en":
        assert "stopwordsiso" in pack.sources["stopwords"] and "MIT" in pack.sources["stopwords"]
        assert "text2num" in pack.sources["number_words"]
        assert len(pack.stopwords) > 250
    with pytest.raises(TypeError):
        pack.number_words["x"] = 1  # type: ignore[index]


def test_negation_cues_include_the_common_ones():
    expected = {
        "en": "not never",
        "pt": "não nunca nenhum sem",
        "es": "no nunca ningún sin",
        "fr": "ne pas jamais sans",
        "de": "nicht kein nie ohne",
    }
    for code, cues in expected.items():
        assert set(cues.split()) <= PACKS[code].negation_cues, code


def test_french_negation_is_simple():
    fr = PACKS["fr"]
    sentence = ["Il", "ne", "viendra", "pas"]
    assert [w for w in sentence if fr.spelling_key(w) in fr.negation_cues] == ["ne", "pas"]
    assert {"jamais", "rien", "personne", "aucun", "sans", "ni"} <= fr.negation_cues
