"""French.

Negation: "ne ... pas" is kept simple: "ne" and "pas" are both cues (and "jamais", "rien",
"personne", "aucun", ...), so "ne ... pas" counts twice; a caller that compares counts between two
French texts is not affected, and one that compares French with another language should count
clauses rather than cues. The elided "n'" is a cue as it was in
``mtcheck.spans.checks.NEGATION_CUES``; a word-level caller sees "n'est" (one word), whose
partner ("pas", "jamais", ...) is the cue it finds.

Numbers: text2num reads hyphenated and Belgian/Swiss forms ("quatre-vingt-dix", "septante",
"nonante"). "billion" is 10^12 (long scale; "milliard" is 10^9) and text2num 3.1.0 does not know
it: the table does. Ordinals ("troisième", "première") are mentions with their cardinal value;
"premier ministre" is not a number. Ambiguous alone: "un"/"une" (a/an), "second"/"seconde"
(a second of time), "demi"/"demie" and the plural scale words. "neuf" (nine / new) is read as
nine: in news text it is mostly the number.
"""

from __future__ import annotations

from .base import (
    curated_pack,
    curated_stopwords,
    numbered,
    words,
)

NEGATION_CUES = words(
    # mtcheck.spans.checks.NEGATION_CUES["fr"]
    "ne n' pas jamais rien personne aucun aucune sans ni"
    # added: no, nobody/none, not at all, hardly
    " non nul nulle nullement aucunement guère"
)

NUMBER_WORDS = {
    "zéro": 0,
    "un": 1,
    "une": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
    "treize": 13,
    "quatorze": 14,
    "quinze": 15,
    "seize": 16,
    "dix-sept": 17,
    "dix-huit": 18,
    "dix-neuf": 19,
    "vingt": 20,
    "trente": 30,
    "quarante": 40,
    "cinquante": 50,
    "soixante": 60,
    "soixante-dix": 70,
    "septante": 70,
    "quatre-vingt": 80,
    "quatre-vingts": 80,
    "huitante": 80,
    "octante": 80,
    "quatre-vingt-dix": 90,
    "nonante": 90,
    "cent": 100,
    "mille": 1000,
    "million": 1e6,
    "millions": 1e6,
    "milliard": 1e9,
    "milliards": 1e9,
    "billion": 1e12,
    "billions": 1e12,  # long scale
    "premier": 1,
    "première": 1,
    "second": 2,
    "seconde": 2,
    "deuxième": 2,
    "troisième": 3,
    "quatrième": 4,
    "cinquième": 5,
    "sixième": 6,
    "septième": 7,
    "huitième": 8,
    "neuvième": 9,
    "dixième": 10,
    "onzième": 11,
    "douzième": 12,
    "treizième": 13,
    "quatorzième": 14,
    "quinzième": 15,
    "seizième": 16,
    "vingtième": 20,
    "trentième": 30,
    "quarantième": 40,
    "cinquantième": 50,
    "soixantième": 60,
    "centième": 100,
    "millième": 1000,
    "demi": 0.5,
    "demie": 0.5,
    "douzaine": 12,
}
AMBIGUOUS = words("un une second seconde demi demie millions milliards billions")

MONTHS = numbered(
    "janvier janv",
    "février févr fév",
    "mars",
    "avril avr",
    "mai",
    "juin",
    "juillet juil",
    "août",
    "septembre",
    "octobre oct",
    "novembre nov",
    "décembre déc",
)  # 1 = January
WEEKDAYS = numbered("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")  # 1 = Monday

# Taken out of stopwordsiso's French list (besides its number words, by rule):
REMOVED = words(
    # letters that are not words or elisions (c' d' j' l' m' n' s' t' qu' y à stay)
    "b e f g h i k o p q r u v w x z"
    # interjections that are also content words ("vive", "mince" = thin, "pois chiche")
    " chiche merci mince mine pan stop vif vifs vive vives"
    # nouns ("personne" stays a negation cue)
    " début effet essai état façon fois force gens mot parole personne personnes pièce retour"
    " sujet valeur dos passé possessif possessifs quant-à-soi quanta cinquantaine"
    # lexical verbs (être, avoir, aller, pouvoir, devoir stay)
    " attendu bat dire dit dite dits fais faisaient faisant fait faites feront font laisser"
    " parle parlent parler pense permet rend rendre reste restent restant sait semble"
    " semblaient semblent sent suffit suit suivre suivant suivante suivantes suivants tend"
    " tenant tenir tente touchant importe vu voie voient ouvert ouverte ouverts parseme"
    " procedant superpose nommés basee debout"
    # adjectives
    " anterieur anterieure anterieures bas beau bon cher chers chère chères comparable"
    " comparables different differentes differents différent différente différentes différents"
    " directe directement dernier derniere droite las pire egale egales exterieur haut maximale minimale"
    " moindres multiple multiples naturel naturelle naturelles necessaire necessairement nouveau"
    " nouveaux plein possible possibles prealable probable probante proche pur pure rare rares"
    " rarement relative relativement remarquable semblable specifique specifiques speculatif"
    " restrictif subtiles suffisant suffisante tardive unique uniques uniformement particulier"
    " particulière particulièrement"
    # adverbs of time, manner and degree that carry meaning ("aujourd'hui", "environ")
    " absolument aujourd aujourd'hui hui autrefois environ exactement longtemps precisement"
    " strictement"
)
KEEP = words("un une")  # articles

STOPWORDS, STOPWORDS_REMOVED = curated_stopwords("fr", REMOVED, NUMBER_WORDS, keep=KEEP)

PACK = curated_pack(
    code="fr",
    name="French",
    negation_cues=NEGATION_CUES,
    negation_note="+ non, nul, nulle, nullement, aucunement, guère",
    stopwords=STOPWORDS,
    removed=f"minus {len(STOPWORDS_REMOVED)} letters, open-class and number words",
    number_words=NUMBER_WORDS,
    ambiguous=AMBIGUOUS,
    months=MONTHS,
    weekdays=WEEKDAYS,
    not_number_phrases=frozenset({"pour cent", "premier ministre", "première ministre", "premiers ministres"}),
)
