"""German.

Numbers: compounds are one word ("dreiundzwanzig", "zweitausendzweiundzwanzig") and text2num
reads them whole. Ordinals are listed with their five endings ("dritte", "dritten", "dritter",
"drittes", "drittem") and are mentions with their cardinal value. "Billion" is 10^12 (long
scale; "Milliarde" is 10^9); text2num 3.1.0 knows "Billion" but not "Billionen": the table does.
Ambiguous alone: the article forms of "ein" ("eins" is the number), "halb"/"halbe", "achten"
(also the verb "to respect": "darauf achten") and the plural scale words ("Millionen Menschen").

Spelling: NFKC + lower case + punctuation strip; "ß" is kept (not folded to "ss"), so "dreißig"
and the Swiss "dreissig" are both in the table.
"""

from __future__ import annotations

from .base import (
    curated_pack,
    curated_stopwords,
    inflect,
    numbered,
    words,
)

NEGATION_CUES = words(
    # mtcheck.spans.checks.NEGATION_CUES["de"]
    "nicht kein keine keinen keinem keiner keines nie niemals niemand nichts ohne weder"
    # added: no ... at all, nowhere, nobody (dative, accusative), none
    " keinerlei nirgends nirgendwo niemandem niemanden keins"
)

_CARDINALS = {
    "null": 0,
    "eins": 1,
    "ein": 1,
    "eine": 1,
    "einen": 1,
    "einem": 1,
    "einer": 1,
    "eines": 1,
    "zwei": 2,
    "zwo": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
    "zwanzig": 20,
    "dreißig": 30,
    "dreissig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
    "hundert": 100,
    "einhundert": 100,
    "tausend": 1000,
    "eintausend": 1000,
    "million": 1e6,
    "millionen": 1e6,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "billion": 1e12,
    "billionen": 1e12,  # long scale
}
_ORDINAL_STEMS = {
    "erst": 1,
    "zweit": 2,
    "dritt": 3,
    "viert": 4,
    "fünft": 5,
    "sechst": 6,
    "siebt": 7,
    "siebent": 7,
    "acht": 8,
    "neunt": 9,
    "zehnt": 10,
    "elft": 11,
    "zwölft": 12,
    "zwanzigst": 20,
    "dreißigst": 30,
    "hundertst": 100,
    "tausendst": 1000,
}
NUMBER_WORDS = {
    **_CARDINALS,
    **inflect(_ORDINAL_STEMS, ("e", "en", "er", "es", "em")),
    "halb": 0.5,
    "halbe": 0.5,
    "dutzend": 12,
}
AMBIGUOUS = words("ein eine einen einem einer eines halb halbe achten millionen milliarden billionen")

MONTHS = numbered(
    "januar jänner jan jän",
    "februar feber feb",
    "märz mär",
    "april apr",
    "mai",
    "juni jun",
    "juli jul",
    "august aug",
    "september sep sept",
    "oktober okt",
    "november nov",
    "dezember dez",
)  # 1 = January
WEEKDAYS = numbered(
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag sonnabend", "sonntag"
)  # 1 = Monday

# Taken out of stopwordsiso's German list (besides its number words, by rule):
REMOVED = words(
    # letters and fragments that are not words ("ag" = AG, "ei" = egg, "sa" = Saturday)
    "a b c d e f g h i j k l m n o p q r s t u v w x y z ei, ei ag sa tel"
    # nouns
    " beispiel ende gott jahr jahre jahren mann mensch menschen mittel ordnung sache schluss"
    " startseite tag tage tagen teil uhr zeit dasein"
    # lexical verbs (sein, haben, werden, the modals and "es gibt"/"es gab" stay)
    " gehen geht ging gekannt gemacht gesagt kam kommen kommt machen macht machte nahm sagt"
    " sagte sah steht suche tritt tun tat wissen leide heisst"
    # adjectives
    " besser besten bekannt ehrlich ernst folgende gross grosse grossen grosser grosses groß"
    " große großen großer großes gut gute guter gutes hoch kleine kleinen kleiner kleines kurz"
    " lang lange leicht möglich natürlich neue neuen offen recht rechte rechten rechter rechtes"
    " richtig satt schlecht wahr"
    # adverbs of time, degree and certainty ("heute", "rund" = about, "vielleicht")
    " früher gern heute lieber morgen rund später vergangenen vielleicht weg zurück"
)
KEEP = words("ein eine einen einem einer eines")  # articles

STOPWORDS, STOPWORDS_REMOVED = curated_stopwords("de", REMOVED, NUMBER_WORDS, keep=KEEP)

PACK = curated_pack(
    code="de",
    name="German",
    negation_cues=NEGATION_CUES,
    negation_note="+ keinerlei, nirgends, nirgendwo, niemandem, niemanden, keins",
    stopwords=STOPWORDS,
    removed=f"minus {len(STOPWORDS_REMOVED)} letters, open-class and number words",
    number_words=NUMBER_WORDS,
    ambiguous=AMBIGUOUS,
    months=MONTHS,
    weekdays=WEEKDAYS,
)
