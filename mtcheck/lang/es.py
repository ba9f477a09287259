"""Spanish.

Numbers: Spanish uses the long scale ("billón" is 10^12, "mil millones" 10^9); text2num 3.1.0
does not know "billón"/"billones" nor the apocope "veintiún" ("veintiún años"): the table has
them and the reader falls back to it. Ordinals ("tercero", "tercer", "décima") are mentions with
their cardinal value. Ambiguous alone: "un"/"una"/"uno" (a/an, "uno de los"), "segundo"/"segunda"
(a second of time), "cuarto" (room, quarter), "medio"/"media" (middle, means, average, media) and
the plural scale words ("millones de personas").

Spelling: NFKC + lower case + punctuation strip; accents are kept ("sólo"/"solo" stay apart).
"""

from __future__ import annotations

from .base import (
    curated_pack,
    curated_stopwords,
    numbered,
    words,
)

NEGATION_CUES = words(
    # mtcheck.spans.checks.NEGATION_CUES["es"]
    "no nunca nada nadie ningún ninguno ninguna sin ni jamás tampoco"
    # added: the plural forms
    " ningunos ningunas"
)

_CARDINALS = {
    "cero": 0,
    "uno": 1,
    "un": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "seis": 6,
    "siete": 7,
    "ocho": 8,
    "nueve": 9,
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciséis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veinte": 20,
    "veintiuno": 21,
    "veintiún": 21,
    "veintiuna": 21,
    "veintidós": 22,
    "veintitrés": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiséis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
    "treinta": 30,
    "cuarenta": 40,
    "cincuenta": 50,
    "sesenta": 60,
    "setenta": 70,
    "ochenta": 80,
    "noventa": 90,
    "cien": 100,
    "ciento": 100,
    "doscientos": 200,
    "doscientas": 200,
    "trescientos": 300,
    "trescientas": 300,
    "cuatrocientos": 400,
    "cuatrocientas": 400,
    "quinientos": 500,
    "quinientas": 500,
    "seiscientos": 600,
    "seiscientas": 600,
    "setecientos": 700,
    "setecientas": 700,
    "ochocientos": 800,
    "ochocientas": 800,
    "novecientos": 900,
    "novecientas": 900,
    "mil": 1000,
    "millón": 1e6,
    "millones": 1e6,
    "billón": 1e12,
    "billones": 1e12,  # long scale
}
_ORDINALS = {
    "primero": 1,
    "segundo": 2,
    "tercero": 3,
    "cuarto": 4,
    "quinto": 5,
    "sexto": 6,
    "séptimo": 7,
    "sétimo": 7,
    "octavo": 8,
    "noveno": 9,
    "décimo": 10,
    "vigésimo": 20,
    "trigésimo": 30,
    "cuadragésimo": 40,
    "quincuagésimo": 50,
    "sexagésimo": 60,
    "septuagésimo": 70,
    "octogésimo": 80,
    "nonagésimo": 90,
    "centésimo": 100,
    "milésimo": 1000,
}
NUMBER_WORDS = {
    **_CARDINALS,
    **_ORDINALS,
    **{w[:-1] + "a": v for w, v in _ORDINALS.items()},  # feminine: "primera", "tercera"
    "primer": 1,
    "tercer": 3,  # apocope before a masculine noun
    "medio": 0.5,
    "media": 0.5,
    "docena": 12,
}
AMBIGUOUS = words("un una uno segundo segunda cuarto medio media millones billones")

MONTHS = numbered(
    "enero ene",
    "febrero feb",
    "marzo",
    "abril abr",
    "mayo may",
    "junio jun",
    "julio jul",
    "agosto ago",
    "septiembre setiembre sep sept",
    "octubre oct",
    "noviembre nov",
    "diciembre dic",
)  # 1 = January
WEEKDAYS = numbered(
    "lunes", "martes", "miércoles miercoles", "jueves", "viernes", "sábado sabado", "domingo"
)  # 1 = Monday

# Taken out of stopwordsiso's Spanish list (besides its number words, by rule):
REMOVED = words(
    # digits and letters that are not words (a dropped "5" must not look like a stopword)
    "0 1 2 3 4 5 6 7 8 9 _ b c d f g h i j k l m n p q r s t v w x z"
    # nouns ("estados": Estados Unidos)
    " acuerdo cosas cuenta dia dias día días ejemplo embargo fin final general horas lado lugar"
    " manera modo momento pais paìs parte tiempo total trabajo uso valor verdad vez veces"
    " estado estados estada estadas"
    # lexical verbs (ser, estar, haber, tener, ir, poder, deber stay)
    " afirmó agregó añadió da aseguró comentó considera consideró conocer conseguimos conseguir"
    " consigue consiguen consigues creo dan dar decir dejó dice dicen dicho dieron dijeron dijo"
    " dio ampleamos empleais emplean emplear empleas empleo encuentra existe existen explicó"
    " expresó habla hablan hace haceis hacemos hacen hacer hacerlo haces haciendo hago hecho"
    " hicieron hizo indicó informo informó intenta intentais intentamos intentan intentar"
    " intentas intento llegó lleva llevar manifestó mencionó parece poner queremos quiere quedó"
    " realizado realizar realizó sabe sabeis sabemos saben saber sabes sal señaló sigue trabaja"
    " trabajais trabajamos trabajan trabajar trabajas trata usa usais usamos usan usar usas ver"
    # adjectives ("ex" = former)
    " anterior breve bueno buena buenas buenos buen gueno claro diferente diferentes ex gran grandes"
    " igual largo mayor mejor nueva nuevas nuevo nuevos pasada pasado peor posible proximo"
    " próximo próximos raras siguiente última últimas último últimos ultimo verdadera verdadero"
    # plural ordinal
    " primeros"
    # adverbs of time, manner and certainty
    " actualmente adrede antano antaño aproximadamente ayer casi deprisa despacio hoy mal"
    " principalmente quiza quizas quizá quizás tarde temprano"
)
KEEP = words("un una uno unos unas")  # articles and "uno" (pronoun)

STOPWORDS, STOPWORDS_REMOVED = curated_stopwords("es", REMOVED, NUMBER_WORDS, keep=KEEP)

PACK = curated_pack(
    code="es",
    name="Spanish",
    negation_cues=NEGATION_CUES,
    negation_note="+ ningunos, ningunas",
    stopwords=STOPWORDS,
    removed=f"minus {len(STOPWORDS_REMOVED)} digits, letters, open-class and number words",
    number_words=NUMBER_WORDS,
    ambiguous=AMBIGUOUS,
    months=MONTHS,
    weekdays=WEEKDAYS,
    not_number_phrases=frozenset({"por ciento", "primer ministro", "primera ministra", "primeros ministros"}),
)
