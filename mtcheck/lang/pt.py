"""Portuguese (European and Brazilian).

Variants: pt-PT and pt-BR spellings ("dezasseis"/"dezesseis", "facto"/"fato", "económica"/
"econômica") are NOT folded by ``spelling_key``; the number table lists both spellings of the
numbers. Folding the variants (a pt-BR <-> pt-PT map) would belong in ``spelling_rules``.

Numbers: "bilião" is 10^12 in European Portuguese (long scale: "mil milhões" is 10^9) and
"bilhão" 10^9 in Brazilian Portuguese; the spellings differ, so both are in the table with their
own value (text2num 3.1.0 reads "bilião" as 10^9; the reader corrects it from the table).
Ordinals ("terceiro", "décima") are mentions with their cardinal value. Ambiguous alone:
"um"/"uma" (a/an), "segundo"/"segunda" ("according to", "second" of time, "segunda-feira"),
"quarta"/"quinta"/"sexta" (weekdays in speech: "na sexta"), "quarto" (room, quarter),
"meio"/"meia" (middle/means, socks, "meia" = six in Brazilian phone numbers) and the plural scale
words ("milhões de pessoas" is "millions of people").

Weekdays: only the "-feira" forms, "sábado" and "domingo". "segunda" alone is usually the
ordinal ("a segunda vez"), so it is not a weekday here; "terça"/"quarta"/"quinta"/"sexta" alone
are likewise left out.
"""

from __future__ import annotations

from .base import (
    curated_pack,
    curated_stopwords,
    iso_stopwords,
    numbered,
    words,
)

NEGATION_CUES = words(
    # the first hand list
    "não nunca nada ninguém nenhum nenhuma sem nem"
    # added: never, no (plural), neither
    " jamais nenhuns nenhumas tampouco"
)

_CARDINALS = {
    "zero": 0,
    "um": 1,
    "uma": 1,
    "dois": 2,
    "duas": 2,
    "três": 3,
    "quatro": 4,
    "cinco": 5,
    "seis": 6,
    "sete": 7,
    "oito": 8,
    "nove": 9,
    "dez": 10,
    "onze": 11,
    "doze": 12,
    "treze": 13,
    "catorze": 14,
    "quatorze": 14,
    "quinze": 15,
    "dezasseis": 16,
    "dezesseis": 16,
    "dezassete": 17,
    "dezessete": 17,
    "dezoito": 18,
    "dezanove": 19,
    "dezenove": 19,
    "vinte": 20,
    "trinta": 30,
    "quarenta": 40,
    "cinquenta": 50,
    "sessenta": 60,
    "setenta": 70,
    "oitenta": 80,
    "noventa": 90,
    "cem": 100,
    "cento": 100,
    "duzentos": 200,
    "duzentas": 200,
    "trezentos": 300,
    "trezentas": 300,
    "quatrocentos": 400,
    "quatrocentas": 400,
    "quinhentos": 500,
    "quinhentas": 500,
    "seiscentos": 600,
    "seiscentas": 600,
    "setecentos": 700,
    "setecentas": 700,
    "oitocentos": 800,
    "oitocentas": 800,
    "novecentos": 900,
    "novecentas": 900,
    "mil": 1000,
    "milhão": 1e6,
    "milhões": 1e6,
    "bilhão": 1e9,
    "bilhões": 1e9,
    "trilhão": 1e12,
    "trilhões": 1e12,  # pt-BR, short scale
    "bilião": 1e12,
    "biliões": 1e12,  # pt-PT, long scale
}
_ORDINALS = {
    "primeiro": 1,
    "segundo": 2,
    "terceiro": 3,
    "quarto": 4,
    "quinto": 5,
    "sexto": 6,
    "sétimo": 7,
    "oitavo": 8,
    "nono": 9,
    "décimo": 10,
    "vigésimo": 20,
    "trigésimo": 30,
    "quadragésimo": 40,
    "quinquagésimo": 50,
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
    **{w[:-1] + "a": v for w, v in _ORDINALS.items()},  # feminine: "primeira", "terceira"
    "meio": 0.5,
    "meia": 0.5,
    "dúzia": 12,
}
AMBIGUOUS = words("um uma segundo segunda quarta quinta sexta quarto meio meia milhões bilhões biliões trilhões")

MONTHS = numbered(
    "janeiro jan",
    "fevereiro fev",
    "março",
    "abril abr",
    "maio mai",
    "junho jun",
    "julho jul",
    "agosto ago",
    "setembro set",
    "outubro out",
    "novembro nov",
    "dezembro",
)  # 1 = January
WEEKDAYS = numbered(
    "segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"
)  # 1 = Monday

# Taken out of stopwordsiso's Portuguese list: open-class words whose omission is a real error.
# (Its number words go too, by rule: see curated_stopwords.)
REMOVED = words(
    # nouns
    "adeus ano anos apoio caminho certeza coisa conselho dia dúvida estado exemplo falta favor"
    " fim final forma grupo hora horas inicio lado local lugar maioria maiorias meses mês momento"
    " noite nome nível número obra obrigada obrigado parte pessoas ponto pontos posição povo"
    " questão relação sistema tempo tipo trabalho valor verdade vez vezes viagem área"
    # lexical verbs (the auxiliaries and modals ser, estar, ter, haver, ir, poder, dever stay)
    " apontar conhecido custa dar desligado ligado dispoe dispoem diz dizem dizer dá dão faz"
    " fazeis fazem fazemos fazer fazes fazia faço fará fez iniciar parece pegar põe põem quer"
    " quereis querem queremas queres quero sabe sabem saber sei tentar tentaram tente tentei"
    " trabalhar usa usar veja ver vem vens vêm vindo"
    # adjectives
    " baixo boa boas bom bons breve comprido corrente direita geral grande grandes maior menor"
    " máximo nova novas novo novos possível próxima próximas próximo próximos quieto verdadeiro"
    " último"
    # adverbs of time and certainty ("hoje", "ontem", "talvez" change the meaning)
    " cedo certamente hoje mal ontem possivelmente talvez tarde"
    # plural ordinals, and a misspelt "primeiro"
    " primeiras primeiros promeiro"
)
# number words that are function words and stay: the articles, "segundo" (= according to)
KEEP = words("um uma segundo")
# function words stopwordsiso lacks: contractions of "de"/"em" + "um", "nenhum" (its list has
# "nenhuma"), "cerca" ("cerca de" = about), "apesar" ("apesar de" = despite), "porém"/"todavia"
# (however), future-auxiliary forms of "ir" (it has "vai", "vão", "irá"), Brazilian "pra"/"pro"
ADDED = words(
    "dum duma duns dumas nenhum cerca conforme apesar porém todavia tais irão iremos iria iriam vou vamos pra pro"
)

STOPWORDS, STOPWORDS_REMOVED = curated_stopwords("pt", REMOVED, NUMBER_WORDS, keep=KEEP, add=ADDED)
STOPWORDS_ADDED = ADDED - iso_stopwords("pt")

PACK = curated_pack(
    code="pt",
    name="Portuguese",
    negation_cues=NEGATION_CUES,
    negation_note="+ jamais, nenhuns, nenhumas, tampouco",
    stopwords=STOPWORDS,
    removed=f"minus {len(STOPWORDS_REMOVED)} open-class and number words, plus {len(STOPWORDS_ADDED)} function words it lacks (ADDED)",
    number_words=NUMBER_WORDS,
    ambiguous=AMBIGUOUS,
    months=MONTHS,
    weekdays=WEEKDAYS,
    not_number_phrases=words("primeiro-ministro primeira-ministra primeiros-ministros")
    | {"por cento"}
    | {w for w in WEEKDAYS if "-" in w},
    spelling_note=" (no pt-PT/pt-BR folding)",
)
