#!/usr/bin/env python3
"""Golden scores for the evaluation tests, computed by the real sacreBLEU.

Writes translator/src/test/resources/golden/sacrebleu.json: test sets of hypotheses and
references (every sentence written for this file, plus seeded random edits of them), and what
sacreBLEU 2.x computes on each:

  corpus chrF2 and chrF2++ (sacreBLEU's defaults: character orders 1-6, beta 2, whitespace
  removed, effective order), corpus BLEU with the 13a and the intl tokenizers (exp smoothing,
  closest reference length), their signatures, the sentence chrF2 of every hypothesis, and what
  each tokenizer makes of a list of awkward strings.

The sets cover no-break spaces (U+00A0, U+202F) and other Unicode spaces, empty hypotheses,
a variable number of references per sentence, a corpus with no matching 4-gram and symbols.

    pip install sacrebleu==2.6.0
    python3 tools/golden/make_metric_fixtures.py

The Java test SacreBleuGoldenTest replays the file; it needs no Python.
"""
import json
import random
from pathlib import Path

import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a
from sacrebleu.tokenizers.tokenizer_intl import TokenizerV14International

OUT = Path(__file__).resolve().parents[2] / "translator" / "src" / "test" / "resources" / "golden" / "sacrebleu.json"
NBSP, NNBSP = "\u00a0", "\u202f"

FRENCH = [
    "Je suis fatigué.", "Il fait froid aujourd'hui.", "Où est la gare ?", "Qu'est-ce que tu veux ?",
    "Nous avons gagné !", "Elle lit un livre.", "C'est combien ?", "J'ai 25 ans.", "Ferme la porte.",
    "Tu es en retard.", "Le chat dort sur le tapis.", "Ils sont partis à 8h30.", "Aide-moi, s'il te plaît.",
    "Je veux aider.", "Je ne sais pas.", "Le prix est de 3,50 €.", "« Bonjour », dit-il.", "Viens ici !",
    "On verra demain.", "Il a plu toute la nuit (enfin presque).", "Je t'aime.", "Attends une minute.",
]
VARIANTS = {
    "Je suis fatigué.": ["Je suis fatiguée.", "Je suis crevé."],
    "Où est la gare ?": ["Où se trouve la gare ?"],
    "Qu'est-ce que tu veux ?": ["Que veux-tu ?", "Qu'est-ce que vous voulez ?", "Que voulez-vous ?"],
    "Je veux aider.": ["Je veux aider.", "Je veux vous aider."],
    "Viens ici !": ["Venez ici !"],
}


def with_french_spaces(text):
    """French typography: a no-break space before ? ! : ; and inside guillemets."""
    for mark in "?!:;":
        text = text.replace(" " + mark, NNBSP + mark)
    return text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»")


def edit(text, rng):
    """A plausible wrong translation: a few character or word edits."""
    words = text.split(" ")
    for _ in range(rng.randint(0, 3)):
        kind = rng.random()
        i = rng.randrange(len(words))
        if kind < 0.3 and len(words) > 1:
            del words[i]
        elif kind < 0.6:
            words[i] = words[i][: max(1, len(words[i]) - 1)]
        elif kind < 0.8:
            words.insert(i, rng.choice(["pas", "le", "très", "?", "!", "-", "de"]))
        else:
            j = rng.randrange(len(words))
            words[i], words[j] = words[j], words[i]
    return " ".join(words)


def references_by_stream(references):
    """sacreBLEU takes references as streams (one per reference position), None where a sentence has fewer."""
    width = max(len(r) for r in references)
    return [[r[k] if k < len(r) else None for r in references] for k in range(width)]


def scores(hypotheses, references):
    streams = references_by_stream(references)
    result = {}
    for name, metric in [("chrF2", CHRF()), ("chrF2++", CHRF(word_order=2)),
                         ("BLEU", BLEU()), ("BLEU-intl", BLEU(tokenize="intl"))]:
        score = metric.corpus_score(hypotheses, streams)
        entry = {"name": score.name, "score": score.score, "signature": str(metric.get_signature().format(short=False))}
        if isinstance(metric, BLEU):
            entry.update(counts=list(score.counts), totals=list(score.totals), bp=score.bp,
                         sys_len=score.sys_len, ref_len=score.ref_len)
        result[name] = entry
    sentence_metric = CHRF()
    result["sentence chrF2"] = [sentence_metric.sentence_score(h, r).score for h, r in zip(hypotheses, references)]
    return result


def test_sets():
    rng = random.Random(20261202)
    sets = []

    # One reference each, French spaces in the references only (what a model without them writes).
    refs = [[with_french_spaces(s)] for s in FRENCH]
    hyps = [edit(s, rng) for s in FRENCH]
    sets.append(("one reference, no-break spaces in the references", hyps, refs))

    # Several references per sentence (variable), French spaces on both sides, empty hypotheses.
    refs = [[with_french_spaces(s)] + [with_french_spaces(v) for v in VARIANTS.get(s, [])] for s in FRENCH]
    hyps = [with_french_spaces(edit(s, rng)) for s in FRENCH]
    hyps[3] = ""
    hyps[10] = ""
    sets.append(("variable references, empty hypotheses", hyps, refs))

    # Two references for every sentence.
    refs = [[s, edit(s, rng)] for s in FRENCH]
    hyps = [edit(s, rng) for s in FRENCH]
    sets.append(("two references each", hyps, refs))

    # No 4-gram in common anywhere (short outputs): BLEU's exp smoothing is what is left.
    hyps = ["Je suis là.", "Le chien", "oui", "Bonjour !"]
    refs = [["Je suis ici."], ["Le chat dort."], ["non"], ["Bonsoir !"]]
    sets.append(("no matching 4-gram", hyps, refs))

    # Other Unicode spaces, tabs, a symbol and digits.
    hyps = ["Il\u2009coûte 3,50\u00a0€ !", "2 + 2 = 4", "le\tchat\u3000dort", "  espaces   autour  ",
            "100 % sûr", "a-b c.d 1.5 x,y"]
    refs = [["Il coûte 3,50 € !"], ["2+2=4"], ["le chat dort"], ["espaces autour"], ["100% sûr"],
            ["a - b c . d 1.5 x , y"]]
    sets.append(("Unicode spaces and symbols", hyps, refs))

    # Every hypothesis empty.
    sets.append(("all hypotheses empty", ["", ""], [["Bonjour."], ["Merci."]]))

    # A larger random set, for the sums.
    hyps, refs = [], []
    for _ in range(300):
        sentence = rng.choice(FRENCH)
        references = [with_french_spaces(sentence)] + [with_french_spaces(v) for v in VARIANTS.get(sentence, [])]
        hyps.append(edit(with_french_spaces(sentence) if rng.random() < 0.5 else sentence, rng))
        refs.append(references)
    sets.append(("300 random edits", hyps, refs))
    return sets


TOKENIZER_INPUTS = [
    "Qu'est-ce que c'est ?", "Il coûte 3,50 € (environ).", "« Bonjour », dit-il.", "1,000.5 et 2-3 ans",
    "a.b,c. 4.", "Tom's  \"quoted\"   text", "&quot;x&quot; &amp; &lt;y&gt;", "e-mail: a@b.com; 100%",
    "Il\u00a0dort\u202f!", "[x]{y}~z|w^v`u", "", "  ",
]


def main():
    tokenizers = {"13a": Tokenizer13a(), "intl": TokenizerV14International()}
    fixture = {
        "sacrebleu": sacrebleu.__version__,
        "sets": [{"name": name, "hypotheses": hyps, "references": refs, "scores": scores(hyps, refs)}
                 for name, hyps, refs in test_sets()],
        "tokenized": [{"text": text, **{name: tok(text.rstrip()) for name, tok in tokenizers.items()}}
                      for text in TOKENIZER_INPUTS],
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(fixture, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
